"""The working calendar over HTTP: a day (public) and the administrator's days (overrides)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.calendar import service as calendar_admin
from nadzor.calendar.schemas import CalendarChangeOut, CalendarDayOut, CalendarOverrideOut
from nadzor.calendar.service import CalendarDayIn
from nadzor.infra.context import Actor, Permission
from nadzor.web.api import on_date
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, current_actor, platform

router = APIRouter(prefix="/api/v1")
P = Permission

@endpoint(router, "GET", "/calendar/{day}", P.PUBLIC, summary="День рабочего календаря")
def calendar_day(day: str, request: Request) -> CalendarDayOut:
    """Whether a day is working, with the source that decided it."""
    cal = platform(request).calendar()
    answer = rules.evaluate("calendar.working_day", {"date": day}, calendar=cal)
    entry = cal.entry(date.fromisoformat(day))
    return CalendarDayOut.model_validate(
        {"date": day, **answer["result"], "source": entry.source if entry else "пятидневная рабочая неделя"})


# ------------------------------------------------------------------- calendar administration


@endpoint(router, "GET", "/calendar-days", P.SIGNED_IN, summary="Поправки рабочего календаря (база данных)")
def list_calendar_days(actor: Actor = Depends(current_actor), session: Session = DB) -> list[CalendarOverrideOut]:
    return [CalendarOverrideOut.model_validate(calendar_admin.day_dict(d))
            for d in calendar_admin.access_calendar_days(session, actor)]


@endpoint(router, "POST", "/calendar-days", P.MANAGE_CALENDAR, summary="Добавить или изменить день календаря",
          openapi_extra=body(CalendarDayIn))
def set_calendar_day(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> CalendarChangeOut:
    """Body: `{day, working, name, resolution_number, resolution_date, version?}`; rule
    evaluations see the change once it is committed, and the stored proceedings whose span holds the day are
    restated in the same transaction (`proceedings_moved`: how many moved)."""
    plat = platform(request)
    change = calendar_admin.do_set_calendar_day(session, data, actor=actor, calendar=plat.calendar(),
                                                calendar_of=plat.calendar_in, changed=plat.calendar_changed)
    return CalendarChangeOut.model_validate(calendar_admin.day_dict(change.item) | {"proceedings_moved": change.moved})


@endpoint(router, "DELETE", "/calendar-days/{day}", P.MANAGE_CALENDAR, summary="Удалить поправку календаря",
          status_code=204)
def remove_calendar_day(day: str, request: Request, version: int | None = None,
                        actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    plat = platform(request)
    calendar_admin.do_remove_calendar_day(session, on_date(request, day, "day"), version, actor=actor,
                                          calendar_of=plat.calendar_in, changed=plat.calendar_changed)
    return Response(status_code=204)
