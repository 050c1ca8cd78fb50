"""Stored proceedings (PROCEEDINGS.md): proceedings, their append-only steps, their open deadlines.

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nadzor.infra.db.metadata import UTCDateTime

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proceedings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("office_level", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("span_end", sa.Date(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name="fk_proceedings_office_id_offices"),
        sa.PrimaryKeyConstraint("id", name="pk_proceedings"),
        sa.UniqueConstraint("number", name="uq_proceedings_number"),
    )
    for column in ("kind", "office_id", "status", "opened_on", "span_end"):
        op.create_index(f"ix_proceedings_{column}", "proceedings", [column])
    op.create_table(
        "proceeding_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("author_person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=120), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["proceeding_id"], ["proceedings.id"],
                                name="fk_proceeding_steps_proceeding_id_proceedings"),
        sa.ForeignKeyConstraint(["author_person_id"], ["people.id"],
                                name="fk_proceeding_steps_author_person_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_proceeding_steps"),
        sa.UniqueConstraint("proceeding_id", "seq", name="uq_proceeding_steps_seq"),
    )
    op.create_index("ix_proceeding_steps_proceeding_id", "proceeding_steps", ["proceeding_id"])
    op.create_table(
        "proceeding_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["proceeding_id"], ["proceedings.id"],
                                name="fk_proceeding_deadlines_proceeding_id_proceedings"),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name="fk_proceeding_deadlines_office_id_offices"),
        sa.PrimaryKeyConstraint("id", name="pk_proceeding_deadlines"),
    )
    op.create_index("ix_proceeding_deadlines_proceeding_id", "proceeding_deadlines", ["proceeding_id"])
    op.create_index("ix_proceeding_deadlines_office_due", "proceeding_deadlines", ["office_id", "due"])
    op.create_index("ix_proceeding_deadlines_code_due", "proceeding_deadlines", ["code", "due"])


def downgrade() -> None:
    op.drop_table("proceeding_deadlines")
    op.drop_table("proceeding_steps")
    op.drop_table("proceedings")
