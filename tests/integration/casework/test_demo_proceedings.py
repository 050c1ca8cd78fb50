"""The demo proceedings (issue 8 §5, issues 9–10) on SQLite and PostgreSQL: every stored proceeding equals
its replay, every status of each kind appears, the variety the register needs on first start (several
offices, suspended, extended, overdue as of the demo's «today», closed), acts linked to their checks, and
the demo stays valid whatever day it is loaded on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Text, cast, select

from nadzor import proceedings as kernel
from nadzor.acts.tables import act_origins
from nadzor.audit import service as audit
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform, build_calendar
from nadzor.casework import service as proceedings_service
from nadzor.casework.service import access_proceedings, check_stored_equals_replay, do_withdraw, restate_for_day
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps, proceedings
from nadzor.demo import (
    _ACT_LIVES,
    _ANALYSIS_LIVES,
    _CHECK_LIVES,
    _EVALUATION_LIVES,
    _act_life,
    _analysis_life,
    _check_life,
    _dater,
    _evaluation_life,
    demo_anchor,
)
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.infra.context import cli_actor
from nadzor.infra.replay_workers import ReplayWorkers
from nadzor.org.tables import offices
from nadzor.proceedings import KINDS
from tests.conftest import DEMO_TODAY

DEMO_OFFICES = {"almaty_city.medeu_district", "almaty_city.bostandyk_district", "karaganda_region.temirtau_city",
                "karaganda_region.karaganda_city", "astana_city.esil_district"}


def test_every_demo_proceeding_equals_its_replay(demo_full: Platform) -> None:
    with demo_full.read_only() as session:
        assert check_stored_equals_replay(session, demo_full.calendar()) == []
        assert audit.verify(session) is None


def test_every_status_of_each_kind_appears_in_the_demo(demo_full: Platform) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    with demo_full.read_only() as session:
        for kind, status in session.execute(select(proceedings.c.kind, proceedings.c.status)).all():
            seen[kind].add(status)
    for name, kind in KINDS.items():
        assert seen[name] == set(kind.statuses), name


def test_the_demo_checks_show_variety_across_offices_overdue_as_of_the_demos_today(demo_full: Platform) -> None:
    with demo_full.read_only() as session:
        rows = session.execute(select(proceedings, offices.c.code).join(
            offices, offices.c.id == proceedings.c.office_id).where(proceedings.c.kind == "check")).all()
        overdue = access_proceedings(session, "checks", actor=cli_actor(), today=DEMO_TODAY, overdue=True, limit=500)
    assert len(rows) >= 30
    assert {r.code for r in rows} == DEMO_OFFICES
    assert any(r.state["extension_days"] > 0 for r in rows)  # extended (I.16)
    assert any(r.status == "suspended" for r in rows)
    recent = [r for r in rows if r.opened_on.year == DEMO_TODAY.year]
    assert len(recent) >= 15 and any(r.opened_on.year in (2021, 2022) for r in rows)
    assert overdue["total"] >= 5
    assert {i["status"] for i in overdue["items"]} >= {"in_progress", "suspended", "ended"}
    assert any(d["due"] >= DEMO_TODAY.isoformat() for r in rows for d in r.state["deadlines"])  # not yet overdue
    # The deputy of Temirtau acts for the head around «today» (demo data): a resolution signed as acting.
    temirtau = [r.id for r in rows if r.code == "karaganda_region.temirtau_city"]
    with demo_full.read_only() as session:
        signed = session.execute(select(proceeding_steps.c.data).where(
            proceeding_steps.c.proceeding_id.in_(temirtau), proceeding_steps.c.type == "resolution_signed")).scalars()
        signers = [data["signer"] for data in signed]
    assert {"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"} in signers
    assert {"position": "district_prosecutor"} in signers


def test_every_demo_act_has_its_origin_stored_and_the_origin_allows_it_I_24_R_27(demo_full: Platform) -> None:
    """Issue 9 «Where acts come from»: each demo act has its `act_origins` row — a closed check with an
    `act` decision (I.24), or the evaluation whose protest it is (R.27–R.29) — and every evaluation that
    issued a protest shows that protest among its acts."""
    with demo_full.read_only() as session:
        acts = {r.id: r for r in session.execute(select(proceedings).where(proceedings.c.kind == "act")).all()}
        links = {r.act_id: r for r in session.execute(select(act_origins)).all()}
        others = {r.id: r for r in session.execute(select(proceedings).where(proceedings.c.kind != "act")).all()}
        firsts = {r.proceeding_id: r for r in session.execute(select(proceeding_steps).where(
            proceeding_steps.c.seq == 0, proceeding_steps.c.proceeding_id.in_(list(acts)))).all()}
        protests = set(session.execute(select(proceeding_steps.c.proceeding_id).where(
            proceeding_steps.c.type == "protest_issued", proceeding_steps.c.withdrawn.is_(False))).scalars())
    assert len(acts) >= 15
    assert set(links) == set(acts), "every demo act has its origin row"
    kinds = defaultdict(int)
    for act_id, link in links.items():
        kinds[link.origin_kind] += 1
        origin = others[link.origin_id]
        assert origin.kind == link.origin_kind
        assert firsts[act_id].details["origin"] == {"kind": link.origin_kind, "id": link.origin_id}
        if link.origin_kind == "check":
            assert origin.status == "closed"
        else:
            assert link.origin_kind == "evaluation"
            assert firsts[act_id].data["act_type"] == "protest"
            assert origin.state["violations"]
    assert kinds["check"] >= 12 and kinds["evaluation"] >= 1
    assert protests == {link.origin_id for link in links.values() if link.origin_kind == "evaluation"}


@pytest.mark.parametrize("today", [date(2026, 1, 5), date(2026, 3, 9), date(2026, 6, 30), date(2026, 11, 25),
                                   date(2026, 12, 31), date(2027, 5, 1)])
def test_the_demo_lives_replay_without_refusal_on_any_day_they_are_loaded(today: date) -> None:
    """Loaded on another day, the recent lives move with «today» and stay inside the calendar's years."""
    cal = build_calendar()
    anchor = demo_anchor(today, cal)
    positions = {"H": {"position": "district_prosecutor"}, "R": {"position": "regional_prosecutor"},
                 "G": {"position": "prosecutor_general"}, "S": {"position": "district_prosecutor"}}
    lives = [("check", "district", _check_life(life, _dater(when, anchor, 4))) for life, when in _CHECK_LIVES]
    lives += [("act", "regional" if where == "R" else "district",
               _act_life(life, _dater(when, anchor, 4), where == "R")) for life, when, where in _ACT_LIVES]
    lives += [("evaluation", "district", _evaluation_life(life, _dater(when, anchor, 4)))
              for life, when in _EVALUATION_LIVES]
    lives += [("analysis", "district", _analysis_life(life, _dater(when, anchor, 4))) for life, when in _ANALYSIS_LIVES]
    for kind, level, steps in lives:
        posted = [s | {"signer": positions[s["signer"]]} if isinstance(s.get("signer"), str) else s for s in steps]
        state = kernel.replay(kind, {"office_level": level, "steps": posted}, calendar=cal)
        assert state["refused"] is None, (kind, steps[-1], state["refused"])
        assert max(s["date"] for s in steps) <= anchor.isoformat() <= today.isoformat()
    assert anchor >= today - timedelta(days=200)


