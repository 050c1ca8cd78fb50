"""Accounts over HTTP: tokens (sign-in by login and password), the current user, users' administration."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from nadzor.accounts import service as accounts
from nadzor.accounts.schemas import MeOut, TokenOut, TokenRequest, UserOut
from nadzor.accounts.service import TokenIn, UserIn, UserUpdate
from nadzor.audit import service as audit
from nadzor.domain.accounts import User
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.infra.listing import Page
from nadzor.web.api import Dir, Limit, Offset, Text, listed
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, client_address, current_actor, platform

router = APIRouter(prefix="/api/v1")
P = Permission

BEARER = "bearer"  # the token's type (RFC 6750)


# ------------------------------------------------------------------------- accounts


@endpoint(router, "POST", "/auth/token", P.PUBLIC, summary="Получить токен API по логину и паролю",
          openapi_extra=body(TokenRequest))
def issue_token(request: Request, data: Any = JSON) -> TokenOut:
    """Exchange a login and password for a bearer token (failures count towards the lockout)."""
    if not isinstance(data, dict):
        raise InvalidInput.one("input", "ожидается объект {login, password, name?, days?}")
    plat = platform(request)
    extra = {k: v for k, v in data.items() if k not in ("login", "password")}
    token, item = accounts.issue_token(plat.transaction, data.get("login"), data.get("password"), extra,
                                       passwords=plat.passwords, keys=plat.keys, throttle=plat.sign_ins,
                                       source=client_address(request), today=plat.today())
    return TokenOut(token=token, token_type=BEARER, expires_at=item.expires_at, id=item.id)


@endpoint(router, "GET", "/me", P.SIGNED_IN, summary="Текущий пользователь")
def me(actor: Actor = Depends(current_actor)) -> MeOut:
    return MeOut(login=actor.login, full_name=actor.full_name, is_admin=actor.is_admin, person_id=actor.person_id,
                 office_id=actor.office_id, office_code=actor.office_code, position=actor.position,
                 language=actor.language, roles=sorted(actor.roles))


@endpoint(router, "POST", "/tokens", P.SIGNED_IN, summary="Выпустить токен API для себя",
          openapi_extra=body(TokenIn))
def create_token(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> TokenOut:
    user = session.get(User, actor.user_id)
    assert user is not None
    token, item = accounts.do_create_token(session, user, data, actor=actor,
                                           keys=platform(request).keys)
    return TokenOut(token=token, token_type=BEARER, expires_at=item.expires_at, id=item.id)


@endpoint(router, "DELETE", "/tokens/{token_id}", P.SIGNED_IN, summary="Отозвать токен API", status_code=204)
def revoke_token(token_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    accounts.do_revoke_token(session, token_id, actor=actor)
    return Response(status_code=204)


@endpoint(router, "GET", "/users", P.MANAGE_USERS, summary="Учётные записи")
def list_users(response: Response, q: Text = "", role: Literal["admin", "user"] | None = None,
               status: Literal["active", "disabled", "locked"] | None = None,
               sort: Literal["login", "person", "role", "status"] = "login", dir: Dir = "asc", limit: Limit = None,
               offset: Offset = 0, actor: Actor = Depends(current_actor), session: Session = DB
               ) -> list[UserOut]:
    """Search in the login and the person's name; filter by role and status (`locked`: backing off after
    failed sign-ins now)."""
    flt = accounts.UserFilter(q=q, role=role, status=status)
    page = Page(sort=sort, descending=dir == "desc", limit=limit, offset=offset)
    return listed(response, accounts.list_users(session, actor, flt, page, now=audit.now_utc()),
                   accounts.user_dict, UserOut)


@endpoint(router, "POST", "/users", P.MANAGE_USERS, summary="Создать учётную запись", status_code=201,
          openapi_extra=body(UserIn))
def create_user(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    user = accounts.do_create_user(session, data, actor=actor,
                                   passwords=platform(request).passwords)
    return UserOut.model_validate(accounts.user_dict(user))


@endpoint(router, "PUT", "/users/{user_id}", P.MANAGE_USERS, summary="Изменить учётную запись",
          openapi_extra=body(UserUpdate))
def update_user(user_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    user = accounts.do_update_user(session, user_id, data, actor=actor,
                                   passwords=platform(request).passwords)
    return UserOut.model_validate(accounts.user_dict(user))


@endpoint(router, "POST", "/users/{user_id}/unlock", P.MANAGE_USERS, summary="Снять замедление входа")
def unlock_user(user_id: int, request: Request, actor: Actor = Depends(current_actor),
                session: Session = DB) -> UserOut:
    """End the account's back-off after failed sign-ins and let every address try it again."""
    plat = platform(request)
    user = accounts.do_unlock_user(session, user_id, actor=actor, throttle=plat.sign_ins, keys=plat.keys)
    return UserOut.model_validate(accounts.user_dict(user))
