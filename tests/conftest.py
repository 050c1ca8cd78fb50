"""Test fixtures: cheap password hashing, a platform on SQLite and on PostgreSQL (a fresh
PostgreSQL database per test run, created and dropped here), demo data from a template.

Under CI=true a PostgreSQL test that cannot run fails instead of skipping, and the run fails if
any collected PostgreSQL test did not run."""

from __future__ import annotations

import os

os.environ["NADZOR_PASSWORD_HASHING"] = "fast"
os.environ.setdefault("NADZOR_ENV", "test")
# The CLI and servers that tests start inherit the test platforms' secret, so the audit rows they
# write are signed with the same audit key as the platform's own (finding 8 of issue 6).
os.environ.setdefault("NADZOR_SECRET_KEY", "test-secret-key-that-is-long-enough-1234")

import contextlib
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from nadzor import bootstrap
from nadzor.bootstrap import Platform, create_platform
from nadzor.demo import load_demo
from nadzor.domain.clock import FixedClock
from nadzor.infra.context import cli_actor
from nadzor.infra.db.migrate import upgrade
from nadzor.settings import Settings

TEST_SECRET = os.environ["NADZOR_SECRET_KEY"]
PG_ADMIN = os.environ.get("NADZOR_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
RUN_ID = uuid.uuid4().hex[:8]
IN_CI = os.environ.get("CI") == "true"
DEMO_TODAY = date(2026, 11, 25)
#: Tests never read the real date: the process's clock stands at noon of this day in Almaty (the
#: calendar then covers 2018–2027); tests that move it use the `clock` fixture.
TODAY = date(2026, 11, 29)
FROZEN = FixedClock.on(TODAY)
bootstrap.set_clock(FROZEN)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

_pg_collected: set[str] = set()
_pg_ran: set[str] = set()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            _pg_collected.add(item.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid in _pg_collected and report.when == "call" and not report.skipped:
        _pg_ran.add(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    missing = _pg_collected - _pg_ran
    if IN_CI and missing and not session.config.option.collectonly and session.testsfailed == 0:
        session.config.get_terminal_writer().line(
            f"CI: {len(missing)} PostgreSQL test(s) were collected but did not run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _require_pg() -> None:
    if _pg_available():
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL is not reachable ({PG_ADMIN}) under CI=true")
    pytest.skip("PostgreSQL is not reachable")


def _pg_url(name: str) -> str:
    params = dict(p.split("=", 1) for p in PG_ADMIN.split())
    return f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:" \
           f"{params.get('port', '5432')}/{name}"


def _pg_exec(*statements: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def _pg_drop(name: str) -> None:
    _pg_exec(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
             "AND pid <> pg_backend_pid()", f'DROP DATABASE IF EXISTS "{name}"')


def _settings(url: str, tmp: Path) -> Settings:
    return Settings(data_dir=tmp, calendar_file=tmp / "no-calendar-file.csv", database_url=url, environment="test",
                    secret_key=TEST_SECRET, password_hashing="fast",
                    audit_secret=os.environ.get("NADZOR_AUDIT_KEY", ""))


#: The template databases: migrated and empty; the demo organization, staff and users without
#: proceedings (what most tests build their own proceedings on); the whole demo as a first start has it.
Variant = str  # "empty" | "demo" | "full"


class Templates:
    """Migrated databases built once per run (empty, the demo organization, the whole demo), copied
    per test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[tuple[str, Variant], str] = {}

    def source(self, backend: str, variant: Variant) -> str:
        key = (backend, variant)
        if key not in self.made:
            self.made[key] = self._build(backend, variant)
        return self.made[key]

    def _build(self, backend: str, variant: Variant) -> str:
        suffix = variant
        if backend == "sqlite":
            path = self.root / f"template-{suffix}.sqlite3"
            url = f"sqlite:///{path}"
        else:
            name = f"nadzor_t{RUN_ID}_{suffix}"
            _pg_exec(f'CREATE DATABASE "{name}"')
            url = _pg_url(name)
        upgrade(url)
        if variant != "empty":
            platform = Platform(_settings(url, self.root), _engine(url))
            with platform.transaction() as session:
                load_demo(session, actor=cli_actor(), passwords=platform.passwords, today=DEMO_TODAY,
                          calendar=platform.calendar(), proceedings=variant == "full")
            platform.dispose()
        if backend == "sqlite":
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return str(path)
        return name

    def cleanup(self) -> None:
        for (backend, _demo), source in self.made.items():
            if backend == "postgresql":
                with contextlib.suppress(psycopg.Error):
                    _pg_drop(source)


def _engine(url: str):
    from nadzor.infra.db.engine import make_engine

    return make_engine(url)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("db-templates"))
    yield found
    found.cleanup()


def _make_platform(backend: str, variant: Variant, templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    if backend == "postgresql":
        _require_pg()
    source = templates.source(backend, variant)
    if backend == "sqlite":
        path = tmp_path / "nadzor.sqlite3"
        shutil.copy(source, path)
        url = f"sqlite:///{path}"
        name = ""
    else:
        name = f"nadzor_t{RUN_ID}_{uuid.uuid4().hex[:8]}"
        _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        url = _pg_url(name)
    platform = create_platform(_settings(url, tmp_path), migrate=False)
    try:
        yield platform
    finally:
        platform.dispose()
        if name:
            _pg_drop(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def platform(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    """An empty, migrated database on each backend."""
    yield from _make_platform(backend, "empty", templates, tmp_path)


@pytest.fixture
def demo(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    """The demo organization, staff, assignments and users on each backend (no proceedings)."""
    yield from _make_platform(backend, "demo", templates, tmp_path)


@pytest.fixture
def demo_full(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    """The whole demo, as `nadzor serve` loads it on a first start: with its proceedings."""
    yield from _make_platform(backend, "full", templates, tmp_path)


@pytest.fixture
def sqlite_demo(templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    """The demo data on SQLite only (for tests of the web layer that do not depend on storage)."""
    yield from _make_platform("sqlite", "demo", templates, tmp_path)


@pytest.fixture
def sqlite_demo_full(templates: Templates, tmp_path: Path) -> Iterator[Platform]:
    """The whole demo (with its proceedings) on SQLite only."""
    yield from _make_platform("sqlite", "full", templates, tmp_path)


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """A clock of the test's own (at TODAY) that the test may move; platforms made after it take it."""
    own = FixedClock.on(TODAY)
    bootstrap.set_clock(own)
    try:
        yield own
    finally:
        bootstrap.set_clock(FROZEN)
