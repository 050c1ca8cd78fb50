"""Indexes for the registers of proceedings (bench/register.py): the filtered, sorted first page
(kind + status + the offices of a subtree, or kind + the offices alone, newest first), and the open
deadlines probed per proceeding («overdue»: `EXISTS … proceeding_id = ? AND due < today`) or by due
date (due within N days).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_proceedings_kind_status_office_opened", "proceedings", ["kind", "status", "office_id", "opened_on"]),
    ("ix_proceedings_kind_office_opened", "proceedings", ["kind", "office_id", "opened_on"]),
    ("ix_proceeding_deadlines_proceeding_due", "proceeding_deadlines", ["proceeding_id", "due"]),
    ("ix_proceeding_deadlines_due_proceeding", "proceeding_deadlines", ["due", "proceeding_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
