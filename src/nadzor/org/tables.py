"""Tables of the `org` context: offices, people, acting and zonal assignments, the office tree's version."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Table

from nadzor.domain.org import ActingAssignment, Office, Person, ZoneAssignment
from nadzor.infra.db.metadata import mapper_registry, metadata

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

# The domain's plain classes mapped onto the tables (imperatively: the domain imports nothing of storage).
for _cls, _table in ((Office, offices), (Person, people), (ActingAssignment, acting_assignments),
                     (ZoneAssignment, zone_assignments)):
    mapper_registry.map_imperatively(_cls, _table, version_id_col=_table.c.version)
