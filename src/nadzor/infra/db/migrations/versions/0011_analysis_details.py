"""Analyses (issue 10): the checklist of sources an analysis used (R.12) and the link of a check to the
analysis whose petition to the Prosecutor General opened it (R.19 p. 4, R.23).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nadzor.infra.db.metadata import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "analysis_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("analysis_sources", "proceeding_id", "proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_sources"),
        sa.UniqueConstraint("proceeding_id", name="uq_analysis_sources_proceeding_id"),
    )
    op.create_table(
        "check_origins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("decision_step", sa.Integer(), nullable=False),
        _fk("check_origins", "check_id", "proceedings"),
        _fk("check_origins", "analysis_id", "proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_check_origins"),
        sa.UniqueConstraint("check_id", name="uq_check_origins_check_id"),
        sa.UniqueConstraint("analysis_id", "decision_step", name="uq_check_origins_decision"),
    )
    op.create_index("ix_check_origins_analysis_id", "check_origins", ["analysis_id"])


def downgrade() -> None:
    for table in ("check_origins", "analysis_sources"):
        op.drop_table(table)
