"""Benchmark of the register of checks on 100,000 stored checks (run on demand, not in the suite).

    .venv/bin/python bench/register.py [--count 100000] [--backends sqlite,postgresql]

For each backend it creates a fresh database (a temporary SQLite file; a PostgreSQL database made and
dropped here, admin connection from NADZOR_TEST_PG as in the tests), migrates it, loads the office
tree, and bulk-inserts N generated checks through the same tables the service writes — the proceeding
row with its derived columns, its steps, its open deadlines — each state from `replay` of its steps (the
demo's lives with random dates and offices). Every generated check's span contains the day the calendar
change below touches, so that change recomputes all of them. Then it measures and prints:

* `register_p95_ms` — the register's filtered, sorted first page (`access_proceedings`: the office
  subtree of a region + a status + overdue, 50 rows, newest first, with the total): target < 50 ms;
* `csv_export_s` — the CSV export of all N rows of the register: target < 10 s;
* `restate_s` — a calendar change (a working day becomes a day off) recomputing the open deadlines of
  all of them through `services.proceedings.restate_for_day`, committed: target < 10 s (the replay runs
  in worker processes, one per CPU: their CPU time is printed besides this process's).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` for a script run from this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import csv
import os
import random
import signal
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from nadzor import proceedings as kernel
from nadzor.audit import service as audit
from nadzor.bootstrap import build_calendar
from nadzor.casework.service import _span_end, access_proceedings, restate_for_day
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps, proceedings
from nadzor.demo import _CHECK_LIVES, _check_life, load_offices
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.infra.context import Actor, cli_actor
from nadzor.infra.db.engine import make_engine, session_factory, transaction
from nadzor.infra.db.migrate import upgrade
from nadzor.org.service import tree
from nadzor.org.tables import offices
from nadzor.proceedings import KINDS
from nadzor.proceedings.kernel import validate

#: «Today» of the register (overdue is counted from it) and the day the calendar change touches.
TODAY = date(2026, 11, 25)
CHANGED = date(2026, 11, 13)
POSITIONS = {"H": {"position": "district_prosecutor"}, "R": {"position": "regional_prosecutor"},
             "G": {"position": "prosecutor_general"}, "S": {"position": "district_prosecutor"}}
PG_ADMIN = os.environ.get("NADZOR_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
CHUNK = 5000


def generate(count: int, district_ids: list[int], cal: WorkingCalendar, seed: int = 102) -> list[dict[str, Any]]:
    """`count` checks: a demo life, a district office, and a first day chosen so that the check's span
    (its first step … its last step, dues and `objections_until`) contains CHANGED."""
    rng = random.Random(seed)
    kind = KINDS["check"]
    lives = sorted({life for life, _ in _CHECK_LIVES})
    spans: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for n in range(count):
        life = lives[n % len(lives)]
        if life not in spans:
            state, steps = _replay(kind, life, CHANGED, cal)
            spans[life] = (_span_end(state, steps) - CHANGED).days
        first = CHANGED - timedelta(days=rng.randint(0, max(spans[life] - 2, 0)))
        state, steps = _replay(kind, life, first, cal)
        if not steps[0].date <= CHANGED <= _span_end(state, steps):
            first = CHANGED
            state, steps = _replay(kind, life, first, cal)
        out.append({"office_id": rng.choice(district_ids), "state": state, "steps": steps, "life": life})
    return out


def _replay(kind: Any, life: str, first: date, cal: WorkingCalendar) -> tuple[dict[str, Any], list[Any]]:
    raw = _check_life(life, lambda n: (first + timedelta(days=n)).isoformat())
    posted = [s | {"signer": POSITIONS[s["signer"]]} if isinstance(s.get("signer"), str) else s for s in raw]
    level, steps = validate(kind, {"office_level": "district", "steps": posted}, cal)
    state = kernel.replay_steps(kind, level, steps, cal)
    assert state["refused"] is None, (life, state["refused"])
    for step, data in zip(steps, posted, strict=True):
        step.f = data  # keep the contract object to store
    return state, steps


def bulk_insert(engine: Any, generated: list[dict[str, Any]], codes: dict[int, str]) -> None:
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []

    def flush(conn: Any) -> None:
        for table, batch in ((proceedings, rows), (proceeding_steps, steps), (proceeding_deadlines, deadlines)):
            if batch:
                conn.execute(insert(table), batch)
                batch.clear()

    with engine.begin() as conn:
        for pid, item in enumerate(generated, start=1):
            state, replayed = item["state"], item["steps"]
            first = replayed[0].date
            rows.append({
                "id": pid, "kind": "check", "office_id": item["office_id"], "office_level": "district",
                "number": f"{codes[item['office_id']]}/П-{first.year}-{pid:06d}", "subject": f"Субъект {pid}",
                "status": state["status"], "opened_on": first,
                "start": date.fromisoformat(state["start"]) if state.get("start") else None,
                "last_day": date.fromisoformat(state["last_day"]) if state.get("last_day") else None,
                "span_end": _span_end(state, replayed), "state": state, "created_by": "bench", "created_at": now,
                "updated_at": now, "version": len(replayed)})
            steps.extend({"proceeding_id": pid, "seq": s.index, "type": s.type, "date": s.date, "data": s.f,
                          "details": {}, "author": "bench", "author_person_id": None, "recorded_at": now,
                          "withdrawn": False} for s in replayed)
            deadlines.extend({"proceeding_id": pid, "kind": "check", "office_id": item["office_id"],
                              "code": d["code"], "due": date.fromisoformat(d["due"]), "step": d["step"],
                              "citations": d["citations"]} for d in state["deadlines"])
            if len(rows) >= CHUNK:
                flush(conn)
        flush(conn)
        conn.exec_driver_sql("ANALYZE")  # fresh statistics for the planner, as after a migration's import


def _children_cpu() -> float:
    """CPU time of the ended child processes (the calendar change's replay workers)."""
    times = os.times()
    return times.children_user + times.children_system


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run_backend(name: str, url: str, count: int) -> dict[str, float]:
    upgrade(url)
    engine = make_engine(url)
    audit.use_key(engine, b"bench-audit-key")  # the audit chain signs the office import and the restate
    sessions = session_factory(engine)
    cal = build_calendar()
    with transaction(sessions) as session:
        load_offices(session, actor=cli_actor())
    with engine.connect() as conn:
        office_rows = conn.execute(select(offices.c.id, offices.c.code, offices.c.level)).all()
    codes = {r.id: r.code for r in office_rows}
    districts = [r.id for r in office_rows if r.level == "district"]
    regions = [r.id for r in office_rows if r.level == "regional"]
    t = time.perf_counter()
    generated = generate(count, districts, cal)
    print(f"[{name}] generated and replayed {count} checks in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    bulk_insert(engine, generated, codes)
    print(f"[{name}] bulk insert in {time.perf_counter() - t:.1f} s", flush=True)
    del generated

    with sessions() as session:
        office_tree = tree(session)
    samples: list[float] = []
    totals: list[int] = []
    rng = random.Random(7)
    for i in range(200):
        region = regions[i % len(regions)]
        actor = Actor(login="bench", user_id=1, visible=frozenset(office_tree.subtree(region)))
        status = rng.choice(["in_progress", "suspended", "ended", "certificate_delivered"])
        with sessions() as session:
            t = time.perf_counter()
            page = access_proceedings(session, "checks", actor=actor, today=TODAY, status=status, overdue=True,
                                      limit=50)
            samples.append((time.perf_counter() - t) * 1000)
            totals.append(page["total"])
    register = p95(samples)
    print(f"[{name}] register first page: p95 {register:.1f} ms, median {statistics.median(samples):.1f} ms "
          f"(filtered totals {min(totals)}…{max(totals)})", flush=True)

    with sessions() as session, tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        t = time.perf_counter()
        page = access_proceedings(session, "checks", actor=cli_actor(), today=TODAY, limit=count)
        writer = csv.writer(out)
        writer.writerow(["Номер", "Прокуратура", "Предмет", "Статус", "Открыта", "Последний день",
                         "Ближайший срок", "Просрочено"])
        labels = KINDS["check"].statuses
        writer.writerows([i["number"], codes[i["office_id"]], i["subject"], labels.get(i["status"] or "", ""),
                          i["opened_on"], i["last_day"] or "", i["next_due"] or "", "да" if i["overdue"] else ""]
                         for i in page["items"])
        export = time.perf_counter() - t
        assert len(page["items"]) == count
    print(f"[{name}] CSV export of {count} rows: {export:.2f} s", flush=True)

    changed = build_calendar(None, [[DayEntry(CHANGED, False, "Перенос (бенчмарк)", "bench")]])
    t, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
    with transaction(sessions) as session:
        moved = restate_for_day(session, CHANGED, calendar=changed, actor=cli_actor())
    restate, cpu, workers = time.perf_counter() - t, time.process_time() - cpu, _children_cpu() - workers
    print(f"[{name}] calendar change: {moved} of {count} moved, {restate:.2f} s "
          f"({cpu:.2f} s CPU time of this process, {workers:.2f} s of its replay workers)", flush=True)
    engine.dispose()
    return {"register_p95_ms": register, "csv_export_s": export, "restate_s": restate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` drops the PostgreSQL database
    results: dict[str, dict[str, float]] = {}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results[backend] = run_backend(backend, f"sqlite:///{tmp}/register.sqlite3", args.count)
        elif backend == "postgresql":
            import psycopg

            name = f"nadzor_bench_{uuid.uuid4().hex[:8]}"
            params = dict(p.split("=", 1) for p in PG_ADMIN.split())
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
            try:
                url = (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
                       f"{params.get('port', '5432')}/{name}")
                results[backend] = run_backend(backend, url, args.count)
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # type: ignore[arg-type]
                                 f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
        else:
            raise SystemExit(f"unknown backend {backend!r}: sqlite or postgresql")
    targets = {"register_p95_ms": 50.0, "csv_export_s": 10.0, "restate_s": 10.0}
    failed = False
    for backend, figures in results.items():
        for key, value in figures.items():
            ok = value < targets[key]
            failed |= not ok
            print(f"{key}[{backend}]={value:.2f} (target < {targets[key]:g}: {'ok' if ok else 'MISSED'})")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
