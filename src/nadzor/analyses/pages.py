"""Pages of the analyses (issue 10): plans of analyses, the directory of organizations, the КУИ register
with its reconciliations, the reporting calendar of periodic obligations. Forms post the same JSON the
API takes to the same services; a refused form is shown again with the errors, nothing stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.analyses import details as analysis_details
from nadzor.analyses import service as analyses
from nadzor.casework.labels import TARGET_LABELS
from nadzor.casework.pages import render_card
from nadzor.casework.service import Refused
from nadzor.domain.org import POSITION_LABELS
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, InvalidInput, message_of
from nadzor.org import service as org
from nadzor.web.forms import FormField, form_data
from nadzor.web.routing import FORM, ShowAgain, endpoint
from nadzor.web.security import DB, current_actor, language, platform, today
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import N_, office_name, office_names

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission.SIGNED_IN
PAGE = 50
BASIS_LABELS = {"monitoring": N_("мониторинг"), "information": N_("сведения о нарушениях"),
                "complaint": N_("обращение"), "president_instruction": N_("поручение Президента"),
                "gp_instruction": N_("поручение Генерального Прокурора"),
                "superior_instruction": N_("поручение вышестоящей прокуратуры")}
MONTHS = (N_("январь"), N_("февраль"), N_("март"), N_("апрель"), N_("май"), N_("июнь"), N_("июль"), N_("август"),
          N_("сентябрь"), N_("октябрь"), N_("ноябрь"), N_("декабрь"))


def page(method: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    # Reading needs a signed-in user; changing, one whose role records (never an auditor).
    return endpoint(router, method, path, P if method == "GET" else Permission.RECORD, response_class=HTMLResponse)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


#: Shows a page again after a refused change: (a fresh read-only session, status, errors, values).
Shown = Callable[[Session, int, list[dict[str, str]], dict[str, Any]], Response]


def _post(request: Request, session: Session, form: FormData, fields: Sequence[FormField],
          action: Callable[[dict[str, Any]], Any], done: Callable[[Any], str], again: Shown) -> Response:
    """Post a form through a service `do_*`; a refusal shows the page again (422 bad input, 409
    refused or stale) with the errors and the values entered, built by the routing layer after it
    rolled the unit of work back (`ShowAgain`)."""
    data = form_data(fields, form)
    try:
        result = action(data)
    except InvalidInput as exc:
        status, errors = 422, _labelled(exc.as_dicts(), fields)
    except Refused as exc:
        status, errors = 409, [{"field": "step", "message": exc.message}]
    except Conflict as exc:
        status, errors = 409, [{"field": "version", "message": message_of(exc)}]
    else:
        return _see_other(done(result))
    raise ShowAgain(lambda fresh: again(fresh, status, errors, data))


def _labelled(errors: list[dict[str, str]], fields: Sequence[FormField]) -> list[dict[str, str]]:
    """Each error with the label of the form's input it names (`step.date` → «Дата …»), never the key."""
    labels = {f.name: f.label for f in fields}
    out = []
    for e in errors:
        parts = e["field"].split(".")
        name = parts[1] if parts[0] == "step" and len(parts) > 1 else parts[0]
        out.append(e | {"label": labels.get(name, "")})
    return out


def _offices(request: Request, session: Session, actor: Actor) -> list[tuple[str, str]]:
    lang = language(request)
    return [(str(o.id), office_name(o, lang)) for o in org.all_offices(session) if actor.sees_office(o.id)]


def _named(request: Request, session: Session, template: str, status: int = 200, **context: Any) -> Response:
    """`render` with the offices' names in the interface's language by id (`office_names`), for the rows
    a service names in Russian."""
    names = office_names(org.all_offices(session), language(request))
    return render(request, template, status, office_names=names, **context)


def _default_office(actor: Actor, office_id: int | None) -> int | None:
    return office_id if office_id is not None else actor.office_id


# ===================================================================================== plans

