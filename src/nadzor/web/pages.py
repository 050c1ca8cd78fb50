"""The web UI (server-rendered Jinja2 + HTMX): sign-in, the shell, the rule catalogue, the
calendar, the organization and people, acting and zonal assignments, accounts and the audit
trail. Every page states its permission; forms go through the same services as the API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor import rules
from nadzor.accounts import service as accounts
from nadzor.accounts.tables import api_tokens
from nadzor.audit import service as audit
from nadzor.audit.pages import history
from nadzor.calendar import service as calendar_admin
from nadzor.casework.pages import translator
from nadzor.domain.accounts import ApiToken, User
from nadzor.infra import json_input
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound, TooManyAttempts
from nadzor.org import files as org_files
from nadzor.org import service as org
from nadzor.rulebook.forms import (
    PERIOD_ROWS,
    SECTIONS,
    error_label,
    result_rows,
    rule_fields,
    rule_input,
    section_rules,
)
from nadzor.rulebook.regulation import paragraph
from nadzor.rulebook.search import search
from nadzor.web.forms import (
    FormField,
    error_summary,
    errors_by_field,
    form_data,
    typed_value,
    values_of,
)
from nadzor.web.routing import FORM, ShowAgain, endpoint
from nadzor.web.security import (
    DB,
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    client_address,
    current_actor,
    language,
    new_login_csrf,
)
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import local_time, render
from nadzor.web.ui_labels import N_, POSITION_TITLES, area_options, office_name, position_options

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
#: The last page of the audit trail that can be asked for (its offset stays within 64 bits).
MAX_PAGE = 10**9
MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь",
          "Декабрь")


def page(method: str, path: str, permission: Permission) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(router, method, path, permission, response_class=HTMLResponse)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _today(request: Request) -> date:
    """Today in Almaty by the platform's clock."""
    return platform_of(request).today()


