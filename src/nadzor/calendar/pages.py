"""The working calendar's page: a year of the calendar, and the administrator's days (with confirmation)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.calendar import service as calendar_admin
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput, Message, NotFound
from nadzor.web.forms import FormField
from nadzor.web.pages import confirm_page, confirmed, html_routes, posted_version, save_form, see_other
from nadzor.web.routing import FORM
from nadzor.web.security import DB, current_actor
from nadzor.web.security import platform as platform_of
from nadzor.web.security import today as request_today
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import N_

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
page = html_routes(router)
P = Permission

MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь",
          "Декабрь")


# ============================================================================ calendar


CALENDAR_FIELDS = (
    FormField("day", "Дата", "date", required=True),
    FormField("working", "Рабочий день", "checkbox", help="Отметьте для рабочей субботы; снимите для выходного"),
    FormField("name", "Название (праздник, перенос)", required=True),
    FormField("resolution_number", "Номер постановления Правительства РК", required=True),
    FormField("resolution_date", "Дата постановления", "date", required=True),
)


@page("GET", "/calendar", P.SIGNED_IN)
def calendar_page(request: Request, year: int | None = None, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    """The working calendar of a covered year (2018 .. the clock's year + 1): links only to covered
    years, another year answered with a page that says which are covered; today highlighted."""
    cal = platform_of(request).calendar()
    today = request_today(request)
    covered = (cal.coverage_start.year, cal.coverage_end.year)
    year = today.year if year is None else year
    if not covered[0] <= year <= covered[1]:
        t = translator(request)
        return render(request, "error.html", 404, title=t(N_("Календарь на этот год не ведётся")),
                      message=t(N_("Рабочий календарь ведётся на %(first)s–%(last)s годы.")) % {
                          "first": covered[0], "last": covered[1]},
                      links=[(f"/calendar?year={y}", str(y)) for y in range(covered[0], covered[1] + 1)])
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        days = []
        day = first
        while day.month == month:
            days.append((day, cal.is_working_day(day), cal.day_name(day)))
            day += timedelta(days=1)
        months.append((MONTHS[month - 1], first.weekday(), days))
    entries = [e for e in cal.entries() if e.day.year == year]
    overrides = calendar_admin.access_calendar_days(session, actor)
    return render(request, "calendar.html", year=year, months=months, entries=entries, overrides=overrides,
                  fields=CALENDAR_FIELDS, values={}, errors={}, years=range(covered[0], covered[1] + 1), today=today)


@page("POST", "/calendar/days", P.MANAGE_CALENDAR)
def calendar_set(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    def act(data: dict[str, Any]) -> Any:
        plat = platform_of(request)
        change = calendar_admin.do_set_calendar_day(session, data, actor=actor, calendar=plat.calendar(),
                                                    calendar_of=plat.calendar_in, changed=plat.calendar_changed)
        return change.item

    return save_form(request, session, form, fields=CALENDAR_FIELDS, action=act,
                 done=lambda item: f"/calendar?year={item.day.year}", title="Поправка рабочего календаря",
                 cancel="/calendar")


def _day_param(day: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise InvalidInput.one("day", "ожидается дата в формате ГГГГ-ММ-ДД") from None


def _calendar_day_confirmation(request: Request, session: Session, actor: Actor, parsed: date,
                               version: int | None) -> Response:
    item = next((o for o in calendar_admin.access_calendar_days(session, actor) if o.day == parsed), None)
    if item is None:
        raise NotFound(Message("поправка календаря на %(day)s", day=parsed.strftime("%d.%m.%Y")))
    t = translator(request)
    return confirm_page(request, title=N_("Удалить поправку календаря?"),
                    question=N_("Поправка будет удалена, день снова станет таким, как его определяют другие "
                                "источники календаря; сроки производств будут пересчитаны."),
                    facts=[(N_("Дата"), parsed.strftime("%d.%m.%Y")),
                           (N_("День"), t("рабочий") if item.working else t("выходной")),
                           (N_("Название"), item.name),
                           (N_("Постановление"), f"№ {item.resolution_number} "
                                             f"{t('от')} {item.resolution_date.strftime('%d.%m.%Y')}")],
                    action=f"/calendar/days/{parsed.isoformat()}/delete", button=N_("Да, удалить поправку"),
                    cancel=f"/calendar?year={parsed.year}", version=item.version if version is None else version)


@page("GET", "/calendar/days/{day}/delete", P.MANAGE_CALENDAR)
def calendar_remove_confirm(request: Request, day: str, actor: Actor = Depends(current_actor),
                            session: Session = DB) -> Response:
    return _calendar_day_confirmation(request, session, actor, _day_param(day), None)


@page("POST", "/calendar/days/{day}/delete", P.MANAGE_CALENDAR)
def calendar_remove(request: Request, day: str, form: FormData = FORM, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
    """Remove an override once confirmed (a post without `confirm` answers the confirmation page)."""
    parsed = _day_param(day)
    version = posted_version(form)
    if not confirmed(form):
        return _calendar_day_confirmation(request, session, actor, parsed, version)
    plat = platform_of(request)
    calendar_admin.do_remove_calendar_day(session, parsed, version, actor=actor,
                                          calendar_of=plat.calendar_in, changed=plat.calendar_changed)
    return see_other(f"/calendar?year={parsed.year}")
