"""Issue 7 §3: one unit of work per command (`Platform.transaction()`) with an after-commit hook —
work that must only happen once the change is durable runs after the commit and is dropped on a
rollback; a calendar change refreshes the cached calendar only once it is committed; a failed
sign-in is kept by the service's own unit of work; a pooled PostgreSQL connection is pinged only
after it sat idle."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import func, select, text

from nadzor.accounts import service as accounts
from nadzor.accounts.tables import users
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.calendar import service as calendar_admin
from nadzor.calendar.tables import calendar_days
from nadzor.domain.accounts import User
from nadzor.infra.context import cli_actor
from nadzor.infra.db import engine as db
from nadzor.infra.db.engine import after_commit
from nadzor.infra.errors import AuthenticationFailed, InvalidInput

ACTOR = cli_actor()
#: A Monday the holidays package knows as a working day (the override turns it into a day off).
MONDAY = date(2026, 12, 7)


def _count(platform: Platform, query: object) -> int:
    with platform.read_only() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_after_commit_work_runs_once_the_change_is_committed(platform: Platform) -> None:
    seen: list[int] = []

    def look() -> None:  # runs after the commit: another session sees the row
        seen.append(_count(platform, select(func.count()).select_from(calendar_days)))

    with platform.transaction() as session:
        session.execute(calendar_days.insert().values(day=MONDAY, working=False, name="x", resolution_number="1",
                                                      resolution_date=date(2026, 1, 5), version=1))
        after_commit(session, look)
        assert seen == []
    assert seen == [1]


def test_after_commit_work_is_dropped_when_the_unit_of_work_rolls_back(platform: Platform) -> None:
    seen: list[str] = []
    with pytest.raises(InvalidInput), platform.transaction() as session:
        session.after_commit(lambda: seen.append("ran"))
        raise InvalidInput.one("x", "refused")
    assert seen == []
    with platform.transaction() as session:  # the next unit of work does not inherit it
        pass
    assert seen == []


def test_a_failing_piece_of_after_commit_work_is_logged_and_the_others_still_run(
        platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    def fails() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger=db.__name__), platform.transaction() as session:
        session.after_commit(fails)
        session.after_commit(lambda: seen.append("second"))
    assert seen == ["second"]
    assert "after-commit work" in caplog.text


def test_after_commit_needs_a_unit_of_work(platform: Platform) -> None:
    with platform.read_only() as session, pytest.raises(TypeError, match="unit of work"):
        after_commit(session, lambda: None)


def test_a_calendar_change_refreshes_the_cached_calendar_only_after_its_commit(demo: Platform) -> None:
    refreshed: list[bool] = []
    data = {"day": MONDAY.isoformat(), "working": False, "name": "Выходной", "resolution_number": "7",
            "resolution_date": "2026-11-02"}
    before = demo.calendar()
    assert before.is_working_day(MONDAY)
    with pytest.raises(InvalidInput), demo.transaction() as session:
        calendar_admin.do_set_calendar_day(session, data, actor=ACTOR, calendar=before, calendar_of=demo.calendar_in,
                                           changed=lambda: refreshed.append(True))
        raise InvalidInput.one("x", "the rest of the command was refused")
    assert refreshed == []  # rolled back: nothing to refresh
    with demo.transaction() as session:
        calendar_admin.do_set_calendar_day(session, data, actor=ACTOR, calendar=before, calendar_of=demo.calendar_in,
                                           changed=demo.calendar_changed)
        assert demo.calendar() is before  # not committed yet: the cache still answers the old calendar
    assert not demo.calendar().is_working_day(MONDAY)


def test_a_failed_sign_in_is_kept_by_the_service_while_the_refusal_is_raised(demo: Platform) -> None:
    rows = select(func.count()).select_from(audit_log).where(audit_log.c.action == "user.login_failed")
    before = _count(demo, rows)
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(demo.transaction, "karaganda", "wrong-password-1", passwords=demo.passwords, keys=demo.keys,
                         throttle=demo.sign_ins, source="198.51.100.7", hours=8)
    assert _count(demo, rows) == before + 1
    with demo.read_only() as session:
        user = session.scalars(select(User).where(users.c.login == "karaganda")).one()
        assert user.failed_logins == 1
    token, web = accounts.sign_in(demo.transaction, "karaganda", "karaganda-demo-2026", passwords=demo.passwords,
                                  keys=demo.keys, throttle=demo.sign_ins, source="198.51.100.7", hours=8)
    assert token and web.id is not None
    with demo.read_only() as session:
        assert accounts.session_user(session, token, keys=demo.keys) is not None


def test_a_pooled_connection_is_pinged_only_after_sitting_idle(platform: Platform,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("the pool of PostgreSQL")
    engine = db.make_engine(platform.settings.database_url)
    try:
        with engine.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as connection:  # just checked in: handed out as it is, the same backend
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() == first
        with platform.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(db, "IDLE_PING", 0.0)  # it has now sat idle "long enough"
        with engine.connect() as connection:  # the dead connection is found by the ping and replaced
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != first
    finally:
        engine.dispose()
