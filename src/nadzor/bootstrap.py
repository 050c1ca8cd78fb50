"""The composition root: the platform (storage, accounts) and its full calendar — the calendar
without storage (`nadzor.calendar.default`: the `holidays` package and the administrator's file)
with the database layer on top —, whose `calendar()` every service, handler and command passes to
the pure rules (nothing here installs a process-wide calendar: `nadzor.rules.evaluate` without one
falls back to `default_calendar` through the package root's lazy provider).

The calendar covers 2018 through 31 December of the year after the current one (RULES.md; today
by the one clock, in Asia/Almaty), and is rebuilt when the year changes, so that a server running
over New Year accepts the dates of the new next year."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

import nadzor.schema  # noqa: F401  (every context's tables on the metadata, before the first query)
from nadzor.audit.tables import audit_log
from nadzor.calendar.default import (  # noqa: F401  (the composition root answers for them too)
    FIRST_COVERED_DAY,
    build_calendar,
    coverage,
    current_clock,
    default_calendar,
    horizon,
    set_clock,
)
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.clock import Clock
from nadzor.infra.db import engine as db
from nadzor.settings import Settings

if TYPE_CHECKING:
    from nadzor.calendar.file import FileApplied

log = logging.getLogger(__name__)

#: PostgreSQL: lock_timeout, statement_timeout, idle-in-transaction timeout; SQLite answers "database
#: is locked" (busy) once its busy timeout ran out.
_BUSY_STATES = frozenset({"55P03", "57014", "25P03"})
#: PostgreSQL: serialization failure, deadlock.
_CONFLICT_STATES = frozenset({"40001", "40P01"})


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", "") or "")


@contextmanager
def _bounded_waits() -> Iterator[None]:
    """Every wait that ran out (lock, statement, pooled connection) becomes `db.Busy`."""
    try:
        yield
    except PoolTimeout:
        raise db.Busy("connection pool") from None
    except DBAPIError as exc:
        locked = "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)
        if _sqlstate(exc) in _BUSY_STATES or locked:
            raise db.Busy(str(exc.orig)) from None
        raise


class Platform:
    """Storage, accounts and the full calendar (with the database layer) for one installation."""

    #: How often another process's calendar change is looked for (seconds).
    CALENDAR_RECHECK = 2.0

    def __init__(self, settings: Settings, engine: Engine, *, clock: Clock | None = None) -> None:
        from nadzor.accounts.service import Keys, Passwords
        from nadzor.accounts.throttle import SignInThrottle
        from nadzor.audit import service as audit

        self.settings = settings
        self.clock = clock or current_clock()
        self.engine = engine
        audit.use_key(engine, settings.audit_key)
        self.sessions: sessionmaker[db.UnitOfWork] = db.session_factory(engine)
        self.passwords = Passwords(settings.password_hashing)
        self.keys = Keys(settings.secret_key)
        self.sign_ins = SignInThrottle()  # one per installation: one server process (accounts.throttle)
        self._lock = threading.Lock()
        self._calendar: WorkingCalendar | None = None
        self._fingerprint: int | None = None
        self._year: int | None = None
        self._checked = 0.0

    @contextmanager
    def transaction(self) -> Iterator[db.UnitOfWork]:
        """One unit of work (a `Session` with `after_commit`): a concurrent update of the same
        record (its version moved on under us, or the database chose it as a deadlock's victim)
        is a Conflict, a wait that ran out is `Busy`, and nothing of the transaction is kept —
        nor is its after-commit work run."""
        from nadzor.infra.errors import Conflict

        try:
            with _bounded_waits(), db.transaction(self.sessions) as session:
                yield session
        except StaleDataError:
            raise Conflict.concurrent() from None
        except DBAPIError as exc:
            if _sqlstate(exc) in _CONFLICT_STATES:
                raise Conflict.concurrent() from None
            raise

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        with _bounded_waits(), db.read_only(self.engine) as session:
            yield session

    def _calendar_fingerprint(self) -> int:
        """The number of the last audit row about the calendar: every change of the database
        layer writes one, and the numbers only grow."""
        with self.engine.connect().execution_options(**db.READ_ONLY) as connection:
            last = connection.execute(select(func.coalesce(func.max(audit_log.c.seq), 0)).where(
                audit_log.c.object_type.in_(("calendar_day", "calendar_file")))).scalar_one()
        return int(last)

    def today(self) -> date:
        """Today in Asia/Almaty by the platform's clock."""
        return self.clock.today()

    def calendar(self) -> WorkingCalendar:
        """The calendar with every layer; rebuilt when the database layer changed or the year
        (by the platform's clock) turned."""
        from nadzor.calendar.service import database_layer

        with self._lock, _bounded_waits():
            now = time.monotonic()
            year = self.clock.today().year
            if self._calendar is not None and year == self._year and now - self._checked < self.CALENDAR_RECHECK:
                return self._calendar
            self._checked = now
            fingerprint = self._calendar_fingerprint()
            if self._calendar is None or fingerprint != self._fingerprint or year != self._year:
                with self.read_only() as session:
                    layer = database_layer(session)
                self._calendar = build_calendar(self.settings.calendar_file, [layer], year=year)
                self._fingerprint, self._year = fingerprint, year
            return self._calendar

    def calendar_in(self, session: Session) -> WorkingCalendar:
        """The calendar as `session`'s transaction sees the database layer (a change not yet
        committed included): what a calendar change restates the stored proceedings with."""
        from nadzor.calendar.service import database_layer

        return build_calendar(self.settings.calendar_file, [database_layer(session)], year=self.today().year)

    def apply_calendar_file(self) -> FileApplied | None:
        """At start: a calendar file changed since it was last applied restates the stored proceedings
        (calendar/file.py); None when it is unchanged. Two processes starting at once: the
        second finds the first's row."""
        from sqlalchemy.exc import IntegrityError

        from nadzor.calendar.file import do_apply_calendar_file, effective_overrides
        from nadzor.calendar.sources import CalendarFileError

        path = self.settings.calendar_file
        try:
            overrides = effective_overrides(path)
        except CalendarFileError as exc:  # the calendar itself reports it where it is used
            log.warning("calendar file %s not applied: %s", path, exc)
            return None
        for attempt in (1, 2):
            try:
                with self.transaction() as session:
                    applied = do_apply_calendar_file(session, path, overrides, calendar=self.calendar_in(session))
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
            if applied is not None:
                self.calendar_changed()
            return applied
        return None

    def calendar_changed(self) -> None:
        """This process changed the database layer: rebuild on the next question."""
        with self._lock:
            self._checked, self._fingerprint = 0.0, None

    def dispose(self) -> None:
        self.engine.dispose()


class SchemaOutdated(Exception):
    """Production: the database's schema is not the code's; `nadzor db upgrade` is the explicit step."""


def create_platform(settings: Settings | None = None, *, migrate: bool | None = None,
                    clock: Clock | None = None) -> Platform:
    """The platform on the configured database. `migrate=None`: migrate to head (under the
    migration lock) except in production, where the schema must already be at head (issue 7 §3:
    an operator runs `nadzor db upgrade`; a server never changes the schema on start)."""
    from nadzor.infra.db.migrate import current_revision, head_revision, upgrade

    settings = settings or Settings.from_env()
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if migrate is None and settings.production:
        found, head = current_revision(settings.database_url), head_revision()
        if found != head:
            raise SchemaOutdated(f"схема базы данных не обновлена (ревизия {found or 'нет'}, требуется {head}): "
                                 "выполните «nadzor db upgrade»")
    elif migrate is None or migrate:
        upgrade(settings.database_url, audit_key=settings.audit_key)
    platform = Platform(settings, db.make_engine(settings.database_url), clock=clock)
    applied = platform.apply_calendar_file()
    if applied is not None:
        log.info("calendar file %s changed: %d day(s), %d proceeding(s) restated", settings.calendar_file,
                 len(applied.days), applied.moved)
    return platform


def platform_if_present(settings: Settings | None = None) -> Platform | None:
    """The platform when its database exists and is migrated (the CLI's rule evaluations then see
    the database layer of the calendar); None on a fresh machine."""
    settings = settings or Settings.from_env()
    if not settings.database_may_exist():
        return None
    try:
        platform = Platform(settings, db.make_engine(settings.database_url))
        platform.calendar()
    except SQLAlchemyError:
        return None
    return platform
