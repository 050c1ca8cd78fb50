"""The working calendar of the Republic of Kazakhstan (RULES.md, «Counting conventions»).

A five-day week (Monday–Friday) on which *layers* of day entries are laid in order: the
`holidays` package's KZ calendar first, then an administrator's data file, then (platform) the
database. A later layer overrides an earlier one for the same day. The calendar is built once for
a horizon of whole years and answers scalar questions (one date) and array questions (numpy, many
dates at once) from the same precomputed tables, so both always agree.

This module is pure: it knows nothing of where the layers come from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One day as a source declares it: working or not, with its name and legal source."""

    day: date
    working: bool
    name: str = ""
    source: str = ""


class CalendarRangeError(ValueError):
    """A date outside the horizon the calendar was built for."""

    def __init__(self, day: date, first: date, last: date) -> None:
        super().__init__(
            f"дата {day.isoformat()} вне периода рабочего календаря "
            f"{first.isoformat()} — {last.isoformat()}"
        )
        self.day, self.first, self.last = day, first, last


class WorkingCalendar:
    """Working days of Kazakhstan over [horizon_start, horizon_end].

    `coverage` is the part of the horizon that inputs may name (2018–2026 by default); the
    horizon reaches further so that a deadline counted from a covered day can end after it.
    """

    def __init__(
        self,
        layers: Sequence[Iterable[DayEntry]],
        *,
        horizon: tuple[date, date],
        coverage: tuple[date, date] | None = None,
    ) -> None:
        first, last = horizon
        if last < first:
            raise ValueError("calendar horizon ends before it starts")
        self.horizon_start, self.horizon_end = first, last
        self.coverage_start, self.coverage_end = coverage or horizon
        self._origin = first.toordinal()
        size = last.toordinal() - self._origin + 1
        weekday0 = first.weekday()
        working = [((weekday0 + i) % 7) < 5 for i in range(size)]
        names: dict[date, DayEntry] = {}
        for layer in layers:
            for entry in layer:
                i = entry.day.toordinal() - self._origin
                if 0 <= i < size:
                    working[i] = entry.working
                    names[entry.day] = entry
        self._entries = names
        self._working = working
        # Working days as ordinals, and for each day the number of working days before it.
        self._wd_ordinals = [self._origin + i for i, w in enumerate(working) if w]
        before: list[int] = []
        count = 0
        for w in working:
            before.append(count)
            count += w
        self._before = before
        # numpy tables for the array functions: day numbers since 1970-01-01 (int32).
        epoch_offset = self._origin - _EPOCH_ORDINAL
        self._np_epoch_offset = epoch_offset
        self._np_working = np.array(working, dtype=np.bool_)
        wd = np.array(self._wd_ordinals, dtype=np.int64) - _EPOCH_ORDINAL
        self._np_wd = wd.astype(np.int32)
        before_np = np.array(before, dtype=np.int32)
        after_np = before_np + self._np_working.astype(np.int32)  # working days ≤ day
        # Row 0 answers backward counts (K3), row 1 forward counts (K2): one gather picks the
        # base index, a second gather reads the working day.
        self._np_base = np.concatenate([before_np, after_np - 1]).astype(np.int32)
        self._size = size
        #: Counts already made by `add_working_days` (the calendar never changes once built; a batch
        #: counts the same few hundred days again and again).
        self._counted: dict[tuple[date, int], date] = {}

    # ----------------------------------------------------------------------- scalar questions
    def _index(self, day: date) -> int:
        i = day.toordinal() - self._origin
        if not 0 <= i < self._size:
            raise CalendarRangeError(day, self.horizon_start, self.horizon_end)
        return i

    def covers(self, day: date) -> bool:
        return self.coverage_start <= day <= self.coverage_end

    def is_working_day(self, day: date) -> bool:
        return self._working[self._index(day)]

    def entry(self, day: date) -> DayEntry | None:
        """The source entry that decided this day, if any layer named it."""
        self._index(day)
        return self._entries.get(day)

    def day_name(self, day: date) -> str | None:
        """The Russian name of a non-working day (holiday, transfer or weekend)."""
        if self.is_working_day(day):
            return None
        entry = self._entries.get(day)
        if entry is not None and not entry.working and entry.name:
            return entry.name
        return "Выходной день (суббота)" if day.weekday() == 5 else "Выходной день (воскресенье)"

    def _wd_at(self, k: int, day: date) -> date:
        if not 0 <= k < len(self._wd_ordinals):
            raise CalendarRangeError(day, self.horizon_start, self.horizon_end)
        return date.fromordinal(self._wd_ordinals[k])

    def add_working_days(self, day: date, days: int) -> date:
        """K2 for days > 0 (the N-th working day after `day`), K3 for days < 0 (the N-th
        working day counted back from `day`); `day` itself never counts."""
        key = (day, days)
        found = self._counted.get(key)
        if found is not None:
            return found
        i = self._index(day)
        if days > 0:
            found = self._wd_at(self._before[i] + self._working[i] + days - 1, day)
        elif days < 0:
            found = self._wd_at(self._before[i] + days, day)
        else:
            raise ValueError("days must not be 0")
        if len(self._counted) < 100_000:
            self._counted[key] = found
        return found

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        i = self._index(day)
        return self._wd_at(self._before[i], day)

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in [first, last]."""
        a, b = self._index(first), self._index(last)
        if b < a:
            return 0
        return self._before[b] + self._working[b] - self._before[a]

    def entries(self) -> list[DayEntry]:
        return sorted(self._entries.values(), key=lambda e: e.day)

    def non_working_in(self, first: date, last: date) -> list[date]:
        a, b = self._index(first), self._index(last)
        return [date.fromordinal(self._origin + i) for i in range(a, b + 1) if not self._working[i]]

    # ------------------------------------------------------------------------ array questions
    def to_day_numbers(self, dates: npt.ArrayLike) -> npt.NDArray[np.int32]:
        arr = np.asarray(dates)
        if np.issubdtype(arr.dtype, np.datetime64):
            arr = arr.astype("datetime64[D]").astype(np.int64)
        return arr.astype(np.int32, copy=False)

    def _np_index(self, day_numbers: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
        idx = day_numbers - np.int32(self._np_epoch_offset)
        if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= self._size):
            bad = int(idx[(idx < 0) | (idx >= self._size)][0]) + self._origin
            raise CalendarRangeError(date.fromordinal(bad), self.horizon_start, self.horizon_end)
        return idx

    def is_working_day_array(self, dates: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Array form of `is_working_day`: datetime64[D] or int day numbers since 1970-01-01."""
        return self._np_working[self._np_index(self.to_day_numbers(dates))]

    def add_working_days_array(
        self, dates: npt.ArrayLike, days: npt.ArrayLike
    ) -> npt.NDArray[np.int32]:
        """Array form of `add_working_days`; answers int32 day numbers since 1970-01-01
        (`.astype("datetime64[D]")` turns them into dates). No element of `days` may be 0."""
        idx = self._np_index(self.to_day_numbers(dates))
        n = np.asarray(days, dtype=np.int32)
        if n.size and not n.all():
            raise ValueError("days must not be 0")
        base = self._np_base[idx + np.int32(self._size) * (n > 0)]
        target = base + n
        if target.size and (int(target.min()) < 0 or int(target.max()) >= self._np_wd.size):
            raise CalendarRangeError(self.horizon_end, self.horizon_start, self.horizon_end)
        answer: npt.NDArray[np.int32] = self._np_wd[target]
        return answer


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, or the last day of that month (K4, before moving)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = (nxt - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


__all__ = [
    "CalendarRangeError",
    "DayEntry",
    "WorkingCalendar",
    "add_months",
]
