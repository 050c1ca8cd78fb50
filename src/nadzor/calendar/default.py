"""The working calendar without storage, and the process's clock: the `holidays` package's KZ
calendar and the administrator's file, covering 2018 through 31 December of the year after the
current one (RULES.md; today by the one clock, in Asia/Almaty), rebuilt when the year changes.

Light on purpose (no database layer): `nadzor proceedings replay --batch` and `nadzor rules eval`
without a database start with this alone; the composition root (`nadzor.bootstrap`) adds the
database layer for the platform."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from nadzor.calendar.sources import file_layer, holidays_layer
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.domain.clock import Clock, SystemClock
from nadzor.settings import Settings

#: The first day inputs may name (RULES.md).
FIRST_COVERED_DAY = date(2018, 1, 1)
#: The horizon reaches two years before and after the coverage, so that a deadline counted from
#: the first or the last covered days can still be answered.
HORIZON_MARGIN_YEARS = 2

_clock: Clock = SystemClock()


def set_clock(clock: Clock) -> None:
    """Replace the process's clock (a frozen one in tests); platforms made later take it."""
    global _clock
    _clock = clock


def current_clock() -> Clock:
    return _clock


def coverage(year: int) -> tuple[date, date]:
    """The days inputs may name in `year`: 2018-01-01 … 31 December of the next year."""
    return FIRST_COVERED_DAY, date(year + 1, 12, 31)


def horizon(year: int) -> tuple[date, date]:
    first, last = coverage(year)
    return date(first.year - HORIZON_MARGIN_YEARS, 1, 1), date(last.year + HORIZON_MARGIN_YEARS, 12, 31)


@lru_cache(maxsize=4)
def _holidays(first_year: int, last_year: int) -> tuple[DayEntry, ...]:
    """The `holidays` package's KZ calendar: statutory for the years it knows, its projection of
    the statutory rules after them (the administrator's transfers complete it)."""
    return tuple(holidays_layer(first_year, last_year))


def build_calendar(
    calendar_file: Path | None = None, extra_layers: Sequence[Iterable[DayEntry]] = (), *, year: int | None = None
) -> WorkingCalendar:
    """The layered calendar as of `year` (default: the current year by the process's clock)."""
    year = _clock.today().year if year is None else year
    first, last = horizon(year)
    layers: list[Iterable[DayEntry]] = [_holidays(first.year, last.year)]
    if calendar_file is not None:
        layers.append(file_layer(calendar_file))
    layers.extend(extra_layers)
    return WorkingCalendar(layers, horizon=(first, last), coverage=coverage(year))


@lru_cache(maxsize=2)
def _default_calendar(year: int, calendar_file: Path) -> WorkingCalendar:
    return build_calendar(calendar_file, year=year)


@lru_cache(maxsize=1)
def _configured_calendar_file() -> Path:
    """The administrator's calendar file the environment names, read once per process."""
    return Settings.from_env().calendar_file


def default_calendar(calendar_file: Path | None = None) -> WorkingCalendar:
    """The calendar without storage (with `calendar_file`, default: the configured one), built once per
    process and rebuilt only when the year (by the process's clock) changes."""
    return _default_calendar(_clock.today().year, calendar_file or _configured_calendar_file())