def test_a_calendar_change_restates_exactly_the_proceedings_it_moves(demo_full: Platform) -> None:
    """PROCEEDINGS.md «Calendar changes» over the demo data, a withdrawn step included: the chunked
    `restate_for_day` moves exactly those whose replay on the new calendar differs, in one transaction."""
    day = DEMO_TODAY - timedelta(days=20)
    assert demo_full.calendar().is_working_day(day)
    changed = build_calendar(demo_full.settings.calendar_file, [[DayEntry(day, False, "Перенос (тест)", "тест")]])
    with demo_full.transaction() as session:
        pick = session.execute(select(proceedings).where(
            proceedings.c.kind == "check", proceedings.c.status == "in_progress", proceedings.c.opened_on <= day,
            proceedings.c.span_end >= day).order_by(proceedings.c.id)).first()
        assert pick is not None
        do_withdraw(session, "checks", pick.id, {"version": pick.version, "reason": "ошибочная дата вручения"},
                    actor=cli_actor(), calendar=demo_full.calendar(), today=DEMO_TODAY)
    with demo_full.read_only() as session:
        before = {r.id: r for r in session.execute(select(proceedings)).all()}
        expected = set()
        for row in before.values():
            live = session.execute(select(proceeding_steps.c.data).where(
                proceeding_steps.c.proceeding_id == row.id, proceeding_steps.c.withdrawn.is_(False))
                .order_by(proceeding_steps.c.seq)).scalars().all()
            state = kernel.replay(row.kind, {"office_level": row.office_level, "steps": list(live)}, calendar=changed)
            if state != row.state:
                assert row.opened_on <= day <= row.span_end, row.number  # a change outside the span moves nothing
                expected.add(row.id)
    assert expected
    with demo_full.transaction() as session:
        moved = restate_for_day(session, day, calendar=changed, actor=cli_actor())
    assert moved == len(expected)
    with demo_full.read_only() as session:
        assert check_stored_equals_replay(session, changed) == []
        after = {r.id: r.version for r in session.execute(select(proceedings.c.id, proceedings.c.version)).all()}
        restated = session.execute(select(audit_log.c.after).where(audit_log.c.action == "proceeding.restated")
                                   ).scalars().all()
    assert {pid for pid, version in after.items() if version != before[pid].version} == expected
    assert all(after[pid] == before[pid].version + 1 for pid in expected)
    assert restated == [f'{{"moved":{moved}}}']


