"""The organization over HTTP: offices (and their files), people, authority on a date, acting and zonal
assignments (I.68 routing)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from nadzor.domain.org import SUBJECT_AREAS
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.infra.listing import Page
from nadzor.org import files as org_files
from nadzor.org import lists as org_lists
from nadzor.org import service as org
from nadzor.org.schemas import (
    ActingOut,
    AuthorityOut,
    ImportOut,
    OfficeOnDateOut,
    OfficeOut,
    PersonOut,
    SignCheckOut,
    SignCheckRequest,
    ZoneOut,
    ZoneRouteOut,
)
from nadzor.org.service import ActingIn, OfficeIn, PersonIn, ZoneIn
from nadzor.web.api import Dir, Limit, Offset, PositionCode, Text, listed, on_date, query_date, writes
from nadzor.web.routing import JSON, RAW, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, current_actor, platform

router = APIRouter(prefix="/api/v1")
P = Permission

# ------------------------------------------------------------------------------ offices


@endpoint(router, "GET", "/offices", P.SIGNED_IN, summary="Структура прокуратур",
          response_model_exclude_unset=True)
def list_offices(response: Response, on: str | None = None, q: Text = "",
                 level: Literal["gpo", "regional", "district"] | None = None,
                 kind: Literal["territorial", "military", "transport", "environmental", "specialized"] | None = None,
                 sort: Literal["id", "name", "code", "level", "kind", "city"] = "id", dir: Dir = "asc",
                 limit: Limit = None, offset: Offset = 0, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> list[OfficeOnDateOut]:
    """Every office (or those matching the search in the names, code and city, the level and the kind);
    with `on` each carries its name and activity as on that date."""
    day = query_date(on, "on")
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    found = org_lists.list_offices(session, actor, org_lists.OfficeFilter(q=q, level=level, kind=kind), page)
    codes = {o.id: o.code for o in org.all_offices(session)}

    def describe(o: Any) -> dict[str, Any]:
        item = org.office_dict(o, codes.get(o.parent_id))
        if day is not None:
            item.update(name_on_date=o.name_on(day), active_on_date=o.active_on(day))
        return item

    return listed(response, found, describe, OfficeOnDateOut)


@endpoint(router, "GET", "/offices/export", P.SIGNED_IN, summary="Выгрузить структуру (CSV или JSON)",
          response_class=Response, responses={200: {"description": "Файл структуры", "content": {
              "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
              "text/csv": {"schema": {"type": "string"}}}}})
def export_offices(format: str = "json", actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    items = org.export_offices(session, actor)
    if format == "csv":
        return PlainTextResponse(org_files.render_csv(items), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="offices.csv"'})
    if format != "json":
        raise InvalidInput.one("format", "допустимые форматы: csv, json")
    return Response(org_files.render_json(items), media_type="application/json")


@endpoint(router, "POST", "/offices/import", P.MANAGE_ORG, summary="Загрузить структуру (CSV или JSON)",
          openapi_extra={"requestBody": {"required": True, "content": {
              "application/json": {"schema": {"type": "array", "items": OfficeIn.model_json_schema()}},
              "text/csv": {"schema": {"type": "string"}}}}})
def import_offices(request: Request, raw_body: bytes = RAW, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> ImportOut:
    """A JSON list of offices, or CSV with `content-type: text/csv`; all or nothing. The answer
    counts the offices created and updated."""
    raw = raw_body.decode("utf-8", errors="replace")
    if request.headers.get("content-type", "").startswith("text/csv"):
        items = org_files.parse_csv(raw)
    else:
        items = org_files.parse_json(raw)
    return ImportOut.model_validate(org.do_import_offices(session, items, actor=actor))


@endpoint(router, "GET", "/offices/{office_id}", P.SIGNED_IN, summary="Прокуратура")
def get_office(office_id: int, session: Session = DB) -> OfficeOut:
    office = org.get_office(session, office_id)
    parent = org.get_office(session, office.parent_id) if office.parent_id else None
    return OfficeOut.model_validate(org.office_dict(office, parent.code if parent else None))


@endpoint(router, "POST", "/offices", P.MANAGE_ORG, summary="Создать прокуратуру", status_code=201,
          openapi_extra=body(OfficeIn))
def create_office(data: Any = JSON, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> OfficeOut:
    office = org.do_create_office(session, data, actor=actor)
    parent_code = data.get("parent_code") if isinstance(data, dict) else None
    return OfficeOut.model_validate(org.office_dict(office, parent_code))


@endpoint(router, "PUT", "/offices/{office_id}", P.MANAGE_ORG, summary="Изменить прокуратуру",
          openapi_extra=body(OfficeIn))
def update_office(office_id: int, data: Any = JSON, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> OfficeOut:
    office = org.do_update_office(session, office_id, data, actor=actor)
    parent_code = data.get("parent_code") if isinstance(data, dict) else None
    return OfficeOut.model_validate(org.office_dict(office, parent_code))


# ------------------------------------------------------------------------------- people


@endpoint(router, "GET", "/people", P.SIGNED_IN, summary="Сотрудники (в пределах своей прокуратуры)")
def list_people(response: Response, office_id: int | None = None, subtree: bool = False, q: Text = "",
                position: PositionCode = None, active: bool | None = None,
                sort: Literal["office_id", "full_name", "position", "office", "active"] = "office_id",
                dir: Dir = "asc", limit: Limit = None, offset: Offset = 0, actor: Actor = Depends(current_actor),
                session: Session = DB) -> list[PersonOut]:
    """Search in the name and e-mail; filter by office (`subtree`: with the offices below it), position
    and whether working."""
    flt = org_lists.PeopleFilter(q=q, office_id=office_id, subtree=subtree, position=position, active=active)
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    return listed(response, org_lists.list_people(session, actor, flt, page), org.person_dict, PersonOut)


@endpoint(router, "GET", "/people/{person_id}", P.SIGNED_IN, summary="Сотрудник")
def get_person(person_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> PersonOut:
    return PersonOut.model_validate(org.person_dict(org.access_person(session, actor, person_id)))


writes(router, "/people", P.MANAGE_PEOPLE, create=org.do_create_person, update=org.do_update_person,
        describe=org.person_dict, model=PersonOut, body_model=PersonIn,
        created="Добавить сотрудника", updated="Изменить сведения о сотруднике")


@endpoint(router, "GET", "/people/{person_id}/authority", P.SIGNED_IN, summary="Полномочия сотрудника на дату")
def person_authority(person_id: int, request: Request, on: str | None = None, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> AuthorityOut:
    """Own position, the positions acted for on `on` (default today), and every signer rule."""
    return AuthorityOut.model_validate(org.access_authority(session, actor, person_id, on_date(request, on),
                                                        calendar=platform(request).calendar()))


@endpoint(router, "POST", "/people/{person_id}/sign-check", P.SIGNED_IN,
          summary="Вправе ли сотрудник подписать (правило RULES.md через его полномочия на дату)",
          openapi_extra=body(SignCheckRequest))
def sign_check(person_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
               session: Session = DB) -> SignCheckOut:
    """Body: `{rule, on?, input?}`; the signer is taken from the person's authority on `on`."""
    if not isinstance(data, dict):
        raise InvalidInput.one("input", "ожидается объект {rule, on?, input?}")
    unknown = sorted(set(data) - {"rule", "on", "input"})
    if unknown:
        raise InvalidInput.one(unknown[0], "неизвестное поле")
    if not isinstance(data.get("rule"), str):
        raise InvalidInput.one("rule", "обязательное поле не заполнено")
    if data.get("on") is not None and not isinstance(data["on"], str):
        raise InvalidInput.one("on", "ожидается дата ГГГГ-ММ-ДД (строка)")
    extra = data.get("input") or {}
    if not isinstance(extra, dict):
        raise InvalidInput.one("input", "ожидается объект")
    return SignCheckOut.model_validate(
        org.check_signature(session, actor, person_id, data["rule"], on_date(request, data.get("on")), extra,
                            calendar=platform(request).calendar()))


