"""Engines and sessions: SQLite embedded by default (WAL, foreign keys, writes serialized with
BEGIN IMMEDIATE), PostgreSQL (psycopg 3) when DATABASE_URL is set.

No wait is unbounded. On SQLite a process-wide writer lock (one per database file) is taken
before BEGIN IMMEDIATE, so the writers of one server queue in order instead of spinning on the
file lock, and another process (the CLI) is waited for by the busy timeout. On PostgreSQL every
connection has a lock timeout (row locks and the audit chain's advisory lock), a statement
timeout and a bounded wait for a pooled connection. A wait that runs out raises `Busy`, which
the web layer answers with 503 and Retry-After."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from nadzor.adapters.db.tables import start_mappers

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
    start_mappers()
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
    engine = create_engine(url, echo=echo, pool_pre_ping=True, **_pool(url))
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


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


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
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls everything back on any error. On
    SQLite it first waits its turn among this process's writers (at most LOCK_WAIT seconds)."""
    bind = factory.kw.get("bind")
    with _writer_turn(bind if isinstance(bind, Engine) else None):
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
