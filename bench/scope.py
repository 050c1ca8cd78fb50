"""Benchmark of a non-admin request's scope (issue 7 §4, §7), run on demand, not in the suite.

    .venv/bin/python bench/scope.py [--offices 50000] [--requests 200] [--backends sqlite,postgresql]

For each backend it creates a fresh database (a temporary SQLite file; a PostgreSQL database made and
dropped here, admin connection from NADZOR_TEST_PG as in the tests), migrates it and loads the demo
organization (131 offices, staff, users; no proceedings). It then times, in process through the whole
app (token, actor with its scope, the query, JSON), the same non-admin requests — `GET /api/v1/people`
by the Medeu district prosecutor (`medeu`) and by the prosecutor of the Karaganda region (`karaganda`)
— at 131 offices, then again after district-level offices are added under every regional office (in
one transaction that bumps the office-tree version, as an import does) up to `--offices`. Printed per
request: the median wall time and CPU time (on a shared machine CPU says more), for each size; then the
same at the large size with the office tree read afresh per request, as before the cache (`uncached`).
The last line is `scope_ratio=<x>`: the district prosecutor's CPU median at the large size over the one
at 131 offices (target: within 2×).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` for a script run from this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from nadzor.accounts import service as accounts
from nadzor.bootstrap import Platform, create_platform
from nadzor.demo import DEMO_USERS, load_demo
from nadzor.infra.context import cli_actor
from nadzor.infra.db.migrate import upgrade
from nadzor.org import service as org
from nadzor.org.tables import offices
from nadzor.settings import Settings
from nadzor.web.app import create_app

TODAY = date(2026, 11, 25)
PG_ADMIN = os.environ.get("NADZOR_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
USERS = ("medeu", "karaganda")


def _pg(statement: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'scope.sqlite3'}"
        return
    name = f"nadzor_bench_scope_{uuid.uuid4().hex[:8]}"
    _pg(f'CREATE DATABASE "{name}"')
    params = dict(item.split("=", 1) for item in PG_ADMIN.split())
    try:
        yield (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
               f"{params.get('port', '5432')}/{name}")
    finally:
        _pg(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()")
        _pg(f'DROP DATABASE IF EXISTS "{name}"')


def grow(platform: Platform, target: int) -> int:
    """District-level offices under every regional office, round robin, up to `target` in all; the
    office-tree version bumped in the same transaction."""
    with platform.transaction() as session:
        have = session.execute(select(func.count()).select_from(offices)).scalar_one()
        regions = session.execute(select(offices.c.id, offices.c.code).where(offices.c.level == "regional")
                                  .order_by(offices.c.id)).all()
        rows = []
        for n in range(target - have):
            parent = regions[n % len(regions)]
            rows.append({"code": f"{parent.code}.bench_{n}", "parent_id": parent.id, "level": "district",
                         "kind": "territorial", "name_ru": f"Прокуратура района {n}", "name_kk": "",
                         "city": "—", "former_names": [], "version": 1})
        for start in range(0, len(rows), 5000):
            session.execute(insert(offices), rows[start:start + 5000])
        org.bump_tree_version(session)
        return int(session.execute(select(func.count()).select_from(offices)).scalar_one())


def timed(client: TestClient, headers: dict[str, str], requests: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `GET /api/v1/people` after a few warm-up requests."""
    for _ in range(5):
        assert client.get("/api/v1/people", headers=headers).status_code == 200
    wall, cpu = [], []
    for _ in range(requests):
        w, c = time.perf_counter(), time.process_time()
        response = client.get("/api/v1/people", headers=headers)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        assert response.status_code == 200
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def run(backend: str, size: int, requests: int) -> float:
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
        settings = Settings(data_dir=Path(tmp), calendar_file=Path(tmp) / "none.csv", database_url=url,
                            environment="test", secret_key="bench-scope-" + "k" * 40, password_hashing="fast")
        upgrade(url)
        platform = create_platform(settings, migrate=False)
        try:
            with platform.transaction() as session:
                load_demo(session, actor=cli_actor(), passwords=platform.passwords, today=TODAY, proceedings=False)
            client = TestClient(create_app(platform))
            headers = {}
            for login in USERS:
                token = client.post("/api/v1/auth/token", json={"login": login, "password": DEMO_USERS[login][0]})
                headers[login] = {"authorization": f"Bearer {token.json()['token']}"}
            small = {login: timed(client, headers[login], requests) for login in USERS}
            total = grow(platform, size)
            large = {login: timed(client, headers[login], requests) for login in USERS}
            cached = accounts.cached_tree
            accounts.cached_tree = org.tree  # type: ignore[assignment]  # as before issue 7 §4
            try:
                uncached = {login: timed(client, headers[login], max(requests // 10, 10)) for login in USERS}
            finally:
                accounts.cached_tree = cached
        finally:
            platform.dispose()
    for login in USERS:
        print(f"{backend} {login}: 131 offices {small[login][0]:.2f} ms wall / {small[login][1]:.2f} ms CPU; "
              f"{total} offices {large[login][0]:.2f} / {large[login][1]:.2f}; "
              f"uncached at {total} {uncached[login][0]:.1f} / {uncached[login][1]:.1f}; "
              f"ratio (CPU) {large[login][1] / small[login][1]:.2f}")
    return large["medeu"][1] / small["medeu"][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offices", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    ratios = [run(backend, args.offices, args.requests) for backend in args.backends.split(",")]
    print(f"scope_ratio={max(ratios):.2f}")


if __name__ == "__main__":
    main()
