"""Analyses over HTTP (issue 10): plans of analyses (R.11), the directory of organizations (R.13–14),
the КУИ register and its monthly reconciliations (R.19 p. 5, R.20), the periodic obligations and
their reports (R.5–9, I.46, I.64, I.70), an analysis's sources (R.12) and the register of requirements
(R.21–22). Handlers translate the request and call `analyses.service` / `analyses.details`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from nadzor.analyses import details as analysis_details
from nadzor.analyses import service as analyses
from nadzor.analyses.schemas import (
    KuiOut,
    KuiPageOut,
    ObligationsOut,
    OfficeObligationOut,
    OrganizationOut,
    OrganizationsOut,
    PetitionDraftOut,
    PlanOut,
    ReconciliationMonthOut,
    ReconciliationOut,
    RequirementsOut,
    SourcesOut,
)
from nadzor.casework.schemas import ProceedingOut
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, current_actor, platform, today

router = APIRouter(prefix="/api/v1")
P = Permission.SIGNED_IN
#: Changes need a role that records (never an auditor's).
W = Permission.RECORD


def _csv(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The other answers of a register with `format=csv` or `xlsx`.
_EXPORTS: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {"schema": {"type": "string"}},
                                                               XLSX: {"schema": {"type": "string",
                                                                                 "format": "binary"}}}}}


def _export(table: list[tuple[str, ...]], fmt: str, name: str, title: str) -> Response:
    """A register as CSV (UTF-8 with BOM, `;`) or XLSX."""
    from nadzor.web.listing import xlsx_bytes

    if fmt == "xlsx":
        return Response(xlsx_bytes(table, title), media_type=XLSX,
                        headers={"content-disposition": f'attachment; filename="{name}.xlsx"'})
    if fmt != "csv":
        raise InvalidInput.one("format", "ожидается json, csv или xlsx")
    return _csv(analyses.to_csv(table[0], table[1:]), f"{name}.csv")


def _day(raw: str | None, field: str) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput.one(field, f"ожидается дата ГГГГ-ММ-ДД, получено {raw!r}") from None


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, 500)), max(0, offset)


# ===================================================================================== plans


@endpoint(router, "GET", "/analysis-plans", P, summary="Планы анализов: список", response_model=list[PlanOut],
          responses=_EXPORTS)
def list_plans(request: Request, office_id: int | None = None, year: int | None = None, format: str = "json",
               actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """Plans in the actor's scope with their items and how many are done, in progress, overdue, planned;
    `format=csv` or `xlsx`: one row per item."""
    if format != "json":
        table = analyses.plans_table(session, actor=actor, today=today(request), office_id=office_id, year=year)
        return _export(table, format, "analysis-plans", "Планы анализов")
    return analyses.access_plans(session, actor=actor, today=today(request), office_id=office_id, year=year)


@endpoint(router, "POST", "/analysis-plans", W, summary="Планы анализов: составить", status_code=201,
          response_model=PlanOut, openapi_extra=body(analyses.PlanIn))
def create_plan(request: Request, data: Any = JSON,
                actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """`{office_id, year, quarter?, title?}`: an annual plan, or a quarterly one with `quarter`."""
    return analyses.do_create_plan(session, data, actor=actor, today=today(request))


@endpoint(router, "GET", "/analysis-plans/{plan_id}", P, summary="Планы анализов: план", response_model=PlanOut)
def read_plan(plan_id: int, request: Request, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Any:
    return analyses.access_plan(session, plan_id, actor=actor, today=today(request))


@endpoint(router, "POST", "/analysis-plans/{plan_id}/items", W, summary="Планы анализов: внести пункт",
          status_code=201, response_model=PlanOut, openapi_extra=body(analyses.PlanItemIn))
def add_item(plan_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
             session: Session = DB) -> Any:
    """`{version, topic, responsible_person_id, quarter}`: before approval only (409 `plan_approved`)."""
    return analyses.do_add_plan_item(session, plan_id, data, actor=actor,
                                   today=today(request))


@endpoint(router, "POST", "/analysis-plans/{plan_id}/approval", W, summary="Планы анализов: утвердить",
          response_model=PlanOut, openapi_extra=body(analyses.PlanApprovalIn))
def approve_plan(plan_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Any:
    """`{version, person_id, date}`: R.11 — 409 `signer_not_allowed` unless the person may approve on that date."""
    return analyses.do_approve_plan(session, plan_id, data, actor=actor,
                                   today=today(request))


@endpoint(router, "POST", "/analysis-plans/{plan_id}/items/{item_id}/analysis", W, status_code=201,
          summary="Планы анализов: начать анализ по пункту", response_model=ProceedingOut,
          openapi_extra=body(analyses.OpenItemIn))
def open_item(plan_id: int, item_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Any:
    """`{step: {date, basis, group_leader_person_id?}, details?}`: the stored analysis (as
    `POST /api/v1/analyses` answers), opened via the plan and signed by its approver."""
    cal, day = platform(request).calendar(), today(request)
    return analyses.do_open_item_analysis(session, plan_id, item_id, data, actor=actor,
                                   calendar=cal, today=day)


# ============================================================================= organizations


@endpoint(router, "GET", "/organizations", P, summary="Организации: справочник", response_model=OrganizationsOut)
def list_organizations(q: str = "", kind: str | None = None, limit: int = 50, offset: int = 0,
                       actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """Search by name, BIN or address; filter by kind (state_body, quasi_state, private_business)."""
    size, start = _page(limit, offset)
    return analyses.access_organizations(session, actor=actor, q=q, kind=kind, limit=size, offset=start)


@endpoint(router, "POST", "/organizations", W, summary="Организации: внести", status_code=201,
          response_model=OrganizationOut, openapi_extra=body(analyses.OrganizationIn))
def create_organization(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                        session: Session = DB) -> Any:
    """`{name, bin, kind, address?}`: the BIN is checked with its check digit."""
    return analyses.do_create_organization(session, data, actor=actor)


@endpoint(router, "GET", "/organizations/{organization_id}", P, summary="Организации: карточка",
          response_model=OrganizationOut)
def read_organization(organization_id: int, actor: Actor = Depends(current_actor),
                      session: Session = DB) -> Any:
    return analyses.access_organization(session, organization_id, actor=actor)


@endpoint(router, "PUT", "/organizations/{organization_id}", W, summary="Организации: изменить",
          response_model=OrganizationOut, openapi_extra=body(analyses.OrganizationIn))
def update_organization(organization_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                        session: Session = DB) -> Any:
    return analyses.do_update_organization(session, organization_id, data, actor=actor)


# ============================================================================== КУИ register


@endpoint(router, "GET", "/kui-materials", P, summary="КУИ: реестр", response_model=KuiPageOut, responses=_EXPORTS)
def list_kui(request: Request, office_id: int | None = None, year: int | None = None, month: int | None = None,
             transferred: bool | None = None, q: str = "", sort: str = "-registered_on", limit: int = 50,
             offset: int = 0, format: str = "json", actor: Actor = Depends(current_actor),
             session: Session = DB) -> Any:
    """Filters: office, year (and month) of registration, transferred or not, number; `sort`: registered_on,
    number or transferred_on, `-` first for descending; `format=csv` or `xlsx` exports every row matching
    the filters."""
    if format != "json":
        table = analyses.kui_table(session, actor=actor, office_id=office_id, year=year, month=month,
                                   transferred=transferred, q=q, sort=sort)
        return _export(table, format, "kui", "КУИ")
    size, start = _page(limit, offset)
    return analyses.access_kui(session, actor=actor, office_id=office_id, year=year, month=month,
                               transferred=transferred, q=q, sort=sort, limit=size, offset=start)


@endpoint(router, "POST", "/kui-materials", W, summary="КУИ: зарегистрировать материалы", status_code=201,
          response_model=KuiOut, openapi_extra=body(analyses.KuiIn))
def register_kui(request: Request, data: Any = JSON,
                 actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """`{proceeding_id, step, number, registered_on, summary}`: `step` is the index of the decision
    `kui_registration` of the analysis or check (R.19 p. 5)."""
    return analyses.do_register_kui(session, data, actor=actor, today=today(request))


@endpoint(router, "GET", "/kui-materials/{material_id}", P, summary="КУИ: запись", response_model=KuiOut)
def read_kui(material_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    return analyses.access_kui_material(session, material_id, actor=actor)


@endpoint(router, "POST", "/kui-materials/{material_id}/transfer", W, summary="КУИ: передача по ч. 5 ст. 181 УПК",
          response_model=KuiOut, openapi_extra=body(analyses.KuiTransferIn))
def transfer_kui(material_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Any:
    """`{version, transferred_to, transferred_on}` (R.20)."""
    return analyses.do_transfer_kui(session, material_id, data, actor=actor,
                                   today=today(request))


@endpoint(router, "GET", "/kui-reconciliations", P, summary="КУИ: сверки за год",
          response_model=list[ReconciliationMonthOut])
def list_reconciliations(request: Request, office_id: int, year: int, actor: Actor = Depends(current_actor),
                         session: Session = DB) -> Any:
    """The twelve months of the year: the reconciliation recorded, or `missing` once the month has ended."""
    return analyses.access_reconciliations(session, actor=actor, office_id=office_id, year=year,
                                           today=today(request))


@endpoint(router, "POST", "/kui-reconciliations", W, summary="КУИ: отметить сверку", status_code=201,
          response_model=ReconciliationOut, openapi_extra=body(analyses.ReconciliationIn))
def record_reconciliation(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                          session: Session = DB) -> Any:
    """`{office_id, year, month, reconciled_with, reconciled_by, reconciled_on, discrepancies?}` (R.20)."""
    return analyses.do_record_reconciliation(session, data, actor=actor,
                                   today=today(request))


# ===================================================================== periodic obligations


@endpoint(router, "GET", "/periodic-obligations", P, summary="Периодическая информация: календарь",
          response_model=ObligationsOut)
def list_obligations(request: Request, office_id: int, year: int, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> Any:
    """The office's obligations of the year by its kind, each with its period, report due date, the
    analysis and report that fulfil it, and `overdue` (due before today in Asia/Almaty, no report)."""
    return analyses.access_obligations(session, actor=actor, office_id=office_id, year=year, today=today(request),
                                       calendar=platform(request).calendar())


@endpoint(router, "POST", "/periodic-obligations/{code}/{period_start}/report", W,
          summary="Периодическая информация: отметить представление", response_model=OfficeObligationOut,
          openapi_extra=body(analyses.ReportIn))
def record_report(code: str, period_start: str, request: Request, data: Any = JSON,
                  actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Any:
    """`{office_id, report_date, analysis_id?, version?}`: `version` corrects a report already recorded."""
    return analyses.do_record_report(session, code, period_start, data, actor=actor,
                                     today=today(request), calendar=platform(request).calendar())


# ============================================================================ an analysis (R.12)


@endpoint(router, "GET", "/analyses/{analysis_id}/sources", P, summary="Анализы: источники сведений",
          response_model=SourcesOut)
def read_sources(analysis_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """R.12: each source of the paragraph, used or not, with its note; `recorded` false until entered."""
    return analysis_details.access_sources(session, analysis_id, actor=actor)


@endpoint(router, "PUT", "/analyses/{analysis_id}/sources", W, summary="Анализы: отметить источники сведений",
          response_model=SourcesOut, openapi_extra=body(analysis_details.SourcesIn))
def record_sources(analysis_id: int, data: Any = JSON, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Any:
    """`{version?, sources: [{code, used, note?}, …]}` — every source of R.12 once; `version` corrects the
    checklist already recorded; 409 `analysis_closed` once the analysis is closed."""
    return analysis_details.do_record_sources(session, analysis_id, data, actor=actor)


@endpoint(router, "GET", "/analyses/{analysis_id}/petitions/{step}/check-draft", P,
          summary="Анализы: проверка по ходатайству (заполнение)", response_model=PetitionDraftOut)
def petition_draft(analysis_id: int, step: int, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Any:
    """What a check opened on the analysis's petition (the decision at `step`, R.23) is filled with; post it
    to `POST /api/v1/checks` with `details.origin_analysis = {id, step}`."""
    return analysis_details.petition_prefill(session, analysis_id, step, actor=actor)


# ============================================================== the register of requirements


@endpoint(router, "GET", "/analysis-requirements", P, summary="Требования о проведении проверок: реестр",
          response_model=RequirementsOut, responses=_EXPORTS)
def list_requirements(request: Request, office_id: int | None = None, target: str | None = None,
                      date_from: str | None = None, date_to: str | None = None, q: str = "",
                      databank: str | None = None, sort: str = "-date", limit: int = 50, offset: int = 0,
                      format: str = "json", actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """R.19 p. 2, R.21–22: the requirements to check a state body or a business sent on the analyses in
    scope — filters: office, `target` (state_body, business), period of sending, analysis number, `databank`
    (open, entered: I.67); `sort`: date, number, office (`-` first: descending); `format=csv` or `xlsx`."""
    common = {"office_id": office_id, "target": target or None, "date_from": _day(date_from, "date_from"),
              "date_to": _day(date_to, "date_to"), "q": q, "databank": databank or None, "sort": sort}
    if format != "json":
        found = analysis_details.access_requirements(session, actor=actor, today=today(request), limit=None,
                                                     **common)  # type: ignore[arg-type]
        return _export(analysis_details.requirements_table(found["items"]), format, "requirements",
                       "Требования")
    size, start = _page(limit, offset)
    return analysis_details.access_requirements(session, actor=actor, today=today(request), limit=size,
                                                offset=start, **common)  # type: ignore[arg-type]
