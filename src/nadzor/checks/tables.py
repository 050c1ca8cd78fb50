"""Tables of the `checks` context: a check's operative-search and expertise resolutions (I.19, I.20)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table

from nadzor.infra.db.metadata import UTCDateTime, metadata

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