def _date_param(request: Request, value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else _today(request)
    except ValueError:
        return _today(request)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _humane(request: Request, errors: list[dict[str, str]], fields: Sequence[FormField] = (),
            data: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Errors as a page shows them: a refused choice asks to choose from the list (never the codes
    it takes), an empty date or number says it is required (not the format it expects), other
    messages are the API's own; each in the interface's language where the catalog has it."""
    t = translator(request)
    kinds = {f.name: (f.kind, f.required) for f in fields}
    out = []
    for e in errors:
        name = e["field"].split(".")[0]
        message = e["message"]
        if name in kinds:
            kind, required = kinds[name]
            empty = (data or {}).get(name) in ("", None)
            if kind in ("select", "int_select", "multicheck"):
                message = N_("выберите значение из списка")
            elif required and empty and kind in ("date", "number", "password"):
                message = N_("обязательное поле не заполнено")
        out.append({**e, "message": t(message)})
    return out


def _save(
    request: Request, session: Session, form: FormData, *, fields: Sequence[FormField],
    action: Callable[[dict[str, Any]], Any], done: Callable[[Any], str], title: str, cancel: str,
    warn: Callable[[dict[str, Any]], list[str]] | None = None,
) -> Response:
    """Post a form through a service `do_*`; on refusal show the form again with the errors (a
    GOV.UK summary linking to the fields; the routing layer rolls the unit of work back: `ShowAgain`).
    `warn` names what is unusual about a valid input: the form comes back once with the warnings and
    saves only when the user confirms."""
    data = form_data(fields, form)
    try:
        json_input.check(data)
        obj = action(data)
        warnings = warn(data) if warn is not None and form.get("confirm") != "yes" else []
        if warnings:  # nothing is kept until the user confirms
            raise ShowAgain(render(request, "form.html", 200, title=title, fields=fields, values=data, errors={},
                                   cancel=cancel, version=data.get("version"), warning=warnings))
    except InvalidInput as exc:
        errors = _humane(request, exc.as_dicts(), fields, data)
        raise ShowAgain(render(request, "form.html", 422, title=title, fields=fields, values=data,
                               errors=errors_by_field(errors), summary=error_summary(fields, errors), cancel=cancel,
                               version=data.get("version"))) from None
    except Conflict as exc:
        raise ShowAgain(render(request, "form.html", 409, title=title, fields=fields, values=data, errors={},
                               message=str(exc), cancel=cancel, version=data.get("version"))) from None
    return _see_other(done(obj))


def _form(request: Request, *, title: str, fields: Sequence[FormField], values: dict[str, Any], cancel: str,
          version: int | None = None) -> Response:
    return render(request, "form.html", title=title, fields=fields, values=values, errors={}, cancel=cancel,
                  version=version)


def _edit_form(request: Request, item: Any, describe: Callable[[Any], dict[str, Any]],
               fields: Sequence[FormField], *, title: str, cancel: str) -> Response:
    """The form of a stored record (one way for every record): its values as the fields show them,
    a choice of records by id as the id's text, and the version it was read at."""
    values = values_of(describe(item), fields)
    for f in fields:
        if f.kind == "int_select":
            chosen = getattr(item, f.name, None)
            values[f.name] = "" if chosen is None else str(chosen)
    return _form(request, title=title, fields=fields, values=values, cancel=cancel, version=item.version)


# ============================================================================ sign-in


@page("GET", "/login", P.PUBLIC)
def login_form(request: Request, next: str = "/") -> Response:
    token = new_login_csrf()
    response = render(request, "login.html", next=_safe_next(next), login_csrf=token, error="")
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=platform_of(request).settings.cookie_secure)
    return response


@page("POST", "/login", P.PUBLIC)
def login(request: Request, form: FormData = FORM) -> Response:
    plat = platform_of(request)
    target = _safe_next(str(form.get("next", "/")))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or cookie != form.get("login_csrf"):
        token = new_login_csrf()
        response = render(request, "login.html", 400, next=target, login_csrf=token,
                          error="Форма устарела: войдите ещё раз")
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=plat.settings.cookie_secure)
        return response
    try:  # the service keeps a failed attempt's count and audit rows in its own unit of work
        token, _web = accounts.sign_in(plat.transaction, form.get("login"), form.get("password"),
                                       passwords=plat.passwords, keys=plat.keys, throttle=plat.sign_ins,
                                       source=client_address(request), hours=plat.settings.session_hours)
    except (AuthenticationFailed, TooManyAttempts, InvalidInput) as exc:
        status = 401 if isinstance(exc, AuthenticationFailed) else 429 if isinstance(exc, TooManyAttempts) else 422
        message = "; ".join(e["message"] for e in exc.as_dicts()) if isinstance(exc, InvalidInput) else str(exc)
        fresh = new_login_csrf()
        shown = form.get("login")
        response = render(request, "login.html", status, next=target, login_csrf=fresh, error=message,
                          login=shown[:80] if isinstance(shown, str) else "")
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        response.set_cookie(LOGIN_CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=plat.settings.cookie_secure)
        return response
    redirect = _see_other(target)
    redirect.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=plat.settings.cookie_secure,
                        max_age=plat.settings.session_hours * 3600)
    redirect.delete_cookie(LOGIN_CSRF_COOKIE)
    return redirect


@page("POST", "/logout", P.SIGNED_IN)
def logout(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    web = request.state.web_session
    if web is not None:
        found = session.merge(web)
        accounts.do_sign_out(session, found, actor=actor)
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@page("GET", "/lang/{code}", P.PUBLIC)
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    response = _see_other(_safe_next(next))
    if code in ("ru", "kk"):
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True,
                            secure=platform_of(request).settings.cookie_secure)
    return response


# ============================================================================ the shell


