"""The audit trail's pages (issue 7 §6): the list of every change (the generic list of
`web/listing.py`: filters answered when wrong, time order either way, numbered pages, CSV and XLSX
export) with each change as a readable before/after table (`audit/view.py`), the check of the
chain, and the «История» tab every record page shows to whoever may read the audit trail
(VIEW_AUDIT: administrators today)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.audit import view as audit_view
from nadzor.domain.audit import ACTION_LABELS
from nadzor.infra.context import Actor, Permission
from nadzor.org import service as org
from nadzor.web import listing
from nadzor.web.listing import N_, Asked, Column, Filter, ListSpec, Shown
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor, language
from nadzor.web.templating import render
from nadzor.web.ui_labels import office_name

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission

AUDIT = ListSpec(
    "/audit", N_("Журнал аудита"),
    columns=(Column("seq", "№", sortable=False), Column("at", N_("Время (Алматы)")),
             Column("actor", N_("Пользователь"), sortable=False), Column("office", N_("Прокуратура"), sortable=False),
             Column("action", N_("Действие"), sortable=False), Column("object", N_("Объект"), sortable=False),
             Column("changes", N_("Изменения"), sortable=False)),
    filters=(Filter("actor_login", N_("Пользователь (логин)")), Filter("office", N_("Прокуратура"), "choice"),
             Filter("object_type", N_("Вид записи"), "choice", tuple(audit_view.OBJECT_TYPES.items())),
             Filter("object_id", N_("№ записи")),
             Filter("action", N_("Действие"), "choice", tuple(ACTION_LABELS.items())),
             Filter("date_from", N_("С даты"), "date"), Filter("date_to", N_("По дату"), "date")),
    sort="at", descending=True, ranges=(("date_from", "date_to"),), page_sizes=(50, 20, 100))


def _translate(request: Request) -> audit_view.Translate:
    from nadzor.web.templating import translator

    return translator(request)


def names_for(request: Request, session: Session, actor: Actor, rows: list[dict[str, Any]]) -> audit_view.Names:
    offices = {o.id: o for o in org.all_offices(session) if o.id is not None}
    return audit_view.Names(offices, org.people_names(session, actor, audit_view.person_ids(rows)),
                            language(request))


def _office_choices(session: Session, lang: str = "ru") -> list[tuple[str, str]]:
    """The office filter's choices by code, named in the interface's language (`name_kk` where stored)."""
    return sorted(((o.code, office_name(o, lang)) for o in org.all_offices(session)), key=lambda x: x[1])


def _filter(a: Asked, *, export: bool) -> audit.AuditFilter:
    page = a.page(export=export)
    return audit.AuditFilter(actor=a.typed["actor_login"] or "", office=a.typed["office"] or "",
                             object_type=a.typed["object_type"] or "", object_id=a.typed["object_id"] or "",
                             action=a.typed["action"] or "", date_from=a.typed["date_from"],
                             date_to=a.typed["date_to"], limit=page.limit, offset=page.offset,
                             descending=a.descending)


@endpoint(router, "GET", "/audit", P.VIEW_AUDIT, response_class=HTMLResponse)
def audit_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    offices = _office_choices(session, language(request))
    a = listing.asked(AUDIT, request.query_params, {"office": offices})
    total, rows = audit.access_audit(session, actor, _filter(a, export=False))
    view = listing.shown(a, total, options={"office": offices})
    if not isinstance(view, Shown):
        return view
    shown = audit_view.readable(rows, names_for(request, session, actor, rows), _translate(request))
    return render(request, "audit.html", 422 if a.errors else 200, L=view, rows=shown)


@endpoint(router, "GET", "/audit/export", P.VIEW_AUDIT, response_class=HTMLResponse)
def audit_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Response:
    a = listing.asked(AUDIT, request.query_params, {"office": _office_choices(session)})
    a.refuse()
    _total, rows = audit.access_audit(session, actor, _filter(a, export=True))
    shown = audit_view.readable(rows, names_for(request, session, actor, rows), _translate(request))
    return listing.exported(audit_view.export_table(shown), title="Журнал аудита", filename="audit", format=format)


@endpoint(router, "GET", "/audit/verify", P.VIEW_AUDIT, response_class=HTMLResponse)
def audit_verify(request: Request, session: Session = DB) -> Response:
    problem = audit.verify(session)
    return render(request, "_audit_verify.html", problem=problem)


def history(request: Request, session: Session, actor: Actor, object_type: str, object_id: int | None,
            tab: str) -> dict[str, Any]:
    """The context of a record page's tabs: «Сведения» and, for whoever may read the audit trail,
    «История» — the record's own audit rows, newest first, each as a readable change."""
    can = actor.can(Permission.VIEW_AUDIT)
    out: dict[str, Any] = {"tab": "history" if tab == "history" else "", "can_history": can,
                           "history_rows": [], "history_total": 0, "record_path": request.url.path}
    if tab == "history":
        total, rows = audit.access_history(session, actor, object_type, object_id)
        out.update(history_rows=audit_view.readable(rows, names_for(request, session, actor, rows),
                                                    _translate(request)), history_total=total)
    return out
