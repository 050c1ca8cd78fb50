"""Accounts: password hashing (argon2), sign-in with throttling and a per-account back-off, web
sessions with CSRF tokens, API bearer tokens. Tokens and session ids are random; only their
keyed hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from nadzor.accounts.tables import api_tokens, users, web_sessions
from nadzor.accounts.throttle import SignInThrottle
from nadzor.audit import service as audit
from nadzor.audit.service import now_utc
from nadzor.domain.accounts import LOCKOUT_MINUTES, MAX_FAILED_LOGINS, ApiToken, User, WebSession
from nadzor.domain.audit import AuditAction
from nadzor.domain.clock import ALMATY
from nadzor.domain.org import Office, OfficeTree, Person, ZoneAssignment
from nadzor.infra import policy
from nadzor.infra.context import Actor, Permission
from nadzor.infra.db.engine import after_commit
from nadzor.infra.errors import AuthenticationFailed, FieldError, InvalidInput, Message, NotFound, TooManyAttempts
from nadzor.infra.listing import Page, contains, page_of
from nadzor.org.service import authority_of, cached_tree, check_version, fetch, no_change, parse
from nadzor.org.tables import people, zone_assignments
from nadzor.rules.base import Flag, Input, describe_pattern


class Passwords:
    """argon2id; `fast` parameters exist for tests only (production refuses them). The decoy hash,
    verified when there is no account's own hash to verify, is made with the same parameters, so
    every sign-in path costs the same (finding 5)."""

    def __init__(self, profile: str = "strong") -> None:
        if profile == "fast":
            self._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16, salt_len=8)
        else:
            self._hasher = PasswordHasher()
        self.decoy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_decoy(self, password: str) -> None:
        """The work of one verification whose answer does not matter."""
        self.verify(self.decoy_hash, password)


class Keys:
    """Keyed hashes of session ids and API tokens (a database leak does not reveal them)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")

    def digest(self, token: str) -> str:
        return hmac.new(self._secret, token.encode("utf-8"), hashlib.sha256).hexdigest()


# =============================================================================== users


LOGIN_PATTERN = describe_pattern(r"^[a-zA-Z0-9_.\-]{3,80}$", "от 3 до 80 латинских букв, цифр и знаков _ . -")
LANGUAGE_PATTERN = describe_pattern(r"^(ru|kk)$", "ru (русский) или kk (казахский)")
PASSWORD_MAX = 200


class UserIn(Input):
    login: str = Field(pattern=LOGIN_PATTERN)
    password: str = Field(min_length=10, max_length=PASSWORD_MAX)
    person_id: int | None = Field(default=None, strict=True)
    is_admin: Flag = False
    is_auditor: Flag = False
    language: str = Field(default="ru", pattern=LANGUAGE_PATTERN)


class UserUpdate(Input):
    """A partial update (finding 9): a field left out keeps its value; `person_id: null` sent
    explicitly unlinks the person."""

    person_id: int | None = Field(default=None, strict=True)
    is_admin: Flag | None = None
    is_auditor: Flag | None = None
    active: Flag | None = None
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    password: str | None = Field(default=None, min_length=10, max_length=PASSWORD_MAX)
    version: int | None = None


def account_roles(user: User) -> list[str]:
    """The roles an administrator grants (`infra.policy`): administrator, auditor, else user."""
    found = [r for r, on in (("administrator", user.is_admin), ("auditor", user.is_auditor)) if on]
    return found or ["user"]


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "person_id": user.person_id, "is_admin": user.is_admin,
            "is_auditor": user.is_auditor, "roles": account_roles(user), "active": user.active,
            "language": user.language, "version": user.version,
            "locked_until": user.locked_until.isoformat() if user.locked_until else None}


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalars(select(User).where(users.c.login == login)).first()


def access_users(session: Session, actor: Actor) -> list[User]:
    actor.require(Permission.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(users.c.login)))


def access_user(session: Session, actor: Actor, user_id: int) -> User:
    actor.require(Permission.MANAGE_USERS)
    return fetch(session, User, user_id, "пользователь")


