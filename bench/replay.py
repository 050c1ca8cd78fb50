"""Benchmark of `nadzor proceedings replay --batch` (run on demand, not in the suite).

    .venv/bin/python bench/replay.py [--count 100000] [--kinds check,act,evaluation,analysis]

For each kind it generates N typical proceedings — a check 9–17 steps (opening, resolution,
registration, start, delivery, a suspension with its notices and resumption, an extension, the end,
the certificate, a decision and the closure), an act, an evaluation and an analysis 8–12 steps each
(their usual lives, see the generators) — feeds them to the CLI batch in one process and prints
proceedings per second of wall time and per CPU second of that process. Every line must answer with
a state, none refused: the generators make only valid lives.

Target (PROCEEDINGS.md, issues 8–10): ≥ 10,000 proceedings per second per kind on one core.
Each kind's batch runs `--repeat` times (3 by default) and every run is printed; the figure kept is the
best run, as `timeit` keeps the best: on a shared machine the slower runs measure the neighbours (the
reference loop printed first varies twofold from one minute to the next here). The median is printed
beside it. The last line is `checks_per_s=<x>` (the best run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DP = {"position": "district_prosecutor"}
RP = {"position": "regional_prosecutor"}
PG = {"position": "prosecutor_general"}


def _iso(day: date) -> str:
    return day.isoformat()


def typical_check(rng: random.Random) -> dict[str, Any]:
    day = date(2021, 8, 1) + timedelta(days=rng.randrange(450))
    start = day + timedelta(days=1)
    end = start + timedelta(days=29)
    steps: list[dict[str, Any]] = [
        {"type": "opened", "date": _iso(day), "subject_kind": "state_body", "basis": "protect_rights",
         "protected_interest": ["vulnerable_persons"], "control_body_failed": True},
        {"type": "resolution_signed", "date": _iso(day), "signer": DP, "start_date": _iso(start),
         "end_date": _iso(end)},
        {"type": "registered", "date": _iso(day), "number": f"{rng.randrange(10**6)}"},
        {"type": "started", "date": _iso(start)},
        {"type": "delivered", "date": _iso(start), "acknowledged": True},
    ]
    t = start + timedelta(days=rng.randrange(2, 6))
    if rng.random() < 0.7:
        steps += [{"type": "suspended", "date": _iso(t), "signer": DP, "ground": "expertise"},
                  {"type": "notice_sent", "date": _iso(t + timedelta(days=1)), "step": len(steps),
                   "recipients": ["legal_statistics_body", "subject"]}]
        t += timedelta(days=rng.randrange(3, 12))
        steps += [{"type": "resumed", "date": _iso(t), "signer": DP},
                  {"type": "notice_sent", "date": _iso(t + timedelta(days=1)), "step": len(steps),
                   "recipients": ["legal_statistics_body", "subject"]}]
    if rng.random() < 0.5:
        t += timedelta(days=2)
        steps += [{"type": "extension_petitioned", "date": _iso(t), "signer": DP, "addressee": "regional_prosecutor"},
                  {"type": "extension_forwarded", "date": _iso(t + timedelta(days=1)), "signer": RP},
                  {"type": "extended", "date": _iso(t + timedelta(days=2)), "signer": PG,
                   "days": rng.randrange(5, 31)}]
        steps.append({"type": "notice_sent", "date": _iso(t + timedelta(days=3)), "step": len(steps) - 1,
                      "recipients": ["legal_statistics_body", "subject"]})
        t += timedelta(days=3)
    t += timedelta(days=rng.randrange(1, 10))
    steps += [{"type": "ended", "date": _iso(t)},
              {"type": "certificate_delivered", "date": _iso(t + timedelta(days=2)), "acknowledged": True},
              {"type": "decision", "date": _iso(t + timedelta(days=9)), "decision": "act"},
              {"type": "closed", "date": _iso(t + timedelta(days=10))}]
    return {"office_level": "district", "steps": steps}


CONTENT = ["legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"]


def typical_act(rng: random.Random) -> dict[str, Any]:
    """An act of supervision of a district office (I.58–I.67): drafted, issued, entered in the data bank,
    kept by the superior, answered (once not accepted, in a third of them), reviewed, executed, closed."""
    day = date(2021, 8, 1) + timedelta(days=rng.randrange(450))

    def d(n: int) -> str:
        return _iso(day + timedelta(days=n))

    steps: list[dict[str, Any]] = [
        {"type": "drafted", "date": d(0), "act_type": rng.choice(["representation", "protest"]),
         "addressee_central_body": False, "content": list(CONTENT)},
        {"type": "issued", "date": d(2), "signer": DP, "response_due": d(32)},
        {"type": "databank_entered", "date": d(3), "step": 1},
        {"type": "superior_decision", "date": d(5), "decision": "keep"},
    ]
    t = rng.randrange(15, 28)
    if rng.random() < 0.3:
        steps += [{"type": "response_received", "date": d(t), "final": True},
                  {"type": "databank_entered", "date": d(t + 1), "step": len(steps)},
                  {"type": "response_reviewed", "date": d(t + 2), "agree": False}]
        t += 3
    steps += [{"type": "response_received", "date": d(t), "final": True},
              {"type": "databank_entered", "date": d(t + 1), "step": len(steps)},
              {"type": "response_reviewed", "date": d(t + 2), "agree": True},
              {"type": "execution_recorded", "date": d(t + 3), "damage_recovered": rng.randrange(10**7),
               "persons_liable": rng.randrange(4)},
              {"type": "closed", "date": d(t + 4)}]
    return {"office_level": "district", "steps": steps}


def typical_evaluation(rng: random.Random) -> dict[str, Any]:
    """An evaluation of an act (R.24–R.32): requested, received, studied, protested, its execution
    suspended by the regional prosecutor (a normative act's suspension published), the protest decided —
    granted (normative acts only, to keep 8 steps at least), or rejected and taken to court."""
    day = date(2021, 8, 1) + timedelta(days=rng.randrange(450))

    def d(n: int) -> str:
        return _iso(day + timedelta(days=n))

    normative = rng.random() < 0.5
    steps: list[dict[str, Any]] = [
        {"type": "opened", "date": d(0), "context": "complaint",
         "act_kind": "normative" if normative else "individual"},
        {"type": "act_requested", "date": d(1)},
        {"type": "act_received", "date": d(rng.randrange(2, 7))},
        {"type": "studied", "date": d(8), "violations": ["conformity", "competence"]},
        {"type": "protest_issued", "date": d(9), "addressee": rng.choice(["adopting_body", "superior_body"]),
         "competent": True},
        {"type": "act_suspended", "date": d(10), "signer": RP, "irreversible_consequences": True},
    ]
    if normative:
        steps.append({"type": "published", "date": d(11)})
    if normative and rng.random() < 0.5:
        steps.append({"type": "protest_decided", "date": d(20), "granted": True})
    else:
        steps += [{"type": "protest_decided", "date": d(25), "granted": False},
                  {"type": "court_application", "date": d(30)}]
    return {"office_level": "district", "steps": steps}


def typical_analysis(rng: random.Random) -> dict[str, Any]:
    """An analysis of the state of legality (R.3–R.23, I.67): opened on a rapport, information requested
    and received, in half of them extended, ended, the certificate sent, a requirement to check a business
    entered in the data bank, an act, closed."""
    day = date(2021, 8, 1) + timedelta(days=rng.randrange(450))

    def d(n: int) -> str:
        return _iso(day + timedelta(days=n))

    steps: list[dict[str, Any]] = [
        {"type": "opened", "date": d(0), "via": "rapport", "signer": DP, "basis": "monitoring"},
        {"type": "info_requested", "date": d(3), "addressee": "state_body"},
        {"type": "info_received", "date": d(rng.randrange(5, 12)), "step": 1},
    ]
    t = 25
    if rng.random() < 0.5:
        steps.append({"type": "extended", "date": d(26), "signer": RP, "days": 15})
        t = 38
    steps += [{"type": "ended", "date": d(t)},
              {"type": "certificate_sent", "date": d(t + 1)},
              {"type": "decision", "date": d(t + 3), "decision": "requirement", "target": "business", "signer": RP,
               "concrete_harm_fact": True}]
    steps += [{"type": "databank_entered", "date": d(t + 4), "step": len(steps) - 1},
              {"type": "decision", "date": d(t + 5), "decision": "act"},
              {"type": "closed", "date": d(t + 6)}]
    return {"office_level": "district", "steps": steps}


GENERATORS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    "check": typical_check, "act": typical_act, "evaluation": typical_evaluation, "analysis": typical_analysis}


def generate(kind: str, count: int, seed: int = 1) -> str:
    """A file of `count` typical proceedings of `kind` as batch lines (its path)."""
    rng = random.Random(seed)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for _ in range(count):
            f.write(json.dumps({"kind": kind, "input": GENERATORS[kind](rng)}) + "\n")
        return f.name


def run(kind: str, count: int, path: str) -> tuple[float, float]:
    """(proceedings per second of wall time, per second of the batch process's CPU time)."""
    env = dict(os.environ, NADZOR_DATA_DIR=tempfile.mkdtemp())  # no database: the calendar alone
    cpu_before = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv/bin/nadzor"), "proceedings", "replay", "--batch", path],
                          capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - began
    cpu = _children_cpu() - cpu_before
    lines = done.stdout.splitlines()
    errors = [line for line in lines if line.startswith('{"error"')]
    if done.returncode != 0 or len(lines) != count or errors:
        sys.exit(f"{kind}: batch failed (exit {done.returncode}, {len(lines)} lines, {len(errors)} errors): "
                 f"{(errors or [done.stderr])[0][:300]}")
    refused = sum(1 for line in lines if json.loads(line).get("refused") is not None)
    if refused:
        sys.exit(f"{kind}: {refused} generated proceedings were refused: the generator must make valid lives")
    return count / elapsed, count / cpu


def _reference_loop() -> float:
    """Millions of `s += i` per second in this interpreter (best of three): the machine's Python speed,
    printed beside the figures so that runs on different machines can be compared."""
    best = float("inf")
    for _ in range(3):
        began, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - began)
    return 2.0 / best


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--kinds", default=",".join(GENERATORS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind's batch (the best is kept)")
    args = parser.parse_args()
    rates = {}
    for kind in args.kinds.split(","):
        path = generate(kind, args.count)
        walls = []
        try:
            for n in range(1, args.repeat + 1):
                print(f"machine: a pure-Python reference loop runs {_reference_loop():.1f} M additions per second "
                      "(how fast this machine runs Python at the moment)", flush=True)
                wall, per_cpu = run(kind, args.count, path)
                walls.append(wall)
                print(f"{kind} run {n}: {wall:,.0f} proceedings/s wall, {per_cpu:,.0f} per CPU second "
                      f"({args.count:,} in one batch, one process)", flush=True)
        finally:
            os.unlink(path)
        rates[kind] = max(walls)
        print(f"{kind}: best {rates[kind]:,.0f} proceedings/s, median {statistics.median(walls):,.0f} "
              f"({len(walls)} runs)", flush=True)
    if "check" in rates:
        print(f"checks_per_s={rates['check']:.0f}")


if __name__ == "__main__":
    main()
