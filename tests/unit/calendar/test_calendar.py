"""The working calendar of Kazakhstan (RULES.md «Counting conventions»): it agrees with the
`holidays` package's KZ calendar, takes administrator overrides from a file, and its array
functions answer exactly as its scalar ones."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nadzor import bootstrap, rules
from nadzor.bootstrap import build_calendar, coverage
from nadzor.calendar.sources import CalendarFileError, parse_calendar_file
from nadzor.domain.calendar import CalendarRangeError, DayEntry, WorkingCalendar, add_months
from nadzor.domain.clock import ALMATY, FixedClock, SystemClock
from nadzor.domain.terms import Pause, k1_calendar_days, k4_months, k6_last_day

CAL = build_calendar(year=2026)
COVERAGE = coverage(2026)
KZ = holidays.KZ(years=range(2016, 2030))


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_holidays_package_is_pinned_at_0_109() -> None:
    assert holidays.__version__ == "0.109"


def test_agrees_with_holidays_kz_on_every_day_of_2018_to_2027() -> None:
    """2018–2026 statutory; 2027 (the year after the clock's) is the package's projection."""
    assert (date(2018, 1, 1), date(2027, 12, 31)) == COVERAGE
    disagree = [d for d in every_day(*COVERAGE) if CAL.is_working_day(d) != KZ.is_working_day(d)]
    assert disagree == []


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2021, 7, 3), True),    # Saturday made a working day by Government resolution
        (date(2021, 7, 5), False),   # the Monday it was transferred to
        (date(2020, 12, 20), True),  # a working Sunday
        (date(2021, 3, 24), False),  # Nauryz 21 March fell on a Sunday: moved to the next working day
        (date(2022, 1, 7), False),   # Orthodox Christmas
        (date(2023, 1, 7), False),   # Orthodox Christmas on a Saturday never moves…
        (date(2023, 1, 9), True),    # …so the Monday after it works
        (date(2021, 12, 17), False),  # Independence Day, second day
        (date(2026, 8, 31), True),   # 0.109 no longer holds 30 August 2026
    ],
)
def test_hard_edges_of_the_calendar(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_every_non_working_day_has_a_russian_name() -> None:
    for day in every_day(*COVERAGE):
        name = CAL.day_name(day)
        if CAL.is_working_day(day):
            assert name is None
        else:
            assert name and not re.search(r"[A-Za-z]", name), (day, name)


def test_inputs_outside_the_covered_years_are_refused_naming_the_field() -> None:
    for day in ("2030-01-01", "2017-12-31"):
        with pytest.raises(rules.InvalidInput) as refused:
            rules.evaluate("calendar.working_day", {"date": day})
        assert refused.value.errors[0].field == "date"


# ------------------------------------------------- coverage: 2018 through the year after the current one


def test_the_calendar_covers_the_year_after_the_current_one(clock: FixedClock) -> None:
    """RULES.md: on 2026-11-29 (Almaty) dates in 2027 are accepted and dates in 2028 are not."""
    out = rules.evaluate("calendar.working_day", {"date": "2027-06-15"})
    assert out["result"]["working"] is True
    due = rules.evaluate("calendar.add_working_days", {"from": "2027-12-30", "days": 5})
    assert due["result"]["date"].startswith("2028-01")  # the horizon reaches past the coverage
    with pytest.raises(rules.InvalidInput) as refused:
        rules.evaluate("calendar.working_day", {"date": "2028-01-10"})
    assert refused.value.as_dicts() == [
        {"field": "date", "message": "дата 2028-01-10 вне периода рабочего календаря 2018-01-01 — 2027-12-31"}]


def test_on_new_years_day_the_next_year_is_covered_without_a_restart(clock: FixedClock) -> None:
    """A long-running process crosses New Year: on 2027-01-01 in Almaty dates in 2028 evaluate."""
    with pytest.raises(rules.InvalidInput):
        rules.evaluate("calendar.working_day", {"date": "2028-01-10"})
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=ALMATY))
    with pytest.raises(rules.InvalidInput):
        rules.evaluate("calendar.working_day", {"date": "2028-01-10"})
    clock.set(datetime(2027, 1, 1, 0, 0, tzinfo=ALMATY).astimezone(UTC))  # midnight in Almaty, still 2026 in UTC
    assert clock.now().year == 2026 and clock.today() == date(2027, 1, 1)
    out = rules.evaluate("calendar.working_day", {"date": "2028-01-10"})
    assert out["result"]["working"] is True
    assert rules.calendar_coverage() == {"from": "2018-01-01", "to": "2028-12-31"}


def test_the_projection_for_2027_and_2028_is_the_holidays_packages() -> None:
    cal = build_calendar(year=2027)
    assert (cal.coverage_start, cal.coverage_end) == (date(2018, 1, 1), date(2028, 12, 31))
    assert cal.horizon_end == date(2030, 12, 31)
    disagree = [d for d in every_day(date(2027, 1, 1), date(2028, 12, 31))
                if cal.is_working_day(d) != KZ.is_working_day(d)]
    assert disagree == []
    assert cal.is_working_day(date(2027, 3, 22)) is False  # Nauryz


def test_the_system_clock_tells_today_in_almaty() -> None:
    moment = SystemClock().now()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    assert FixedClock(datetime(2026, 12, 31, 19, 0, tzinfo=UTC)).today() == date(2027, 1, 1)
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001


def test_the_catalogue_reports_the_calendar_coverage() -> None:
    for item in rules.list_rules():
        assert item["calendar_coverage"] == {"from": "2018-01-01", "to": "2027-12-31"}
    assert bootstrap.current_clock().today() == date(2026, 11, 29)


def test_a_deadline_from_the_last_covered_days_runs_into_the_next_year() -> None:
    out = rules.evaluate("court.conclusion_to_gpo_due", {"case_type": "civil", "entered_into_force": "2026-12-30"})
    assert out["result"]["due"].startswith("2027-02")


# ----------------------------------------------------------------------- administrator's file

OVERRIDES = """# a comment
date,working,name,resolution_number,resolution_date
2021-08-02,false,Тестовый выходной,999,2021-07-01
2021-07-31,true,Рабочая суббота,999,2021-07-01
"""


def test_a_file_override_changes_the_day_and_every_deadline_that_depends_on_it(tmp_path) -> None:
    path = tmp_path / "calendar.csv"
    path.write_text(OVERRIDES, encoding="utf-8")
    changed = build_calendar(path)
    assert changed.is_working_day(date(2021, 8, 2)) is False
    assert changed.is_working_day(date(2021, 7, 31)) is True
    assert changed.entry(date(2021, 8, 2)).source == "постановление Правительства РК от 01.07.2021 № 999"
    # a day off added on Monday 2 August moves a five-working-day term by one day…
    data = {"check_end": "2021-07-28"}
    assert rules.evaluate("check.certificate_delivery_due", data, calendar=CAL)["result"]["due"] == "2021-08-04"
    only_day_off = tmp_path / "day_off.csv"
    only_day_off.write_text("\n".join(OVERRIDES.splitlines()[:3]) + "\n", encoding="utf-8")
    day_off = build_calendar(only_day_off)
    assert rules.evaluate("check.certificate_delivery_due", data, calendar=day_off)["result"]["due"] == "2021-08-05"
    # …and a working Saturday 31 July becomes the first working day after Friday 30 July
    data = {"from": "2021-07-30", "days": 1}
    assert rules.evaluate("calendar.add_working_days", data, calendar=CAL)["result"]["date"] == "2021-08-02"
    assert rules.evaluate("calendar.add_working_days", data, calendar=changed)["result"]["date"] == "2021-07-31"


def test_the_cli_reads_the_administrators_file_named_in_the_environment(tmp_path) -> None:
    path = tmp_path / "calendar.csv"
    path.write_text(OVERRIDES, encoding="utf-8")
    env = {**os.environ, "NADZOR_CALENDAR_FILE": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "nadzor.entrypoints.cli", "rules", "eval", "calendar.working_day",
         "--input", '{"date": "2021-08-02"}'],
        capture_output=True, text=True, env=env, check=True,
    )
    assert json.loads(done.stdout)["result"] == {"working": False, "name": "Тестовый выходной"}


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("date,working\n", 1, "header"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-30,false,x,1,2021-01-01\n", 2, "date"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-03,maybe,x,1,2021-01-01\n", 2, "working"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-03,false,x,,2021-01-01\n", 2,
         "resolution_number"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-03,false,x,1,01.01.2021\n", 2,
         "resolution_date"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-03,false,x,1\n", 2, "line"),
        ("date,working,name,resolution_number,resolution_date\n2021-02-03,false,x,1,2021-01-01\n"
         "2021-02-03,true,y,2,2021-01-01\n", 3, "date"),
    ],
)
def test_a_bad_calendar_file_is_refused_naming_line_and_column(text: str, line: int, field: str) -> None:
    with pytest.raises(CalendarFileError) as refused:
        parse_calendar_file(text)
    assert (refused.value.line, refused.value.field) == (line, field)


def test_later_layers_override_earlier_ones() -> None:
    first = [DayEntry(date(2021, 1, 4), False, "a")]
    second = [DayEntry(date(2021, 1, 4), True, "b")]
    cal = WorkingCalendar([first, second], horizon=(date(2021, 1, 1), date(2021, 12, 31)))
    assert cal.is_working_day(date(2021, 1, 4)) is True


# ------------------------------------------------------------------------------- properties

covered_days = st.dates(min_value=COVERAGE[0], max_value=COVERAGE[1])
counts = st.integers(min_value=-60, max_value=60).filter(lambda n: n != 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(covered_days, counts), min_size=1, max_size=50))
def test_array_add_working_days_equals_the_scalar_one(pairs: list[tuple[date, int]]) -> None:
    days = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    ns = np.array([n for _, n in pairs])
    got = CAL.add_working_days_array(days, ns).astype("datetime64[D]").astype(object)
    assert list(got) == [CAL.add_working_days(d, n) for d, n in pairs]


@settings(max_examples=200, deadline=None)
@given(st.lists(covered_days, min_size=1, max_size=50))
def test_array_is_working_day_equals_the_scalar_one(days: list[date]) -> None:
    got = CAL.is_working_day_array(np.array(days, dtype="datetime64[D]"))
    assert got.tolist() == [CAL.is_working_day(d) for d in days]


@settings(max_examples=300, deadline=None)
@given(covered_days, st.integers(min_value=1, max_value=60))
def test_adding_then_subtracting_working_days_returns_to_a_working_start(day: date, n: int) -> None:
    forward = CAL.add_working_days(day, n)
    assert forward > day and CAL.is_working_day(forward)
    assert CAL.working_days_between(day + timedelta(days=1), forward) == n
    back = CAL.add_working_days(forward, -n)
    # K2 never counts the start: back is the start itself when it works, else the last working day before it
    assert back == (day if CAL.is_working_day(day) else CAL.add_working_days(day, -1))


@settings(max_examples=300, deadline=None)
@given(covered_days, st.integers(min_value=1, max_value=40))
def test_k1_lands_on_the_first_working_day_on_or_after_e_plus_n(day: date, n: int) -> None:
    due = k1_calendar_days(CAL, day, n)
    assert due >= day + timedelta(days=n) and CAL.is_working_day(due)
    assert all(not CAL.is_working_day(d) for d in every_day(day + timedelta(days=n), due - timedelta(days=1)))


@settings(max_examples=300, deadline=None)
@given(covered_days, st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=20))
def test_k6_counts_the_start_as_day_one_and_adds_paused_days(start: date, extension: int, paused: int) -> None:
    pauses = [Pause(start + timedelta(days=3), start + timedelta(days=3 + paused))] if paused else []
    span = k6_last_day(start, 30, extension, pauses)
    assert span.last_day == start + timedelta(days=29 + extension + paused)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 1, 29), 1, date(2019, 2, 28)),
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2021, 12, 15), 1, date(2022, 1, 15)),
    ],
)
def test_k4_month_terms_clamp_to_the_last_day_of_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_k4_moves_off_a_non_working_day() -> None:
    # 2020-01-31 + 1 month = Saturday 2020-02-29 → Monday 2020-03-02
    assert k4_months(CAL, date(2020, 1, 31), 1) == date(2020, 3, 2)


def test_out_of_horizon_dates_raise() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(date(2040, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days_array(np.array(["2040-01-01"], dtype="datetime64[D]"), np.array([1]))