class _Undone(Exception):
    """Rolls back the transaction that raises it."""


def _restated_then_undone(platform: Platform, day: date, calendar: WorkingCalendar
                          ) -> tuple[int, list[Any], list[Any]]:
    """A calendar change restated in a transaction rolled back: the number moved, what it wrote into the
    proceedings (their derived columns, the state as stored text) and their deadline rows."""
    t, d = proceedings, proceeding_deadlines
    try:
        with platform.transaction() as session:
            moved = restate_for_day(session, day, calendar=calendar, actor=cli_actor())
            rows = [tuple(r) for r in session.execute(select(
                t.c.id, t.c.status, cast(t.c.state, Text), t.c.span_end, t.c.start, t.c.last_day, t.c.version)
                .order_by(t.c.id))]
            dues = sorted(tuple(r) for r in session.execute(select(
                d.c.proceeding_id, d.c.kind, d.c.office_id, d.c.code, d.c.due, d.c.step, cast(d.c.citations, Text))))
            raise _Undone
    except _Undone:
        pass
    return moved, rows, dues


def test_a_calendar_change_replayed_in_worker_processes_writes_what_the_serial_replay_writes(
        demo_full: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 8 §7: above `RESTATE_PARALLEL_FROM` proceedings the replay is spread over worker processes;
    forced here on the demo data in chunks of 7 over two workers, it moves and writes exactly what the
    replay in this process does, and its workers are gone when the change ends."""
    day = DEMO_TODAY - timedelta(days=20)
    changed = build_calendar(demo_full.settings.calendar_file, [[DayEntry(day, False, "Перенос (тест)", "тест")]])
    serial = _restated_then_undone(demo_full, day, changed)
    assert serial[0] > 0
    pools: list[ReplayWorkers] = []

    class Spied(ReplayWorkers):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(proceedings_service, "ReplayWorkers", Spied)
    monkeypatch.setattr(proceedings_service, "usable_cpus", lambda: 2)
    monkeypatch.setattr(proceedings_service, "RESTATE_PARALLEL_FROM", 1)
    monkeypatch.setattr(proceedings_service, "_RESTATE_CHUNK", 7)
    parallel = _restated_then_undone(demo_full, day, changed)
    assert [len(pool.processes) for pool in pools] == [2]
    assert [process.returncode for process in pools[0].processes] == [0, 0]
    assert parallel == serial


def test_a_demo_evaluations_protest_step_is_withdrawn_only_through_its_act_R_27(demo_full: Platform) -> None:
    """The demo's protests are imported, their evaluations' `protest_issued` without `details.act_id`: the
    link of `act_origins` still ties the two, so the evaluation's step alone is not withdrawn."""
    from nadzor.casework.service import Refused, do_withdraw

    with demo_full.transaction() as session:
        protested = session.execute(select(proceedings).where(proceedings.c.kind == "evaluation",
                                                              proceedings.c.status == "protested")).all()
        candidates = []
        for row in protested:
            last = session.execute(select(proceeding_steps.c.type).where(
                proceeding_steps.c.proceeding_id == row.id, proceeding_steps.c.withdrawn.is_(False))
                .order_by(proceeding_steps.c.seq.desc())).scalars().first()
            if last == "protest_issued":
                candidates.append(row)
        assert candidates
        row = candidates[0]
        with pytest.raises(Refused) as refused:
            do_withdraw(session, "evaluations", row.id, {"version": row.version, "reason": "ошибка"},
                        actor=cli_actor(), calendar=demo_full.calendar(), today=DEMO_TODAY)
        assert refused.value.code == "linked_step"