@dataclass(frozen=True)
class UserFilter:
    """The accounts list (issue 7 §6): `q`, words in the login or the person's name; `role`
    (`admin` | `user`); `status` (`active`, `disabled`, `locked`: backing off after failed sign-ins
    at `now`)."""

    q: str = ""
    role: str | None = None
    status: str | None = None


USER_ROLES = {"admin": "администратор", "user": "пользователь"}
USER_STATUSES = {"active": "действует", "disabled": "отключена", "locked": "вход замедлен"}
USER_SORTS = ("login", "person", "role", "status")


def list_users(session: Session, actor: Actor, flt: UserFilter, page: Page, *, now: datetime
               ) -> tuple[int, list[User]]:
    actor.require(Permission.MANAGE_USERS)
    u = users.c
    person_name = select(people.c.full_name).where(people.c.id == u.person_id).scalar_subquery()
    where = [contains(session, (u.login, person_name), flt.q)]
    if flt.role and flt.role not in USER_ROLES:
        raise InvalidInput.one("role", "выберите значение из списка")
    if flt.role:
        where.append(u.is_admin.is_(flt.role == "admin"))
    if flt.status and flt.status not in USER_STATUSES:
        raise InvalidInput.one("status", "выберите значение из списка")
    if flt.status == "active":
        where.append(u.active.is_(True))
    elif flt.status == "disabled":
        where.append(u.active.is_(False))
    elif flt.status == "locked":
        where.append(u.locked_until > now)
    sorts = {"login": u.login, "person": person_name, "role": u.is_admin, "status": u.active}
    total, rows = page_of(session, select(User), where, sorts, page, u.id)
    return total, [r[0] for r in rows]


def do_create_user(session: Session, data: Any, *, actor: Actor, passwords: Passwords) -> User:
    actor.require(Permission.MANAGE_USERS)
    cmd: UserIn = parse(UserIn, data)
    if user_by_login(session, cmd.login) is not None:
        raise InvalidInput.one("login", Message("пользователь %(login)s уже есть", login=repr(cmd.login)))
    if cmd.person_id is not None and session.get(Person, cmd.person_id) is None:
        raise InvalidInput.one("person_id", Message("нет сотрудника %(id)s", id=cmd.person_id))
    user = User(login=cmd.login, password_hash=passwords.hash(cmd.password), person_id=cmd.person_id,
                is_admin=cmd.is_admin, is_auditor=cmd.is_auditor, language=cmd.language)
    return audit.added(session, user, actor=actor, action=AuditAction.USER_CREATED, object_type="user",
                       describe=user_dict)


def _check_admins_remain(session: Session, user: User, *, is_admin: bool, active: bool) -> None:
    """The last active administrator may not be demoted or switched off (finding 9): nobody could
    manage accounts any more. The other administrators' rows are locked while counting, so two
    administrators demoting each other at once cannot both succeed."""
    if not (user.is_admin and user.active) or (is_admin and active):
        return
    others = session.scalars(select(users.c.id).where(users.c.is_admin.is_(True), users.c.active.is_(True),
                                                      users.c.id != user.id).with_for_update()).all()
    if not others:
        field = "is_admin" if not is_admin else "active"
        raise InvalidInput.one(field, "это последняя действующая учётная запись администратора: сначала "
                                      "назначьте другого администратора")


