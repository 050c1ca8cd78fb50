"""Counting conventions K1–K7 of RULES.md, implemented once; every deadline rule uses these.

Each function takes the working calendar as an argument (the rules stay pure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nadzor.domain.calendar import WorkingCalendar, add_months


def k1_calendar_days(cal: WorkingCalendar, event: date, n: int) -> date:
    """K1: `N calendar days from event E` → E + N; off a non-working day to the next working one
    (ГПК art. 122–123, АППК: the period starts the day after E)."""
    return cal.next_working_day(event + timedelta(days=n))


def k2_working_days_after(cal: WorkingCalendar, event: date, n: int) -> date:
    """K2: the N-th working day after E; E itself never counts."""
    return cal.add_working_days(event, n)


def k3_working_days_before(cal: WorkingCalendar, day: date, n: int) -> date:
    """K3: `not later than N working days before D` → the N-th working day counted back from D."""
    return cal.add_working_days(day, -n)


def k4_months(cal: WorkingCalendar, event: date, n: int) -> date:
    """K4: the same day-of-month N months later (or that month's last day), then as K1."""
    return cal.next_working_day(add_months(event, n))


def k5_within_a_day(moment: datetime) -> datetime:
    """K5: `в течение суток` from moment T → T + 24 hours, keeping T's UTC offset."""
    return moment + timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Pause:
    """A suspension from `start` to the resumption day `end` (None while still suspended)."""

    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class Duration:
    last_day: date | None
    suspended: bool
    paused_days: int


def k6_last_day(
    start: date, n: int, extension_days: int = 0, pauses: Sequence[Pause] = ()
) -> Duration:
    """K6: a proceeding `conducted within N calendar days`: the start day is day 1;
    last_day = start + (N − 1) + extension_days + Σ paused days. A pause S…R pauses the days
    S … R−1 (the clock runs again on the resumption day R, I.17). No move off non-working days.
    While suspended (R unknown) the last day is unknown."""
    paused = 0
    for pause in pauses:
        if pause.end is None:
            return Duration(None, True, paused)
        paused += (pause.end - pause.start).days
    return Duration(start + timedelta(days=n - 1 + extension_days + paused), False, paused)


def k7_fixed_date(year: int, month: int, day: int) -> date:
    """K7: a fixed reporting date (`к 5 числу месяца…`) is that calendar date, never moved."""
    if month > 12:
        year, month = year + 1, month - 12
    return date(year, month, day)
