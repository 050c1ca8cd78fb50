"""Benchmark of the working calendar and the batch evaluator (run on demand, not in the suite).

    .venv/bin/python bench/calendar.py [--pairs 1000000] [--lines 100000]

1. On N random (date, working-day count) pairs over 2018–2026 it times, in one run and like with
   like (issue 7 §7): both sides take and return `datetime64[D]` arrays and build their tables
   inside the timing — the project's `WorkingCalendar` from the same calendar layers, then its
   array `add_working_days` (conversion to `datetime64[D]` included); `numpy.busdaycalendar` with
   a Kazakhstan weekmask and holiday list (which cannot express working Saturdays, so its answers
   differ on those), then `numpy.busday_offset`; and a plain per-date loop over `holidays.KZ`. The
   project's answers must equal the loop's exactly.
2. It times `nadzor rules eval --batch` on M mixed lines and prints lines per second.

Targets: speedup ≥ 10 against busday_offset with equal=true; ≥ 20,000 batch lines/s.
The last line is `speedup_vs_busday_offset=<x> equal=<true|false>`.
"""

from __future__ import annotations

import os
import sys

# This file is named like the standard library's `calendar`, which `holidays` imports: keep its
# folder off the import path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse
import json
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import holidays
import numpy as np

from nadzor.bootstrap import build_calendar
from nadzor.calendar.sources import holidays_layer
from nadzor.domain.calendar import DayEntry, WorkingCalendar

FIRST, LAST = date(2018, 1, 1), date(2026, 12, 31)


def best_of(runs: int, func, *args):
    best, result = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def loop_over_holidays_kz(kz, days: list[date], counts: list[int]) -> list[date]:
    out = []
    one = timedelta(days=1)
    for day, n in zip(days, counts, strict=True):
        step = one if n > 0 else -one
        left = abs(n)
        while left:
            day += step
            if kz.is_working_day(day):
                left -= 1
        out.append(day)
    return out


def busday(days: np.ndarray, counts: np.ndarray, holidays_list: np.ndarray) -> np.ndarray:
    """`datetime64[D]` in and out; its table (`busdaycalendar`) built inside the timing."""
    table = np.busdaycalendar(weekmask="1111100", holidays=holidays_list)
    out = np.empty_like(days)
    pos = counts > 0
    out[pos] = np.busday_offset(days[pos], counts[pos], roll="backward", busdaycal=table)
    out[~pos] = np.busday_offset(days[~pos], counts[~pos], roll="forward", busdaycal=table)
    return out


def ours(layers: list[tuple[DayEntry, ...]], horizon: tuple[date, date], coverage: tuple[date, date],
         days: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """`datetime64[D]` in and out, like `busday`; its tables (`WorkingCalendar`, from the same
    layers the server's calendar is made of) built inside the timing."""
    calendar = WorkingCalendar(layers, horizon=horizon, coverage=coverage)
    answer: np.ndarray = calendar.add_working_days_array(days, counts).astype("datetime64[D]")
    return answer


def batch_lines(m: int, rng: np.random.Generator) -> list[str]:
    span = (LAST - FIRST).days - 120
    templates = [
        ("check.last_day", lambda d: {"start": d, "extension_days": 10,
                                      "suspensions": [{"from": d, "to": d}]}),
        ("calendar.add_working_days", lambda d: {"from": d, "days": 7}),
        ("check.extension_petition_due", lambda d: {"last_day": d, "addressee": "regional_prosecutor"}),
        ("court.conclusion_to_gpo_due", lambda d: {"case_type": "civil", "entered_into_force": d}),
        ("evaluation.act_provision_due", lambda d: {"requested": d, "context": "analysis"}),
        ("court.cassation_representation_due", lambda d: {"case_type": "admin_offence", "resolution_date": d}),
        ("check.resolution_signer", lambda d: {"signer": {"position": "deputy_district_prosecutor",
                                                          "acting_for": "district_prosecutor"}}),
        ("court.civil_entry_grounds", lambda d: {"state_interests": True, "npa_challenge": True}),
        ("calendar.working_day", lambda d: {"date": d}),
        ("check.last_day", lambda d: {"start": d, "extension_days": 31}),  # a refused line
    ]
    lines = []
    offsets = rng.integers(0, span, size=m)
    for i, off in enumerate(offsets):
        rule_id, make = templates[i % len(templates)]
        day = (FIRST + timedelta(days=int(off))).isoformat()
        data = make(day)
        if rule_id == "check.last_day" and "suspensions" in data:
            data["suspensions"][0]["to"] = (date.fromisoformat(day) + timedelta(days=3)).isoformat()
        lines.append(json.dumps({"rule": rule_id, "input": data}))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(20210712)

    cal = build_calendar()
    kz = holidays.KZ(years=range(cal.horizon_start.year, cal.horizon_end.year + 1))
    first = np.datetime64(FIRST.isoformat(), "D")
    day_numbers = (first.astype(np.int64) + rng.integers(0, (LAST - FIRST).days + 1, size=args.pairs)).astype(np.int64)
    counts = rng.integers(1, 31, size=args.pairs).astype(np.int32) * rng.choice(np.array([-1, 1], dtype=np.int32),
                                                                                   size=args.pairs)
    as_dates = day_numbers.astype("datetime64[D]")
    holidays_list = np.array(sorted(d for d in kz if d.weekday() < 5), dtype="datetime64[D]")

    # The layers the calendar was made of, read once (as the holiday list of busday is).
    first_year, last_year = cal.horizon_start.year, cal.horizon_end.year
    layers = [tuple(holidays_layer(first_year, last_year))]
    horizon = (cal.horizon_start, cal.horizon_end)
    coverage = (cal.coverage_start, cal.coverage_end)
    t_ours, answered = best_of(5, ours, layers, horizon, coverage, as_dates, counts)
    t_busday, by_busday = best_of(5, busday, as_dates, counts, holidays_list)
    assert answered.dtype == by_busday.dtype == np.dtype("datetime64[D]")
    py_days = as_dates.astype(object).tolist()
    py_counts = counts.tolist()
    t_loop, looped = best_of(1, loop_over_holidays_kz, kz, py_days, py_counts)
    equal = answered.astype(object).tolist() == looped

    print(f"pairs={args.pairs}")
    print(f"ours_array_seconds={t_ours:.4f} (datetime64[D] in and out, table build included)")
    print(f"busday_offset_seconds={t_busday:.4f} (datetime64[D] in and out, busdaycalendar build included)")
    print(f"holidays_kz_loop_seconds={t_loop:.2f}")
    print(f"speedup_vs_holidays_loop={t_loop / t_ours:.0f}")

    lines = batch_lines(args.lines, rng)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        tmp.write("\n".join(lines) + "\n")
    try:
        cli = [sys.executable, "-m", "nadzor.entrypoints.cli", "rules", "eval", "--batch", tmp.name]
        t = time.perf_counter()
        done = subprocess.run(cli, capture_output=True, check=False)
        t_batch = time.perf_counter() - t
    finally:
        Path(tmp.name).unlink()
    produced = done.stdout.count(b"\n")
    if produced != len(lines):
        print(f"batch failed: {produced} output lines for {len(lines)}: {done.stderr.decode()[-500:]}")
    print(f"batch_lines={len(lines)} batch_seconds={t_batch:.2f} batch_lines_per_second={len(lines) / t_batch:.0f} "
          f"target=20000 ratio_to_target={len(lines) / t_batch / 20000:.2f}")
    print(f"speedup_vs_busday_offset={t_busday / t_ours:.1f} equal={'true' if equal else 'false'}")


if __name__ == "__main__":
    main()