def do_update_user(session: Session, user_id: int, data: Any, *, actor: Actor, passwords: Passwords) -> User:
    """Change the fields sent; a change that changes nothing writes nothing (finding 17)."""
    actor.require(Permission.MANAGE_USERS)
    cmd: UserUpdate = parse(UserUpdate, data)
    user = fetch(session, User, user_id, "пользователь")
    check_version("Учётная запись", user, cmd.version)
    sent = cmd.model_fields_set
    person_id = cmd.person_id if "person_id" in sent else user.person_id
    is_admin = user.is_admin if cmd.is_admin is None else cmd.is_admin
    is_auditor = user.is_auditor if cmd.is_auditor is None else cmd.is_auditor
    active = user.active if cmd.active is None else cmd.active
    language = cmd.language or user.language
    if person_id is not None and person_id != user.person_id and session.get(Person, person_id) is None:
        raise InvalidInput.one("person_id", Message("нет сотрудника %(id)s", id=person_id))
    _check_admins_remain(session, user, is_admin=is_admin, active=active)
    before = user_dict(user)
    user.person_id, user.is_admin, user.active, user.language = person_id, is_admin, active, language
    user.is_auditor = is_auditor
    if no_change(before, user_dict(user)) and not cmd.password:
        return user
    if cmd.password:
        user.password_hash = passwords.hash(cmd.password)
        user.failed_logins, user.locked_until = 0, None
    if cmd.password or not active:
        # A new password or a switched-off account ends every session and token it had.
        session.execute(delete(WebSession).where(web_sessions.c.user_id == user.id))
        session.execute(update(api_tokens).where(api_tokens.c.user_id == user.id,
                                                 api_tokens.c.revoked_at.is_(None)).values(revoked_at=now_utc()))
    session.flush()
    after = user_dict(user) | {"password_changed": bool(cmd.password)}
    audit.record(session, actor=actor, action=AuditAction.USER_UPDATED, object_type="user", object_id=user.id,
                 before=before, after=after)
    return user


class PasswordChange(Input):
    """One's own new password (`/account`): the current one, the new one twice."""

    current: str = Field(min_length=1, max_length=PASSWORD_MAX)
    new: str = Field(min_length=10, max_length=PASSWORD_MAX)
    repeat: str = Field(min_length=1, max_length=PASSWORD_MAX)


def do_change_own_password(session: Session, data: Any, *, actor: Actor, passwords: Passwords,
                           keep_session_id: int | None) -> User:
    """A signed-in user changes their own password: the current one must verify, the new one
    follows the policy of new accounts (10 to PASSWORD_MAX characters), is typed twice and differs
    from the current one. Every other web session of the user ends (the one in use, `keep_session_id`,
    stays); one audit row, without any password in it."""
    actor.require(Permission.SIGNED_IN)
    cmd: PasswordChange = parse(PasswordChange, data)
    user = session.scalars(select(User).where(users.c.id == actor.user_id).with_for_update()).first()
    if user is None:
        raise NotFound("учётная запись")
    if not passwords.verify(user.password_hash, cmd.current):
        raise InvalidInput.one("current", "неверный текущий пароль")
    if cmd.new != cmd.repeat:
        raise InvalidInput.one("repeat", "новый пароль и его повтор не совпадают")
    if cmd.new == cmd.current:
        raise InvalidInput.one("new", "новый пароль должен отличаться от текущего")
    user.password_hash = passwords.hash(cmd.new)
    others = delete(WebSession).where(web_sessions.c.user_id == user.id)
    if keep_session_id is not None:
        others = others.where(web_sessions.c.id != keep_session_id)
    ended = len(session.execute(others.returning(web_sessions.c.id)).all())
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.USER_PASSWORD_CHANGED, object_type="user",
                 object_id=user.id, after={"password_changed": True, "other_sessions_ended": ended})
    return user


def do_unlock_user(session: Session, user_id: int, *, actor: Actor, throttle: SignInThrottle | None = None,
                   keys: Keys | None = None) -> User:
    """End an account's back-off and forget its failed sign-ins (finding 6). An account that is
    not backing off and has no failures is left as it is, and nothing is written. The server's
    throttle (`throttle`, `keys`) forgets the login's failures once the unlock is committed."""
    actor.require(Permission.MANAGE_USERS)
    user = fetch(session, User, user_id, "пользователь")
    if throttle is not None and keys is not None:
        key = login_key(keys, user.login)
        after_commit(session, lambda: throttle.forget_login(key))
    if user.failed_logins == 0 and user.locked_until is None:
        return user
    before = {"failed_logins": user.failed_logins,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.USER_UNLOCKED, object_type="user", object_id=user.id,
                 before=before, after={"failed_logins": 0, "locked_until": None})
    return user


