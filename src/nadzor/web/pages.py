"""The web UI (server-rendered Jinja2 + HTMX): sign-in, the shell, the rule catalogue, the
calendar, the organization and people, acting and zonal assignments, accounts and the audit
trail. Every page states its permission; forms go through the same services as the API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.infra import json_input
from nadzor.infra.context import Permission
from nadzor.infra.errors import Conflict, InvalidInput, message_of
from nadzor.web.forms import FormField, error_summary, errors_by_field, form_data, typed_value, values_of
from nadzor.web.routing import ShowAgain, endpoint
from nadzor.web.security import LANG_COOKIE
from nadzor.web.security import platform as platform_of
from nadzor.web.security import today as request_today
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import N_

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
#: The last page of the audit trail that can be asked for (its offset stays within 64 bits).
MAX_PAGE = 10**9


Route = Callable[[Callable[..., Any]], Callable[..., Any]]


def html_routes(router: APIRouter) -> Callable[[str, str, Permission], Route]:
    """A context's `page(method, path, permission)`: an HTML endpoint on its router."""

    def page(method: str, path: str, permission: Permission) -> Route:
        return endpoint(router, method, path, permission, response_class=HTMLResponse)

    return page


page = html_routes(router)


def safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def date_param(request: Request, value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else request_today(request)
    except ValueError:
        return request_today(request)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def humane_errors(request: Request, errors: list[dict[str, str]], fields: Sequence[FormField] = (),
            data: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Errors as a page shows them: a refused choice asks to choose from the list (never the codes
    it takes), an empty date or number says it is required (not the format it expects), other
    messages are the API's own; each in the interface's language where the catalog has it."""
    t = translator(request)
    kinds = {f.name: (f.kind, f.required) for f in fields}
    out = []
    for e in errors:
        name = e["field"].split(".")[0]
        message = e["message"]
        if name in kinds:
            kind, required = kinds[name]
            empty = (data or {}).get(name) in ("", None)
            if kind in ("select", "int_select", "multicheck"):
                message = N_("выберите значение из списка")
            elif required and empty and kind in ("date", "number", "password"):
                message = N_("обязательное поле не заполнено")
        out.append({**e, "message": t(message)})
    return out


def save_form(
    request: Request, session: Session, form: FormData, *, fields: Sequence[FormField],
    action: Callable[[dict[str, Any]], Any], done: Callable[[Any], str], title: str, cancel: str,
    warn: Callable[[dict[str, Any]], list[str]] | None = None,
) -> Response:
    """Post a form through a service `do_*`; on refusal show the form again with the errors (a
    GOV.UK summary linking to the fields; the routing layer rolls the unit of work back: `ShowAgain`).
    `warn` names what is unusual about a valid input: the form comes back once with the warnings and
    saves only when the user confirms."""
    data = form_data(fields, form)
    try:
        json_input.check(data)
        obj = action(data)
        warnings = warn(data) if warn is not None and form.get("confirm") != "yes" else []
        if warnings:  # nothing is kept until the user confirms
            raise ShowAgain(render(request, "form.html", 200, title=title, fields=fields, values=data, errors={},
                                   cancel=cancel, version=data.get("version"), warning=warnings))
    except InvalidInput as exc:
        errors = humane_errors(request, exc.as_dicts(), fields, data)
        raise ShowAgain(render(request, "form.html", 422, title=title, fields=fields, values=data,
                               errors=errors_by_field(errors), summary=error_summary(fields, errors), cancel=cancel,
                               version=data.get("version"))) from None
    except Conflict as exc:
        raise ShowAgain(render(request, "form.html", 409, title=title, fields=fields, values=data, errors={},
                               message=message_of(exc), cancel=cancel, version=data.get("version"))) from None
    return see_other(done(obj))


def show_form(request: Request, *, title: str, fields: Sequence[FormField], values: dict[str, Any], cancel: str,
          version: int | None = None) -> Response:
    return render(request, "form.html", title=title, fields=fields, values=values, errors={}, cancel=cancel,
                  version=version)


def edit_form(request: Request, item: Any, describe: Callable[[Any], dict[str, Any]],
               fields: Sequence[FormField], *, title: str, cancel: str) -> Response:
    """The form of a stored record (one way for every record): its values as the fields show them,
    a choice of records by id as the id's text, and the version it was read at."""
    values = values_of(describe(item), fields)
    for f in fields:
        if f.kind == "int_select":
            chosen = getattr(item, f.name, None)
            values[f.name] = "" if chosen is None else str(chosen)
    return show_form(request, title=title, fields=fields, values=values, cancel=cancel, version=item.version)


@page("GET", "/lang/{code}", P.PUBLIC)
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    response = see_other(safe_next(next))
    if code in ("ru", "kk"):
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True,
                            secure=platform_of(request).settings.cookie_secure)
    return response


def posted_version(form: FormData) -> int | None:
    raw = str(form.get("version") or "")
    if not raw:
        return None
    version = typed_value("number", raw)
    if not isinstance(version, int) or version < 0:
        raise InvalidInput.one("version", "ожидается целое число")
    json_input.check({"version": version})
    return version


def confirm_page(request: Request, *, title: str, question: str, facts: Sequence[tuple[str, str]], action: str,
             button: str, cancel: str, version: int | None) -> Response:
    """The no-JavaScript confirmation of a destructive action, naming the record (issue 7 §6): the
    action's button posts without `confirm` and lands here; this page posts again with it."""
    t = translator(request)
    return render(request, "confirm.html", title=t(title), question=t(question),
                  facts=[(t(label), value) for label, value in facts], action=action, button=t(button),
                  cancel=cancel, version=version)


def confirmed(form: FormData) -> bool:
    return form.get("confirm") == "yes"


#: A consequential choice is never preselected: the select starts at «— выберите —» (issue 7 §6).
CHOOSE = {"choose": True}
