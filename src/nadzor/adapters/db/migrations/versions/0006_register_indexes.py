"""Indexes for the registers of proceedings (bench/register.py): the filtered, sorted first page
(kind + office subtree or status, newest first), its «overdue» condition over the open deadlines, and
the re-replay after a calendar change (its span condition).

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_proceedings_kind_status_opened", "proceedings", ["kind", "status", "opened_on", "id"]),
    ("ix_proceedings_kind_office_opened", "proceedings", ["kind", "office_id", "opened_on", "id"]),
    ("ix_proceedings_span", "proceedings", ["opened_on", "span_end"]),
    ("ix_proceeding_deadlines_due_proceeding", "proceeding_deadlines", ["due", "proceeding_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
