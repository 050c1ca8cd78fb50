"""Tables of the `analyses` context: plans, organizations, the КУИ, periodic reports, sources (R.12)
and the link of a check to the petition that opened it."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from nadzor.infra.db.metadata import UTCDateTime, metadata

analysis_plans = Table(
    "analysis_plans", metadata,
    Column("id", Integer, primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer, nullable=True),
    Column("title", String(300), nullable=False),
    Column("approved_by_person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("approved_on", Date, nullable=True),
    Column("approver", JSON, nullable=True),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

analysis_plan_items = Table(
    "analysis_plan_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("analysis_plans.id"), nullable=False, index=True),
    Column("topic", String(500), nullable=False),
    Column("responsible_person_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("analysis_id", Integer, ForeignKey("proceedings.id"), nullable=True, unique=True),
)

organizations = Table(
    "organizations", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(500), nullable=False, index=True),
    Column("bin", String(12), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("address", String(500), nullable=False, default=""),
    Column("search", String(1100), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

kui_materials = Table(
    "kui_materials", metadata,
    Column("id", Integer, primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("decision_step", Integer, nullable=False),
    Column("number", String(80), nullable=False),
    Column("registered_on", Date, nullable=False, index=True),
    Column("summary", Text, nullable=False),
    Column("transferred_to", String(300), nullable=True),
    Column("transferred_on", Date, nullable=True),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("office_id", "number", name="uq_kui_materials_office_number"),
    UniqueConstraint("proceeding_id", "decision_step", name="uq_kui_materials_decision"),
)

kui_reconciliations = Table(
    "kui_reconciliations", metadata,
    Column("id", Integer, primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("reconciled_with", String(300), nullable=False),
    Column("reconciled_by", String(300), nullable=False),
    Column("reconciled_on", Date, nullable=False),
    Column("discrepancies", Text, nullable=False, default=""),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("office_id", "year", "month", name="uq_kui_reconciliations_office_month"),
)

periodic_reports = Table(
    "periodic_reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("analysis_id", Integer, ForeignKey("proceedings.id"), nullable=True),
    Column("report_date", Date, nullable=False),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("office_id", "code", "period_start", name="uq_periodic_reports_obligation"),
)

analysis_sources = Table(
    "analysis_sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, unique=True),
    Column("sources", JSON, nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

check_origins = Table(
    "check_origins", metadata,
    Column("id", Integer, primary_key=True),
    Column("check_id", Integer, ForeignKey("proceedings.id"), nullable=False, unique=True),
    Column("analysis_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("decision_step", Integer, nullable=False),
    UniqueConstraint("analysis_id", "decision_step", name="uq_check_origins_decision"),
)
