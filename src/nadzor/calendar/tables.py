"""Tables of the `calendar` context: the administrator's calendar days and the file's state."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Table

from nadzor.domain.accounts import CalendarDay
from nadzor.infra.db.metadata import UTCDateTime, mapper_registry, metadata

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

calendar_file_state = Table(
    "calendar_file_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("overrides", JSON, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

# The domain's plain class mapped onto its table (imperatively: the domain imports nothing of storage).
mapper_registry.map_imperatively(CalendarDay, calendar_days, version_id_col=calendar_days.c.version)
