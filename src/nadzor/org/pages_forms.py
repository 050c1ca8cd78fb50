"""The organization's record pages and forms: an office and a person on a date; creating, editing and
cancelling offices, people, acting and zonal assignments (an unusual acting assignment is warned of)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.audit.pages import history
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput, Message, NotFound
from nadzor.org import files as org_files
from nadzor.org import service as org
from nadzor.web.forms import FormField, values_of
from nadzor.web.pages import (
    CHOOSE,
    confirm_page,
    confirmed,
    date_param,
    edit_form,
    html_routes,
    posted_version,
    save_form,
    see_other,
    show_form,
)
from nadzor.web.routing import FORM, ShowAgain
from nadzor.web.security import DB, current_actor, language
from nadzor.web.security import platform as platform_of
from nadzor.web.security import today as request_today
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import KIND_TITLES, N_, POSITION_TITLES, area_options, office_name, position_options

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
page = html_routes(router)
P = Permission

# ============================================================================ offices


def _office_options(session: Session, lang: str,
                    levels: Sequence[str] = ("gpo", "regional", "district")) -> list[tuple[str, str]]:
    """Offices by code, named in the interface's language (`name_kk` where stored)."""
    return [(o.code, office_name(o, lang)) for o in org.all_offices(session) if o.level in levels]


