"""The one clock of the product: today is a day in Asia/Almaty, now is an aware UTC moment.

Everything that needs the date (the calendar's covered years, defaults of «on» parameters) asks a
`Clock` it is given; `SystemClock` reads the machine's time, `FixedClock` stands still (tests).
This module is pure: `zoneinfo` reads the IANA database the `tzdata` package ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, aware, in UTC."""
        ...

    def today(self) -> date:
        """The current day in Asia/Almaty."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(ALMATY).date()


@dataclass
class FixedClock:
    """A clock that shows one moment until it is moved (tests, reproducible runs)."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None or self.moment.utcoffset() is None:
            raise ValueError("FixedClock needs an aware moment")
        self.moment = self.moment.astimezone(UTC)

    @classmethod
    def on(cls, day: date, hour: int = 12) -> FixedClock:
        """Noon (by default) of `day` in Almaty."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY))

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(ALMATY).date()

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("FixedClock needs an aware moment")
        self.moment = moment.astimezone(UTC)


__all__ = ["ALMATY", "Clock", "FixedClock", "SystemClock"]
