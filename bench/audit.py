"""Benchmark of the audit log at scale (run on demand, not in the suite).

    .venv/bin/python bench/audit.py [--rows 1000000] [--backend postgresql|sqlite|both] [--repeat 20]

For each backend it makes a fresh database (PostgreSQL: created beside NADZOR_TEST_PG's database
and dropped afterwards; SQLite: a temporary file), migrates it, and fills N correctly chained
(keyed) audit rows quickly (hashes computed in one pass, COPY on PostgreSQL, executemany on
SQLite), then runs VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite) as autovacuum would after a
bulk load. Then it measures:

1. `nadzor audit verify` in a child process at N/10 rows and at N rows: seconds and peak memory
   (max RSS). Streaming means the peak does not grow with the log.
2. The `/audit` filters (person, office, object, action, one day, a month, none) through
   `services.audit.access_audit`, each run `--repeat` times: p95 in milliseconds.

Targets (PostgreSQL, 1 M rows): verify peak memory independent of N; filter p95 < 50 ms.
The last line is `audit_filter_p95_ms=<x> verify_peak_mb=<y>` for the last backend measured.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import text

from nadzor.audit import service as audit
from nadzor.bootstrap import Platform
from nadzor.domain.audit import ACTION_LABELS, GENESIS, SCHEME_HMAC, ChainFields, canonical, row_hash
from nadzor.infra.context import cli_actor
from nadzor.infra.db.migrate import upgrade
from nadzor.settings import Settings

PG_ADMIN = os.environ.get("NADZOR_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
COLUMNS = (*ChainFields.__slots__, "hash", "scheme")
START = datetime(2025, 1, 1, tzinfo=UTC)
SPAN_DAYS = 700


def settings_for(url: str, tmp: Path) -> Settings:
    return Settings(data_dir=tmp, calendar_file=tmp / "none.csv", database_url=url, environment="test",
                    secret_key="bench-secret-key-that-is-long-enough-000", password_hashing="fast")


def chained_rows(count: int, key: bytes, seed: int = 60):
    """`count` rows of a plausible log (200 people, 131 offices, 22 actions), correctly chained."""
    rnd = random.Random(seed)
    actions = sorted(ACTION_LABELS)
    types = ["office", "person", "acting", "zone", "user", "token", "calendar_day", "demo"]
    step = SPAN_DAYS * 86_400 / count
    prev = GENESIS
    for seq in range(1, count + 1):
        at = (START + timedelta(seconds=seq * step)).isoformat(timespec="microseconds")
        fields = ChainFields(
            seq=seq, at=at, actor=f"user{rnd.randrange(200):03d}", actor_office=f"office-{rnd.randrange(131):03d}",
            actor_position="prosecutor", action=rnd.choice(actions), object_type=rnd.choice(types),
            object_id=str(rnd.randrange(20_000)), before="null",
            after=canonical({"full_name": f"Сотрудник {seq}", "email": f"u{seq}@prokuratura.kz"}), prev_hash=prev,
        )
        prev = row_hash(fields, SCHEME_HMAC, key)
        yield (*(getattr(fields, n) for n in ChainFields.__slots__), prev, SCHEME_HMAC)


def fill(platform: Platform, count: int) -> None:
    key = platform.settings.audit_key
    last = ("", "")
    if platform.engine.dialect.name == "postgresql":
        raw = platform.engine.raw_connection()
        try:
            pg: psycopg.Connection = raw.driver_connection  # type: ignore[assignment]
            with pg.cursor() as cursor, cursor.copy(f"COPY audit_log ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in chained_rows(count, key):
                    copy.write_row(row)
                    last = (row[0], row[-2])
            pg.commit()
        finally:
            raw.close()
    else:
        with platform.engine.begin() as conn:
            batch: list[dict[str, object]] = []
            for row in chained_rows(count, key):
                batch.append(dict(zip(COLUMNS, row, strict=True)))
                if len(batch) == 10_000:
                    conn.execute(text(f"INSERT INTO audit_log ({', '.join(COLUMNS)}) "
                                      f"VALUES ({', '.join(':' + c for c in COLUMNS)})"), batch)
                    batch.clear()
                last = (row[0], row[-2])
            if batch:
                conn.execute(text(f"INSERT INTO audit_log ({', '.join(COLUMNS)}) "
                                  f"VALUES ({', '.join(':' + c for c in COLUMNS)})"), batch)
    with platform.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                     {"seq": last[0], "hash": last[1]})
    # What autovacuum does after a bulk insert (statistics, and the visibility map that lets
    # counts read the indexes only).
    with platform.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE audit_log" if conn.dialect.name == "postgresql" else "ANALYZE"))


_VERIFY_CHILD = """
import resource, sys, time
from nadzor.bootstrap import create_platform
from nadzor.audit import service as audit
platform = create_platform(migrate=False)
t = time.perf_counter()
with platform.read_only() as session:
    problem = audit.verify(session)
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{took:.2f} {peak:.1f} {'intact' if problem is None else problem.message}")
"""


def verify_in_child(settings: Settings) -> tuple[float, float, str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "NADZOR_SECRET_KEY": settings.secret_key,
           "NADZOR_PASSWORD_HASHING": "fast", "NADZOR_CALENDAR_FILE": str(settings.calendar_file)}
    env.pop("NADZOR_AUDIT_KEY", None)
    done = subprocess.run([sys.executable, "-c", _VERIFY_CHILD], env=env, capture_output=True, text=True, check=True)
    took, peak, verdict = done.stdout.split(" ", 2)
    return float(took), float(peak), verdict.strip()


def filter_p95(platform: Platform, repeat: int) -> tuple[float, dict[str, float]]:
    day = (START + timedelta(days=300)).date()
    filters = {
        "person": audit.AuditFilter(actor="user042", limit=50),
        "office": audit.AuditFilter(office="office-017", limit=50),
        "object": audit.AuditFilter(object_type="person", object_id="1234", limit=50),
        "action": audit.AuditFilter(action="person.updated", limit=50),
        "one day": audit.AuditFilter(date_from=day, date_to=day, limit=50),
        "a month": audit.AuditFilter(date_from=day, date_to=day + timedelta(days=30), limit=50),
        "person and month": audit.AuditFilter(actor="user042", date_from=day, date_to=day + timedelta(days=30),
                                              limit=50),
        "none, page 3": audit.AuditFilter(limit=50, offset=100),
    }
    actor = cli_actor()
    timings: list[float] = []
    per_filter: dict[str, float] = {}
    with platform.read_only() as session:
        for name, flt in filters.items():
            mine = []
            for _ in range(repeat):
                t = time.perf_counter()
                audit.access_audit(session, actor, flt)
                mine.append((time.perf_counter() - t) * 1000)
            per_filter[name] = sorted(mine)[len(mine) // 2]
            timings += mine
    timings.sort()
    return timings[min(len(timings) - 1, int(len(timings) * 0.95))], per_filter


def run(backend: str, rows: int, repeat: int) -> tuple[float, float]:
    from nadzor.infra.db.engine import make_engine

    tmp = Path(tempfile.mkdtemp(prefix="nadzor-bench-audit-"))
    pg_name = ""
    results: list[tuple[int, float, float, str]] = []
    p95, per_filter = 0.0, {}
    for count in (max(rows // 10, 1), rows):
        if backend == "postgresql":
            pg_name = f"nadzor_bench_audit_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{pg_name}"')  # type: ignore[arg-type]
            params = dict(p.split("=", 1) for p in PG_ADMIN.split())
            url = (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
                   f"{params.get('port', '5432')}/{pg_name}")
        else:
            url = f"sqlite:///{tmp / f'audit-{count}.sqlite3'}"
        settings = settings_for(url, tmp)
        upgrade(url, audit_key=settings.audit_key)
        platform = Platform(settings, make_engine(url))
        try:
            t = time.perf_counter()
            fill(platform, count)
            print(f"{backend}: {count:,} chained rows written in {time.perf_counter() - t:.1f} s", flush=True)
            took, peak, verdict = verify_in_child(settings)
            results.append((count, took, peak, verdict))
            print(f"{backend}: audit verify at {count:,} rows: {took:.1f} s, peak {peak:.0f} MB ({verdict})",
                  flush=True)
            if count == rows:
                p95, per_filter = filter_p95(platform, repeat)
        finally:
            platform.dispose()
            if pg_name:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}"')  # type: ignore[arg-type]
                pg_name = ""
    for name, median in per_filter.items():
        print(f"{backend}: /audit filter «{name}»: median {median:.1f} ms")
    growth = results[-1][2] - results[0][2]
    print(f"{backend}: verify peak memory {results[0][2]:.0f} MB at {results[0][0]:,} rows, "
          f"{results[-1][2]:.0f} MB at {results[-1][0]:,} rows (growth {growth:+.0f} MB); "
          f"filter p95 {p95:.1f} ms at {rows:,} rows", flush=True)
    return p95, results[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    p95 = peak = 0.0
    for backend in backends:
        p95, peak = run(backend, args.rows, args.repeat)
    print(f"audit_filter_p95_ms={p95:.1f} verify_peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
