"""Wires the pure rules to their adapters: builds the working calendar from its layered sources
(the `holidays` package, then the administrator's file) and installs it as the rules' default."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from nadzor import rules
from nadzor.adapters.calendar_sources import file_layer, holidays_layer
from nadzor.domain.calendar import DayEntry, WorkingCalendar
from nadzor.settings import Settings

#: Inputs may name days of 2018–2026 (RULES.md); the horizon reaches two years further so that a
#: deadline counted from the last covered days can still be answered.
COVERAGE = (date(2018, 1, 1), date(2026, 12, 31))
HORIZON = (date(2016, 1, 1), date(2028, 12, 31))


def build_calendar(
    calendar_file: Path | None = None, extra_layers: Sequence[Iterable[DayEntry]] = ()
) -> WorkingCalendar:
    layers: list[Iterable[DayEntry]] = [holidays_layer(HORIZON[0].year, HORIZON[1].year)]
    if calendar_file is not None:
        layers.append(file_layer(calendar_file))
    layers.extend(extra_layers)
    return WorkingCalendar(layers, horizon=HORIZON, coverage=COVERAGE)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    return build_calendar(Settings.from_env().calendar_file)


def install() -> None:
    """Make the layered calendar the one `nadzor.rules.evaluate` uses by default."""
    rules.set_calendar_provider(default_calendar)
