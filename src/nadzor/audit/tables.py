"""Tables of the `audit` context: the hash-chained audit log and its head."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from nadzor.infra.db.metadata import metadata

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
    # The audit view's filters (audit.service.access_audit), each followed by its order (at, seq)
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
