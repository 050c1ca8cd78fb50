"""The organization's lists (issue 7 §1, §6): offices, people, acting assignments and zonal
assignments (I.68), each searchable, filtered, sorted and paged in SQL with the reader's scope as a
condition — never loaded whole to be filtered in Python. A filter value the list cannot hold is
refused naming its field (`InvalidInput`), never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from nadzor.domain.org import (
    KIND_LABELS,
    LEVEL_LABELS,
    POSITION_LABELS,
    SUBJECT_AREAS,
    ActingAssignment,
    Office,
    Person,
    ZoneAssignment,
)
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.infra.listing import Page, contains, in_scope, page_of
from nadzor.org.service import tree
from nadzor.org.tables import acting_assignments, offices, people, zone_assignments

_OFFICE_NAME = select(offices.c.name_ru)
_PERSON_NAME = select(people.c.full_name)


def _choice(value: str | None, allowed: Any, field: str) -> str | None:
    if value and value not in allowed:
        raise InvalidInput.one(field, "выберите значение из списка")
    return value or None


def _office_condition(session: Session, column: Any, office_id: int | None, subtree: bool) -> Any | None:
    if office_id is None:
        return None
    if subtree:
        return column.in_(sorted(tree(session).subtree(office_id)) or [-1])
    return column == office_id


def _period_on(start: Any, end: Any, day: date | None) -> Any | None:
    """In effect on `day`: begun by then and not ended before it (an open end runs on)."""
    if day is None:
        return None
    return and_(start <= day, or_(end.is_(None), end >= day))


# =========================================================================== offices


@dataclass(frozen=True)
class OfficeFilter:
    """`q`: words in the name (Russian or Kazakh), code or city; `level`, `kind`; `active_on`: only
    offices in being on that day."""

    q: str = ""
    level: str | None = None
    kind: str | None = None
    active_on: date | None = None


OFFICE_SORTS = ("name", "code", "level", "kind", "city")


def list_offices(session: Session, actor: Actor, flt: OfficeFilter, page: Page) -> tuple[int, list[Office]]:
    """The offices (reference data every signed-in user sees)."""
    actor.require(Permission.SIGNED_IN)
    o = offices.c
    where = [contains(session, (o.name_ru, o.name_kk, o.code, o.city), flt.q)]
    if _choice(flt.level, LEVEL_LABELS, "level"):
        where.append(o.level == flt.level)
    if _choice(flt.kind, KIND_LABELS, "kind"):
        where.append(o.kind == flt.kind)
    if flt.active_on is not None:
        where.append(and_(or_(o.valid_from.is_(None), o.valid_from <= flt.active_on),
                          or_(o.valid_to.is_(None), o.valid_to >= flt.active_on)))
    sorts = {"id": o.id, "name": o.name_ru, "code": o.code, "level": o.level, "kind": o.kind, "city": o.city}
    total, rows = page_of(session, select(Office), where, sorts, page, o.id)
    return total, [r[0] for r in rows]


# ============================================================================= people


@dataclass(frozen=True)
class PeopleFilter:
    """`q`: words in the name or e-mail; an office (with the offices below it unless `exact`);
    a position; working or not."""

    q: str = ""
    office_id: int | None = None
    subtree: bool = False
    position: str | None = None
    active: bool | None = None


PEOPLE_SORTS = ("full_name", "position", "office", "active")


def list_people(session: Session, actor: Actor, flt: PeopleFilter, page: Page) -> tuple[int, list[Person]]:
    """Staff in the actor's scope (their office and the offices below it)."""
    actor.require(Permission.SIGNED_IN)
    p = people.c
    where = [in_scope(p.office_id, actor), contains(session, (p.full_name, p.email), flt.q),
             _office_condition(session, p.office_id, flt.office_id, flt.subtree)]
    if _choice(flt.position, POSITION_LABELS, "position"):
        where.append(p.position == flt.position)
    if flt.active is not None:
        where.append(p.active.is_(flt.active))
    sorts = {"office_id": (p.office_id, p.full_name), "full_name": p.full_name, "position": p.position,
             "active": p.active, "office": _OFFICE_NAME.where(offices.c.id == p.office_id).scalar_subquery()}
    total, rows = page_of(session, select(Person), where, sorts, page, p.id)
    return total, [r[0] for r in rows]


