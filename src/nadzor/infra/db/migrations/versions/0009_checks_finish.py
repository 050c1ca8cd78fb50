"""Checks (issue 8): the operative-search (I.19) and expertise (I.20) resolutions of a check as records
with their fields and frozen signer; the administrator's calendar file as last applied (its
effective overrides), so that a file changed between two starts restates the stored proceedings
(PROCEEDINGS.md «Calendar changes»).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nadzor.infra.db.metadata import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "check_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("signer", sa.JSON(), nullable=False),
        sa.Column("signer_person_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("author_person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        _fk("check_resolutions", "proceeding_id", "proceedings"),
        _fk("check_resolutions", "signer_person_id", "people"),
        _fk("check_resolutions", "author_person_id", "people"),
        sa.PrimaryKeyConstraint("id", name="pk_check_resolutions"),
    )
    op.create_index("ix_check_resolutions_proceeding_id", "check_resolutions", ["proceeding_id"])
    op.create_table(
        "calendar_file_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_file_state"),
    )


def downgrade() -> None:
    op.drop_table("calendar_file_state")
    op.drop_index("ix_check_resolutions_proceeding_id", table_name="check_resolutions")
    op.drop_table("check_resolutions")