# ============================================================================ sign-in


def actor_for(session: Session, user: User, office_tree: OfficeTree | None = None, *,
              today: date | None = None) -> Actor:
    """The actor a signed-in user acts as: their person, office, effective position, roles and scope on
    `today` (Asia/Almaty; default: the system's). Scope (issue 7 §4) comes from the cached office tree:
    the person's office and the offices below it (the GPO: all), and the offices of their I.68 zones;
    administrators see every office."""
    day = today or now_utc().astimezone(ALMATY).date()
    person = session.get(Person, user.person_id) if user.person_id else None
    office = session.get(Office, person.office_id) if person else None
    offices = office_tree or cached_tree(session)
    auth = authority_of(session, person, day) if person is not None else None
    zones: set[int] = set()
    if person is not None:
        zones = policy.zone_offices(offices, session.scalars(select(ZoneAssignment).where(
            zone_assignments.c.person_id == person.id)).all(), person.id, day)
    if user.is_admin:
        visible: frozenset[int] | None = None
    elif office is not None and office.id is not None:
        visible = frozenset(offices.visible_from(office.id) | zones)
    else:
        visible = frozenset()
    position = person.position if person else ("administrator" if user.is_admin else "")
    if auth is not None and auth.acting:
        position = f"{auth.position}→{auth.acting[0].position}"
    assert user.id is not None
    return Actor(
        login=user.login, user_id=user.id, is_admin=user.is_admin, is_auditor=user.is_auditor,
        person_id=person.id if person else None, full_name=person.full_name if person else user.login,
        office_id=office.id if office else None, office_code=office.code if office else "",
        office_name=office.name_ru if office else "", office_name_kk=office.name_kk if office else "",
        office_level=office.level if office else "",
        position=position, visible=visible, heads=frozenset(policy.headed_offices(auth)) if auth else frozenset(),
        zone_offices=frozenset(zones), language=user.language,
    )


#: The same answer whatever failed, so that nobody learns which logins exist or are disabled.
FAILED_SIGN_IN = "неверный логин или пароль, либо учётная запись отключена"


def check_credentials(login: Any, password: Any) -> tuple[str, str]:
    """The shape of a login and a password, checked before any database work (finding 4): a
    login that no account can have is refused as input, so no length reaches a query or the log."""
    errors = []
    if not isinstance(login, str) or not login:
        errors.append(FieldError("login", "обязательное поле не заполнено"))
    elif not re.fullmatch(LOGIN_PATTERN, login):
        errors.append(FieldError("login", "логин — от 3 до 80 латинских букв, цифр и знаков _ . -"))
    if not isinstance(password, str) or not password:
        errors.append(FieldError("password", "обязательное поле не заполнено"))
    elif len(password) > PASSWORD_MAX:
        errors.append(FieldError("password", Message("пароль не длиннее %(n)s символов", n=PASSWORD_MAX)))
    if errors:
        raise InvalidInput(errors)
    assert isinstance(login, str) and isinstance(password, str)
    return login, password


def login_key(keys: Keys, login: str) -> str:
    """A login as the throttle and the audit trail of unknown logins know it: keyed, bounded."""
    return keys.digest(f"sign-in:{login}")[:32]


def _failure(session: Session, *, actor_login: str, user_id: int | None, reason: str, source: str,
             extra: dict[str, Any] | None = None) -> None:
    audit.record(session, actor=Actor(login=actor_login, visible=frozenset()), action=AuditAction.USER_LOGIN_FAILED,
                 object_type="user", object_id=user_id, after={"reason": reason, "source": source[:64]} | (extra or {}))


