"""Sign-in and sign-out, the language, one's own account (password, API tokens), users' forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nadzor.accounts import service as accounts
from nadzor.accounts.tables import api_tokens
from nadzor.audit import service as audit
from nadzor.domain.accounts import ApiToken, User
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import AuthenticationFailed, InvalidInput, Message, NotFound, TooManyAttempts, message_of
from nadzor.org import service as org
from nadzor.org.pages import ListPage, list_routes, person_fact, record_page
from nadzor.org.pages_forms import people_options
from nadzor.web.forms import FormField, error_summary, errors_by_field, typed_value
from nadzor.web.listing import Asked, Column, Filter, ListSpec
from nadzor.web.pages import (
    confirm_page,
    confirmed,
    edit_form,
    html_routes,
    humane_errors,
    safe_next,
    save_form,
    see_other,
    show_form,
)
from nadzor.web.routing import FORM, ShowAgain, endpoint
from nadzor.web.security import DB, LOGIN_CSRF_COOKIE, SESSION_COOKIE, client_address, current_actor, new_login_csrf
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import LANGUAGES, local_time, render, translator
from nadzor.web.ui_labels import N_

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
page = html_routes(router)
#: The account's record page, included after the forms (`/users/new` is not an account's id).
records = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission

# ============================================================================ sign-in


@page("GET", "/login", P.PUBLIC)
def login_form(request: Request, next: str = "/") -> Response:
    token = new_login_csrf()
    response = render(request, "login.html", next=safe_next(next), login_csrf=token, error="")
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=platform_of(request).settings.cookie_secure)
    return response


@page("POST", "/login", P.PUBLIC)
def login(request: Request, form: FormData = FORM) -> Response:
    plat = platform_of(request)
    target = safe_next(str(form.get("next", "/")))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or cookie != form.get("login_csrf"):
        token = new_login_csrf()
        response = render(request, "login.html", 400, next=target, login_csrf=token,
                          error="Форма устарела: войдите ещё раз")
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=plat.settings.cookie_secure)
        return response
    try:  # the service keeps a failed attempt's count and audit rows in its own unit of work
        token, _web = accounts.sign_in(plat.transaction, form.get("login"), form.get("password"),
                                       passwords=plat.passwords, keys=plat.keys, throttle=plat.sign_ins,
                                       source=client_address(request), hours=plat.settings.session_hours)
    except (AuthenticationFailed, TooManyAttempts, InvalidInput) as exc:
        status = 401 if isinstance(exc, AuthenticationFailed) else 429 if isinstance(exc, TooManyAttempts) else 422
        message = "; ".join(e["message"] for e in exc.as_dicts()) if isinstance(exc, InvalidInput) else message_of(exc)
        fresh = new_login_csrf()
        shown = form.get("login")
        response = render(request, "login.html", status, next=target, login_csrf=fresh, error=message,
                          login=shown[:80] if isinstance(shown, str) else "")
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        response.set_cookie(LOGIN_CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=plat.settings.cookie_secure)
        return response
    redirect = see_other(target)
    redirect.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=plat.settings.cookie_secure,
                        max_age=plat.settings.session_hours * 3600)
    redirect.delete_cookie(LOGIN_CSRF_COOKIE)
    return redirect


@page("POST", "/logout", P.SIGNED_IN)
def logout(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    web = request.state.web_session
    if web is not None:
        found = session.merge(web)
        accounts.do_sign_out(session, found, actor=actor)
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


# ============================================================================ accounts


def user_fields(session: Session, actor: Actor, request: Request, *, new: bool) -> tuple[FormField, ...]:
    people = [("", "—"), *people_options(session, actor, request)]
    common = (
        FormField("person_id", "Сотрудник", "int_select", options=people),
        FormField("is_admin", "Администратор", "checkbox"),
        FormField("is_auditor", "Аудитор (читает журнал аудита, ничего не изменяет)", "checkbox"),
        FormField("language", "Язык интерфейса", "select", options=[("ru", "Русский"), ("kk", "Қазақша")]),
    )
    if new:
        return (FormField("login", "Логин", required=True),
                FormField("password", "Пароль (не менее 10 символов)", "password", required=True), *common)
    return (*common, FormField("active", "Учётная запись действует", "checkbox"),
            FormField("password", "Новый пароль (оставьте пустым, чтобы не менять)", "password"))


@page("GET", "/users/new", P.MANAGE_USERS)
def user_new(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return show_form(request, title="Новая учётная запись", fields=user_fields(session, actor, request, new=True),
                 values={"language": "ru"}, cancel="/users")


@page("POST", "/users/new", P.MANAGE_USERS)
def user_create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    return save_form(request, session, form, fields=user_fields(session, actor, request, new=True),
                 action=lambda data: accounts.do_create_user(session, data, actor=actor,
                                                             passwords=plat.passwords),
                 done=lambda _u: "/users", title="Новая учётная запись", cancel="/users")


@page("GET", "/users/{user_id}/edit", P.MANAGE_USERS)
def user_edit(request: Request, user_id: int, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Response:
    user = accounts.access_user(session, actor, user_id)
    return edit_form(request, user, accounts.user_dict, user_fields(session, actor, request, new=False),
                      title=f"Учётная запись {user.login}", cancel=f"/users/{user_id}")


@page("POST", "/users/{user_id}/edit", P.MANAGE_USERS)
def user_update(request: Request, user_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    return save_form(request, session, form, fields=user_fields(session, actor, request, new=False),
                 # The form shows every field: an emptied person is an unlinked one.
                 action=lambda data: accounts.do_update_user(session, user_id, {"person_id": None} | data,
                                                             actor=actor, passwords=plat.passwords),
                 done=lambda _u: "/users", title="Изменить учётную запись", cancel="/users")


@page("POST", "/users/{user_id}/unlock", P.MANAGE_USERS)
def user_unlock(request: Request, user_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    plat = platform_of(request)
    accounts.do_unlock_user(session, user_id, actor=actor, throttle=plat.sign_ins, keys=plat.keys)
    return see_other("/users")


PASSWORD_FIELDS = (
    FormField("current", N_("Текущий пароль"), "password", required=True),
    FormField("new", N_("Новый пароль"), "password", required=True, help=N_("Не менее 10 символов")),
    FormField("repeat", N_("Новый пароль ещё раз"), "password", required=True),
)


def _account(request: Request, session: Session, actor: Actor, status: int = 200, **context: Any) -> Response:
    tokens = session.query(ApiToken).filter(api_tokens.c.user_id == actor.user_id).order_by(api_tokens.c.id).all()
    values = {"new_token": None, "errors": [], "password_errors": {}, "password_summary": [],
              "password_changed": False} | context
    return render(request, "account.html", status, tokens=tokens, now=audit.now_utc(),
                  password_fields=PASSWORD_FIELDS, **values)


@page("GET", "/account", P.SIGNED_IN)
def account_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    return _account(request, session, actor, password_changed=request.query_params.get("password") == "changed")


@page("POST", "/account/password", P.SIGNED_IN)
def account_password(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                     session: Session = DB) -> Response:
    """Change one's own password (current + new twice); the user's other sessions end, this one
    stays (accounts.service.do_change_own_password)."""
    web = request.state.web_session
    data = {f.name: str(form.get(f.name) or "") for f in PASSWORD_FIELDS}
    try:
        accounts.do_change_own_password(session, data, actor=actor, passwords=platform_of(request).passwords,
                                        keep_session_id=web.id if web is not None else None)
    except InvalidInput as exc:
        errors = humane_errors(request, exc.as_dicts(), PASSWORD_FIELDS, data)
        raise ShowAgain(lambda fresh: _account(request, fresh, actor, 422, password_errors=errors_by_field(errors),
                                               password_summary=error_summary(PASSWORD_FIELDS, errors))) from None
    return see_other("/account?password=changed")


TOKEN_FIELDS = (FormField("name", N_("Название"), required=True), FormField("days", N_("Дней"), "number"))


@page("POST", "/account/tokens", P.SIGNED_IN)
def account_token(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
    user = session.get(User, actor.user_id)
    assert user is not None
    days = str(form.get("days") or "90")
    data: dict[str, Any] = {"name": str(form.get("name", "")), "days": typed_value("number", days)}
    try:
        new_token, _item = accounts.do_create_token(session, user, data, actor=actor, keys=platform_of(request).keys)
    except InvalidInput as exc:
        errors = humane_errors(request, exc.as_dicts(), TOKEN_FIELDS, data)
        raise ShowAgain(lambda fresh: _account(request, fresh, actor, 422, errors=errors,
                                               token_summary=error_summary(TOKEN_FIELDS, errors),
                                               token_errors=errors_by_field(errors))) from None
    return _account(request, session, actor, new_token=new_token, token_summary=[], token_errors={})


@page("POST", "/account/tokens/{token_id}/revoke", P.SIGNED_IN)
def account_revoke(request: Request, token_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Response:
    """Revoke one's own API token once confirmed (the first post answers the confirmation page)."""
    if not confirmed(form):
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(Message("%(what)s %(id)s", what=Message("токен"), id=token_id))
        return confirm_page(request, title=N_("Отозвать токен API?"),
                        question=N_("Программы, которые входят с этим токеном, потеряют доступ. Отзыв не отменяется."),
                        facts=[(N_("Название"), token.name), (N_("Выпущен"), local_time(token.created_at)),
                               (N_("Действует до"), local_time(token.expires_at))],
                        action=f"/account/tokens/{token_id}/revoke", button=N_("Да, отозвать токен"),
                        cancel="/account", version=None)
    accounts.do_revoke_token(session, token_id, actor=actor)
    return see_other("/account")


