"""PROCEEDINGS.md «Calendar changes»: «an overrides file found changed at start» re-replays the stored
proceedings whose span holds a changed day, on SQLite and PostgreSQL: the start after the file
changed restates once (one audit row with the days and how many moved), the stored state equals a
fresh replay on the new calendar, a second start changes nothing, and taking the file away restates
back."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from nadzor import proceedings as kernel
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform, create_platform
from nadzor.casework.service import check_stored_equals_replay
from nadzor.casework.tables import proceeding_steps, proceedings
from tests.conftest import DEMO_TODAY

HEADER = "date,working,name,resolution_number,resolution_date\n"


def _states(platform: Platform) -> dict[int, dict[str, object]]:
    with platform.read_only() as session:
        return {r.id: r.state for r in session.execute(select(proceedings.c.id, proceedings.c.state)).all()}


def _expected_moves(platform: Platform, before: dict[int, dict[str, object]]) -> set[int]:
    """The proceedings whose replay on the platform's calendar (with the file as it now is) differs."""
    cal = platform.calendar()
    out = set()
    with platform.read_only() as session:
        for row in session.execute(select(proceedings)).all():
            live = session.execute(select(proceeding_steps.c.data).where(
                proceeding_steps.c.proceeding_id == row.id, proceeding_steps.c.withdrawn.is_(False))
                .order_by(proceeding_steps.c.seq)).scalars().all()
            if kernel.replay(row.kind, {"office_level": row.office_level, "steps": list(live)}, calendar=cal) \
                    != before[row.id]:
                out.add(row.id)
    return out


def _file_audit(platform: Platform) -> list[dict[str, object]]:
    with platform.read_only() as session:
        return [json.loads(a) for a in session.execute(select(audit_log.c.after).where(
            audit_log.c.action == "calendar.file_applied").order_by(audit_log.c.seq)).scalars()]


def test_a_calendar_file_changed_between_two_starts_restates_the_stored_proceedings_once(
        demo_full: Platform, tmp_path: Path) -> None:
    cal = demo_full.calendar()
    days = [DEMO_TODAY - timedelta(days=n) for n in range(10, 30)]
    working = [d for d in days if cal.is_working_day(d)][:3]
    assert len(working) == 3
    path = tmp_path / "calendar_overrides.csv"
    settings = dataclasses.replace(demo_full.settings, calendar_file=path)
    before = _states(demo_full)

    unchanged = create_platform(settings, migrate=False)  # no file, nothing stored: nothing to do
    assert _file_audit(unchanged) == [] and _states(unchanged) == before
    unchanged.dispose()

    path.write_text(HEADER + "".join(f"{d.isoformat()},false,Перенос (тест),№ 1,2026-01-05\n" for d in working),
                    encoding="utf-8")
    started = create_platform(settings, migrate=False)
    try:
        expected = _expected_moves(started, before)
        assert expected, "the demo checks have deadlines counted over those days"
        audits = _file_audit(started)
        assert len(audits) == 1
        assert audits[0]["days"] == [d.isoformat() for d in sorted(working)] and audits[0]["moved"] == len(expected)
        after = _states(started)
        assert {pid for pid in before if after[pid] != before[pid]} == expected
        with started.read_only() as session:
            assert check_stored_equals_replay(session, started.calendar()) == []
    finally:
        started.dispose()

    again = create_platform(settings, migrate=False)  # the same file: nothing restated, no new audit row
    assert len(_file_audit(again)) == 1 and _states(again) == after
    again.dispose()

    path.unlink()  # the file taken away: the days are working again, the proceedings move back
    back = create_platform(settings, migrate=False)
    try:
        audits = _file_audit(back)
        assert len(audits) == 2 and audits[1]["moved"] == len(expected)
        assert _states(back) == before
        with back.read_only() as session:
            assert check_stored_equals_replay(session, back.calendar()) == []
    finally:
        back.dispose()


def test_a_bad_calendar_file_does_not_stop_the_start_and_restates_nothing(demo_full: Platform, tmp_path: Path) -> None:
    path = tmp_path / "calendar_overrides.csv"
    path.write_text(HEADER + "2026-11-02,maybe,x,1,2026-01-05\n", encoding="utf-8")
    before = _states(demo_full)
    started = create_platform(dataclasses.replace(demo_full.settings, calendar_file=path), migrate=False)
    try:
        assert _file_audit(started) == [] and _states(started) == before
    finally:
        started.dispose()
