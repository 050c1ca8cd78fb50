"""Issue 7 §3: concurrent starts cannot race a migration (an advisory lock on PostgreSQL, an
exclusive file lock on SQLite), and in production the schema is changed only by the explicit
`nadzor db upgrade`."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from nadzor.bootstrap import SchemaOutdated, create_platform
from nadzor.infra.db.migrate import current_revision, head_revision, migration_lock
from nadzor.settings import Settings
from tests.conftest import BACKENDS, RUN_ID, TEST_SECRET, _pg_drop, _pg_exec, _pg_url, _require_pg


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that exists but has no schema yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    _require_pg()
    name = f"nadzor_t{RUN_ID}_m{uuid.uuid4().hex[:8]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        _pg_drop(name)


def _upgrade_in_another_process(url: str) -> subprocess.Popen[str]:
    script = "import sys\nfrom nadzor.infra.db.migrate import upgrade\nupgrade(sys.argv[1])\n"
    return subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_an_upgrade_waits_while_another_process_holds_the_migration_lock(fresh_url: str) -> None:
    with migration_lock(fresh_url):
        waiting = _upgrade_in_another_process(fresh_url)
        time.sleep(3)
        assert waiting.poll() is None, waiting.communicate()
        assert "alembic_version" not in _tables(fresh_url)  # nothing migrated while the lock is held
    _out, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    assert current_revision(fresh_url) == head_revision()


def test_two_processes_starting_together_both_succeed_and_migrate_once(fresh_url: str) -> None:
    first, second = _upgrade_in_another_process(fresh_url), _upgrade_in_another_process(fresh_url)
    for process in (first, second):
        _out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
    assert current_revision(fresh_url) == head_revision()


def test_the_lock_is_refused_after_its_wait_when_another_process_keeps_it(fresh_url: str) -> None:
    from nadzor.infra.db.migrate import MigrationBusy

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom nadzor.infra.db.migrate import migration_lock\n"
         "with migration_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n", fresh_url],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(MigrationBusy), migration_lock(fresh_url, wait=0.5):
            pass
    finally:
        holder.kill()
        holder.wait()
    with migration_lock(fresh_url, wait=5):  # released when its process ended
        pass


def test_in_production_the_server_does_not_migrate_and_names_the_explicit_step(fresh_url: str,
                                                                               tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, calendar_file=tmp_path / "none.csv", database_url=fresh_url,
                        environment="production", secret_key=TEST_SECRET, password_hashing="strong", audit_secret="")
    with pytest.raises(SchemaOutdated, match="nadzor db upgrade"):
        create_platform(settings)
    assert "alembic_version" not in _tables(fresh_url)
    create_platform(settings, migrate=True).dispose()  # what `nadzor db upgrade` does
    platform = create_platform(settings)  # at head: starts without touching the schema
    platform.dispose()
    assert current_revision(fresh_url) == head_revision()
