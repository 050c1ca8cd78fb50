"""The lists of the organization (issue 7 §1, §6), each written with the generic list of
`web/listing.py`: offices (a searchable, collapsible tree, or a table), people, acting assignments and
zonal assignments (I.68) — search, filters, sortable columns, numbered pages with a page size, CSV and
XLSX export of exactly what is filtered; and the record pages of an acting and a zonal assignment,
each with its «История» tab. `list_routes` and `record_page` serve the accounts' list too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.audit.pages import history
from nadzor.domain.org import KIND_LABELS, LEVEL_LABELS, POSITION_LABELS, SUBJECT_AREAS, Office
from nadzor.infra.context import Actor, Permission
from nadzor.org import lists as org_lists
from nadzor.org import service as org
from nadzor.web import listing
from nadzor.web.listing import N_, Asked, Column, Filter, ListSpec, Shown, ru_date
from nadzor.web.pages import html_routes
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor, language
from nadzor.web.security import today as request_today
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import AREA_TITLES, office_name

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
#: The record pages, included after `pages.py` (whose `/acting/new` is not a record's id).
records = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
page = html_routes(router)
_POSITIONS = tuple(POSITION_LABELS.items())
_ACTIVE = (("yes", N_("работает")), ("no", N_("не работает")))


def record(path: str, permission: Permission) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(records, "GET", path, permission, response_class=HTMLResponse)


def _offices(session: Session) -> dict[int, Office]:
    return {o.id: o for o in org.all_offices(session) if o.id is not None}


def _office_options(session: Session, actor: Actor, lang: str = "ru") -> list[tuple[str, str]]:
    return sorted(((str(i), office_name(o, lang)) for i, o in _offices(session).items() if actor.sees_office(i)),
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


@dataclass(frozen=True)
class ListPage:
    """One list of this module: its spec, who may see it, how its rows are read (`export`: every row)
    and how one row reads in the spreadsheet."""

    spec: ListSpec
    permission: Permission
    fetch: Callable[[Session, Actor, Asked, bool], tuple[int, Sequence[Any]]]
    header: tuple[str, ...]
    cells: Callable[[dict[str, Any], Any], tuple[str, ...]]
    #: the filters' choices, given the interface's language (offices by their Kazakh names in Kazakh mode)
    options: Callable[[Session, Actor, str], dict[str, Sequence[tuple[str, str]]]] = lambda _s, _a, _l: {}
    choices: Callable[[Session], dict[str, Sequence[tuple[str, str]]]] = lambda _s: {}


def _lookups(request: Request, session: Session, actor: Actor, rows: Sequence[Any]) -> dict[str, Any]:
    """What rows refer to, by id: the offices, the names of the people the actor may see, today and now."""
    ids = {r.person_id for r in rows if getattr(r, "person_id", None) is not None}
    return {"offices": _offices(session), "names": org.people_names(session, actor, ids),
            "today": request_today(request), "now": audit.now_utc()}


def list_routes(lp: ListPage, template: str = "", on: APIRouter | None = None) -> None:
    """The list's page (unless the module writes its own: no `template`) and its export, on this
    module's router or another context's (`on`)."""
    page = html_routes(on or router)
    if template:
        @page("GET", lp.spec.path, lp.permission)
        def list_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
            a = listing.asked(lp.spec, request.query_params, lp.choices(session))
            total, rows = lp.fetch(session, actor, a, False)
            return _list_page(request, template, a, total, options=lp.options(session, actor, language(request)),
                              items=rows,
                              **_lookups(request, session, actor, rows))

    @page("GET", f"{lp.spec.path}/export", lp.permission)
    def list_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
        """Every row the filters match (not one page), as CSV or XLSX."""
        a = listing.asked(lp.spec, request.query_params, lp.choices(session))
        a.refuse()
        _total, rows = lp.fetch(session, actor, a, True)
        known = _lookups(request, session, actor, rows) | {"on": a.typed.get("on") or request_today(request)}
        return listing.exported([lp.header, *(lp.cells(known, r) for r in rows)], title=lp.spec.title,
                                filename=lp.spec.path.strip("/"), format=format)


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


list_routes(ListPage(
    OFFICES, P.SIGNED_IN,
    fetch=lambda session, actor, a, export: org_lists.list_offices(session, actor, _office_filter(a),
                                                                   a.page(export=export)),
    header=("Наименование", "Код", "Вышестоящая прокуратура", "Уровень", "Вид", "Место дислокации",
            "Наименование (каз.)", "Действует с", "Действует по"),
    cells=lambda k, o: (o.name_on(k["on"]), o.code, k["offices"][o.parent_id].name_ru if o.parent_id else "",
                        LEVEL_LABELS[o.level], KIND_LABELS[o.kind], o.city, o.name_kk, ru_date(o.valid_from),
                        ru_date(o.valid_to))))


@page("GET", "/offices", P.SIGNED_IN)
def offices_page(request: Request, view: str = "tree", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    """The offices as a collapsible tree (a search keeps the offices above each match, opened) or as a
    table with sortable columns and pages."""
    a = listing.asked(OFFICES, request.query_params)
    day = a.typed["on"] or request_today(request)
    flt = _office_filter(a)
    searching = bool(flt.q or flt.level or flt.kind)
    table = view == "table"
    total, rows = org_lists.list_offices(session, actor, flt, a.page(export=not table))
    everything = org.all_offices(session)
    children = _tree(everything, {o.id for o in rows if o.id is not None} if searching else None)
    return _list_page(request, "offices.html", a, total, options={}, keep={"view": "table" if table else ""},
                      rows=rows if table else [], children=children, on=day, table=table, searching=searching,
                      count=len(everything))


# ============================================================================= people

PEOPLE = ListSpec(
    "/people", N_("Сотрудники"),
    columns=(Column("full_name", N_("ФИО")), Column("position", N_("Должность")),
             Column("office", N_("Прокуратура")), Column("active", N_("Статус"))),
    filters=(Filter("q", N_("Поиск по ФИО или почте")), Filter("office_id", N_("Прокуратура"), "id"),
             Filter("exact", N_("без нижестоящих"), "flag"), Filter("position", N_("Должность"), "choice", _POSITIONS),
             Filter("active", N_("Статус"), "choice", _ACTIVE)),
    sort="full_name")


def _people(session: Session, actor: Actor, a: Asked, export: bool) -> tuple[int, list[Any]]:
    active, v = a.typed["active"], a.typed
    flt = org_lists.PeopleFilter(q=v["q"] or "", office_id=v["office_id"], subtree=not v["exact"],
                                 position=v["position"], active=None if active is None else active == "yes")
    return org_lists.list_people(session, actor, flt, a.page(export=export))


list_routes(ListPage(
    PEOPLE, P.SIGNED_IN, fetch=_people, header=("ФИО", "Должность", "Прокуратура", "Электронная почта", "Статус"),
    cells=lambda k, p: (p.full_name, POSITION_LABELS[p.position], k["offices"][p.office_id].name_ru, p.email,
                        "работает" if p.active else "не работает"),
    options=lambda session, actor, lang: {"office_id": _office_options(session, actor, lang)}), "people.html")


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


def _acting(session: Session, actor: Actor, a: Asked, export: bool) -> tuple[int, list[Any]]:
    v = a.typed
    flt = org_lists.ActingFilter(q=v["q"] or "", person_id=v["person_id"], office_id=v["office_id"],
                                 subtree=not v["exact"], acting_for=v["acting_for"], on=v["on"])
    return org_lists.list_acting(session, actor, flt, a.page(export=export))


def _with_people(session: Session, actor: Actor, **more: Sequence[tuple[str, str]]
                 ) -> dict[str, Sequence[tuple[str, str]]]:
    return {"person_id": _people_options(session, actor), **more}


list_routes(ListPage(
    ACTING, P.SIGNED_IN, fetch=_acting, header=("Сотрудник", "Исполняет обязанности", "Прокуратура", "С", "По",
                                                 "Основание"),
    cells=lambda k, r: (k["names"].get(r.person_id, ""), POSITION_LABELS[r.acting_for],
                        k["offices"][r.office_id].name_ru, ru_date(r.date_from), ru_date(r.date_to), r.basis),
    options=lambda session, actor, lang: _with_people(session, actor,
                                                      office_id=_office_options(session, actor, lang))),
    "acting.html")


@record("/acting/{item_id}", P.SIGNED_IN)
def acting_record(request: Request, item_id: int, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    item = org.access_acting_item(session, actor, item_id)
    offices = _offices(session)
    names = org.people_names(session, actor, {item.person_id})
    t, lang = translator(request), language(request)
    position = t(POSITION_LABELS[item.acting_for])
    facts = [person_fact(names, item.person_id),
             (N_("Исполняет обязанности по должности"), position, ""),
             (N_("В прокуратуре"), office_name(offices[item.office_id], lang), f"/offices/{item.office_id}"),
             (N_("Период"), f"{ru_date(item.date_from)} — {ru_date(item.date_to)}", ""),
             (N_("Основание (приказ)"), item.basis, "")]
    return _record(request, session, actor, ("acting", item.id), N_("Исполнение обязанностей"),
                   f"{names.get(item.person_id, '')} — {position}", facts)


def person_fact(names: dict[int, str], person_id: int | None) -> tuple[str, str, str]:
    if person_id is None:
        return (N_("Сотрудник"), "—", "")
    return (N_("Сотрудник"), names.get(person_id, "—"), f"/people/{person_id}" if person_id in names else "")


_RECORD_LISTS = {"acting": ("/acting", N_("Исполнение обязанностей")), "zone": ("/zones", N_("Закрепления зон"))}


def _record(request: Request, session: Session, actor: Actor, which: tuple[str, int | None], title: str,
            heading: str, facts: list[tuple[str, str, str]]) -> Response:
    return record_page(request, session, actor, which, title, heading, facts, back=_RECORD_LISTS[which[0]])


def record_page(request: Request, session: Session, actor: Actor, which: tuple[str, int | None], title: str,
                heading: str, facts: list[tuple[str, str, str]], *, back: tuple[str, str]) -> Response:
    """A record page: its facts, the way back to its list, «Изменить», and its «История» tab."""
    kind, item_id = which
    return render(request, "record.html", title=title, heading=heading, facts=facts,
                  edit=f"{back[0]}/{item_id}/edit", back=back,
                  **history(request, session, actor, kind, item_id, str(request.query_params.get("tab", ""))))


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


def _zones(session: Session, actor: Actor, a: Asked, export: bool) -> tuple[int, list[Any]]:
    v = a.typed
    flt = org_lists.ZoneFilter(q=v["q"] or "", person_id=v["person_id"], office_id=v["zone_office_id"],
                               subtree=not v["exact"], area=v["zone_area"], on=v["active_on"])
    return org_lists.list_zones(session, actor, flt, a.page(export=export))


list_routes(ListPage(
    ZONES, P.SIGNED_IN, fetch=_zones, header=("Сотрудник", "Зона", "Направления", "С", "По"),
    cells=lambda k, z: (k["names"].get(z.person_id, ""), k["offices"][z.zone_office_id].name_ru,
                        ", ".join(SUBJECT_AREAS[x] for x in z.areas), ru_date(z.date_from), ru_date(z.date_to))))


@page("GET", "/zones", P.SIGNED_IN)
def zones_page(request: Request, office_id: int | None = None, area: str = "all", on: str | None = None,
               actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    """Who a zone's work goes to (I.68) on a date, and the list of zonal assignments."""
    a = listing.asked(ZONES, request.query_params)
    day = request_today(request)
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            a.errors.append({"field": "on", "message": N_("ожидается дата ДД.ММ.ГГГГ, которая есть в календаре")})
    if area not in SUBJECT_AREAS:
        a.errors.append({"field": "area", "message": N_("выберите значение из списка")})
    route = None
    if office_id is not None and not any(e["field"] in ("on", "area") for e in a.errors):
        route = org.access_zone_route(session, actor, office_id, area, day)
    total, rows = _zones(session, actor, a, False)
    options = _office_options(session, actor, language(request))
    keep = {"office_id": str(office_id) if office_id is not None else "", "area": area if area != "all" else "",
            "on": on or ""}
    return _list_page(request, "zones.html", a, total, options=_with_people(session, actor, zone_office_id=options),
                      keep=keep, items=rows, route=route, office_options=options, office_id=office_id, area=area,
                      on=day, **_lookups(request, session, actor, rows))


@record("/zones/{item_id}", P.SIGNED_IN)
def zone_record(request: Request, item_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    item = org.access_zone(session, actor, item_id)
    offices = _offices(session)
    names = org.people_names(session, actor, {item.person_id})
    t = translator(request)
    zone = office_name(offices[item.zone_office_id], language(request))
    facts = [person_fact(names, item.person_id),
             (N_("Зона (нижестоящая прокуратура)"), zone, f"/offices/{item.zone_office_id}"),
             (N_("Предметные направления"), ", ".join(t(AREA_TITLES[x]) for x in item.areas), ""),
             (N_("Период"), f"{ru_date(item.date_from)} — {ru_date(item.date_to) or '…'}", "")]
    return _record(request, session, actor, ("zone", item.id), N_("Закрепление зоны"),
                   f"{names.get(item.person_id, '')} — {zone}", facts)
