"""The JSON API (/api/v1): rules and calendar (public), organization, people, authority,
accounts, calendar administration and the audit trail. Handlers only translate HTTP into
service calls; every request body and answer is documented by its model (`web/schemas.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from pydantic_core import to_json
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.accounts import service as accounts
from nadzor.audit import service as audit
from nadzor.calendar import service as calendar_admin
from nadzor.domain.accounts import User
from nadzor.domain.org import POSITION_LABELS, SUBJECT_AREAS
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import FieldError, InvalidInput
from nadzor.infra.listing import MAX_LIMIT, Page
from nadzor.org import files as org_files
from nadzor.org import lists as org_lists
from nadzor.org import service as org
from nadzor.rulebook import catalogue as rule_catalogue
from nadzor.rulebook.search import search
from nadzor.web.routing import JSON, RAW, endpoint
from nadzor.web.schemas import (
    ActingIn,
    ActingOut,
    AuditPageOut,
    AuditRowOut,
    AuditVerifyOut,
    AuthorityOut,
    CalendarChangeOut,
    CalendarDayIn,
    CalendarDayOut,
    CalendarOverrideOut,
    EvaluationOut,
    HealthOut,
    ImportOut,
    MeOut,
    OfficeIn,
    OfficeOnDateOut,
    OfficeOut,
    PersonIn,
    PersonOut,
    RuleOut,
    SignCheckOut,
    SignCheckRequest,
    TokenIn,
    TokenOut,
    TokenRequest,
    UserIn,
    UserOut,
    UserUpdate,
    ZoneIn,
    ZoneOut,
    ZoneRouteOut,
    body,
)
from nadzor.web.security import DB, client_address, current_actor, platform

router = APIRouter(prefix="/api/v1")
P = Permission
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
BEARER = "bearer"  # the token's type (RFC 6750)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def query_date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        if not _ISO.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([FieldError(field, f"ожидается дата ГГГГ-ММ-ДД, получено {value!r}")]) from None


def _on(request: Request, value: str | None, field: str = "on") -> date:
    """A date parameter; omitted, today in Almaty by the platform's clock."""
    return query_date(value, field) or platform(request).today()


Dir = Annotated[Literal["asc", "desc"], Query(description="Порядок: asc — по возрастанию, desc — по убыванию")]
Limit = Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="Строк на странице (без него — все)")]
Offset = Annotated[int, Query(ge=0, le=2**62, description="Сколько строк пропустить")]
Text = Annotated[str, Query(max_length=200, description="Поиск: каждое слово где-либо в строке, без учёта регистра")]
PositionCode = Annotated[str | None, Query(pattern="^(" + "|".join(POSITION_LABELS) + ")$",
                                           description="Код должности")]


def _listed(response: Response, found: tuple[int, list[T]], describe: Callable[[T], dict[str, Any]],
            model: type[M]) -> list[M]:
    """A list's page as its typed answer; `X-Total-Count` says how many rows the filters match."""
    total, items = found
    response.headers["X-Total-Count"] = str(total)
    return [model.model_validate(describe(item)) for item in items]


