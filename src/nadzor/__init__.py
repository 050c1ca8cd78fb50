"""Nadzor: the regulation of Order No. 60 (edition No. 102) as executable rules, the working
calendar of Kazakhstan, and the platform around them.

The pure rules receive their working calendar; for a bare `from nadzor.rules import evaluate`
the package root registers a lazy default provider here, which imports the calendar without
storage (`nadzor.calendar.default`) only when a calendar is first needed. The platform's callers pass its calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nadzor import rules as _rules

if TYPE_CHECKING:
    from nadzor.domain.calendar import WorkingCalendar


def _default_calendar() -> WorkingCalendar:
    from nadzor.calendar.default import default_calendar

    return default_calendar()


_rules.set_calendar_provider(_default_calendar)
