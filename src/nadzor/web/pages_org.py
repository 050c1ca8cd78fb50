"""The lists of the organization and of accounts (issue 7 §1, §6), each written with the generic list
of `web/listing.py`: offices (a searchable, collapsible tree, or a table), people, acting assignments,
zonal assignments (I.68) and user accounts — search, filters, sortable columns, numbered pages with a
page size, CSV and XLSX export of exactly what is filtered; and the record pages that had none (an
acting assignment, a zonal assignment, an account), each with its «История» tab."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from nadzor.domain.accounts import User
from nadzor.domain.org import KIND_LABELS, LEVEL_LABELS, POSITION_LABELS, SUBJECT_AREAS, Office
from nadzor.services import accounts, audit, org, org_lists
from nadzor.services.context import Actor, Permission
from nadzor.web import listing
from nadzor.web.listing import N_, Asked, Column, Filter, ListSpec, Shown, ru_date
from nadzor.web.pages_audit import history
from nadzor.web.pages_proceedings import translator
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
#: The record pages, included after `pages.py` (whose `/acting/new` is not a record's id).
records = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
_POSITIONS = tuple(POSITION_LABELS.items())
_ACTIVE = (("yes", N_("работает")), ("no", N_("не работает")))


def page(method: str, path: str, permission: Permission) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(router, method, path, permission, response_class=HTMLResponse)


def record(path: str, permission: Permission) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(records, "GET", path, permission, response_class=HTMLResponse)


def _offices(session: Session) -> dict[int, Office]:
    return {o.id: o for o in org.all_offices(session) if o.id is not None}


def _office_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return sorted(((str(i), o.name_ru) for i, o in _offices(session).items() if actor.sees_office(i)),
                  key=lambda x: x[1])


def _people_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [(str(p.id), p.full_name) for p in sorted(org.access_people(session, actor), key=lambda p: p.full_name)]


def _list_page(request: Request, template: str, a: Asked, total: int, *,
               options: dict[str, Sequence[tuple[str, str]]], keep: dict[str, str] | None = None,
               **context: Any) -> Response:
    view = listing.shown(a, total, options=options, keep=keep)
    if not isinstance(view, Shown):
        return view
    return render(request, template, 422 if a.errors else 200, L=view, **context)


def _today(request: Request) -> date:
    return platform_of(request).today()


# ============================================================================ offices

OFFICES = ListSpec(
    "/offices", N_("Прокуратуры"),
    columns=(Column("name", N_("Наименование")), Column("code", N_("Код")), Column("level", N_("Уровень")),
             Column("kind", N_("Вид")), Column("city", N_("Место дислокации"))),
    filters=(Filter("q", N_("Поиск по наименованию, коду, городу")),
             Filter("level", N_("Уровень"), "choice", tuple(LEVEL_LABELS.items())),
             Filter("kind", N_("Вид"), "choice", tuple(KIND_LABELS.items())),
             Filter("on", N_("Наименования по состоянию на"), "date")),
    sort="name")


def _office_filter(a: Asked) -> org_lists.OfficeFilter:
    return org_lists.OfficeFilter(q=a.typed["q"] or "", level=a.typed["level"], kind=a.typed["kind"])


def _tree(items: list[Office], matched: set[int] | None) -> dict[int | None, list[Office]]:
    """Children by parent; with a search, only the matches and the offices above them."""
    by_id = {o.id: o for o in items}
    keep: set[int | None] | None = None
    if matched is not None:
        keep = set()
        for office_id in matched:
            current: int | None = office_id
            while current is not None and current not in keep:
                keep.add(current)
                current = by_id[current].parent_id if current in by_id else None
    children: dict[int | None, list[Office]] = {}
    for o in sorted(items, key=lambda o: o.name_ru):
        if keep is None or o.id in keep:
            children.setdefault(o.parent_id, []).append(o)
    return children


@page("GET", "/offices", P.SIGNED_IN)
def offices_page(request: Request, view: str = "tree", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    a = listing.asked(OFFICES, request.query_params)
    day = a.typed["on"] or _today(request)
    flt = _office_filter(a)
    searching = bool(flt.q or flt.level or flt.kind)
    table = view == "table"
    total, rows = org_lists.list_offices(session, actor, flt, a.page(export=not table))
    everything = org.all_offices(session)
    children = _tree(everything, {o.id for o in rows if o.id is not None} if searching else None)
    return _list_page(request, "offices.html", a, total, options={}, keep={"view": "table" if table else ""},
                      rows=rows if table else [], children=children, on=day, table=table, searching=searching,
                      count=len(everything))


@page("GET", "/offices/export", P.SIGNED_IN)
def offices_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    a = listing.asked(OFFICES, request.query_params)
    a.refuse()
    _total, rows = org_lists.list_offices(session, actor, _office_filter(a), a.page(export=True))
    offices = _offices(session)
    day = a.typed["on"] or _today(request)
    table = [("Наименование", "Код", "Вышестоящая прокуратура", "Уровень", "Вид", "Место дислокации",
              "Наименование (каз.)", "Действует с", "Действует по")]
    table += [(o.name_on(day), o.code, offices[o.parent_id].name_ru if o.parent_id in offices else "",
               LEVEL_LABELS[o.level], KIND_LABELS[o.kind], o.city, o.name_kk, ru_date(o.valid_from),
               ru_date(o.valid_to)) for o in rows]
    return listing.exported(table, title="Прокуратуры", filename="offices", format=format)


# ============================================================================= people

PEOPLE = ListSpec(
    "/people", N_("Сотрудники"),
    columns=(Column("full_name", N_("ФИО")), Column("position", N_("Должность")),
             Column("office", N_("Прокуратура")), Column("active", N_("Статус"))),
    filters=(Filter("q", N_("Поиск по ФИО или почте")), Filter("office_id", N_("Прокуратура"), "id"),
             Filter("exact", N_("без нижестоящих"), "flag"), Filter("position", N_("Должность"), "choice", _POSITIONS),
             Filter("active", N_("Статус"), "choice", _ACTIVE)),
    sort="full_name")


def _people_filter(a: Asked) -> org_lists.PeopleFilter:
    active = a.typed["active"]
    return org_lists.PeopleFilter(q=a.typed["q"] or "", office_id=a.typed["office_id"], subtree=not a.typed["exact"],
                                  position=a.typed["position"], active=None if active is None else active == "yes")


@page("GET", "/people", P.SIGNED_IN)
def people_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    a = listing.asked(PEOPLE, request.query_params)
    total, rows = org_lists.list_people(session, actor, _people_filter(a), a.page())
    return _list_page(request, "people.html", a, total, options={"office_id": _office_options(session, actor)},
                      people=rows, offices=_offices(session))


@page("GET", "/people/export", P.SIGNED_IN)
def people_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    a = listing.asked(PEOPLE, request.query_params)
    a.refuse()
    _total, rows = org_lists.list_people(session, actor, _people_filter(a), a.page(export=True))
    offices = _offices(session)
    table = [("ФИО", "Должность", "Прокуратура", "Электронная почта", "Статус")]
    table += [(p.full_name, POSITION_LABELS[p.position], offices[p.office_id].name_ru, p.email,
               "работает" if p.active else "не работает") for p in rows]
    return listing.exported(table, title="Сотрудники", filename="people", format=format)


# ============================================================================ acting

ACTING = ListSpec(
    "/acting", N_("Исполнение обязанностей"),
    columns=(Column("person", N_("Сотрудник")), Column("acting_for", N_("Исполняет обязанности")),
             Column("office", N_("Прокуратура")), Column("date_from", N_("С")), Column("date_to", N_("По")),
             Column("basis", N_("Основание"), sortable=False)),
    filters=(Filter("q", N_("Поиск по ФИО или основанию")), Filter("person_id", N_("Сотрудник"), "id"),
             Filter("office_id", N_("Прокуратура"), "id"), Filter("exact", N_("без нижестоящих"), "flag"),
             Filter("acting_for", N_("Исполняет обязанности по должности"), "choice", _POSITIONS),
             Filter("on", N_("Действует на дату"), "date")),
    sort="date_from", descending=True)


def _acting_filter(a: Asked) -> org_lists.ActingFilter:
    return org_lists.ActingFilter(q=a.typed["q"] or "", person_id=a.typed["person_id"],
                                  office_id=a.typed["office_id"], subtree=not a.typed["exact"],
                                  acting_for=a.typed["acting_for"], on=a.typed["on"])


@page("GET", "/acting", P.SIGNED_IN)
def acting_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    a = listing.asked(ACTING, request.query_params)
    total, rows = org_lists.list_acting(session, actor, _acting_filter(a), a.page())
    names = org.people_names(session, actor, {r.person_id for r in rows})
    return _list_page(request, "acting.html", a, total,
                      options={"office_id": _office_options(session, actor),
                               "person_id": _people_options(session, actor)},
                      items=rows, names=names, offices=_offices(session), today=_today(request))


@page("GET", "/acting/export", P.SIGNED_IN)
def acting_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    a = listing.asked(ACTING, request.query_params)
    a.refuse()
    _total, rows = org_lists.list_acting(session, actor, _acting_filter(a), a.page(export=True))
    names = org.people_names(session, actor, {r.person_id for r in rows})
    offices = _offices(session)
    table = [("Сотрудник", "Исполняет обязанности", "Прокуратура", "С", "По", "Основание")]
    table += [(names.get(r.person_id, ""), POSITION_LABELS[r.acting_for], offices[r.office_id].name_ru,
               ru_date(r.date_from), ru_date(r.date_to), r.basis) for r in rows]
    return listing.exported(table, title="Исполнение обязанностей", filename="acting", format=format)


@record("/acting/{item_id}", P.SIGNED_IN)
def acting_record(request: Request, item_id: int, tab: str = "", actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    item = org.access_acting_item(session, actor, item_id)
    offices = _offices(session)
    names = org.people_names(session, actor, {item.person_id})
    facts = [(N_("Сотрудник"), names.get(item.person_id, "—"),
              f"/people/{item.person_id}" if item.person_id in names else ""),
             (N_("Исполняет обязанности по должности"), POSITION_LABELS[item.acting_for], ""),
             (N_("В прокуратуре"), offices[item.office_id].name_ru, f"/offices/{item.office_id}"),
             (N_("Период"), f"{ru_date(item.date_from)} — {ru_date(item.date_to)}", ""),
             (N_("Основание (приказ)"), item.basis, "")]
    return render(request, "record.html", title=N_("Исполнение обязанностей"),
                  heading=f"{names.get(item.person_id, '')} — {POSITION_LABELS[item.acting_for]}", facts=facts,
                  edit=f"/acting/{item.id}/edit", back=("/acting", N_("Исполнение обязанностей")),
                  **history(request, session, actor, "acting", item.id, tab))


# ============================================================================= zones

ZONES = ListSpec(
    "/zones", N_("Закрепления зон"),
    columns=(Column("person", N_("Сотрудник")), Column("zone", N_("Зона")),
             Column("areas", N_("Направления"), sortable=False), Column("date_from", N_("С")),
             Column("date_to", N_("По"))),
    filters=(Filter("q", N_("Поиск по ФИО")), Filter("person_id", N_("Сотрудник"), "id"),
             Filter("zone_office_id", N_("Зона"), "id"), Filter("exact", N_("без нижестоящих"), "flag"),
             Filter("zone_area", N_("Направление"), "choice", tuple(SUBJECT_AREAS.items())),
             Filter("active_on", N_("Действует на дату"), "date")),
    sort="person", other_labels=(("area", N_("Направление")), ("on", N_("Дата"))))


def _zone_filter(a: Asked) -> org_lists.ZoneFilter:
    return org_lists.ZoneFilter(q=a.typed["q"] or "", person_id=a.typed["person_id"],
                                office_id=a.typed["zone_office_id"], subtree=not a.typed["exact"],
                                area=a.typed["zone_area"], on=a.typed["active_on"])


@page("GET", "/zones", P.SIGNED_IN)
def zones_page(request: Request, office_id: int | None = None, area: str = "all", on: str | None = None,
               actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    a = listing.asked(ZONES, request.query_params)
    day = _today(request)
    route_errors = []
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            route_errors.append({"field": "on", "message": "введите существующую дату (ДД.ММ.ГГГГ)"})
    if area not in SUBJECT_AREAS:
        route_errors.append({"field": "area", "message": "выберите значение из списка"})
    route = None
    if office_id is not None and not route_errors:
        route = org.access_zone_route(session, actor, office_id, area, day)
    a.errors.extend(route_errors)
    total, rows = org_lists.list_zones(session, actor, _zone_filter(a), a.page())
    names = org.people_names(session, actor, {r.person_id for r in rows})
    options = _office_options(session, actor)
    keep = {"office_id": str(office_id) if office_id is not None else "", "area": area if area != "all" else "",
            "on": on or ""}
    return _list_page(request, "zones.html", a, total,
                      options={"zone_office_id": options, "person_id": _people_options(session, actor)},
                      keep=keep, items=rows, names=names, offices=_offices(session), route=route,
                      office_options=options, office_id=office_id, area=area, on=day)


@page("GET", "/zones/export", P.SIGNED_IN)
def zones_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    a = listing.asked(ZONES, request.query_params)
    a.refuse()
    _total, rows = org_lists.list_zones(session, actor, _zone_filter(a), a.page(export=True))
    names = org.people_names(session, actor, {r.person_id for r in rows})
    offices = _offices(session)
    table = [("Сотрудник", "Зона", "Направления", "С", "По")]
    table += [(names.get(z.person_id, ""), offices[z.zone_office_id].name_ru,
               ", ".join(SUBJECT_AREAS[x] for x in z.areas), ru_date(z.date_from), ru_date(z.date_to)) for z in rows]
    return listing.exported(table, title="Закрепления зон", filename="zones", format=format)


@record("/zones/{item_id}", P.SIGNED_IN)
def zone_record(request: Request, item_id: int, tab: str = "", actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    item = org.access_zone(session, actor, item_id)
    offices = _offices(session)
    names = org.people_names(session, actor, {item.person_id})
    facts = [(N_("Сотрудник"), names.get(item.person_id, "—"),
              f"/people/{item.person_id}" if item.person_id in names else ""),
             (N_("Зона (нижестоящая прокуратура)"), offices[item.zone_office_id].name_ru,
              f"/offices/{item.zone_office_id}"),
             (N_("Предметные направления"), ", ".join(SUBJECT_AREAS[x] for x in item.areas), ""),
             (N_("Период"), f"{ru_date(item.date_from)} — {ru_date(item.date_to) or '…'}", "")]
    return render(request, "record.html", title=N_("Закрепление зоны"),
                  heading=f"{names.get(item.person_id, '')} — {offices[item.zone_office_id].name_ru}", facts=facts,
                  edit=f"/zones/{item.id}/edit", back=("/zones", N_("Закрепления зон")),
                  **history(request, session, actor, "zone", item.id, tab))


# ============================================================================ accounts

USERS = ListSpec(
    "/users", N_("Пользователи"),
    columns=(Column("login", N_("Логин")), Column("person", N_("Сотрудник")), Column("role", N_("Роль")),
             Column("status", N_("Статус"))),
    filters=(Filter("q", N_("Поиск по логину или ФИО")),
             Filter("role", N_("Роль"), "choice", (("admin", N_("администратор")), ("user", N_("пользователь")))),
             Filter("status", N_("Статус"), "choice", (("active", N_("действует")), ("disabled", N_("отключена")),
                                                       ("locked", N_("вход замедлен"))))),
    sort="login")


def _users(request: Request, session: Session, actor: Actor, a: Asked, *, export: bool) -> tuple[int, list[User]]:
    flt = accounts.UserFilter(q=a.typed["q"] or "", role=a.typed["role"], status=a.typed["status"])
    return accounts.list_users(session, actor, flt, a.page(export=export), now=audit.now_utc())


@page("GET", "/users", P.MANAGE_USERS)
def users_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    a = listing.asked(USERS, request.query_params)
    total, rows = _users(request, session, actor, a, export=False)
    names = org.people_names(session, actor, {u.person_id for u in rows if u.person_id is not None})
    return _list_page(request, "users.html", a, total, options={}, users=rows, names=names, now=audit.now_utc())


@page("GET", "/users/export", P.MANAGE_USERS)
def users_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    a = listing.asked(USERS, request.query_params)
    a.refuse()
    _total, rows = _users(request, session, actor, a, export=True)
    names = org.people_names(session, actor, {u.person_id for u in rows if u.person_id is not None})
    now = audit.now_utc()
    table = [("Логин", "Сотрудник", "Роль", "Статус", "Язык интерфейса")]
    table += [(u.login, names.get(u.person_id, "") if u.person_id else "",
               "администратор" if u.is_admin else "пользователь",
               "отключена" if not u.active else ("вход замедлен" if u.locked_at(now) else "действует"),
               "Қазақша" if u.language == "kk" else "Русский") for u in rows]
    return listing.exported(table, title="Пользователи", filename="users", format=format)


@record("/users/{user_id}", P.MANAGE_USERS)
def user_record(request: Request, user_id: int, tab: str = "", actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    user = accounts.access_user(session, actor, user_id)
    names = org.people_names(session, actor, {user.person_id} if user.person_id else set())
    now, t = audit.now_utc(), translator(request)
    status = (N_("отключена") if not user.active else N_("вход замедлен") if user.locked_at(now) else N_("действует"))
    facts = [(N_("Логин"), user.login, ""),
             (N_("Сотрудник"), names.get(user.person_id, "—") if user.person_id else "—",
              f"/people/{user.person_id}" if user.person_id in names else ""),
             (N_("Роль"), t(N_("администратор") if user.is_admin else N_("пользователь")), ""),
             (N_("Статус"), t(status), ""),
             (N_("Язык интерфейса"), "Қазақша" if user.language == "kk" else "Русский", "")]
    return render(request, "record.html", title=N_("Учётная запись"), heading=user.login, facts=facts,
                  edit=f"/users/{user.id}/edit", back=("/users", N_("Пользователи")),
                  **history(request, session, actor, "user", user.id, tab))