# ---------------------------------------------------------------- acting assignments


@endpoint(router, "GET", "/acting", P.SIGNED_IN, summary="Исполнение обязанностей (замещение)")
def list_acting(response: Response, person_id: int | None = None, office_id: int | None = None,
                subtree: bool = False, q: Text = "", acting_for: PositionCode = None, on: str | None = None,
                sort: Literal["person", "acting_for", "office", "date_from", "date_to"] = "date_from",
                dir: Dir = "desc", limit: Limit = None, offset: Offset = 0, actor: Actor = Depends(current_actor),
                session: Session = DB) -> list[ActingOut]:
    """Search in the person's name and the basis; filter by person, office, the position acted for and
    `on` (in effect on that date)."""
    flt = org_lists.ActingFilter(q=q, person_id=person_id, office_id=office_id, subtree=subtree,
                                 acting_for=acting_for, on=query_date(on, "on"))
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    return listed(response, org_lists.list_acting(session, actor, flt, page), org.acting_dict, ActingOut)


writes(router, "/acting", P.MANAGE_PEOPLE, create=org.do_create_acting, update=org.do_update_acting,
        describe=org.acting_dict, model=ActingOut, body_model=ActingIn,
        created="Возложить исполнение обязанностей",
        updated="Изменить исполнение обязанностей")