@page("GET", "/", P.SIGNED_IN)
def home(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    today = _today(request)
    authority = None
    office = org.get_office(session, actor.office_id) if actor.office_id else None
    cal = platform_of(request).calendar()
    if actor.person_id is not None:
        authority = org.access_authority(session, actor, actor.person_id, today, calendar=cal)
    upcoming = [d for d in cal.non_working_in(today, today + timedelta(days=60)) if d.weekday() < 5][:8]
    return render(request, "home.html", today=today, authority=authority, office=office,
                  upcoming=[(d, cal.day_name(d)) for d in upcoming], sections=SECTIONS,
                  rule_count=len(rules.REGISTRY))


@page("GET", "/sections/{section}", P.SIGNED_IN)
def section(request: Request, section: str) -> Response:
    if section not in SECTIONS:
        return render(request, "error.html", 404, title="Раздел не найден", message=f"Нет раздела {section!r}")
    title, _ = SECTIONS[section]
    return render(request, "section.html", section=section, title=title,
                  rules_list=section_rules(section, rules.REGISTRY))


# ============================================================================ rules


@page("GET", "/rules", P.PUBLIC)
def rule_catalogue(request: Request, q: str = "") -> Response:
    """The catalogue, searched by word forms and paragraph numbers (`nadzor.rules.search`)."""
    items = search(rules.REGISTRY.values(), q[:200])
    return render(request, "rules.html", items=items, q=q)


@page("GET", "/rules/{rule_id}", P.PUBLIC)
def rule_page(request: Request, rule_id: str) -> Response:
    rule = rules.get_rule(rule_id)
    texts = [(c, paragraph(c)) for c in rule.citations]
    return render(request, "rule.html", rule=rule, texts=texts, fields=rule_fields(rule),
                  positions=position_options(translator(request)),
                  described=rules.describe(rule, rules.calendar_coverage(platform_of(request).calendar())),
                  period_rows=PERIOD_ROWS)


@page("POST", "/rules/{rule_id}/evaluate", P.PUBLIC)
def rule_evaluate(request: Request, rule_id: str, form: FormData = FORM) -> Response:
    rule = rules.get_rule(rule_id)
    data = rule_input(rule, form)
    t = translator(request)
    try:
        output = rules.evaluate(rule_id, data, calendar=platform_of(request).calendar())
    except InvalidInput as exc:
        errors = [{**e, "label": error_label(e["field"], rule_id, t)} for e in exc.as_dicts()]
        return render(request, "_rule_result.html", 422, output=None, errors=errors, data=data)
    return render(request, "_rule_result.html", output=output, rows=result_rows(output["result"], t), errors=[],
                  data=data)


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
    today = _today(request)
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

    return _save(request, session, form, fields=CALENDAR_FIELDS, action=act,
                 done=lambda item: f"/calendar?year={item.day.year}", title="Поправка рабочего календаря",
                 cancel="/calendar")


def _posted_version(form: FormData) -> int | None:
    raw = str(form.get("version") or "")
    if not raw:
        return None
    version = typed_value("number", raw)
    if not isinstance(version, int) or version < 0:
        raise InvalidInput.one("version", "ожидается целое число")
    json_input.check({"version": version})
    return version


def _confirm(request: Request, *, title: str, question: str, facts: Sequence[tuple[str, str]], action: str,
             button: str, cancel: str, version: int | None) -> Response:
    """The no-JavaScript confirmation of a destructive action, naming the record (issue 7 §6): the
    action's button posts without `confirm` and lands here; this page posts again with it."""
    t = translator(request)
    return render(request, "confirm.html", title=t(title), question=t(question),
                  facts=[(t(label), value) for label, value in facts], action=action, button=t(button),
                  cancel=cancel, version=version)


def _confirmed(form: FormData) -> bool:
    return form.get("confirm") == "yes"


def _day_param(day: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise InvalidInput.one("day", "ожидается дата в формате ГГГГ-ММ-ДД") from None


def _calendar_day_confirmation(request: Request, session: Session, actor: Actor, parsed: date,
                               version: int | None) -> Response:
    item = next((o for o in calendar_admin.access_calendar_days(session, actor) if o.day == parsed), None)
    if item is None:
        raise NotFound(f"поправка календаря на {parsed.strftime('%d.%m.%Y')}")
    t = translator(request)
    return _confirm(request, title=N_("Удалить поправку календаря?"),
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
    version = _posted_version(form)
    if not _confirmed(form):
        return _calendar_day_confirmation(request, session, actor, parsed, version)
    plat = platform_of(request)
    calendar_admin.do_remove_calendar_day(session, parsed, version, actor=actor,
                                          calendar_of=plat.calendar_in, changed=plat.calendar_changed)
    return _see_other(f"/calendar?year={parsed.year}")


# ============================================================================ offices


def _office_options(session: Session, levels: Sequence[str] = ("gpo", "regional", "district")) -> list[tuple[str, str]]:
    return [(o.code, o.name_ru) for o in org.all_offices(session) if o.level in levels]


def office_fields(session: Session) -> tuple[FormField, ...]:
    return (
        FormField("code", "Код", required=True, help="латиница, цифры, точка, дефис: almaty_region.talgar"),
        FormField("parent_code", "Вышестоящая прокуратура", "select",
                  options=[("", "—"), *_office_options(session, ("gpo", "regional"))]),
        FormField("level", "Уровень", "select", options=[("gpo", "Генеральная прокуратура"),
                                                          ("regional", "областной"), ("district", "районный")],
                  required=True),
        FormField("kind", "Вид", "select", options=[("territorial", "территориальная"), ("military", "военная"),
                                                     ("transport", "транспортная"),
                                                     ("environmental", "природоохранная"),
                                                     ("specialized", "специализированная межрайонная")],
                  required=True),
        FormField("name_ru", "Наименование (рус.)", required=True),
        FormField("name_kk", "Наименование (каз.)"),
        FormField("city", "Место дислокации", required=True),
        FormField("valid_from", "Действует с", "date"),
        FormField("valid_to", "Действует по", "date"),
        FormField("former_names", "Прежние наименования (JSON)", "json",
                  help='[{"name": "Прокуратура города Нур-Султан", "valid_from": "2019-03-23", '
                       '"valid_to": "2022-09-16"}]'),
    )


@page("GET", "/offices/new", P.MANAGE_ORG)
def office_new(request: Request, session: Session = DB) -> Response:
    return _form(request, title="Новая прокуратура", fields=office_fields(session),
                 values={"level": "district", "kind": "territorial"}, cancel="/offices")


@page("POST", "/offices/new", P.MANAGE_ORG)
def office_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=office_fields(session),
                 action=lambda data: org.do_create_office(session, data, actor=actor),
                 done=lambda office: f"/offices/{office.id}", title="Новая прокуратура", cancel="/offices")


@page("GET", "/offices/import", P.MANAGE_ORG)
def office_import_form(request: Request) -> Response:
    return render(request, "office_import.html", result=None, summary=[])


@page("POST", "/offices/import", P.MANAGE_ORG)
def office_import(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise InvalidInput.one("file", "выберите файл CSV или JSON")
        raw = upload.file.read().decode("utf-8", errors="replace")
        name = (upload.filename or "").lower()
        items = org_files.parse_json(raw) if name.endswith(".json") else org_files.parse_csv(raw)
        result = org.do_import_offices(session, items, actor=actor)
    except InvalidInput as exc:
        raise ShowAgain(render(request, "office_import.html", 422, result=None,
                               summary=_import_summary(request, exc.as_dicts()))) from None
    return render(request, "office_import.html", result=result, summary=[])


def _import_summary(request: Request, errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """An import's errors by where they are in the file (row and column as the file names them),
    all linking to the file input."""
    t = translator(request)
    out = []
    for e in errors:
        parts = e["field"].split(".")
        if parts[0] == "offices" and len(parts) > 1 and parts[1].isdigit():
            where = t(N_("Строка %(row)s")) % {"row": parts[1]}
            if len(parts) > 2:
                where += ", " + t(N_("столбец «%(column)s»")) % {"column": parts[2]}
        else:
            where = t(N_("Заголовок файла")) if parts[0] == "header" else t(N_("Файл"))
        out.append({"href": "#f-file", "label": where, "message": t(e["message"])})
    return out


@page("GET", "/offices/{office_id}", P.SIGNED_IN)
def office_page(request: Request, office_id: int, on: str | None = None, tab: str = "",
                actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    day = _date_param(request, on)
    office = org.get_office(session, office_id)
    chain = [org.get_office(session, i) for i in reversed(org.tree(session).chain(office_id))]
    subs = [o for o in org.all_offices(session) if o.parent_id == office_id]
    people = org.access_people(session, actor, office_id=office_id) if actor.sees_office(office_id) else []
    return render(request, "office.html", office=office, chain=chain, subs=subs, people=people, on=day,
                  **history(request, session, actor, "office", office_id, tab))


@page("GET", "/offices/{office_id}/edit", P.MANAGE_ORG)
def office_edit(request: Request, office_id: int, session: Session = DB) -> Response:
    office = org.get_office(session, office_id)
    parent = org.get_office(session, office.parent_id) if office.parent_id else None
    fields = office_fields(session)
    return _form(request, title=f"Изменить: {office.name_ru}", fields=fields,
                 values=values_of(org.office_dict(office, parent.code if parent else None), fields),
                 cancel=f"/offices/{office_id}", version=office.version)


@page("POST", "/offices/{office_id}/edit", P.MANAGE_ORG)
def office_update(request: Request, office_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=office_fields(session),
                 action=lambda data: org.do_update_office(session, office_id, data, actor=actor),
                 done=lambda office: f"/offices/{office.id}", title="Изменить прокуратуру",
                 cancel=f"/offices/{office_id}")


# ============================================================================ people


def _office_id_options(session: Session, actor: Actor, request: Request,
                       levels: Sequence[str] = ("gpo", "regional", "district")) -> list[tuple[str, str]]:
    lang = language(request)
    return [(str(o.id), office_name(o, lang)) for o in org.all_offices(session)
            if o.id is not None and actor.sees_office(o.id) and o.level in levels]


def _unusual(request: Request, session: Session, data: dict[str, Any]) -> list[str]:
    t = translator(request)
    return [t(template) % {name: t(part) for name, part in parts.items()}
            for template, parts in org.unusual_acting(session, data)]


def person_fields(session: Session, actor: Actor, request: Request) -> tuple[FormField, ...]:
    return (
        FormField("full_name", "Фамилия, имя, отчество", required=True),
        FormField("position", "Должность", "select", options=position_options(translator(request)), required=True),
        FormField("office_id", "Прокуратура", "int_select", options=_office_id_options(session, actor, request),
                  required=True),
        FormField("email", "Электронная почта"),
        FormField("active", "Работает", "checkbox"),
    )


@page("GET", "/people/new", P.MANAGE_PEOPLE)
def person_new(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _form(request, title="Новый сотрудник", fields=person_fields(session, actor, request),
                 values={"active": True, "position": "prosecutor"}, cancel="/people")


@page("POST", "/people/new", P.MANAGE_PEOPLE)
def person_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=person_fields(session, actor, request),
                 action=lambda data: org.do_create_person(session, data, actor=actor),
                 done=lambda person: f"/people/{person.id}", title="Новый сотрудник", cancel="/people")


@page("GET", "/people/{person_id}", P.SIGNED_IN)
def person_page(request: Request, person_id: int, on: str | None = None, tab: str = "",
                actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    day = _date_param(request, on)
    authority = org.access_authority(session, actor, person_id, day, calendar=platform_of(request).calendar())
    person = org.access_person(session, actor, person_id)
    offices = {o.id: o for o in org.all_offices(session)}
    acting = org.access_acting(session, actor, person_id=person_id)
    zones = [z for z in org.access_zones(session, actor) if z.person_id == person_id]
    return render(request, "person.html", person=person, authority=authority, on=day, offices=offices,
                  acting=acting, zones=zones, **history(request, session, actor, "person", person_id, tab))


@page("GET", "/people/{person_id}/edit", P.MANAGE_PEOPLE)
def person_edit(request: Request, person_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    person = org.access_person(session, actor, person_id)
    return _edit_form(request, person, org.person_dict, person_fields(session, actor, request),
                      title=f"Изменить: {person.full_name}", cancel=f"/people/{person_id}")


@page("POST", "/people/{person_id}/edit", P.MANAGE_PEOPLE)
def person_update(request: Request, person_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=person_fields(session, actor, request),
                 action=lambda data: org.do_update_person(session, person_id, data, actor=actor),
                 done=lambda person: f"/people/{person.id}", title="Изменить сведения о сотруднике",
                 cancel=f"/people/{person_id}")


# ============================================================================ acting


def _people_options(session: Session, actor: Actor, request: Request,
                    levels: Sequence[str] = ("gpo", "regional", "district")) -> list[tuple[str, str]]:
    offices = {o.id: o for o in org.all_offices(session)}
    lang = language(request)
    return [(str(p.id), f"{p.full_name} — {office_name(offices[p.office_id], lang)}")
            for p in org.access_people(session, actor) if offices[p.office_id].level in levels]


#: A consequential choice is never preselected: the select starts at «— выберите —» (issue 7 §6).
CHOOSE = {"choose": True}


def acting_fields(session: Session, actor: Actor, request: Request) -> tuple[FormField, ...]:
    return (
        FormField("person_id", "Сотрудник", "int_select", options=_people_options(session, actor, request),
                  required=True, extra=CHOOSE),
        FormField("acting_for", "Исполняет обязанности по должности", "select",
                  options=position_options(translator(request)), required=True, extra=CHOOSE),
        FormField("office_id", "В прокуратуре", "int_select", options=_office_id_options(session, actor, request),
                  required=True, extra=CHOOSE),
        FormField("date_from", "С", "date", required=True),
        FormField("date_to", "По", "date", required=True),
        FormField("basis", "Основание (приказ)", required=True),
    )


@page("GET", "/acting/new", P.MANAGE_PEOPLE)
def acting_new(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _form(request, title="Возложить исполнение обязанностей", fields=acting_fields(session, actor, request),
                 values={}, cancel="/acting")


@page("POST", "/acting/new", P.MANAGE_PEOPLE)
def acting_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=acting_fields(session, actor, request),
                 action=lambda data: org.do_create_acting(session, data, actor=actor),
                 done=lambda item: f"/people/{item.person_id}", title="Возложить исполнение обязанностей",
                 cancel="/acting", warn=lambda data: _unusual(request, session, data))


@page("GET", "/acting/{item_id}/edit", P.MANAGE_PEOPLE)
def acting_edit(request: Request, item_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return _edit_form(request, org.access_acting_item(session, actor, item_id), org.acting_dict,
                      acting_fields(session, actor, request), title="Изменить исполнение обязанностей",
                      cancel=f"/acting/{item_id}")


@page("POST", "/acting/{item_id}/edit", P.MANAGE_PEOPLE)
def acting_update(request: Request, item_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _save(request, session, form, fields=acting_fields(session, actor, request),
                 action=lambda data: org.do_update_acting(session, item_id, data, actor=actor),
                 done=lambda item: f"/people/{item.person_id}", title="Изменить исполнение обязанностей",
                 cancel="/acting", warn=lambda data: _unusual(request, session, data))


def _acting_confirmation(request: Request, session: Session, actor: Actor, item_id: int,
                         version: int | None) -> Response:
    item = next((a for a in org.access_acting(session, actor) if a.id == item_id), None)
    if item is None:
        raise NotFound(f"исполнение обязанностей {item_id}")
    t = translator(request)
    lang = language(request)
    person = org.access_person(session, actor, item.person_id)
    office = org.get_office(session, item.office_id)
    return _confirm(request, title=N_("Отменить исполнение обязанностей?"),
                    question=N_("Запись будет удалена: сотрудник не будет считаться исполняющим обязанности в "
                                "этот период. Изменение записывается в журнал аудита."),
                    facts=[(N_("Сотрудник"), person.full_name),
                           (N_("Исполняет обязанности по должности"), t(POSITION_TITLES[item.acting_for])),
                           (N_("В прокуратуре"), office_name(office, lang)),
                           (N_("Период"), f"{item.date_from:%d.%m.%Y} — {item.date_to:%d.%m.%Y}"),
                           (N_("Основание (приказ)"), item.basis)],
                    action=f"/acting/{item_id}/delete", button=N_("Да, отменить исполнение обязанностей"),
                    cancel="/acting", version=item.version if version is None else version)


@page("GET", "/acting/{item_id}/delete", P.MANAGE_PEOPLE)
def acting_delete_confirm(request: Request, item_id: int, actor: Actor = Depends(current_actor),
                          session: Session = DB) -> Response:
    return _acting_confirmation(request, session, actor, item_id, None)


@page("POST", "/acting/{item_id}/delete", P.MANAGE_PEOPLE)
def acting_delete(request: Request, item_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    """Cancel an acting assignment once confirmed (a post without `confirm` answers the
    confirmation page naming it)."""
    version = _posted_version(form)
    if not _confirmed(form):
        return _acting_confirmation(request, session, actor, item_id, version)
    org.do_delete_acting(session, item_id, version, actor=actor)
    return _see_other("/acting")


# ============================================================================ zones


def zone_fields(session: Session, actor: Actor, request: Request) -> tuple[FormField, ...]:
    """I.68: the person works in the GPO or a regional office, the zone is an office below theirs;
    neither is preselected, and the lists offer only what can make a valid pair."""
    return (
        FormField("person_id", "Сотрудник (ГП или прокуратура области)", "int_select",
                  options=_people_options(session, actor, request, ("gpo", "regional")), required=True,
                  extra=CHOOSE),
        FormField("zone_office_id", "Зона (нижестоящая прокуратура)", "int_select",
                  options=_office_id_options(session, actor, request, ("regional", "district")), required=True,
                  extra=CHOOSE),
        FormField("areas", "Предметные направления", "multicheck", options=area_options(translator(request))),
        FormField("date_from", "С", "date", required=True),
        FormField("date_to", "По", "date"),
    )


@page("GET", "/zones/new", P.MANAGE_PEOPLE)
def zone_new(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _form(request, title="Закрепить зону (п. 68 Инструкции)", fields=zone_fields(session, actor, request),
                 values={"date_from": _today(request).isoformat()}, cancel="/zones")


@page("POST", "/zones/new", P.MANAGE_PEOPLE)
def zone_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return _save(request, session, form, fields=zone_fields(session, actor, request),
                 action=lambda data: org.do_create_zone(session, data, actor=actor),
                 done=lambda _item: "/zones", title="Закрепить зону (п. 68 Инструкции)", cancel="/zones")


@page("GET", "/zones/{item_id}/edit", P.MANAGE_PEOPLE)
def zone_edit(request: Request, item_id: int, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Response:
    return _edit_form(request, org.access_zone(session, actor, item_id), org.zone_dict,
                      zone_fields(session, actor, request),
                      title="Изменить закрепление зоны", cancel=f"/zones/{item_id}")


@page("POST", "/zones/{item_id}/edit", P.MANAGE_PEOPLE)
def zone_update(request: Request, item_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return _save(request, session, form, fields=zone_fields(session, actor, request),
                 action=lambda data: org.do_update_zone(session, item_id, data, actor=actor),
                 done=lambda _item: "/zones", title="Изменить закрепление зоны", cancel="/zones")


# ============================================================================ accounts


def user_fields(session: Session, actor: Actor, request: Request, *, new: bool) -> tuple[FormField, ...]:
    people = [("", "—"), *_people_options(session, actor, request)]
    common = (
        FormField("person_id", "Сотрудник", "int_select", options=people),
        FormField("is_admin", "Администратор", "checkbox"),
        FormField("is_auditor", "Аудитор (читает журнал аудита, ничего не изменяет)", "checkbox"),
        FormField("language", "Язык интерфейса", "select", options=[("ru", "Русский"), ("kk", "Қазақша")]),
    )
    if new:
        return (FormField("login", "Логин", required=True),
                FormField("password", "Пароль (не менее 10 символов)", "password", required=True), *common)
    return (*common, FormField("active", "Учётная запись действует", "checkbox"),
            FormField("password", "Новый пароль (оставьте пустым, чтобы не менять)", "password"))


@page("GET", "/users/new", P.MANAGE_USERS)
def user_new(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _form(request, title="Новая учётная запись", fields=user_fields(session, actor, request, new=True),
                 values={"language": "ru"}, cancel="/users")


@page("POST", "/users/new", P.MANAGE_USERS)
def user_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    return _save(request, session, form, fields=user_fields(session, actor, request, new=True),
                 action=lambda data: accounts.do_create_user(session, data, actor=actor,
                                                             passwords=plat.passwords),
                 done=lambda _u: "/users", title="Новая учётная запись", cancel="/users")


@page("GET", "/users/{user_id}/edit", P.MANAGE_USERS)
def user_edit(request: Request, user_id: int, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Response:
    user = accounts.access_user(session, actor, user_id)
    return _edit_form(request, user, accounts.user_dict, user_fields(session, actor, request, new=False),
                      title=f"Учётная запись {user.login}", cancel=f"/users/{user_id}")


@page("POST", "/users/{user_id}/edit", P.MANAGE_USERS)
def user_update(request: Request, user_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    return _save(request, session, form, fields=user_fields(session, actor, request, new=False),
                 # The form shows every field: an emptied person is an unlinked one.
                 action=lambda data: accounts.do_update_user(session, user_id, {"person_id": None} | data,
                                                             actor=actor, passwords=plat.passwords),
                 done=lambda _u: "/users", title="Изменить учётную запись", cancel="/users")


@page("POST", "/users/{user_id}/unlock", P.MANAGE_USERS)
def user_unlock(request: Request, user_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    accounts.do_unlock_user(session, user_id, actor=actor, throttle=plat.sign_ins, keys=plat.keys)
    return _see_other("/users")


PASSWORD_FIELDS = (
    FormField("current", N_("Текущий пароль"), "password", required=True),
    FormField("new", N_("Новый пароль"), "password", required=True, help=N_("Не менее 10 символов")),
    FormField("repeat", N_("Новый пароль ещё раз"), "password", required=True),
)


def _account(request: Request, session: Session, actor: Actor, status: int = 200, **context: Any) -> Response:
    tokens = session.query(ApiToken).filter(api_tokens.c.user_id == actor.user_id).order_by(api_tokens.c.id).all()
    values = {"new_token": None, "errors": [], "password_errors": {}, "password_summary": [],
              "password_changed": False} | context
    return render(request, "account.html", status, tokens=tokens, now=audit.now_utc(),
                  password_fields=PASSWORD_FIELDS, **values)


@page("GET", "/account", P.SIGNED_IN)
def account_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _account(request, session, actor, password_changed=request.query_params.get("password") == "changed")


@page("POST", "/account/password", P.SIGNED_IN)
def account_password(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> Response:
    """Change one's own password (current + new twice); the user's other sessions end, this one
    stays (services.accounts.do_change_own_password)."""
    web = request.state.web_session
    data = {f.name: str(form.get(f.name) or "") for f in PASSWORD_FIELDS}
    try:
        accounts.do_change_own_password(session, data, actor=actor, passwords=platform_of(request).passwords,
                                        keep_session_id=web.id if web is not None else None)
    except InvalidInput as exc:
        errors = _humane(request, exc.as_dicts(), PASSWORD_FIELDS, data)
        raise ShowAgain(lambda fresh: _account(request, fresh, actor, 422, password_errors=errors_by_field(errors),
                                               password_summary=error_summary(PASSWORD_FIELDS, errors))) from None
    return _see_other("/account?password=changed")


TOKEN_FIELDS = (FormField("name", N_("Название"), required=True), FormField("days", N_("Дней"), "number"))


@page("POST", "/account/tokens", P.SIGNED_IN)
def account_token(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    user = session.get(User, actor.user_id)
    assert user is not None
    days = str(form.get("days") or "90")
    data: dict[str, Any] = {"name": str(form.get("name", "")), "days": typed_value("number", days)}
    try:
        new_token, _item = accounts.do_create_token(session, user, data, actor=actor, keys=platform_of(request).keys)
    except InvalidInput as exc:
        errors = _humane(request, exc.as_dicts(), TOKEN_FIELDS, data)
        raise ShowAgain(lambda fresh: _account(request, fresh, actor, 422, errors=errors,
                                               token_summary=error_summary(TOKEN_FIELDS, errors),
                                               token_errors=errors_by_field(errors))) from None
    return _account(request, session, actor, new_token=new_token, token_summary=[], token_errors={})


@page("POST", "/account/tokens/{token_id}/revoke", P.SIGNED_IN)
def account_revoke(request: Request, token_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    """Revoke one's own API token once confirmed (the first post answers the confirmation page)."""
    if not _confirmed(form):
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(f"токен {token_id}")
        return _confirm(request, title=N_("Отозвать токен API?"),
                        question=N_("Программы, которые входят с этим токеном, потеряют доступ. Отзыв не отменяется."),
                        facts=[(N_("Название"), token.name), (N_("Выпущен"), local_time(token.created_at)),
                               (N_("Действует до"), local_time(token.expires_at))],
                        action=f"/account/tokens/{token_id}/revoke", button=N_("Да, отозвать токен"),
                        cancel="/account", version=None)
    accounts.do_revoke_token(session, token_id, actor=actor)
    return _see_other("/account")
