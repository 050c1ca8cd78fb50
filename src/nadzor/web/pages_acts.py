"""Pages of acts of supervision (issue 9): the I.64 register with the quarter's table for the
analysis of causes, shown and exported (CSV) through the same service as the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from nadzor.services import acts, org
from nadzor.services.context import Actor, Permission
from nadzor.services.errors import InvalidInput
from nadzor.web import security
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor
from nadzor.web.templating import render

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
    offices = [(str(o.id), o.name_ru) for o in org.all_offices(session)
               if actor.sees_office(o.id) and o.kind == "territorial" and o.level != "district"]
    form: dict[str, Any] = {"office_id": office_id or "", "year": year or "", "quarter": quarter or ""}
    try:
        data = acts.access_register_i64(session, actor=actor, today=security.today(request),
                                        office_id=_number(office_id, "office_id"), year=_number(year, "year"),
                                        quarter=_number(quarter, "quarter"))
    except InvalidInput as exc:
        return render(request, "acts/register_i64.html", 422, data=None, errors=exc.as_dicts(), offices=offices,
                      form=form, columns=acts.REGISTER_COLUMNS, table_columns=acts.TABLE_COLUMNS,
                      events=acts.I64_EVENTS)
    if format == "csv":
        name = f"register-i64-{data['year']}-q{data['quarter']}.csv"
        return Response(acts.register_i64_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    form.update(year=str(data["year"]), quarter=str(data["quarter"]),
                office_id=str(data["office_id"]) if data["office_id"] is not None else "")
    return render(request, "acts/register_i64.html", data=data, errors=[], offices=offices, form=form,
                  columns=acts.REGISTER_COLUMNS, table_columns=acts.TABLE_COLUMNS, events=acts.I64_EVENTS)