def authenticate(session: Session, login: str, password: str, *, passwords: Passwords, keys: Keys,
                 throttle: SignInThrottle, source: str) -> User:
    """Check a login and password from `source` (the client's address).

    Every path verifies exactly one argon2 hash of the same parameters (finding 5). A throttled
    address (see `accounts.throttle`) is refused with `TooManyAttempts` and nothing is written
    (finding 4). Other failures are audited compactly: an unknown login as its keyed digest, a
    known one by its account number. `MAX_FAILED_LOGINS` failures in a row start the account's
    back-off for `LOCKOUT_MINUTES` (one `user.locked` row): during it every address gets one
    attempt, but a correct password from an address that is not throttled still signs in, so an
    attacker cannot keep an account locked (finding 6). The failure's count and audit rows must be
    kept although the sign-in fails: callers go through `signed_in`, which commits them."""
    login, password = check_credentials(login, password)
    key = login_key(keys, login)
    refused = throttle.check_source(source)
    if refused is not None:
        passwords.verify_decoy(password)
        raise TooManyAttempts(refused.retry_after)
    now = now_utc()
    # Lock the account's row: concurrent attempts on one account are counted one after another.
    user = session.scalars(select(User).where(users.c.login == login).with_for_update()).first()
    if user is not None and user.failed_logins == 0 and user.locked_until is None:
        # Signed in, or unlocked by an administrator (perhaps from the CLI, another process),
        # since the failures the throttle remembers: they no longer count.
        throttle.forget_login(key)
    backing_off = user.locked_at(now) if user is not None else throttle.backing_off(key)
    refused = throttle.check(source, key, backing_off=backing_off)
    if refused is not None:
        passwords.verify(user.password_hash, password) if user is not None else passwords.verify_decoy(password)
        raise TooManyAttempts(refused.retry_after)
    if user is None:
        passwords.verify_decoy(password)
        throttle.failed(source, key)
        _failure(session, actor_login="anonymous", user_id=None, reason="unknown_login", source=source,
                 extra={"login_digest": key[:16]})
        raise AuthenticationFailed(FAILED_SIGN_IN)
    correct = passwords.verify(user.password_hash, password)
    if not user.active or not correct:
        throttle.failed(source, key)
        user.failed_logins += 1
        _failure(session, actor_login=login, user_id=user.id, reason="wrong_password" if user.active else "inactive",
                 source=source, extra={"failed_logins": user.failed_logins})
        if user.failed_logins >= MAX_FAILED_LOGINS and not user.locked_at(now):
            user.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
            audit.record(session, actor=Actor(login=login, visible=frozenset()), action=AuditAction.USER_LOCKED,
                         object_type="user", object_id=user.id, after={"locked_until": user.locked_until.isoformat()})
        session.flush()
        raise AuthenticationFailed(FAILED_SIGN_IN)
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins, user.locked_until = 0, None
        session.flush()
    return user


#: Opens one unit of work (`Platform.transaction`).
Transaction = Callable[[], AbstractContextManager[Session]]
T = TypeVar("T")


def signed_in(transaction: Transaction, login: Any, password: Any, *, passwords: Passwords, keys: Keys,
              throttle: SignInThrottle, source: str, then: Callable[[Session, User], T]) -> T:
    """Authenticate in a unit of work of this service's own and, on success, run `then` (what the
    sign-in opens) in it. A failed attempt is committed — its count, the back-off and its audit
    rows — before `AuthenticationFailed` is raised; any other refusal keeps nothing."""
    login, password = check_credentials(login, password)
    failure: AuthenticationFailed | None = None
    with transaction() as session:
        try:
            user = authenticate(session, login, password, passwords=passwords, keys=keys, throttle=throttle,
                                source=source)
        except AuthenticationFailed as exc:
            failure = exc  # leaving the block normally commits the attempt's rows
        else:
            return then(session, user)
    assert failure is not None
    raise failure


def sign_in(transaction: Transaction, login: Any, password: Any, *, passwords: Passwords, keys: Keys,
            throttle: SignInThrottle, source: str, hours: int) -> tuple[str, WebSession]:
    """Open a web session: returns the cookie value (shown once) and the session row."""
    return signed_in(transaction, login, password, passwords=passwords, keys=keys, throttle=throttle, source=source,
                     then=lambda session, user: do_open_web_session(session, user, keys=keys, hours=hours))


