"""Analyses (issue 10): plans and their items, the directory of organizations, the КУИ register with
its monthly reconciliations, the reports that fulfil the periodic obligations.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nadzor.infra.db.metadata import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "analysis_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("approved_by_person_id", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approver", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("analysis_plans", "office_id", "offices"),
        _fk("analysis_plans", "approved_by_person_id", "people"),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_plans"),
    )
    op.create_index("ix_analysis_plans_office_id", "analysis_plans", ["office_id"])
    op.create_table(
        "analysis_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=500), nullable=False),
        sa.Column("responsible_person_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=True),
        _fk("analysis_plan_items", "plan_id", "analysis_plans"),
        _fk("analysis_plan_items", "responsible_person_id", "people"),
        _fk("analysis_plan_items", "analysis_id", "proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_plan_items"),
        sa.UniqueConstraint("analysis_id", name="uq_analysis_plan_items_analysis_id"),
    )
    op.create_index("ix_analysis_plan_items_plan_id", "analysis_plan_items", ["plan_id"])
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("bin", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("search", sa.String(length=1100), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("bin", name="uq_organizations_bin"),
    )
    op.create_index("ix_organizations_name", "organizations", ["name"])
    op.create_index("ix_organizations_kind", "organizations", ["kind"])
    op.create_table(
        "kui_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("decision_step", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("transferred_to", sa.String(length=300), nullable=True),
        sa.Column("transferred_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("kui_materials", "office_id", "offices"),
        _fk("kui_materials", "proceeding_id", "proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_kui_materials"),
        sa.UniqueConstraint("office_id", "number", name="uq_kui_materials_office_number"),
        sa.UniqueConstraint("proceeding_id", "decision_step", name="uq_kui_materials_decision"),
    )
    for column in ("office_id", "proceeding_id", "registered_on"):
        op.create_index(f"ix_kui_materials_{column}", "kui_materials", [column])
    op.create_table(
        "kui_reconciliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("reconciled_with", sa.String(length=300), nullable=False),
        sa.Column("reconciled_by", sa.String(length=300), nullable=False),
        sa.Column("reconciled_on", sa.Date(), nullable=False),
        sa.Column("discrepancies", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("kui_reconciliations", "office_id", "offices"),
        sa.PrimaryKeyConstraint("id", name="pk_kui_reconciliations"),
        sa.UniqueConstraint("office_id", "year", "month", name="uq_kui_reconciliations_office_month"),
    )
    op.create_index("ix_kui_reconciliations_office_id", "kui_reconciliations", ["office_id"])
    op.create_table(
        "periodic_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=True),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("periodic_reports", "office_id", "offices"),
        _fk("periodic_reports", "analysis_id", "proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_periodic_reports"),
        sa.UniqueConstraint("office_id", "code", "period_start", name="uq_periodic_reports_obligation"),
    )
    op.create_index("ix_periodic_reports_office_id", "periodic_reports", ["office_id"])


def downgrade() -> None:
    for table in ("periodic_reports", "kui_reconciliations", "kui_materials", "organizations",
                  "analysis_plan_items", "analysis_plans"):
        op.drop_table(table)
