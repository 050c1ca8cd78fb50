"""The worker processes of a calendar change (issue 8 §7): answers in order, the same as replaying in
this process; a chunk a worker cannot replay is an error naming its cause; none outlives its pool."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from nadzor import proceedings as kernel
from nadzor.bootstrap import build_calendar
from nadzor.demo import _CHECK_LIVES, _check_life
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.infra.replay_workers import ReplayWorkers, WorkerFailed
from nadzor.proceedings import KINDS
from nadzor.proceedings.kernel import validate
from tests.conftest import DEMO_TODAY

POSITIONS = {"H": {"position": "district_prosecutor"}, "R": {"position": "regional_prosecutor"},
             "G": {"position": "prosecutor_general"}, "S": {"position": "district_prosecutor"}}


FIRST = DEMO_TODAY - timedelta(days=120)


def _stored(cal: WorkingCalendar) -> list[kernel.Stored]:
    """The demo's check lives as stored: the state on `cal` as text, the steps as `[seq, data]` text."""
    first = FIRST
    out: list[kernel.Stored] = []
    for n, life in enumerate(sorted({life for life, _ in _CHECK_LIVES})):
        raw = _check_life(life, lambda d: (first + timedelta(days=d)).isoformat())
        posted = [s | {"signer": POSITIONS[s["signer"]]} if isinstance(s.get("signer"), str) else s for s in raw]
        level, steps = validate(KINDS["check"], {"office_level": "district", "steps": posted}, cal)
        state = kernel.replay_steps(KINDS["check"], level, steps, cal)
        pairs = list(enumerate(posted))[::-1]  # any order: put back in stored order by seq
        out.append((n + 1, "check", "district", json.dumps(state), json.dumps(pairs)))
    return out


def test_workers_answer_each_chunk_in_order_as_the_replay_here_does() -> None:
    cal = build_calendar()
    stored = _stored(cal)
    chunks = [stored[i:i + 3] for i in range(0, len(stored), 3)]
    changed = next(c for c in map(_day_off, range(1, 30)) if any(kernel.restated(chunk, c) for chunk in chunks))
    with ReplayWorkers(2, changed) as workers:
        answers = [workers.submit(chunk) for chunk in chunks]
        got = [answer() for answer in answers]
    here = [kernel.restated(chunk, changed) for chunk in chunks]
    assert got == here
    assert [p.returncode for p in workers.processes] == [0, 0]
    with ReplayWorkers(1, cal) as workers:
        assert [workers.submit(chunk)() for chunk in chunks] == [[] for _ in chunks]  # nothing moved


def test_a_chunk_a_worker_cannot_replay_raises_with_its_cause_and_no_worker_outlives_the_pool() -> None:
    cal = build_calendar()
    bad: list[kernel.Stored] = [(1, "no_such_kind", "district", "{}", "[]")]
    with pytest.raises(WorkerFailed, match="KeyError: 'no_such_kind'"), ReplayWorkers(2, cal) as workers:
        workers.submit(_stored(cal)[:2])
        workers.submit(bad)()
    assert all(p.returncode is not None for p in workers.processes)


def _day_off(n: int) -> WorkingCalendar:
    """The calendar with the `n`-th day of the lives a day off."""
    day: date = FIRST + timedelta(days=n)
    return build_calendar(None, [[DayEntry(day, False, "Перенос (тест)", "тест")]])