# ================================================================== acting assignments


@dataclass(frozen=True)
class ActingFilter:
    """`q`: words in the person's name or the basis; a person; an office; the position acted for;
    `on`: only assignments in effect on that day."""

    q: str = ""
    person_id: int | None = None
    office_id: int | None = None
    subtree: bool = False
    acting_for: str | None = None
    on: date | None = None


ACTING_SORTS = ("person", "acting_for", "office", "date_from", "date_to")


def list_acting(session: Session, actor: Actor, flt: ActingFilter, page: Page
                ) -> tuple[int, list[ActingAssignment]]:
    actor.require(Permission.SIGNED_IN)
    a = acting_assignments.c
    person_name = _PERSON_NAME.where(people.c.id == a.person_id).scalar_subquery()
    where = [in_scope(a.office_id, actor), contains(session, (person_name, a.basis), flt.q),
             _office_condition(session, a.office_id, flt.office_id, flt.subtree),
             _period_on(a.date_from, a.date_to, flt.on)]
    if flt.person_id is not None:
        where.append(a.person_id == flt.person_id)
    if _choice(flt.acting_for, POSITION_LABELS, "acting_for"):
        where.append(a.acting_for == flt.acting_for)
    sorts = {"person": person_name, "acting_for": a.acting_for, "date_from": a.date_from, "date_to": a.date_to,
             "office": _OFFICE_NAME.where(offices.c.id == a.office_id).scalar_subquery()}
    total, rows = page_of(session, select(ActingAssignment), where, sorts, page, a.id)
    return total, [r[0] for r in rows]


# ===================================================================== zonal assignments


@dataclass(frozen=True)
class ZoneFilter:
    """`q`: words in the prosecutor's name; a person; the zone (with the offices below it unless
    `exact`); an area of I.68 (assignments to all areas cover it); `on`: only assignments in effect
    on that day."""

    q: str = ""
    person_id: int | None = None
    office_id: int | None = None
    subtree: bool = False
    area: str | None = None
    on: date | None = None


ZONE_SORTS = ("person", "zone", "date_from", "date_to")


def list_zones(session: Session, actor: Actor, flt: ZoneFilter, page: Page) -> tuple[int, list[ZoneAssignment]]:
    actor.require(Permission.SIGNED_IN)
    z = zone_assignments.c
    person_name = _PERSON_NAME.where(people.c.id == z.person_id).scalar_subquery()
    where = [in_scope(z.zone_office_id, actor), contains(session, (person_name,), flt.q),
             _office_condition(session, z.zone_office_id, flt.office_id, flt.subtree),
             _period_on(z.date_from, z.date_to, flt.on)]
    if flt.person_id is not None:
        where.append(z.person_id == flt.person_id)
    if _choice(flt.area, SUBJECT_AREAS, "area"):
        # `areas` is a JSON list of codes (letters and "_"): its text holds the code in quotes; an
        # assignment to every area («all») covers this one too (`ZoneAssignment.covers_area`)
        text = cast(z.areas, String)
        where.append(or_(text.like(f'%"{flt.area}"%'), text.like('%"all"%')))
    sorts = {"id": z.id, "person": person_name, "date_from": z.date_from, "date_to": z.date_to,
             "zone": _OFFICE_NAME.where(offices.c.id == z.zone_office_id).scalar_subquery()}
    total, rows = page_of(session, select(ZoneAssignment), where, sorts, page, z.id)
    return total, [r[0] for r in rows]
