"""Pages of acts of supervision (issue 9): the I.64 register with the quarter's table for the
analysis of causes, shown and exported (CSV) through the same service as the API; the act types (I.58)
— read by everyone, their names, legal source and default response term edited by an administrator
(audited by the service; emptying a term asks for confirmation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.acts import service as acts
from nadzor.casework.service import Refused
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, InvalidInput, message_of
from nadzor.org import service as org
from nadzor.web import security
from nadzor.web.routing import FORM, ShowAgain, endpoint
from nadzor.web.security import DB, current_actor
from nadzor.web.templating import render
from nadzor.web.ui_labels import N_, office_name, office_names

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _number(value: str | None, field: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput.one(field, "ожидается целое число") from None


@endpoint(router, "GET", "/acts/register-i64", Permission.SIGNED_IN, response_class=HTMLResponse)
def register_i64_page(request: Request, office_id: str | None = None, year: str | None = None,
                      quarter: str | None = None, format: str = "html", actor: Actor = Depends(current_actor),
                      session: Session = DB) -> Response:
    """Учёт актов, отменённых, отозванных, изменённых, приостановленных вышестоящим прокурором или
    признанных незаконными судом (п. 64 Инструкции), и таблица квартала для анализа причин."""
    lang = security.language(request)
    offices = [(str(o.id), office_name(o, lang)) for o in org.all_offices(session)
               if actor.sees_office(o.id) and o.kind == "territorial" and o.level != "district"]
    form: dict[str, Any] = {"office_id": office_id or "", "year": year or "", "quarter": quarter or ""}
    try:
        data = acts.access_register_i64(session, actor=actor, today=security.today(request),
                                        calendar=security.platform(request).calendar(),
                                        office_id=_number(office_id, "office_id"), year=_number(year, "year"),
                                        quarter=_number(quarter, "quarter"))
    except InvalidInput as exc:
        return _named(request, session, "acts/register_i64.html", 422, data=None, errors=exc.as_dicts(),
                      offices=offices, form=form, columns=acts.REGISTER_COLUMNS, table_columns=acts.TABLE_COLUMNS,
                      events=acts.I64_EVENTS)
    if format == "csv":
        name = f"register-i64-{data['year']}-q{data['quarter']}.csv"
        return Response(acts.register_i64_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    form.update(year=str(data["year"]), quarter=str(data["quarter"]),
                office_id=str(data["office_id"]) if data["office_id"] is not None else "")
    return _named(request, session, "acts/register_i64.html", data=data, errors=[], offices=offices, form=form,
                  columns=acts.REGISTER_COLUMNS, table_columns=acts.TABLE_COLUMNS, events=acts.I64_EVENTS)


def _named(request: Request, session: Session, template: str, status: int = 200, **context: Any) -> Response:
    """`render` with the offices' names in the interface's language by id (`office_names`), for the rows
    a service names in Russian."""
    names = office_names(org.all_offices(session), security.language(request))
    return render(request, template, status, office_names=names, **context)


# ================================================================================ act types

#: The edit form's inputs: (name, Russian label, input kind); the term's three make `response_term`.
TYPE_FIELDS = (("name_ru", "Наименование", "text"), ("name_kk", "Наименование на казахском языке", "text"),
               ("legal_source", "Правовой источник", "textarea"),
               ("term_days", "Срок ответа по умолчанию, дней (пусто — не задан)", "number"),
               ("term_unit", "Как считаются дни", "unit"),
               ("term_source", "Источник срока (статья закона)", "textarea"))
_ERROR_INPUT = {"response_term.days": "term_days", "response_term.unit": "term_unit",
                "response_term.source": "term_source", "response_term": "term_days"}


@endpoint(router, "GET", "/act-types", Permission.SIGNED_IN, response_class=HTMLResponse)
def act_types_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    """Виды актов надзора (п. 58 Инструкции) с правовым источником и сроком ответа по умолчанию."""
    return render(request, "acts/types.html", types=acts.access_act_types(session, actor=actor))


def _type_values(current: dict[str, Any]) -> dict[str, str]:
    term = current["response_term"] or {}
    return {"name_ru": current["name_ru"], "name_kk": current["name_kk"], "legal_source": current["legal_source"],
            "term_days": str(term.get("days", "")), "term_unit": term.get("unit") or "calendar",
            "term_source": term.get("source") or ""}


def _type_errors(errors: list[dict[str, str]] | None, fields: tuple[tuple[str, str, str], ...], **more: str
                 ) -> tuple[dict[str, str], list[dict[str, str]]]:
    """An act-type form's errors by input and as the summary linking to each input by its label."""
    labels = {name: label for name, label, _how in fields} | more
    by_input: dict[str, str] = {}
    summary = []
    for e in errors or []:
        name = _ERROR_INPUT.get(e["field"], e["field"])
        by_input.setdefault(name, e["message"])
        summary.append({"label": labels.get(name, name), "message": e["message"], "href": f"#type-{name}"})
    return by_input, summary


