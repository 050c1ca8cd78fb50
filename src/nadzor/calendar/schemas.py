"""The HTTP contract of the `calendar` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from nadzor.web.schemas import Out


class CalendarDayOut(Out):
    """День рабочего календаря и источник, который его определил."""

    model_config = ConfigDict(extra="allow")
    date: str = Field(title="Дата")
    working: bool = Field(title="Рабочий день")
    name: str | None = Field(default=None, title="Название дня")
    source: str = Field(title="Источник")


class CalendarOverrideOut(Out):
    id: int
    day: str
    working: bool
    name: str
    resolution_number: str
    resolution_date: str
    version: int


class CalendarChangeOut(CalendarOverrideOut):
    proceedings_moved: int = Field(title="Пересчитано производств")
