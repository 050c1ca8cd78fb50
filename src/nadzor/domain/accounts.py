"""Accounts: users who sign in, their API tokens and web sessions. Pure data; hashing and
storage live in the contexts' tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

#: Failed sign-ins in a row that start an account's back-off, and how long it lasts (minutes):
#: during it each address gets one attempt, and a correct password still signs in.
MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15


@dataclass(eq=False)
class User:
    login: str
    password_hash: str
    person_id: int | None = None
    is_admin: bool = False
    is_auditor: bool = False
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    language: str = "ru"
    id: int | None = None
    version: int = 1

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(eq=False)
class ApiToken:
    user_id: int
    name: str
    token_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    id: int | None = None

    def valid_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(eq=False)
class WebSession:
    user_id: int
    token_hash: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    id: int | None = None


@dataclass(eq=False)
class CalendarDay:
    """An administrator's override of one day of the working calendar (the database layer)."""

    day: date
    working: bool
    name: str
    resolution_number: str
    resolution_date: date
    id: int | None = None
    version: int = 1