# ====================================================================== the users' list

USERS = ListSpec(
    "/users", N_("Пользователи"),
    columns=(Column("login", N_("Логин")), Column("person", N_("Сотрудник")), Column("role", N_("Роль")),
             Column("status", N_("Статус"))),
    filters=(Filter("q", N_("Поиск по логину или ФИО")),
             Filter("role", N_("Роль"), "choice", (("admin", N_("администратор")), ("user", N_("пользователь")))),
             Filter("status", N_("Статус"), "choice", (("active", N_("действует")), ("disabled", N_("отключена")),
                                                       ("locked", N_("вход замедлен"))))),
    sort="login")


def _users(session: Session, actor: Actor, a: Asked, export: bool) -> tuple[int, list[User]]:
    flt = accounts.UserFilter(q=a.typed["q"] or "", role=a.typed["role"], status=a.typed["status"])
    return accounts.list_users(session, actor, flt, a.page(export=export), now=audit.now_utc())


def _user_status(user: User, now: datetime) -> str:
    return N_("отключена") if not user.active else N_("вход замедлен") if user.locked_at(now) else N_("действует")


list_routes(ListPage(
    USERS, P.MANAGE_USERS, fetch=_users, header=("Логин", "Сотрудник", "Роль", "Статус", "Язык интерфейса"),
    cells=lambda k, u: (u.login, k["names"].get(u.person_id, "") if u.person_id else "",
                        "администратор" if u.is_admin else "пользователь", _user_status(u, k["now"]),
                        LANGUAGES.get(u.language, u.language))), "users.html", on=router)


@endpoint(records, "GET", "/users/{user_id}", P.MANAGE_USERS, response_class=HTMLResponse)
def user_record(request: Request, user_id: int, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Response:
    user = accounts.access_user(session, actor, user_id)
    names = org.people_names(session, actor, {user.person_id} if user.person_id else set())
    t = translator(request)
    facts = [(N_("Логин"), user.login, ""), person_fact(names, user.person_id),
             (N_("Роль"), t(N_("администратор") if user.is_admin else N_("пользователь")), ""),
             (N_("Статус"), t(_user_status(user, audit.now_utc())), ""),
             (N_("Язык интерфейса"), LANGUAGES.get(user.language, user.language), "")]
    return record_page(request, session, actor, ("user", user.id), N_("Учётная запись"), user.login, facts,
                       back=("/users", N_("Пользователи")))