@endpoint(router, "DELETE", "/acting/{item_id}", P.MANAGE_PEOPLE, summary="Отменить исполнение обязанностей",
          status_code=204)
def delete_acting(item_id: int, version: int | None = None, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    org.do_delete_acting(session, item_id, version, actor=actor)
    return Response(status_code=204)


# ------------------------------------------------------------------------------ zones


@endpoint(router, "GET", "/zones", P.SIGNED_IN, summary="Зонально-предметные закрепления (п. 68 Инструкции)")
def list_zones(response: Response, person_id: int | None = None, zone_office_id: int | None = None,
               subtree: bool = False, q: Text = "",
               area: Annotated[str | None, Query(pattern="^(" + "|".join(SUBJECT_AREAS) + ")$",
                                                 description="Предметное направление")] = None,
               on: str | None = None, sort: Literal["id", "person", "zone", "date_from", "date_to"] = "id",
               dir: Dir = "asc", limit: Limit = None, offset: Offset = 0, actor: Actor = Depends(current_actor),
               session: Session = DB) -> list[ZoneOut]:
    """Search in the prosecutor's name; filter by person, zone (`subtree`: with the offices below it),
    area and `on` (in effect on that date)."""
    flt = org_lists.ZoneFilter(q=q, person_id=person_id, office_id=zone_office_id, subtree=subtree, area=area,
                               on=query_date(on, "on"))
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    return listed(response, org_lists.list_zones(session, actor, flt, page), org.zone_dict, ZoneOut)


writes(router, "/zones", P.MANAGE_PEOPLE, create=org.do_create_zone, update=org.do_update_zone,
        describe=org.zone_dict, model=ZoneOut, body_model=ZoneIn,
        created="Закрепить зону", updated="Изменить закрепление зоны")


@endpoint(router, "GET", "/zones/route", P.SIGNED_IN, summary="Кому направляется работа по зоне (п. 68)")
def zone_route(office_id: int, request: Request, area: str = "all", on: str | None = None,
               actor: Actor = Depends(current_actor), session: Session = DB) -> ZoneRouteOut:
    """The prosecutor who reviews the acts and controls the deadlines of `office_id` in `area`."""
    return ZoneRouteOut.model_validate(org.access_zone_route(session, actor, office_id, area, on_date(request, on)))
