"""The audit trail over HTTP: its rows with filters, and the verification of its chain."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.audit.schemas import AuditPageOut, AuditRowOut, AuditVerifyOut
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.web.api import Dir, query_date
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor

router = APIRouter(prefix="/api/v1")
P = Permission

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