def _writes(path: str, permission: Permission, *, create: Callable[..., T], update: Callable[..., T],
            describe: Callable[[T], dict[str, Any]], model: type[BaseModel], body_model: type[BaseModel],
            created: str, updated: str) -> None:
    """One way to declare a record's create (201) and update endpoints: the body (documented by the
    service's input model, which validates it) goes to the service's `do_*`, the answer is the record
    as `describe` shows it, typed by `model`."""

    @endpoint(router, "POST", path, permission, summary=created, status_code=201, response_model=model,
              openapi_extra=body(body_model))
    def create_one(data: Any = JSON, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
        return model.model_validate(describe(create(session, data, actor=actor)))

    @endpoint(router, "PUT", f"{path}/{{item_id}}", permission, summary=updated, response_model=model,
              openapi_extra=body(body_model))
    def update_one(item_id: int, data: Any = JSON, actor: Actor = Depends(current_actor), session: Session = DB
                   ) -> Any:
        return model.model_validate(describe(update(session, item_id, data, actor=actor)))


# ------------------------------------------------------------------------ rules (public)


def _json(content: bytes) -> Response:
    return Response(content, media_type="application/json")


@endpoint(router, "GET", "/health", P.PUBLIC, summary="Состояние сервиса")
def health() -> HealthOut:
    return HealthOut(status="ok")


@endpoint(router, "GET", "/rules", P.PUBLIC, summary="Каталог правил", response_model=list[RuleOut])
def list_rules(request: Request, q: Annotated[str, Query(max_length=200, description="Поиск: слова в любой форме "
                                                        "(«продление») и пункты («п. 16», «16», «I.16», «R.16»)")] = ""
               ) -> Response:
    """Every rule with its id, Russian title, citations, validity and JSON Schemas (titled in
    Russian), built once per calendar coverage and answered as ready bytes; with `q`, the rules
    matching every word (any word form) and every paragraph of it."""
    cal = platform(request).calendar()
    if not q.strip():
        return _json(rule_catalogue.catalogue_json(cal))
    found = {r.id for r in search(rules.REGISTRY.values(), q)}
    return _json(b"[" + b",".join(rule_catalogue.rule_json(rule_id, cal) for rule_id in
                                 [r["id"] for r in rules.list_rules()] if rule_id in found) + b"]")


@endpoint(router, "GET", "/rules/{rule_id}", P.PUBLIC, summary="Описание правила", response_model=RuleOut)
def get_rule(rule_id: str, request: Request) -> Response:
    return _json(rule_catalogue.rule_json(rule_id, platform(request).calendar()))


@endpoint(router, "POST", "/rules/{rule_id}/evaluate", P.PUBLIC, summary="Вычислить правило",
          response_model=EvaluationOut, openapi_extra={"requestBody": {"required": True, "content": {
              "application/json": {"schema": {"type": "object", "title": "Входные данные правила",
                                              "description": "по схеме input_schema правила (GET /api/v1/rules/"
                                                             "{rule_id})"}}}}})
def evaluate(rule_id: str, request: Request, data: Any = JSON) -> Response:
    """The input is the rule's JSON object; the answer is `{rule, result, citations, explanation, edition}`
    (`edition`: `{name, valid_from, valid_to, in_force}`, the edition applied and whether it was in force
    on every date of the input)."""
    rules.get_rule(rule_id)
    return _json(to_json(rules.evaluate(rule_id, data, calendar=platform(request).calendar())))


@endpoint(router, "GET", "/calendar/{day}", P.PUBLIC, summary="День рабочего календаря")
def calendar_day(day: str, request: Request) -> CalendarDayOut:
    """Whether a day is working, with the source that decided it."""
    cal = platform(request).calendar()
    answer = rules.evaluate("calendar.working_day", {"date": day}, calendar=cal)
    entry = cal.entry(date.fromisoformat(day))
    return CalendarDayOut.model_validate(
        {"date": day, **answer["result"], "source": entry.source if entry else "пятидневная рабочая неделя"})


# ------------------------------------------------------------------------- accounts


@endpoint(router, "POST", "/auth/token", P.PUBLIC, summary="Получить токен API по логину и паролю",
          openapi_extra=body(TokenRequest))
def issue_token(request: Request, data: Any = JSON) -> TokenOut:
    """Exchange a login and password for a bearer token (failures count towards the lockout)."""
    if not isinstance(data, dict):
        raise InvalidInput.one("input", "ожидается объект {login, password, name?, days?}")
    plat = platform(request)
    extra = {k: v for k, v in data.items() if k not in ("login", "password")}
    token, item = accounts.issue_token(plat.transaction, data.get("login"), data.get("password"), extra,
                                       passwords=plat.passwords, keys=plat.keys, throttle=plat.sign_ins,
                                       source=client_address(request), today=plat.today())
    return TokenOut(token=token, token_type=BEARER, expires_at=item.expires_at, id=item.id)


@endpoint(router, "GET", "/me", P.SIGNED_IN, summary="Текущий пользователь")
def me(actor: Actor = Depends(current_actor)) -> MeOut:
    return MeOut(login=actor.login, full_name=actor.full_name, is_admin=actor.is_admin, person_id=actor.person_id,
                 office_id=actor.office_id, office_code=actor.office_code, position=actor.position,
                 language=actor.language, roles=sorted(actor.roles))


@endpoint(router, "POST", "/tokens", P.SIGNED_IN, summary="Выпустить токен API для себя",
          openapi_extra=body(TokenIn))
def create_token(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> TokenOut:
    user = session.get(User, actor.user_id)
    assert user is not None
    token, item = accounts.do_create_token(session, user, data, actor=actor,
                                           keys=platform(request).keys)
    return TokenOut(token=token, token_type=BEARER, expires_at=item.expires_at, id=item.id)


@endpoint(router, "DELETE", "/tokens/{token_id}", P.SIGNED_IN, summary="Отозвать токен API", status_code=204)
def revoke_token(token_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    accounts.do_revoke_token(session, token_id, actor=actor)
    return Response(status_code=204)


@endpoint(router, "GET", "/users", P.MANAGE_USERS, summary="Учётные записи")
def list_users(response: Response, q: Text = "", role: Literal["admin", "user"] | None = None,
               status: Literal["active", "disabled", "locked"] | None = None,
               sort: Literal["login", "person", "role", "status"] = "login", dir: Dir = "asc", limit: Limit = None,
               offset: Offset = 0, actor: Actor = Depends(current_actor), session: Session = DB
               ) -> list[UserOut]:
    """Search in the login and the person's name; filter by role and status (`locked`: backing off after
    failed sign-ins now)."""
    flt = accounts.UserFilter(q=q, role=role, status=status)
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    return _listed(response, accounts.list_users(session, actor, flt, page, now=audit.now_utc()),
                   accounts.user_dict, UserOut)


@endpoint(router, "POST", "/users", P.MANAGE_USERS, summary="Создать учётную запись", status_code=201,
          openapi_extra=body(UserIn))
def create_user(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    user = accounts.do_create_user(session, data, actor=actor,
                                   passwords=platform(request).passwords)
    return UserOut.model_validate(accounts.user_dict(user))


@endpoint(router, "PUT", "/users/{user_id}", P.MANAGE_USERS, summary="Изменить учётную запись",
          openapi_extra=body(UserUpdate))
def update_user(user_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    user = accounts.do_update_user(session, user_id, data, actor=actor,
                                   passwords=platform(request).passwords)
    return UserOut.model_validate(accounts.user_dict(user))


@endpoint(router, "POST", "/users/{user_id}/unlock", P.MANAGE_USERS, summary="Снять замедление входа")
def unlock_user(user_id: int, request: Request, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    """End the account's back-off after failed sign-ins and let every address try it again."""
    plat = platform(request)
    user = accounts.do_unlock_user(session, user_id, actor=actor, throttle=plat.sign_ins, keys=plat.keys)
    return UserOut.model_validate(accounts.user_dict(user))


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

    return _listed(response, found, describe, OfficeOnDateOut)


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
    return _listed(response, org_lists.list_people(session, actor, flt, page), org.person_dict, PersonOut)


@endpoint(router, "GET", "/people/{person_id}", P.SIGNED_IN, summary="Сотрудник")
def get_person(person_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> PersonOut:
    return PersonOut.model_validate(org.person_dict(org.access_person(session, actor, person_id)))


_writes("/people", P.MANAGE_PEOPLE, create=org.do_create_person, update=org.do_update_person,
        describe=org.person_dict, model=PersonOut, body_model=PersonIn,
        created="Добавить сотрудника", updated="Изменить сведения о сотруднике")


@endpoint(router, "GET", "/people/{person_id}/authority", P.SIGNED_IN, summary="Полномочия сотрудника на дату")
def person_authority(person_id: int, request: Request, on: str | None = None, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> AuthorityOut:
    """Own position, the positions acted for on `on` (default today), and every signer rule."""
    return AuthorityOut.model_validate(org.access_authority(session, actor, person_id, _on(request, on),
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
        org.check_signature(session, actor, person_id, data["rule"], _on(request, data.get("on")), extra,
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
    return _listed(response, org_lists.list_acting(session, actor, flt, page), org.acting_dict, ActingOut)


_writes("/acting", P.MANAGE_PEOPLE, create=org.do_create_acting, update=org.do_update_acting,
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
    return _listed(response, org_lists.list_zones(session, actor, flt, page), org.zone_dict, ZoneOut)


_writes("/zones", P.MANAGE_PEOPLE, create=org.do_create_zone, update=org.do_update_zone,
        describe=org.zone_dict, model=ZoneOut, body_model=ZoneIn,
        created="Закрепить зону", updated="Изменить закрепление зоны")


@endpoint(router, "GET", "/zones/route", P.SIGNED_IN, summary="Кому направляется работа по зоне (п. 68)")
def zone_route(office_id: int, request: Request, area: str = "all", on: str | None = None,
               actor: Actor = Depends(current_actor), session: Session = DB) -> ZoneRouteOut:
    """The prosecutor who reviews the acts and controls the deadlines of `office_id` in `area`."""
    return ZoneRouteOut.model_validate(org.access_zone_route(session, actor, office_id, area, _on(request, on)))


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
    calendar_admin.do_remove_calendar_day(session, _on(request, day, "day"), version, actor=actor,
                                          calendar_of=plat.calendar_in, changed=plat.calendar_changed)
    return Response(status_code=204)


# ------------------------------------------------------------------------------ audit


@endpoint(router, "GET", "/audit", P.VIEW_AUDIT, summary="Журнал аудита")
def list_audit(actor_login: str = "", office: str = "", object_type: str = "", object_id: str = "",
               action: str = "", date_from: str | None = None, date_to: str | None = None, limit: int = 100,
               offset: int = 0, dir: Dir = "desc", actor: Actor = Depends(current_actor),
               session: Session = DB) -> AuditPageOut:
    """Filter by person (login), office (code), object, action and dates (Almaty days); newest first
    (`dir=asc`: oldest first). A date that does not exist, or an end before the start, is refused
    naming its field."""
    if not 1 <= limit <= 1000:
        raise InvalidInput.one("limit", "от 1 до 1000")
    flt = audit.AuditFilter(actor=actor_login, office=office, object_type=object_type, object_id=object_id,
                            action=action, date_from=query_date(date_from, "date_from"),
                            date_to=query_date(date_to, "date_to"), limit=limit,
                            offset=max(offset, 0), descending=dir == "desc")
    total, rows = audit.access_audit(session, actor, flt)
    return AuditPageOut(total=total, rows=[AuditRowOut.model_validate(r) for r in rows])


@endpoint(router, "GET", "/audit/verify", P.VIEW_AUDIT, summary="Проверить цепочку журнала аудита")
def verify_audit(actor: Actor = Depends(current_actor), session: Session = DB) -> AuditVerifyOut:
    problem = audit.verify(session)
    if problem is None:
        return AuditVerifyOut(intact=True, first_bad_seq=None, message="цепочка журнала аудита не нарушена")
    return AuditVerifyOut(intact=False, first_bad_seq=problem.seq, message=problem.message)

