"""Sources of the working calendar's layers: the `holidays` package and an administrator's file.

The file is CSV (UTF-8) with the header `date,working,name,resolution_number,resolution_date`;
lines starting with `#` are comments. Each line adds or overrides one day, citing the Government
resolution that made it so. The database layer (platform) goes on top of these.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import holidays

from nadzor.domain.calendar import DayEntry

HOLIDAYS_SOURCE = f"пакет holidays {holidays.__version__}, календарь KZ"  # type: ignore[attr-defined]

_RU_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День Столицы",
    "Eid al-Adha": "Курбан айт",
    "Constitution Day": "День Конституции Республики Казахстан",
    "First President Day": "День Первого Президента Республики Казахстан",
    "Independence Day": "День Независимости",
    "Republic Day": "День Республики",
}
_SUBSTITUTED = re.compile(r"Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)")


def russian_holiday_name(name: str) -> str:
    """The Russian name of a holiday named in English by the `holidays` package."""
    parts = []
    for one in name.split("; "):
        m = _SUBSTITUTED.fullmatch(one)
        if m:
            parts.append(f"Выходной день, перенесённый с {m[2]}.{m[1]}.{m[3]} постановлением Правительства РК")
            continue
        suffix = ""
        for en, ru in ((" (observed)", " (перенос выходного дня)"), (" (estimated)", " (ориентировочно)")):
            if one.endswith(en):
                one, suffix = one[: -len(en)], ru + suffix
        parts.append(_RU_NAMES.get(one, one) + suffix)
    return "; ".join(parts)


def holidays_layer(first_year: int, last_year: int) -> list[DayEntry]:
    """Public holidays, moved days off and Government transfers (working Saturdays and Sundays)
    of Kazakhstan as the `holidays` package's KZ calendar knows them."""
    kz = holidays.KZ(years=range(first_year, last_year + 1))  # type: ignore[attr-defined]
    entries = [
        DayEntry(day, False, russian_holiday_name(name), HOLIDAYS_SOURCE) for day, name in sorted(kz.items())
    ]
    entries += [
        DayEntry(day, True, "Рабочий день, перенесённый постановлением Правительства РК", HOLIDAYS_SOURCE)
        for day in sorted(kz.weekend_workdays)
        if first_year <= day.year <= last_year
    ]
    return entries


# ------------------------------------------------------------------------------ the file layer

FILE_HEADER = ("date", "working", "name", "resolution_number", "resolution_date")
_TRUE = {"1", "true", "да", "yes"}
_FALSE = {"0", "false", "нет", "no"}


@dataclass(frozen=True, slots=True)
class CalendarFileError(ValueError):
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"строка {self.line}, поле {self.field}: {self.message}"


def _parse_date(text: str, line: int, field: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CalendarFileError(line, field, f"ожидается дата ГГГГ-ММ-ДД, получено {text!r}") from None


def parse_calendar_file(text: str) -> list[DayEntry]:
    """Parse the administrator's calendar file; an error names its line and column."""
    rows = [row for row in text.splitlines() if row.strip() and not row.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(rows)))
    header = next(reader, None)
    if header is None:
        return []
    if tuple(h.strip() for h in header) != FILE_HEADER:
        raise CalendarFileError(1, "header", f"ожидается заголовок {','.join(FILE_HEADER)}")
    entries: list[DayEntry] = []
    seen: set[date] = set()
    for number, row in enumerate(reader, start=2):
        if len(row) != len(FILE_HEADER):
            raise CalendarFileError(number, "line", f"ожидается {len(FILE_HEADER)} колонок, получено {len(row)}")
        raw_day, raw_working, name, resolution_number, raw_resolution_date = (c.strip() for c in row)
        day = _parse_date(raw_day, number, "date")
        if day in seen:
            raise CalendarFileError(number, "date", f"день {raw_day} указан дважды")
        seen.add(day)
        if raw_working.lower() in _TRUE:
            working = True
        elif raw_working.lower() in _FALSE:
            working = False
        else:
            raise CalendarFileError(number, "working", f"ожидается true или false, получено {raw_working!r}")
        if not resolution_number:
            raise CalendarFileError(number, "resolution_number", "укажите номер постановления Правительства")
        resolution_date = _parse_date(raw_resolution_date, number, "resolution_date")
        source = f"постановление Правительства РК от {resolution_date:%d.%m.%Y} № {resolution_number}"
        entries.append(DayEntry(day, working, name or ("Рабочий день" if working else "Выходной день"), source))
    return entries


def file_layer(path: Path) -> list[DayEntry]:
    if not path.exists():
        return []
    return parse_calendar_file(path.read_text(encoding="utf-8"))

