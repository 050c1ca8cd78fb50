"""Calendar rules: the working calendar itself (RULES.md «Counting conventions», K2, K3)."""

from __future__ import annotations

from pydantic import Field, field_validator

from nadzor.domain.calendar import CalendarRangeError, WorkingCalendar
from nadzor.domain.terms import k2_working_days_after, k3_working_days_before
from nadzor.rules.base import (
    Count,
    Decision,
    Input,
    InvalidInput,
    LegalDate,
    Message,
    Output,
    out_of_calendar,
    ru_date,
    rule,
)


class WorkingDayInput(Input):
    date: LegalDate


class WorkingDayOut(Output):
    working: bool
    name: str | None


@rule("calendar.working_day", "Рабочий ли день", (), output=WorkingDayOut)
def working_day(inp: WorkingDayInput, cal: WorkingCalendar) -> Decision:
    """Whether a day is a working day of Kazakhstan, and the name of the holiday or transfer."""
    working = cal.is_working_day(inp.date)
    name = cal.day_name(inp.date)
    text = "рабочий день" if working else f"нерабочий день ({name})"
    return Decision({"working": working, "name": name}, f"{ru_date(inp.date)} — {text} по календарю РК.")


class AddWorkingDaysInput(Input):
    from_: LegalDate = Field(alias="from")
    days: Count

    @field_validator("days")
    @classmethod
    def _not_zero(cls, v: int) -> int:
        if v == 0:
            raise ValueError("число рабочих дней не может быть равно 0")
        return v


class DateOut(Output):
    date: str


@rule("calendar.add_working_days", "Отсчёт рабочих дней", ("K2", "K3"), output=DateOut, convention="K2/K3")
def add_working_days(inp: AddWorkingDaysInput, cal: WorkingCalendar) -> Decision:
    """K2 for a positive count (the N-th working day after `from`), K3 for a negative one
    (the N-th working day counted back from `from`); `from` itself never counts."""
    try:
        if inp.days > 0:
            day = k2_working_days_after(cal, inp.from_, inp.days)
            how = f"{inp.days}-й рабочий день после {ru_date(inp.from_)}"
        else:
            day = k3_working_days_before(cal, inp.from_, -inp.days)
            how = f"{-inp.days}-й рабочий день до {ru_date(inp.from_)}"
    except CalendarRangeError as exc:
        raise InvalidInput.one("days", Message("результат выходит за пределы рабочего календаря: %(error)s",
                                               error=out_of_calendar(exc.day.isoformat(), exc.first, exc.last))
                               ) from None
    return Decision({"date": day.isoformat()}, f"{how} — {ru_date(day)} (день отсчёта не считается).")
