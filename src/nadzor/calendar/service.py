"""Calendar administration: the database layer of the working calendar (on top of the
`holidays` package and the administrator's file). Changes are audited and seen by rule
evaluations as soon as they are committed (the cached calendar is refreshed as after-commit work
of the unit of work)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.calendar.tables import calendar_days
from nadzor.domain.accounts import CalendarDay
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.infra.context import Actor, Permission
from nadzor.infra.db.engine import after_commit
from nadzor.infra.errors import Message, NotFound
from nadzor.org.service import check_version, parse
from nadzor.rules.base import Input, LegalDate, PlainDate


class CalendarDayIn(Input):
    """`day` must lie within the calendar's covered years (validated with the calendar in the
    context); the resolution that decided it may be older."""

    day: LegalDate
    working: bool = Field(strict=True)
    name: str = Field(min_length=1, max_length=300)
    resolution_number: str = Field(min_length=1, max_length=80)
    resolution_date: PlainDate
    version: int | None = None


def day_dict(item: CalendarDay) -> dict[str, Any]:
    return {"id": item.id, "day": item.day.isoformat(), "working": item.working, "name": item.name,
            "resolution_number": item.resolution_number, "resolution_date": item.resolution_date.isoformat(),
            "version": item.version}


def source_of(item: CalendarDay) -> str:
    return f"постановление Правительства РК от {item.resolution_date:%d.%m.%Y} № {item.resolution_number}"


def database_layer(session: Session) -> list[DayEntry]:
    items = session.scalars(select(CalendarDay).order_by(calendar_days.c.day)).all()
    out = []
    for item in items:
        out.append(DayEntry(item.day, item.working, item.name, source_of(item)))
    return out


def access_calendar_days(session: Session, actor: Actor) -> list[CalendarDay]:
    actor.require(Permission.SIGNED_IN)
    return list(session.scalars(select(CalendarDay).order_by(calendar_days.c.day)))


@dataclass(frozen=True)
class DayChange:
    """A changed day and how many stored proceedings it moved (PROCEEDINGS.md «Calendar changes»)."""

    item: CalendarDay
    moved: int


#: Builds the calendar as the transaction sees it (the changed day included).
CalendarOf = Callable[[Session], WorkingCalendar]


def _restate(session: Session, day: date, calendar_of: CalendarOf, actor: Actor) -> int:
    """Re-replay, in the change's transaction, every stored proceeding whose span holds the day."""
    from nadzor.casework.service import restate_for_day

    return restate_for_day(session, day, calendar=calendar_of(session), actor=actor)


def do_set_calendar_day(session: Session, data: Any, *, actor: Actor, calendar: WorkingCalendar,
                        calendar_of: CalendarOf, changed: Callable[[], None]) -> DayChange:
    """Add or override one day (by date, within the covered years of `calendar`) with the
    Government resolution that decided it; the proceedings it moves are restated at once, and
    `changed` (the cached calendar's refresh) runs once the change is committed."""
    actor.require(Permission.MANAGE_CALENDAR)
    cmd: CalendarDayIn = parse(CalendarDayIn, data, context={"calendar": calendar})
    item = session.scalars(select(CalendarDay).where(calendar_days.c.day == cmd.day)).first()
    if item is None:
        item = CalendarDay(day=cmd.day, working=cmd.working, name=cmd.name, resolution_number=cmd.resolution_number,
                           resolution_date=cmd.resolution_date)
        session.add(item)
        before = None
    else:
        check_version("Поправка календаря", item, cmd.version)
        before = day_dict(item)
        item.working, item.name = cmd.working, cmd.name
        item.resolution_number, item.resolution_date = cmd.resolution_number, cmd.resolution_date
        if day_dict(item) == before:
            return DayChange(item, 0)  # the same values again: nothing changes, nothing is written (finding 17)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CALENDAR_DAY_SET, object_type="calendar_day",
                 object_id=cmd.day.isoformat(), before=before, after=day_dict(item))
    after_commit(session, changed)
    return DayChange(item, _restate(session, cmd.day, calendar_of, actor))


def do_remove_calendar_day(session: Session, day: date, version: int | None, *, actor: Actor,
                           calendar_of: CalendarOf, changed: Callable[[], None]) -> int:
    """Remove an override; returns how many stored proceedings the change moved. `changed` runs
    once the removal is committed."""
    actor.require(Permission.MANAGE_CALENDAR)
    item = session.scalars(select(CalendarDay).where(calendar_days.c.day == day)).first()
    if item is None:
        raise NotFound(Message("поправка календаря на %(day)s", day=day.isoformat()))
    check_version("Поправка календаря", item, version)
    before = day_dict(item)
    session.delete(item)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CALENDAR_DAY_REMOVED, object_type="calendar_day",
                 object_id=day.isoformat(), before=before)
    after_commit(session, changed)
    return _restate(session, day, calendar_of, actor)
