"""Storage schema (SQLAlchemy Core) and the imperative mapping of the domain's plain classes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry

from nadzor.domain.accounts import ApiToken, CalendarDay, User, WebSession
from nadzor.domain.org import ActingAssignment, Office, Person, ZoneAssignment


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store UTC-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

offices = Table(
    "offices", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(120), nullable=False, unique=True),
    Column("parent_id", Integer, ForeignKey("offices.id"), nullable=True, index=True),
    Column("level", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("name_ru", String(300), nullable=False),
    Column("name_kk", String(300), nullable=False, default=""),
    Column("city", String(120), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("former_names", JSON, nullable=False, default=list),
    Column("version", Integer, nullable=False),
)

people = Table(
    "people", metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String(300), nullable=False),
    Column("position", String(40), nullable=False),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("email", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False),
)

acting_assignments = Table(
    "acting_assignments", metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("acting_for", String(40), nullable=False),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False),
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=False),
    Column("basis", String(300), nullable=False),
    Column("version", Integer, nullable=False),
)

#: One row (id 1): the version of the office tree, bumped in the transaction of every office change,
#: so that each process knows when its cached tree (`services.org.cached_tree`) is stale (issue 7 §4).
office_tree_version = Table(
    "office_tree_version", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)

zone_assignments = Table(
    "zone_assignments", metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("zone_office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("areas", JSON, nullable=False),
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=True),
    Column("version", Integer, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(80), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_auditor", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("language", String(5), nullable=False, default="ru"),
    Column("version", Integer, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

web_sessions = Table(
    "web_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

calendar_days = Table(
    "calendar_days", metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, unique=True),
    Column("working", Boolean, nullable=False),
    Column("name", String(300), nullable=False),
    Column("resolution_number", String(80), nullable=False),
    Column("resolution_date", Date, nullable=False),
    Column("version", Integer, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_office", String(120), nullable=False),
    Column("actor_position", String(80), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(120), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("scheme", String(10), nullable=False),  # domain.audit.SCHEMES: sha256 (before 0002) or hmac1
    # The audit view's filters (services.audit.access_audit), each followed by its order (at, seq)
    # so that the count reads the index alone and the newest page is read from the index's end;
    # (object_type, seq) serves the calendar's fingerprint (the last row about calendar days).
    Index("ix_audit_log_actor_at", "actor", "at", "seq"),
    Index("ix_audit_log_office_at", "actor_office", "at", "seq"),
    Index("ix_audit_log_action_at", "action", "at", "seq"),
    Index("ix_audit_log_object_at", "object_type", "object_id", "at", "seq"),
    Index("ix_audit_log_type_seq", "object_type", "seq"),
    Index("ix_audit_log_at_seq", "at", "seq"),
)

audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# ------------------------------------------------------------------------------ proceedings
# PROCEEDINGS.md «Stored proceedings»: a proceeding row with the columns derived from `replay` for
# queries, its append-only steps (the exact contract object plus `details`), and its open deadlines.

proceedings = Table(
    "proceedings", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False, index=True),
    Column("office_level", String(10), nullable=False),
    Column("number", String(80), nullable=False, unique=True),
    Column("subject", String(500), nullable=False, default=""),
    Column("status", String(40), nullable=True, index=True),
    Column("opened_on", Date, nullable=False, index=True),
    Column("start", Date, nullable=True),
    Column("last_day", Date, nullable=True),
    Column("span_end", Date, nullable=False, index=True),
    Column("state", JSON, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    # The registers (migration 0006): kind + status + the offices of a subtree, or kind + offices.
    Index("ix_proceedings_kind_status_office_opened", "kind", "status", "office_id", "opened_on"),
    Index("ix_proceedings_kind_office_opened", "kind", "office_id", "opened_on"),
)

proceeding_steps = Table(
    "proceeding_steps", metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("date", Date, nullable=False),
    Column("data", JSON, nullable=False),
    Column("details", JSON, nullable=False),
    Column("author", String(120), nullable=False),
    Column("author_person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("withdrawn", Boolean, nullable=False, default=False),
    Column("withdrawn_reason", Text, nullable=True),
    Column("withdrawn_by", String(120), nullable=True),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    UniqueConstraint("proceeding_id", "seq", name="uq_proceeding_steps_seq"),
)

proceeding_deadlines = Table(
    "proceeding_deadlines", metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("office_id", Integer, ForeignKey("offices.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("due", Date, nullable=False),
    Column("step", Integer, nullable=False),
    Column("citations", JSON, nullable=False),
    Index("ix_proceeding_deadlines_office_due", "office_id", "due"),
    Index("ix_proceeding_deadlines_code_due", "code", "due"),
    # The registers (migration 0006): «overdue» probed per proceeding; due within N days.
    Index("ix_proceeding_deadlines_proceeding_due", "proceeding_id", "due"),
    Index("ix_proceeding_deadlines_due_proceeding", "due", "proceeding_id"),
)

# ------------------------------------------------------------------------------ attachments
# Issue 8 §3: files on a proceeding or on one of its steps. The content lives in the attachment
# folder under its SHA-256 (`ab/cd/<sha256>`, stored once); a row per attaching. `step_id` is the
# stable link to the stored step, `step_index` its index in the replayed list when attached.

attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("step_id", Integer, ForeignKey("proceeding_steps.id"), nullable=True),
    Column("step_index", Integer, nullable=True),
    Column("name", String(255), nullable=False),
    Column("media_type", String(120), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("note", Text, nullable=False, default=""),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploader_person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("uploaded_at", UTCDateTime, nullable=False),
)

# Issue 8 §2: a check's operative-search (I.19) and expertise (I.20) resolutions — records beside its
# steps (`replay` never sees them): their fields, the signer resolved on the date and frozen.

check_resolutions = Table(
    "check_resolutions", metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", Integer, ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("number", String(100), nullable=False),
    Column("date", Date, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("signer", JSON, nullable=False),
    Column("signer_person_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("author", String(120), nullable=False),
    Column("author_person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("recorded_at", UTCDateTime, nullable=False),
)

# PROCEEDINGS.md «Calendar changes»: the administrator's calendar file as last applied (one row, id 1).
calendar_file_state = Table(
    "calendar_file_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("overrides", JSON, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

# ------------------------------------------------------------------------- acts of supervision
# Issue 9: the act types as administrator-edited data (the default response term stays empty until an
# administrator fills it with its source — never hard-coded), and the link of an act to its origin.

act_types = Table(
    "act_types", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name_ru", String(200), nullable=False),
    Column("name_kk", String(200), nullable=False),
    Column("legal_source", Text, nullable=False),
    Column("response_term_days", Integer, nullable=True),
    Column("response_term_unit", String(10), nullable=True),
    Column("response_term_source", Text, nullable=True),
    Column("updated_by", String(120), nullable=True),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)

act_origins = Table(
    "act_origins", metadata,
    Column("id", Integer, primary_key=True),
    Column("act_id", Integer, ForeignKey("proceedings.id"), nullable=False, unique=True),
    Column("origin_kind", String(20), nullable=False),
    Column("origin_id", Integer, ForeignKey("proceedings.id"), nullable=True, index=True),
)

# -------------------------------------------------------------------------------- analyses
# Issue 10: plans of analyses (R.11), the directory of organizations (R.13–14 addressees), the КУИ
# register with its monthly reconciliations (R.19 p. 5, R.20) and the reports that fulfil the periodic
# obligations (R.5–9, I.46, I.64, I.70). The obligations themselves are computed by the rule.

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

# What an analysis holds besides its steps (R.12): the checklist of the sources used, one row per
# analysis, versioned. A check opened on an analysis's petition to the Prosecutor General (R.19 p. 4,
# R.23): the link, read from both cards.

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

mapper_registry = registry(metadata=metadata)
_mapped = False


def start_mappers() -> None:
    """Map the domain's plain classes onto the tables (once per process)."""
    global _mapped
    if _mapped:
        return
    for cls, table in (
        (Office, offices), (Person, people), (ActingAssignment, acting_assignments),
        (ZoneAssignment, zone_assignments), (User, users), (CalendarDay, calendar_days),
    ):
        mapper_registry.map_imperatively(cls, table, version_id_col=table.c.version)
    mapper_registry.map_imperatively(ApiToken, api_tokens)
    mapper_registry.map_imperatively(WebSession, web_sessions)
    _mapped = True
