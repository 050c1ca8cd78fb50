"""One way to declare an endpoint: method, path and the permission it states and enforces, and
where its work runs.

Handlers are plain `def`: FastAPI runs them in its thread pool, so no database work, password
hashing or rule evaluation ever blocks the event loop (`endpoint` refuses `async def`). A handler
that takes `session: Session = DB` gets its whole unit of work in that one thread: the
transaction opens before the handler runs and commits (or rolls back) when it returns — before
the response is sent, so a client never sees a timeout or a success for a change that is not
stored, and a lock is never held by a request that waits for the event loop. A GET reads in a
read-only session. Handlers never commit or roll back: a page that answers a refused change by
showing its form again raises `ShowAgain`, and this layer rolls the unit of work back and builds
that page in a fresh read-only session. The body is read asynchronously by a dependency
(`JSON`, `FORM`, `RAW`), within the size limit of `middleware.BodyLimit`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, get_type_hints

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.infra import json_input
from nadzor.infra.context import PERMISSION_LABELS, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.rules.bounds import int_problem, text_problem
from nadzor.web.security import DB, guard, platform

_REQUEST = "nadzor_request"


class ShowAgain(Exception):
    """The change a page posted was refused (bad input, a refusal of the law, a stale version):
    nothing of its unit of work is kept, and the answer is `page` — a response, or a function
    building it from a fresh read-only session (the refused change is not in it)."""

    def __init__(self, page: Response | Callable[[Session], Response]) -> None:
        super().__init__("shown again after a refused change")
        self.page = page

    def answer(self, read_only: Callable[[], Any]) -> Response:
        if isinstance(self.page, Response):
            return self.page
        with read_only() as session:
            return self.page(session)


def endpoint(
    router: APIRouter, method: str, path: str, permission: Permission, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = (func.__doc__ or "").strip()
        extra = {"x-permission": permission.value} | options.pop("openapi_extra", {})
        router.add_api_route(
            path, in_thread(func, read_only=method == "GET"), methods=[method],
            dependencies=[Depends(guard(permission))], openapi_extra=extra,
            description=f"{doc}\n\nПраво доступа: {PERMISSION_LABELS[permission]}.".strip(),
            **options,
        )
        router.routes[-1].permission = permission  # type: ignore[attr-defined]
        return func

    return register


def in_thread(func: Callable[..., Any], *, read_only: bool) -> Callable[..., Any]:
    """The handler as FastAPI sees it: a plain function (run in the thread pool) that refuses
    out-of-range integers and unstorable text in path and query parameters, then runs `func`
    inside its transaction when `func` takes `session: Session = DB`."""
    if inspect.iscoroutinefunction(func):
        raise TypeError(f"{func.__qualname__}: a handler is a plain def (its work runs in the thread pool)")
    signature = inspect.signature(func)
    hints = get_type_hints(func, include_extras=True)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()]
    wants_session = any(p.name == "session" and p.default is DB for p in params)
    params = [p for p in params if not (p.name == "session" and p.default is DB)]
    request_name = next((p.name for p in params if p.annotation is Request), None)
    if wants_session and request_name is None:
        request_name = _REQUEST
        params.append(inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request))

    @functools.wraps(func)
    def handle(**kwargs: Any) -> Any:
        request: Request | None = kwargs[request_name] if request_name else None
        if request_name == _REQUEST:
            del kwargs[_REQUEST]
        check_parameters(kwargs)
        if not wants_session:
            return func(**kwargs)
        assert request is not None
        plat = platform(request)
        try:
            with plat.read_only() if read_only else plat.transaction() as session:
                return func(session=session, **kwargs)
        except ShowAgain as again:  # the unit of work was rolled back on the way out
            return again.answer(plat.read_only)

    handle.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=params, return_annotation=hints.get("return", signature.return_annotation))
    return handle


def check_parameters(values: dict[str, Any]) -> None:
    """Path and query values: integers fit the databases' 64 bits, text has no NUL."""
    for name, value in values.items():
        problem = None
        if isinstance(value, str):
            problem = text_problem(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            problem = int_problem(value)
        if problem:
            raise InvalidInput.one(name, problem)


async def json_body(request: Request) -> Any:
    """The request's JSON body, read on the event loop (it is bounded in size) and checked by
    `json_input` (depth, integers, text)."""
    raw = await request.body()
    if not raw:
        raise InvalidInput.one("input", "тело запроса пусто: ожидается JSON")
    return json_input.loads(raw)


async def raw_body(request: Request) -> bytes:
    return await request.body()


async def form_body(request: Request) -> FormData:
    """The posted form; a text value with NUL is refused naming its field."""
    form = await request.form()
    for key, value in form.multi_items():
        if isinstance(value, str) and (problem := text_problem(value)):
            raise InvalidInput.one(json_input.printable(key), problem)
    return form


JSON = Depends(json_body)
RAW = Depends(raw_body)
FORM = Depends(form_body)
