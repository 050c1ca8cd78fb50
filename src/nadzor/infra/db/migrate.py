"""`nadzor db upgrade`: Alembic migrations, configured in code.

Concurrent starts cannot race a migration (issue 7 §3): every upgrade runs under one lock per
database — a session advisory lock on PostgreSQL, an exclusive lock on a file beside the database
on SQLite — so a second process waits for the first and then finds the schema at head. In
production the server does not migrate: `nadzor db upgrade` is an explicit step
(`bootstrap.create_platform`)."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The advisory lock's key on PostgreSQL (the bytes of "nadzor").
MIGRATION_LOCK_KEY = 0x6E61647A6F72
#: Longest wait (seconds) for another process's migration.
MIGRATION_WAIT = 600.0


class MigrationBusy(Exception):
    """Another process kept migrating the database longer than MIGRATION_WAIT."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str = "sqlite://") -> str | None:
    """The revision the code's migrations end with."""
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None in memory)."""
    path = url.split("?", 1)[0].removeprefix("sqlite:///")
    return None if path in ("", ":memory:") or path == url else Path(path)


@contextmanager
def migration_lock(url: str, *, wait: float = MIGRATION_WAIT) -> Iterator[None]:
    """Hold the database's migration lock (see the module's docstring) for the block."""
    if url.startswith("sqlite"):
        found = _sqlite_file(url)
        if found is None:
            yield
            return
        found.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{found}.migrate-lock", "a+b") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise MigrationBusy(f"{found}: another migration runs") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"SET lock_timeout = {int(wait * 1000)}"))
            try:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            except Exception as exc:
                if getattr(getattr(exc, "orig", None), "sqlstate", "") == "55P03":
                    raise MigrationBusy(f"{engine.url.database}: another migration runs") from None
                raise
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """Migrate to `revision` under the migration lock; `audit_key` (never stored) seals the
    existing audit rows in 0002."""
    config = alembic_config(url)
    if audit_key is not None:
        config.attributes["nadzor_audit_key"] = audit_key
    with migration_lock(url):
        command.upgrade(config, revision)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from nadzor.infra.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