PLAN_FIELDS = (
    FormField("office_id", N_("Прокуратура"), "int_select", required=True),
    FormField("year", N_("Год"), "number", required=True),
    FormField("quarter", N_("Квартал (пусто — годовой план)"), "number"),
    FormField("title", N_("Наименование")),
)
ITEM_FIELDS = (
    FormField("topic", N_("Тема (предмет) анализа"), required=True),
    FormField("responsible_person_id", N_("Ответственный"), "int_select", required=True),
    FormField("quarter", N_("Квартал"), "number", required=True),
)
APPROVAL_FIELDS = (
    FormField("person_id", N_("Утверждает"), "int_select", required=True),
    FormField("date", N_("Дата утверждения"), "date", required=True),
)
OPEN_FIELDS = (
    FormField("date", N_("Дата начала анализа"), "date", required=True),
    FormField("basis", N_("Основание (п. 10 Правил)"), "select", options=tuple(BASIS_LABELS.items()), required=True),
)


def _plans_view(request: Request, session: Session, actor: Actor, *, office_id: int | None = None,
                year: int | None = None, status: int = 200, errors: list[dict[str, str]] | None = None,
                values: dict[str, Any] | None = None) -> Response:
    plans = analyses.access_plans(session, actor=actor, today=today(request), office_id=office_id, year=year)
    export = urlencode({k: v for k, v in {"office_id": office_id, "year": year, "format": "csv"}.items() if v})
    return _named(request, session, "analyses/plans.html", status, plans=plans,
                  offices=_offices(request, session, actor),
                  office_id=office_id, year=year, errors=errors or [], export=export,
                  values=values or {"office_id": actor.office_id, "year": today(request).year})