def issue_token(transaction: Transaction, login: Any, password: Any, data: dict[str, Any], *, passwords: Passwords,
                keys: Keys, throttle: SignInThrottle, source: str, today: date | None = None) -> tuple[str, ApiToken]:
    """Exchange a login and password for an API token (`data`: its name and days)."""

    def create(session: Session, user: User) -> tuple[str, ApiToken]:
        return do_create_token(session, user, {"name": "api", **data}, actor=actor_for(session, user, today=today),
                               keys=keys)

    return signed_in(transaction, login, password, passwords=passwords, keys=keys, throttle=throttle, source=source,
                     then=create)


def do_open_web_session(session: Session, user: User, *, keys: Keys, hours: int) -> tuple[str, WebSession]:
    """A web session for an authenticated `user`: the cookie value (shown once) and the row."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = now_utc()
    web = WebSession(user_id=user.id, token_hash=keys.digest(token), csrf_token=secrets.token_urlsafe(24),
                     created_at=now, expires_at=now + timedelta(hours=hours))
    session.add(web)
    session.execute(delete(WebSession).where(web_sessions.c.expires_at < now))
    session.flush()
    audit.record(session, actor=actor_for(session, user), action=AuditAction.USER_LOGGED_IN, object_type="user",
                 object_id=user.id, after={"via": "web"})
    return token, web


def session_user(session: Session, token: str, *, keys: Keys) -> tuple[User, WebSession] | None:
    web = session.scalars(select(WebSession).where(
        web_sessions.c.token_hash == keys.digest(token))).first()
    if web is None or web.expires_at <= now_utc():
        return None
    user = session.get(User, web.user_id)
    if user is None or not user.active:
        return None
    return user, web


def do_sign_out(session: Session, web: WebSession, *, actor: Actor) -> None:
    session.delete(web)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.USER_LOGGED_OUT, object_type="user",
                 object_id=actor.user_id, after={"via": "web"})


# ============================================================================= tokens


class TokenIn(Input):
    name: str = Field(min_length=1, max_length=120)
    days: int = Field(default=90, ge=1, le=366, strict=True)


def do_create_token(session: Session, user: User, data: Any, *, actor: Actor, keys: Keys) -> tuple[str, ApiToken]:
    """Issue an API bearer token for `user` (the token text is returned once, never stored)."""
    actor.require(Permission.SIGNED_IN)
    if actor.user_id != user.id and not actor.can(Permission.MANAGE_USERS):
        raise InvalidInput.one("user", "токен выпускается только для своей учётной записи")
    cmd: TokenIn = parse(TokenIn, data)
    token = "nzr_" + secrets.token_urlsafe(32)
    now = now_utc()
    assert user.id is not None
    item = ApiToken(user_id=user.id, name=cmd.name, token_hash=keys.digest(token), created_at=now,
                    expires_at=now + timedelta(days=cmd.days))
    session.add(item)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.TOKEN_CREATED, object_type="token", object_id=item.id,
                 after={"user_id": user.id, "name": cmd.name, "expires_at": item.expires_at})
    return token, item


def token_user(session: Session, token: str, *, keys: Keys) -> User | None:
    item = session.scalars(select(ApiToken).where(
        api_tokens.c.token_hash == keys.digest(token))).first()
    if item is None or not item.valid_at(now_utc()):
        return None
    user = session.get(User, item.user_id)
    return user if user is not None and user.active else None


def do_revoke_token(session: Session, token_id: int, *, actor: Actor) -> None:
    item = session.get(ApiToken, token_id)
    if item is None or (item.user_id != actor.user_id and not actor.can(Permission.MANAGE_USERS)):
        raise NotFound(Message("%(what)s %(id)s", what=Message("токен"), id=token_id))
    item.revoked_at = now_utc()
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.TOKEN_REVOKED, object_type="token", object_id=token_id,
                 after={"revoked_at": item.revoked_at})

