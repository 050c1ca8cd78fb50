"""Engines and sessions: SQLite embedded by default (WAL, foreign keys, writes serialized with
BEGIN IMMEDIATE), PostgreSQL (psycopg 3) when DATABASE_URL is set.

No wait is unbounded. On SQLite a process-wide writer lock (one per database file) is taken
before BEGIN IMMEDIATE, so the writers of one server queue in order instead of spinning on the
file lock, and another process (the CLI) is waited for by the busy timeout. On PostgreSQL every
connection has a lock timeout (row locks and the audit chain's advisory lock), a statement
timeout and a bounded wait for a pooled connection. A wait that runs out raises `Busy`, which
the web layer answers with 503 and Retry-After."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

#: Longest wait (seconds) for the write lock, a locked row or a pooled connection.
LOCK_WAIT = 10.0
#: Longest run of one SQL statement on PostgreSQL (seconds).
STATEMENT_TIMEOUT = 30.0
#: A PostgreSQL session idle inside a transaction this long is ended by the server (seconds).
IDLE_IN_TRANSACTION_TIMEOUT = 60.0
POOL_SIZE = 10
POOL_OVERFLOW = 10


class Busy(Exception):
    """A bounded wait for a lock or a connection ran out: nothing was changed; retry shortly."""


_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def writer_lock(engine: Engine) -> threading.Lock | None:
    """The lock one process's writers of a SQLite database take in turn (None on PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return None
    key = str(engine.url)
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.Lock())


def _pool(url: str) -> dict[str, Any]:
    """A bounded wait for a pooled connection (an in-memory SQLite database keeps its own pool)."""
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_timeout": LOCK_WAIT}


def make_engine(url: str, *, echo: bool = False, bounded: bool = True) -> Engine:
    """`bounded=False` (schema migrations, run by an operator) leaves PostgreSQL's statements and
    lock waits without the server's timeouts."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": LOCK_WAIT},
                               **_pool(url))

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, issue BEGIN (so it can be BEGIN IMMEDIATE).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            # A transaction that may write takes the write lock up front: concurrent writers
            # queue instead of failing half-way, and the audit chain's appends are serialized.
            # Read-only connections (READ_ONLY) begin deferred and read beside a writer (WAL).
            if connection.get_execution_options().get("nadzor_read_only"):
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, echo=echo, **_pool(url))
    _ping_when_idle(engine)
    if not bounded:
        return engine

    @event.listens_for(engine, "connect")
    def _timeouts(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(LOCK_WAIT * 1000)}")
        cursor.execute(f"SET statement_timeout = {int(STATEMENT_TIMEOUT * 1000)}")
        cursor.execute(f"SET idle_in_transaction_session_timeout = {int(IDLE_IN_TRANSACTION_TIMEOUT * 1000)}")
        cursor.close()
        dbapi_connection.commit()

    return engine


READ_ONLY = {"nadzor_read_only": True}
#: A pooled PostgreSQL connection unused this long (seconds) is pinged before it is handed out.
IDLE_PING = 30.0


def _ping_when_idle(engine: Engine) -> None:
    """A cheap pre-ping (issue 7 §7): a connection checked in less than IDLE_PING seconds ago is
    handed out as it is (no round trip per checkout under load); one idle longer — the server or
    a proxy may have dropped it — is pinged, and a dead one replaced (the pool retries)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["nadzor_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("nadzor_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING:
            return
        try:
            dbapi_connection.execute("SELECT 1")
            if dbapi_connection.info.transaction_status != 0:  # psycopg: leave it idle, as it came
                dbapi_connection.rollback()
        except Exception as exc:
            raise DisconnectionError(str(exc)) from exc

_log = logging.getLogger(__name__)


class UnitOfWork(Session):
    """The session of one unit of work (`transaction`): what it changes is committed together, and
    work registered with `after_commit` runs only once that commit is durable (dropped when the
    unit of work rolls back) — refreshing a cached calendar, and later recomputing deadlines,
    generating documents, sending notifications (issue 7 §3)."""

    def after_commit(self, work: Callable[[], None]) -> None:
        self.info.setdefault(_AFTER_COMMIT, []).append(work)

    def take_after_commit(self) -> list[Callable[[], None]]:
        found: list[Callable[[], None]] = self.info.pop(_AFTER_COMMIT, [])
        return found


_AFTER_COMMIT = "nadzor_after_commit"


def after_commit(session: Session, work: Callable[[], None]) -> None:
    """Run `work` once `session`'s unit of work is committed (never if it rolls back). A service
    states its after-commit work here; a session that is not a unit of work cannot promise it."""
    if not isinstance(session, UnitOfWork):
        raise TypeError("after-commit work needs a unit of work (Platform.transaction())")
    session.after_commit(work)


def run_after_commit(works: list[Callable[[], None]]) -> None:
    """The change is stored: a failing piece of after-commit work is logged, never turns the
    stored change into an error, and does not stop the others."""
    for work in works:
        try:
            work()
        except Exception:
            _log.exception("after-commit work %r failed", work)


def session_factory(engine: Engine) -> sessionmaker[UnitOfWork]:
    return sessionmaker(engine, class_=UnitOfWork, expire_on_commit=False)


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that only reads (on SQLite it does not take the write lock)."""
    with engine.connect().execution_options(**READ_ONLY) as connection, Session(bind=connection) as session:
        yield session


@contextmanager
def _writer_turn(engine: Engine | None) -> Iterator[None]:
    lock = writer_lock(engine) if engine is not None else None
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=LOCK_WAIT):
        raise Busy("write lock")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def transaction(factory: sessionmaker[UnitOfWork]) -> Iterator[UnitOfWork]:
    """One unit of work: commits when the block ends, rolls everything back on any error. On
    SQLite it first waits its turn among this process's writers (at most LOCK_WAIT seconds).
    Its after-commit work runs once the commit returned and the writer's turn is over; on a
    rollback it is dropped."""
    bind = factory.kw.get("bind")
    with _writer_turn(bind if isinstance(bind, Engine) else None):
        session = factory()
        try:
            yield session
            session.commit()
            works = session.take_after_commit()
        except BaseException:
            session.take_after_commit()
            session.rollback()
            raise
        finally:
            session.close()
    run_after_commit(works)