@page("GET", "/analyses/plans")
def plans_page(request: Request, office_id: int | None = None, year: int | None = None,
               actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _plans_view(request, session, actor, office_id=office_id, year=year)


@page("POST", "/analyses/plans")
def plan_create(request: Request, form: FormData = FORM,
                actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _post(
        request, session, form, PLAN_FIELDS,
        lambda data: analyses.do_create_plan(session, data, actor=actor, today=today(request)),
        lambda plan: f"/analyses/plans/{plan['id']}",
        lambda fresh, code, errors, values: _plans_view(request, fresh, actor, status=code, errors=errors,
                                                        values=values))


def _plan_view(request: Request, session: Session, actor: Actor, plan_id: int, *, status: int = 200,
               errors: list[dict[str, str]] | None = None, values: dict[str, Any] | None = None) -> Response:
    plan = analyses.access_plan(session, plan_id, actor=actor, today=today(request))
    staff = [(str(p.id), p.full_name) for p in org.access_people(session, actor, office_id=plan["office_id"])]
    t = translator(request)
    approvers = [(str(p["id"]), f"{p['full_name']} — {t(p['position_label'])}")
                 for p in analyses.plan_approver_candidates(session, plan["office_id"])]
    return _named(request, session, "analyses/plan.html", status, plan=plan, staff=staff, approvers=approvers,
                  bases=BASIS_LABELS, errors=errors or [], values=values or {}, today=today(request),
                  statuses=analyses.ITEM_STATUSES)


@page("GET", "/analyses/plans/{plan_id}")
def plan_page(plan_id: int, request: Request, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Response:
    return _plan_view(request, session, actor, plan_id)


def _with_version(fields: Sequence[FormField]) -> tuple[FormField, ...]:
    return (*fields, FormField("version", N_("Версия"), "number", required=True))


def _post_to_plan(request: Request, session: Session, form: FormData, actor: Actor, plan_id: int,
                  fields: Sequence[FormField], action: Callable[..., dict[str, Any]]) -> Response:
    """A change of a plan from its page (an item added, the approval): back to the plan, or the plan
    again with the form's errors."""
    return _post(
        request, session, form, fields,
        lambda data: action(session, plan_id, data, actor=actor, today=today(request)),
        lambda plan: f"/analyses/plans/{plan['id']}",
        lambda fresh, code, errors, values: _plan_view(request, fresh, actor, plan_id, status=code, errors=errors,
                                                values=values))


@page("POST", "/analyses/plans/{plan_id}/items")
def plan_item_add(plan_id: int, request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    return _post_to_plan(request, session, form, actor, plan_id, _with_version(ITEM_FIELDS),
                         analyses.do_add_plan_item)


@page("POST", "/analyses/plans/{plan_id}/approval")
def plan_approve(plan_id: int, request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    return _post_to_plan(request, session, form, actor, plan_id, _with_version(APPROVAL_FIELDS),
                         analyses.do_approve_plan)


@page("POST", "/analyses/plans/{plan_id}/items/{item_id}/analysis")
def plan_item_open(plan_id: int, item_id: int, request: Request, form: FormData = FORM,
                   actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    cal = platform(request).calendar()

    def act(data: dict[str, Any]) -> Any:
        return analyses.do_open_item_analysis(session, plan_id, item_id, {"step": data}, actor=actor, calendar=cal,
                                              today=today(request))

    return _post(
        request, session, form, OPEN_FIELDS, act, lambda _opened: f"/analyses/plans/{plan_id}",
        lambda fresh, code, errors, values: _plan_view(request, fresh, actor, plan_id, status=code, errors=errors,
                                                values=values))


# ============================================================================= organizations

ORGANIZATION_FIELDS = (
    FormField("name", N_("Наименование"), required=True),
    FormField("bin", N_("БИН"), required=True),
    FormField("kind", N_("Вид"), "select", options=tuple(analyses.ORGANIZATION_KINDS.items()), required=True),
    FormField("address", N_("Адрес")),
)


def _organizations_view(request: Request, session: Session, actor: Actor, *, q: str = "", kind: str = "",
                        offset: int = 0, status: int = 200, errors: list[dict[str, str]] | None = None,
                        values: dict[str, Any] | None = None) -> Response:
    found = analyses.access_organizations(session, actor=actor, q=q, kind=kind or None, limit=PAGE,
                                          offset=max(0, offset))
    return render(request, "analyses/organizations.html", status, found=found, q=q, kind=kind,
                  kinds=analyses.ORGANIZATION_KINDS, offset=max(0, offset), size=PAGE, errors=errors or [],
                  values=values or {}, query=lambda **kw: urlencode({"q": q, "kind": kind, **kw}))


@page("GET", "/analyses/organizations")
def organizations_page(request: Request, q: str = "", kind: str = "", offset: int = 0,
                       actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _organizations_view(request, session, actor, q=q, kind=kind, offset=offset)


@page("POST", "/analyses/organizations")
def organization_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                        session: Session = DB) -> Response:
    return _post(
        request, session, form, ORGANIZATION_FIELDS,
        lambda data: analyses.do_create_organization(session, data, actor=actor),
        lambda item: "/analyses/organizations?" + urlencode({"q": item["bin"]}),
        lambda fresh, code, errors, values: _organizations_view(request, fresh, actor, status=code, errors=errors,
                                                         values=values))


# ============================================================================== КУИ register

KUI_FIELDS = (
    FormField("proceeding_id", N_("Номер производства (id анализа или проверки)"), "number", required=True),
    FormField("step", N_("Номер шага решения о регистрации в КУИ"), "number", required=True),
    FormField("number", N_("№ КУИ"), required=True),
    FormField("registered_on", N_("Дата регистрации"), "date", required=True),
    FormField("summary", N_("Краткое содержание"), required=True),
)
TRANSFER_FIELDS = (
    FormField("transferred_to", N_("Кому передано"), required=True),
    FormField("transferred_on", N_("Дата передачи"), "date", required=True),
    FormField("version", N_("Версия"), "number", required=True),
)
RECONCILIATION_FIELDS = (
    FormField("office_id", N_("Прокуратура"), "int_select", required=True),
    FormField("year", N_("Год"), "number", required=True),
    FormField("month", N_("Месяц"), "number", required=True),
    FormField("reconciled_with", N_("Уполномоченный орган"), required=True),
    FormField("reconciled_by", N_("Кто проводил сверку"), required=True),
    FormField("reconciled_on", N_("Дата сверки"), "date", required=True),
    FormField("discrepancies", N_("Расхождения")),
)


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _kui_view(request: Request, session: Session, actor: Actor, *, office_id: int | None = None,
              year: int | None = None, month: int | None = None, transferred: str = "", q: str = "",
              sort: str = "-registered_on", offset: int = 0, status: int = 200,
              errors: list[dict[str, str]] | None = None, values: dict[str, Any] | None = None) -> Response:
    found = analyses.access_kui(session, actor=actor, office_id=office_id, year=year, month=month,
                                transferred=_flag(transferred), q=q, sort=sort, limit=PAGE,
                                offset=max(0, offset))
    params = {k: v for k, v in {"office_id": office_id, "year": year, "month": month, "transferred": transferred,
                                "q": q, "sort": sort}.items() if v not in (None, "")}
    export = {**params, "format": "csv"}
    if "transferred" in export:
        export["transferred"] = "true" if transferred == "yes" else "false"
    reconciling = _default_office(actor, office_id)
    months = (analyses.access_reconciliations(session, actor=actor, office_id=reconciling,
                                              year=year or today(request).year, today=today(request))
              if reconciling is not None else [])
    return _named(request, session, "analyses/kui.html", status, found=found, offices=_offices(request, session, actor),
                  office_id=office_id, year=year, month=month, transferred=transferred, q=q, sort=sort,
                  offset=max(0, offset),
                  size=PAGE, errors=errors or [], values=values or {}, export=urlencode(export),
                  query=lambda **kw: urlencode({**params, **kw}), months=months, month_names=MONTHS,
                  reconciling=reconciling, reconciling_year=year or today(request).year)


@page("GET", "/analyses/kui")
def kui_page(request: Request, office_id: int | None = None, year: int | None = None, month: int | None = None,
             transferred: str = "", q: str = "", sort: str = "-registered_on", offset: int = 0,
             actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _kui_view(request, session, actor, office_id=office_id, year=year, month=month, transferred=transferred,
                     q=q, sort=sort, offset=offset)


def _kui_again(request: Request, actor: Actor) -> Shown:
    return lambda fresh, code, errors, values: _kui_view(request, fresh, actor, status=code, errors=errors,
                                                         values=values)


@page("POST", "/analyses/kui")
def kui_register(request: Request, form: FormData = FORM,
                 actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _post(request, session, form, KUI_FIELDS,
                       lambda data: analyses.do_register_kui(session, data, actor=actor, today=today(request)),
                       lambda item: "/analyses/kui?" + urlencode({"q": item["number"]}),
                       _kui_again(request, actor))


@page("POST", "/analyses/kui/{material_id}/transfer")
def kui_transfer(material_id: int, request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    return _post(request, session, form, TRANSFER_FIELDS,
                       lambda data: analyses.do_transfer_kui(session, material_id, data, actor=actor,
                                                             today=today(request)),
                       lambda item: "/analyses/kui?" + urlencode({"q": item["number"]}),
                       _kui_again(request, actor))


@page("POST", "/analyses/kui/reconciliations")
def kui_reconcile(request: Request, form: FormData = FORM,
                  actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _post(request, session, form, RECONCILIATION_FIELDS,
                       lambda data: analyses.do_record_reconciliation(session, data, actor=actor,
                                                                      today=today(request)),
                       lambda item: "/analyses/kui?" + urlencode({"office_id": item["office_id"],
                                                                  "year": item["year"]}),
                       _kui_again(request, actor))


# ===================================================================== periodic obligations

REPORT_FIELDS = (
    FormField("office_id", N_("Прокуратура"), "number", required=True),
    FormField("report_date", N_("Дата представления"), "date", required=True),
    FormField("analysis_id", N_("Анализ (id)"), "number"),
    FormField("version", N_("Версия"), "number"),
)


def _obligations_view(request: Request, session: Session, actor: Actor, office_id: int | None, year: int | None,
                      *, status: int = 200, errors: list[dict[str, str]] | None = None) -> Response:
    chosen = _default_office(actor, office_id)
    the_year = year or today(request).year
    calendar = (analyses.access_obligations(session, actor=actor, office_id=chosen, year=the_year,
                                            today=today(request), calendar=platform(request).calendar())
                if chosen is not None else None)
    return _named(request, session, "analyses/obligations.html", status, calendar=calendar,
                  offices=_offices(request, session, actor),
                  office_id=chosen, year=the_year, errors=errors or [], today=today(request))


@page("GET", "/analyses/obligations")
def obligations_page(request: Request, office_id: int | None = None, year: int | None = None,
                     actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _obligations_view(request, session, actor, office_id, year)


@page("POST", "/analyses/obligations/{code}/{period_start}/report")
def obligation_report(code: str, period_start: str, request: Request, form: FormData = FORM,
                      actor: Actor = Depends(current_actor),
                      session: Session = DB) -> Response:
    def again(fresh: Session, status: int, errors: list[dict[str, str]], values: dict[str, Any]) -> Response:
        office = values.get("office_id")
        return _obligations_view(request, fresh, actor, office if isinstance(office, int) else None,
                                 _year_of(period_start), status=status, errors=errors)

    return _post(request, session, form, REPORT_FIELDS,
                       lambda data: analyses.do_record_report(session, code, period_start, data, actor=actor,
                                                              today=today(request),
                                                              calendar=platform(request).calendar()),
                       lambda item: "/analyses/obligations?" + urlencode(
                           {"office_id": item["office_id"], "year": item["period_start"][:4]}),
                       again)


def _year_of(period_start: str) -> int | None:
    try:
        return date.fromisoformat(period_start).year
    except ValueError:
        return None


# ============================================================== the register of requirements

REQUIREMENT_SORT_LABELS = {"date": N_("Дата направления"), "number": N_("Анализ"), "office": N_("Прокуратура")}


def _day_or_error(raw: str, field: str, errors: list[dict[str, str]]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append({"field": field, "message": N_("введите дату в формате ДД.ММ.ГГГГ")})
        return None


@page("GET", "/analyses/requirements")
def requirements_page(request: Request, office_id: int | None = None, target: str = "", date_from: str = "",
                      date_to: str = "", q: str = "", databank: str = "", sort: str = "-date", offset: int = 0,
                      actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    """R.19 p. 2, R.21–22, I.67: the requirements sent on the analyses in scope — search by the analysis's
    number, filters, sortable columns, pages, CSV/XLSX export of every row matching the filters."""
    errors: list[dict[str, str]] = []
    start, end = _day_or_error(date_from, "date_from", errors), _day_or_error(date_to, "date_to", errors)
    found: dict[str, Any] = {"total": 0, "items": []}
    if not errors:
        try:
            found = analysis_details.access_requirements(
                session, actor=actor, today=today(request), office_id=office_id, target=target or None,
                date_from=start, date_to=end, q=q, databank=databank or None, sort=sort, limit=PAGE,
                offset=max(0, offset))
        except InvalidInput as exc:
            errors = exc.as_dicts()
    params = {k: v for k, v in {"office_id": office_id, "target": target, "date_from": date_from,
                                "date_to": date_to, "q": q, "databank": databank, "sort": sort}.items()
              if v not in (None, "")}
    labels = {"date_from": N_("Направлено с"), "date_to": N_("Направлено по"), "target": N_("Проверка кого"),
              "databank": N_("Банк данных"), "sort": N_("Сортировка")}
    return render(request, "analyses/requirements.html", 422 if errors else 200, found=found,
                  offices=_offices(request, session, actor), office_id=office_id, target=target, date_from=date_from,
                  date_to=date_to, q=q, databank=databank, sort=sort, offset=max(0, offset), size=PAGE,
                  errors=[e | {"label": labels.get(e["field"], e["field"])} for e in errors],
                  targets=TARGET_LABELS, positions=POSITION_LABELS,
                  export=urlencode(params), query=lambda **kw: urlencode({**params, **kw}))


# ====================================================================== an analysis's sources


@page("POST", "/analyses/{analysis_id}/sources")
def sources_record(analysis_id: int, request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    """R.12: the checklist of the card — each source used or not, with its note; back to the card, or the
    card again with the errors by source (nothing stored)."""
    codes = list(analysis_details.SOURCES)
    raw_version = str(form.get("version", "")).strip()
    data = {"version": int(raw_version) if raw_version.isdigit() else None, "sources": [
        {"code": code, "used": form.get(f"used.{code}") in ("on", "true", "1"),
         "note": str(form.get(f"note.{code}", "")).strip()} for code in codes]}
    posted = {k: str(v) for k, v in form.multi_items()}
    try:
        analysis_details.do_record_sources(session, analysis_id, data, actor=actor)
    except InvalidInput as exc:
        by_code: dict[str, str] = {}
        summary = []
        for e in exc.as_dicts():
            parts = e["field"].split(".")
            code = codes[int(parts[1])] if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(codes) else ""
            if code:
                by_code.setdefault(code, e["message"])
            summary.append({"href": f"#source-{code}-note" if code else "#sources",
                            "label": analysis_details.SOURCES.get(code, N_("Источники сведений")),
                            "message": e["message"]})
        raise ShowAgain(lambda fresh: render_card(request, fresh, actor, "analyses", analysis_id, 422,
                                                  sources_errors=by_code, sources_summary=summary,
                                                  sources_posted=posted)) from None
    except (Refused, Conflict) as exc:
        refusal = exc.message if isinstance(exc, Refused) else message_of(exc)
        raise ShowAgain(lambda fresh: render_card(request, fresh, actor, "analyses", analysis_id, 409,
                                                  sources_posted=posted, sources_refusal=refusal)) from None
    return _see_other(f"/analyses/{analysis_id}#sources")
