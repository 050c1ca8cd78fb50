"""Engines and sessions: SQLite embedded by default (WAL, foreign keys, writes serialized with
BEGIN IMMEDIATE), PostgreSQL (psycopg 3) when DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from nadzor.adapters.db.tables import start_mappers


def make_engine(url: str, *, echo: bool = False) -> Engine:
    start_mappers()
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, issue BEGIN (so it can be BEGIN IMMEDIATE).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
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
    return create_engine(url, echo=echo, pool_pre_ping=True)


READ_ONLY = {"nadzor_read_only": True}


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that only reads (on SQLite it does not take the write lock)."""
    with engine.connect().execution_options(**READ_ONLY) as connection, Session(bind=connection) as session:
        yield session


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls everything back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
