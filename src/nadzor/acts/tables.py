"""Tables of the `acts` context: act types (administrator data) and acts' origins."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from nadzor.infra.db.metadata import UTCDateTime, metadata

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