def office_fields(session: Session, request: Request) -> tuple[FormField, ...]:
    t = translator(request)
    return (
        FormField("code", "Код", required=True, help="латиница, цифры, точка, дефис: almaty_region.talgar"),
        FormField("parent_code", "Вышестоящая прокуратура", "select",
                  options=[("", "—"), *_office_options(session, language(request), ("gpo", "regional"))]),
        FormField("level", "Уровень", "select", options=[("gpo", t("Генеральная прокуратура")),
                                                          ("regional", t(N_("областной"))),
                                                          ("district", t(N_("районный")))],
                  required=True),
        FormField("kind", "Вид", "select", options=[(code, t(KIND_TITLES[code])) for code in (
                  "territorial", "military", "transport", "environmental", "specialized")],
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
    return show_form(request, title="Новая прокуратура", fields=office_fields(session, request),
                 values={"level": "district", "kind": "territorial"}, cancel="/offices")


@page("POST", "/offices/new", P.MANAGE_ORG)
def office_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=office_fields(session, request),
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
            raise InvalidInput.one("file", N_("выберите файл CSV или JSON"))
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
    day = date_param(request, on)
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
    fields = office_fields(session, request)
    return show_form(request, title=Message(N_("Изменить: %(name)s"), name=office_name(office, language(request))),
                     fields=fields,
                 values=values_of(org.office_dict(office, parent.code if parent else None), fields),
                 cancel=f"/offices/{office_id}", version=office.version)


@page("POST", "/offices/{office_id}/edit", P.MANAGE_ORG)
def office_update(request: Request, office_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=office_fields(session, request),
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
    return show_form(request, title="Новый сотрудник", fields=person_fields(session, actor, request),
                 values={"active": True, "position": "prosecutor"}, cancel="/people")


@page("POST", "/people/new", P.MANAGE_PEOPLE)
def person_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=person_fields(session, actor, request),
                 action=lambda data: org.do_create_person(session, data, actor=actor),
                 done=lambda person: f"/people/{person.id}", title="Новый сотрудник", cancel="/people")


@page("GET", "/people/{person_id}", P.SIGNED_IN)
def person_page(request: Request, person_id: int, on: str | None = None, tab: str = "",
                actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    day = date_param(request, on)
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
    return edit_form(request, person, org.person_dict, person_fields(session, actor, request),
                      title=f"Изменить: {person.full_name}", cancel=f"/people/{person_id}")


@page("POST", "/people/{person_id}/edit", P.MANAGE_PEOPLE)
def person_update(request: Request, person_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=person_fields(session, actor, request),
                 action=lambda data: org.do_update_person(session, person_id, data, actor=actor),
                 done=lambda person: f"/people/{person.id}", title="Изменить сведения о сотруднике",
                 cancel=f"/people/{person_id}")


# ============================================================================ acting


def people_options(session: Session, actor: Actor, request: Request,
                    levels: Sequence[str] = ("gpo", "regional", "district")) -> list[tuple[str, str]]:
    offices = {o.id: o for o in org.all_offices(session)}
    lang = language(request)
    return [(str(p.id), f"{p.full_name} — {office_name(offices[p.office_id], lang)}")
            for p in org.access_people(session, actor) if offices[p.office_id].level in levels]


def acting_fields(session: Session, actor: Actor, request: Request) -> tuple[FormField, ...]:
    return (
        FormField("person_id", "Сотрудник", "int_select", options=people_options(session, actor, request),
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
    return show_form(request, title="Возложить исполнение обязанностей", fields=acting_fields(session, actor, request),
                 values={}, cancel="/acting")


@page("POST", "/acting/new", P.MANAGE_PEOPLE)
def acting_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=acting_fields(session, actor, request),
                 action=lambda data: org.do_create_acting(session, data, actor=actor),
                 done=lambda item: f"/people/{item.person_id}", title="Возложить исполнение обязанностей",
                 cancel="/acting", warn=lambda data: _unusual(request, session, data))


@page("GET", "/acting/{item_id}/edit", P.MANAGE_PEOPLE)
def acting_edit(request: Request, item_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return edit_form(request, org.access_acting_item(session, actor, item_id), org.acting_dict,
                      acting_fields(session, actor, request), title="Изменить исполнение обязанностей",
                      cancel=f"/acting/{item_id}")


@page("POST", "/acting/{item_id}/edit", P.MANAGE_PEOPLE)
def acting_update(request: Request, item_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return save_form(request, session, form, fields=acting_fields(session, actor, request),
                 action=lambda data: org.do_update_acting(session, item_id, data, actor=actor),
                 done=lambda item: f"/people/{item.person_id}", title="Изменить исполнение обязанностей",
                 cancel="/acting", warn=lambda data: _unusual(request, session, data))


def _acting_confirmation(request: Request, session: Session, actor: Actor, item_id: int,
                         version: int | None) -> Response:
    item = next((a for a in org.access_acting(session, actor) if a.id == item_id), None)
    if item is None:
        raise NotFound(Message("%(what)s %(id)s", what=Message("исполнение обязанностей"), id=item_id))
    t = translator(request)
    lang = language(request)
    person = org.access_person(session, actor, item.person_id)
    office = org.get_office(session, item.office_id)
    return confirm_page(request, title=N_("Отменить исполнение обязанностей?"),
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
    version = posted_version(form)
    if not confirmed(form):
        return _acting_confirmation(request, session, actor, item_id, version)
    org.do_delete_acting(session, item_id, version, actor=actor)
    return see_other("/acting")


# ============================================================================ zones


def zone_fields(session: Session, actor: Actor, request: Request) -> tuple[FormField, ...]:
    """I.68: the person works in the GPO or a regional office, the zone is an office below theirs;
    neither is preselected, and the lists offer only what can make a valid pair."""
    return (
        FormField("person_id", "Сотрудник (ГП или прокуратура области)", "int_select",
                  options=people_options(session, actor, request, ("gpo", "regional")), required=True,
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
    return show_form(request, title="Закрепить зону (п. 68 Инструкции)", fields=zone_fields(session, actor, request),
                 values={"date_from": request_today(request).isoformat()}, cancel="/zones")


@page("POST", "/zones/new", P.MANAGE_PEOPLE)
def zone_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return save_form(request, session, form, fields=zone_fields(session, actor, request),
                 action=lambda data: org.do_create_zone(session, data, actor=actor),
                 done=lambda _item: "/zones", title="Закрепить зону (п. 68 Инструкции)", cancel="/zones")


@page("GET", "/zones/{item_id}/edit", P.MANAGE_PEOPLE)
def zone_edit(request: Request, item_id: int, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Response:
    return edit_form(request, org.access_zone(session, actor, item_id), org.zone_dict,
                      zone_fields(session, actor, request),
                      title="Изменить закрепление зоны", cancel=f"/zones/{item_id}")


@page("POST", "/zones/{item_id}/edit", P.MANAGE_PEOPLE)
def zone_update(request: Request, item_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    return save_form(request, session, form, fields=zone_fields(session, actor, request),
                 action=lambda data: org.do_update_zone(session, item_id, data, actor=actor),
                 done=lambda _item: "/zones", title="Изменить закрепление зоны", cancel="/zones")
