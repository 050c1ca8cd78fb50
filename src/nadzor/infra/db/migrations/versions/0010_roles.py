"""Roles and the cached office tree (issue 7 §4): the auditor's attribute of an account (reads the
audit trail, changes nothing), and the office-tree version every office change bumps in its own
transaction, so that each server process knows when its cached tree is stale.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("is_auditor", sa.Boolean(), nullable=False, server_default=sa.false()))
    table = op.create_table(
        "office_tree_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_office_tree_version"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade() -> None:
    op.drop_table("office_tree_version")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("is_auditor")
