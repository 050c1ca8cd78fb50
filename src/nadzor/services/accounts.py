"""Accounts: password hashing (argon2), sign-in with lockout, web sessions with CSRF tokens,
API bearer tokens. Tokens and session ids are random; only their keyed hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from nadzor.adapters.db.tables import api_tokens, users, web_sessions
from nadzor.domain.accounts import LOCKOUT_MINUTES, MAX_FAILED_LOGINS, ApiToken, User, WebSession
from nadzor.domain.audit import AuditAction
from nadzor.domain.org import Office, OfficeTree, Person
from nadzor.rules.base import Flag, Input
from nadzor.services import audit
from nadzor.services.audit import now_utc
from nadzor.services.context import Actor, Permission
from nadzor.services.errors import AuthenticationFailed, InvalidInput, NotFound
from nadzor.services.org import authority_of, check_version, fetch, parse, tree


class Passwords:
    """argon2id; `fast` parameters exist for tests only (production refuses them)."""

    def __init__(self, profile: str = "strong") -> None:
        if profile == "fast":
            self._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16, salt_len=8)
        else:
            self._hasher = PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


class Keys:
    """Keyed hashes of session ids and API tokens (a database leak does not reveal them)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")

    def digest(self, token: str) -> str:
        return hmac.new(self._secret, token.encode("utf-8"), hashlib.sha256).hexdigest()


# =============================================================================== users


class UserIn(Input):
    login: str = Field(pattern=r"^[a-zA-Z0-9_.\-]{3,80}$")
    password: str = Field(min_length=10, max_length=200)
    person_id: int | None = Field(default=None, strict=True)
    is_admin: Flag = False
    language: str = Field(default="ru", pattern=r"^(ru|kk)$")


class UserUpdate(Input):
    person_id: int | None = Field(default=None, strict=True)
    is_admin: Flag = False
    active: Flag = True
    language: str = Field(default="ru", pattern=r"^(ru|kk)$")
    password: str | None = Field(default=None, min_length=10, max_length=200)
    version: int | None = None


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "person_id": user.person_id, "is_admin": user.is_admin,
            "active": user.active, "language": user.language, "version": user.version,
            "locked_until": user.locked_until.isoformat() if user.locked_until else None}


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalars(select(User).where(users.c.login == login)).first()


def access_users(session: Session, actor: Actor) -> list[User]:
    actor.require(Permission.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(users.c.login)))


def do_create_user(session: Session, data: Any, *, actor: Actor, passwords: Passwords) -> User:
    actor.require(Permission.MANAGE_USERS)
    cmd: UserIn = parse(UserIn, data)
    if user_by_login(session, cmd.login) is not None:
        raise InvalidInput.one("login", f"пользователь {cmd.login!r} уже есть")
    if cmd.person_id is not None and session.get(Person, cmd.person_id) is None:
        raise InvalidInput.one("person_id", f"нет сотрудника {cmd.person_id}")
    user = User(login=cmd.login, password_hash=passwords.hash(cmd.password), person_id=cmd.person_id,
                is_admin=cmd.is_admin, language=cmd.language)
    return audit.added(session, user, actor=actor, action=AuditAction.USER_CREATED, object_type="user",
                       describe=user_dict)


def do_update_user(session: Session, user_id: int, data: Any, *, actor: Actor, passwords: Passwords) -> User:
    actor.require(Permission.MANAGE_USERS)
    cmd: UserUpdate = parse(UserUpdate, data)
    user = fetch(session, User, user_id, "пользователь")
    check_version("Учётная запись", user, cmd.version)
    if cmd.person_id is not None and session.get(Person, cmd.person_id) is None:
        raise InvalidInput.one("person_id", f"нет сотрудника {cmd.person_id}")
    before = user_dict(user)
    user.person_id, user.is_admin, user.active, user.language = cmd.person_id, cmd.is_admin, cmd.active, cmd.language
    if cmd.password:
        user.password_hash = passwords.hash(cmd.password)
        user.failed_logins, user.locked_until = 0, None
    if cmd.password or not cmd.active:
        # A new password or a switched-off account ends every session and token it had.
        session.execute(delete(WebSession).where(web_sessions.c.user_id == user.id))
        session.execute(update(api_tokens).where(api_tokens.c.user_id == user.id,
                                                 api_tokens.c.revoked_at.is_(None)).values(revoked_at=now_utc()))
    session.flush()
    after = user_dict(user) | {"password_changed": bool(cmd.password)}
    audit.record(session, actor=actor, action=AuditAction.USER_UPDATED, object_type="user", object_id=user.id,
                 before=before, after=after)
    return user


