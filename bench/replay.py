"""Benchmark of `nadzor proceedings replay --batch` (run on demand, not in the suite).

    .venv/bin/python bench/replay.py [--count 100000] [--kinds check,act,evaluation,analysis]

For each kind it generates N typical proceedings (a check has 10–15 steps: opening, resolution,
registration, start, delivery, a suspension with its notices and resumption, an extension, the end,
the certificate, a decision and the closure; the other kinds their usual lives), feeds them to the
CLI batch in one process and prints proceedings per second. Every line must answer with a state
(no error line): the generator only makes valid inputs.

Target (PROCEEDINGS.md, issues 8–10): ≥ 10,000 proceedings per second per kind on one core.
The last line is `checks_per_s=<x>`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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


GENERATORS: dict[str, Callable[[random.Random], dict[str, Any]]] = {"check": typical_check}


def run(kind: str, count: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for _ in range(count):
            f.write(json.dumps({"kind": kind, "input": GENERATORS[kind](rng)}) + "\n")
        path = f.name
    try:
        env = dict(os.environ, NADZOR_DATA_DIR=tempfile.mkdtemp())  # no database: the calendar alone
        began = time.perf_counter()
        done = subprocess.run([str(ROOT / ".venv/bin/nadzor"), "proceedings", "replay", "--batch", path],
                              capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - began
    finally:
        os.unlink(path)
    lines = done.stdout.splitlines()
    errors = [line for line in lines if line.startswith('{"error"')]
    if done.returncode != 0 or len(lines) != count or errors:
        sys.exit(f"{kind}: batch failed (exit {done.returncode}, {len(lines)} lines, {len(errors)} errors): "
                 f"{(errors or [done.stderr])[0][:300]}")
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--kinds", default=",".join(GENERATORS))
    args = parser.parse_args()
    rates = {}
    for kind in args.kinds.split(","):
        rates[kind] = run(kind, args.count)
        print(f"{kind}: {rates[kind]:,.0f} proceedings/s ({args.count:,} in one batch, one process)")
    if "check" in rates:
        print(f"checks_per_s={rates['check']:.0f}")


if __name__ == "__main__":
    main()