def _posted_term(values: dict[str, str]) -> dict[str, Any] | None:
    """The default response term as posted (None when neither its days nor its source is given)."""
    if not (values["term_days"] or values["term_source"]):
        return None
    days = values["term_days"]
    return {"days": int(days) if days.isdigit() else days, "unit": values["term_unit"], "source": values["term_source"]}


def _type_form(request: Request, current: dict[str, Any], values: dict[str, str], status: int = 200,
               errors: list[dict[str, str]] | None = None, refusal: str = "") -> Response:
    by_input, summary = _type_errors(errors, TYPE_FIELDS, confirm="Подтверждение")
    return render(request, "acts/type_edit.html", status, current=current, values=values, fields=TYPE_FIELDS,
                  errors=by_input, summary=summary, refusal=refusal)


@endpoint(router, "GET", "/act-types/{code}/edit", Permission.MANAGE_ORG, response_class=HTMLResponse)
def act_type_edit(request: Request, code: str, actor: Actor = Depends(current_actor), session: Session = DB
                  ) -> Response:
    current = acts.access_act_type(session, code, actor=actor)
    return _type_form(request, current, _type_values(current))


@endpoint(router, "POST", "/act-types/{code}/edit", Permission.MANAGE_ORG, response_class=HTMLResponse)
def act_type_update(request: Request, code: str, form: FormData = FORM, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
    current = acts.access_act_type(session, code, actor=actor)
    values = {name: str(form.get(name, "")).strip() for name, _label, _how in TYPE_FIELDS}
    raw_version = str(form.get("version", "")).strip()
    data: dict[str, Any] = {"version": int(raw_version) if raw_version.isdigit() else raw_version,
                            "name_ru": values["name_ru"], "name_kk": values["name_kk"],
                            "legal_source": values["legal_source"], "response_term": _posted_term(values)}
    errors: list[dict[str, str]] = []
    if data["response_term"] is not None:
        if not values["term_days"].isdigit():
            errors.append({"field": "term_days", "message": N_("укажите число дней от 1 до 366")})
    elif current["response_term"] is not None and form.get("confirm") not in ("1", "on"):
        errors.append({"field": "confirm", "message": N_("срок ответа по умолчанию будет удалён: подтвердите")})
    if errors:
        return _type_form(request, current, values, 422, errors)
    try:
        acts.do_update_act_type(session, code, data, actor=actor)
    except InvalidInput as exc:
        raise ShowAgain(_type_form(request, current, values, 422, exc.as_dicts())) from None
    except Conflict as exc:
        refusal = f"{exc} Страница обновлена: проверьте и повторите."
        raise ShowAgain(lambda fresh: _type_form(request, acts.access_act_type(fresh, code, actor=actor), values, 409,
                                                 refusal=refusal)) from None
    return RedirectResponse("/act-types", status_code=303)


@endpoint(router, "GET", "/act-types/new", Permission.MANAGE_ORG, response_class=HTMLResponse)
def act_type_new(request: Request) -> Response:
    return _new_type_form(request, {"term_unit": "calendar"})


def _new_type_form(request: Request, values: dict[str, str], status: int = 200,
                   errors: list[dict[str, str]] | None = None) -> Response:
    by_input, summary = _type_errors(errors, NEW_TYPE_FIELDS)
    return render(request, "acts/type_new.html", status, values=values, fields=NEW_TYPE_FIELDS, errors=by_input,
                  summary=summary)


NEW_TYPE_FIELDS = (("code", "Код (латинские строчные буквы, цифры, _)", "text"), *TYPE_FIELDS)


@endpoint(router, "POST", "/act-types/new", Permission.MANAGE_ORG, response_class=HTMLResponse)
def act_type_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
    values = {name: str(form.get(name, "")).strip() for name, _label, _how in NEW_TYPE_FIELDS}
    data: dict[str, Any] = {"code": values["code"], "name_ru": values["name_ru"], "name_kk": values["name_kk"],
                            "legal_source": values["legal_source"], "response_term": _posted_term(values)}
    try:
        acts.do_create_act_type(session, data, actor=actor)
    except InvalidInput as exc:
        raise ShowAgain(_new_type_form(request, values, 422, exc.as_dicts())) from None
    return RedirectResponse("/act-types", status_code=303)


@endpoint(router, "POST", "/act-types/{code}/delete", Permission.MANAGE_ORG, response_class=HTMLResponse)
def act_type_delete(request: Request, code: str, form: FormData = FORM, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
    """Removing a type the administrator added: asks for confirmation; refused while an act is of it."""
    raw_version = str(form.get("version", "")).strip()
    message = ""
    if form.get("confirm") not in ("1", "on"):
        message = "Подтвердите удаление вида акта: отметьте «Подтверждаю удаление»."
    else:
        try:
            acts.do_delete_act_type(session, code, {"version": int(raw_version) if raw_version.isdigit()
                                                    else raw_version}, actor=actor)
            return RedirectResponse("/act-types", status_code=303)
        except (Refused, Conflict, InvalidInput) as exc:
            refused = exc.message if isinstance(exc, Refused) else message_of(exc)
            raise ShowAgain(lambda fresh: render(request, "acts/types.html", 409,
                                                 types=acts.access_act_types(fresh, actor=actor), refusal=refused,
                                                 refused_code=code)) from None
    return render(request, "acts/types.html", 409 if form.get("confirm") in ("1", "on") else 422,
                  types=acts.access_act_types(session, actor=actor), refusal=message, refused_code=code)


# =============================================================================== control views


def _offices_in_scope(session: Session, actor: Actor, lang: str = "ru") -> list[tuple[str, str]]:
    return sorted(((str(o.id), office_name(o, lang)) for o in org.all_offices(session) if o.id is not None
                   and actor.sees_office(o.id)), key=lambda x: x[1])


@endpoint(router, "GET", "/acts/totals", Permission.SIGNED_IN, response_class=HTMLResponse)
def totals_page(request: Request, office_id: str | None = None, start: str | None = None, end: str | None = None,
                actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    """Контроль исполнения актов надзора (п. 59 Инструкции): по прокуратуре с нижестоящими за период."""
    form = {"office_id": office_id or "", "start": start or "", "end": end or ""}
    offices = _offices_in_scope(session, actor, security.language(request))
    try:
        data = acts.access_totals(session, actor=actor, today=security.today(request),
                                  office_id=_number(office_id, "office_id"), start=start, end=end)
    except InvalidInput as exc:
        return _named(request, session, "acts/totals.html", 422, data=None, errors=exc.as_dicts(), offices=offices,
                      form=form, types=acts.access_act_types(session, actor=actor))
    form.update(start=data["from"], end=data["to"])
    return _named(request, session, "acts/totals.html", data=data, errors=[], offices=offices, form=form,
                  types=acts.access_act_types(session, actor=actor))


@endpoint(router, "GET", "/databank-queue", Permission.SIGNED_IN, response_class=HTMLResponse)
def databank_page(request: Request, office_id: str | None = None, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    """Очередь пополнения Банка данных (п. 67 Инструкции): открытые сроки внесения сведений."""
    offices = _offices_in_scope(session, actor, security.language(request))
    try:
        data = acts.access_databank_queue(session, actor=actor, today=security.today(request),
                                          office_id=_number(office_id, "office_id"))
    except InvalidInput as exc:
        return _named(request, session, "acts/databank.html", 422, data=None, errors=exc.as_dicts(), offices=offices,
                      office_id=office_id or "")
    return _named(request, session, "acts/databank.html", data=data, errors=[], offices=offices,
                  office_id=office_id or "")
