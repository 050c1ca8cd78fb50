"""Tables of the `casework` context: stored proceedings: the row, its append-only steps, open deadlines, attachments."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nadzor.infra.db.metadata import UTCDateTime, metadata

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