# ============================================================================ sign-in


def actor_for(session: Session, user: User, office_tree: OfficeTree | None = None) -> Actor:
    """The actor a signed-in user acts as: their person, office, effective position and scope."""
    person = session.get(Person, user.person_id) if user.person_id else None
    office = session.get(Office, person.office_id) if person else None
    if user.is_admin:
        visible: frozenset[int] | None = None
    elif office is not None and office.id is not None:
        visible = frozenset((office_tree or tree(session)).visible_from(office.id))
    else:
        visible = frozenset()
    position = person.position if person else ("administrator" if user.is_admin else "")
    if person is not None:
        acting = authority_of(session, person, now_utc().date()).acting
        if acting:
            position = f"{person.position}→{acting[0].position}"
    assert user.id is not None
    return Actor(
        login=user.login, user_id=user.id, is_admin=user.is_admin, person_id=person.id if person else None,
        full_name=person.full_name if person else user.login, office_id=office.id if office else None,
        office_code=office.code if office else "", office_name=office.name_ru if office else "", position=position,
        visible=visible, language=user.language,
    )


def _anonymous(login: str) -> Actor:
    return Actor(login=login or "anonymous", visible=frozenset())


#: The same answer whatever failed, so that nobody learns which logins exist or are locked.
FAILED_SIGN_IN = ("неверный логин или пароль, либо учётная запись временно заблокирована после "
                  f"{MAX_FAILED_LOGINS} неудачных попыток (на {LOCKOUT_MINUTES} минут) или отключена")


def authenticate(session: Session, login: str, password: str, *, passwords: Passwords) -> User:
    """Check a login and password; count failures, lock after MAX_FAILED_LOGINS for
    LOCKOUT_MINUTES. Every outcome is audited. The caller commits even on failure."""
    now = now_utc()
    # Lock the account's row: concurrent attempts on one account are counted one after another.
    user = session.scalars(select(User).where(users.c.login == login).with_for_update()).first()
    if user is None:
        passwords.verify(_DUMMY_HASH, password)  # same work either way: no user enumeration by timing
        audit.record(session, actor=_anonymous(login), action=AuditAction.USER_LOGIN_FAILED, object_type="user",
                     object_id=None, after={"login": login, "reason": "unknown_login"})
        raise AuthenticationFailed(FAILED_SIGN_IN)
    if not user.active or user.locked_at(now):
        audit.record(session, actor=_anonymous(login), action=AuditAction.USER_LOGIN_FAILED, object_type="user",
                     object_id=user.id, after={"reason": "locked" if user.active else "inactive"})
        raise AuthenticationFailed(FAILED_SIGN_IN)
    if not passwords.verify(user.password_hash, password):
        user.failed_logins += 1
        reason: dict[str, Any] = {"reason": "wrong_password", "failed_logins": user.failed_logins}
        audit.record(session, actor=_anonymous(login), action=AuditAction.USER_LOGIN_FAILED, object_type="user",
                     object_id=user.id, after=reason)
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_logins = 0
            audit.record(session, actor=_anonymous(login), action=AuditAction.USER_LOCKED, object_type="user",
                         object_id=user.id, after={"locked_until": user.locked_until.isoformat()})
        session.flush()
        raise AuthenticationFailed(FAILED_SIGN_IN)
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    return user


_DUMMY_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("not a password")


def do_sign_in(session: Session, login: str, password: str, *, passwords: Passwords, keys: Keys,
               hours: int) -> tuple[str, WebSession]:
    """Open a web session: returns the cookie value (shown once) and the session row."""
    user = authenticate(session, login, password, passwords=passwords)
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
        raise NotFound(f"токен {token_id}")
    item.revoked_at = now_utc()
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.TOKEN_REVOKED, object_type="token", object_id=token_id,
                 after={"revoked_at": item.revoked_at})

