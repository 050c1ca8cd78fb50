"""Who is asking, and may they: bearer tokens for the API, a session cookie (HttpOnly, SameSite,
Secure in production) with a CSRF token for the web UI, and one `guard` per endpoint that states
and enforces its permission."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from nadzor.accounts.service import actor_for, session_user, token_user
from nadzor.bootstrap import Platform
from nadzor.infra.context import Actor, Permission

SESSION_COOKIE = "nadzor_session"
LOGIN_CSRF_COOKIE = "nadzor_login_csrf"
LANG_COOKIE = "nadzor_lang"
ANONYMOUS = Actor(login="anonymous", visible=frozenset())
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class NotSignedIn(Exception):
    """No valid session or token: the API answers 401, pages redirect to the sign-in page."""


class CsrfFailed(Exception):
    """A cookie-authenticated change without the session's CSRF token."""


def platform(request: Request) -> Platform:
    found: Platform = request.app.state.platform
    return found


def _session_marker() -> Session:
    raise RuntimeError("`session: Session = DB` works only in handlers declared with routing.endpoint")


#: Marks the handler parameter that receives the request's session: `routing.endpoint` runs the
#: handler inside one transaction (a read-only session for GET) in the handler's own thread and
#: commits it *before* the response is sent.
DB = Depends(_session_marker)


def client_address(request: Request) -> str:
    """The address sign-ins are throttled by (behind a reverse proxy, run uvicorn with
    `--forwarded-allow-ips` so that this is the client's, not the proxy's)."""
    return request.client.host if request.client else "unknown"


def today(request: Request) -> date:
    """Today in Asia/Almaty by the platform's clock: overdue and days left are counted from it."""
    return platform(request).today()


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    actor: Actor | None = getattr(request.state, "actor", None)
    if lang in ("ru", "kk"):
        return lang
    return actor.language if actor is not None and actor.language in ("ru", "kk") else "ru"


async def current_actor(request: Request) -> Actor:
    """Resolve the caller once per request (cached on request.state). A caller without a token or
    a session cookie is anonymous at once, on the event loop: no database connection is opened and
    no thread is taken for the public calculators (issue 7 §7); one with credentials is looked up
    in the thread pool."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    if not request.headers.get("authorization", "").lower().startswith("bearer ") and \
            not request.cookies.get(SESSION_COOKIE):
        request.state.web_session = None
        request.state.actor = ANONYMOUS
        return ANONYMOUS
    return await run_in_threadpool(_resolve_actor, request)


def _resolve_actor(request: Request) -> Actor:
    plat = platform(request)
    actor = ANONYMOUS
    request.state.web_session = None
    header = request.headers.get("authorization", "")
    with plat.read_only() as session:
        if header.lower().startswith("bearer "):
            user = token_user(session, header[7:].strip(), keys=plat.keys)
            if user is not None:
                actor = actor_for(session, user, today=plat.today())
                request.state.via = "token"
        else:
            cookie = request.cookies.get(SESSION_COOKIE)
            found = session_user(session, cookie, keys=plat.keys) if cookie else None
            if found is not None:
                user, web = found
                actor = actor_for(session, user, today=plat.today())
                request.state.web_session = web
                request.state.via = "cookie"
    request.state.actor = actor
    return actor


async def _check_csrf(request: Request) -> None:
    if request.method not in UNSAFE or getattr(request.state, "via", "") != "cookie":
        return
    web = request.state.web_session
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
    if not sent or not hmac.compare_digest(sent, web.csrf_token):
        raise CsrfFailed("запрос отклонён: отсутствует или неверен CSRF-токен; обновите страницу")


def guard(permission: Permission) -> Callable[..., Any]:
    """The dependency that enforces `permission` (and CSRF for cookie-authenticated changes)."""

    async def enforce(request: Request, actor: Actor = Depends(current_actor)) -> Actor:
        if permission != Permission.PUBLIC and actor.user_id is None:
            raise NotSignedIn("требуется вход в систему")
        actor.require(permission)
        if permission != Permission.PUBLIC:  # public calculators change nothing on anyone's behalf
            await _check_csrf(request)
        return actor

    enforce.permission = permission  # type: ignore[attr-defined]
    return enforce


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)
