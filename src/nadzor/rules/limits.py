"""Time limits of the regulation as dated data, each with its source paragraph.

A later edition of the order is added as a new `Dated` value with its own `since`, never by
editing an old one. A rule asks for a limit *at a date* (the event it counts from); for dates
before the first encoded value the earliest encoded value applies (earlier editions are not
encoded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Unit = Literal["calendar_days", "working_days", "months", "hours", "day_of_month"]


@dataclass(frozen=True, slots=True)
class Edition:
    name: str
    valid_from: date
    valid_to: date | None
    reference: str
    #: The edition as `stated`, not in force and in force (made once: every answer states it).
    said: tuple[dict[str, Any], ...] = field(init=False, repr=False, compare=False)

    def in_force(self, day: date) -> bool:
        """Whether the edition was in force on `day` (`valid_to` is the first day it was not)."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def applied(self, days: Iterable[date]) -> dict[str, Any]:
        """The edition as every answer states it: `{name, valid_from, valid_to, in_force}`,
        `in_force` false when any of `days` lies outside its window."""
        return self.stated(all(self.in_force(day) for day in days))

    def applied_between(self, first: date, last: date) -> dict[str, Any]:
        """`applied` to days that all lie between `first` and `last` and include both (a
        proceeding's steps, whose dates never decrease): the window is one stretch of days, so
        its ends decide."""
        return self.stated(self.in_force(first) and self.in_force(last))

    def stated(self, in_force: bool) -> dict[str, Any]:
        return dict(self.said[in_force])

    def __post_init__(self) -> None:
        said = tuple({"name": self.name, "valid_from": self.valid_from.isoformat(),
                      "valid_to": self.valid_to.isoformat() if self.valid_to else None, "in_force": in_force}
                     for in_force in (False, True))
        object.__setattr__(self, "said", said)  # frozen: written once, here


#: Order No. 102 of 12 July 2021 set out Order No. 60 in a new edition; it took effect after its
#: first official publication and was repealed by Order No. 32 of 17 January 2023.
ORDER_102 = Edition(
    name="Приказ Генерального Прокурора РК от 12.07.2021 № 102 (редакция приказа от 02.05.2018 № 60)",
    valid_from=date(2021, 7, 16),
    valid_to=date(2023, 1, 17),
    reference="Зарегистрирован в Министерстве юстиции РК 14.07.2021 № 23523; "
    "утратил силу приказом Генерального Прокурора РК от 17.01.2023 № 32",
)


@dataclass(frozen=True, slots=True)
class Dated:
    since: date
    value: int
    reference: str
    edition: Edition = ORDER_102


@dataclass(frozen=True, slots=True)
class Limit:
    id: str
    citation: str
    unit: Unit
    title: str
    values: tuple[Dated, ...]

    def at(self, day: date) -> int:
        values = self.values
        if len(values) == 1:  # one edition: its value, whatever the day (the short way of a batch)
            return values[0].value
        chosen = values[0]
        for value in values[1:]:  # an edition after the first: the latest in force on `day`
            if value.since <= day:
                chosen = value
        return chosen.value


def _limit(limit_id: str, citation: str, unit: Unit, value: int, title: str, words: str) -> Limit:
    return Limit(limit_id, citation, unit, title, (Dated(ORDER_102.valid_from, value, f"{citation}: «{words}»"),))


_ALL = [
    # Instruction, chapter 2 — checks
    _limit("check.duration", "I.16", "calendar_days", 30, "Срок проверки",
           "проводится в течение не более тридцати календарных дней"),
    _limit("check.max_extension", "I.16", "calendar_days", 30, "Предельное продление проверки",
           "не более чем на тридцать календарных дней"),
    _limit("check.extension_petition_to_gp", "I.16", "working_days", 5,
           "Ходатайство о продлении — Генеральному Прокурору",
           "не позднее, чем за пять рабочих дней до истечения срока проверки"),
    _limit("check.extension_petition_to_regional", "I.16", "working_days", 7,
           "Ходатайство о продлении — прокурору области",
           "не позднее, чем за семь рабочих дней до истечения срока проверки"),
    _limit("check.order_notice", "I.18", "working_days", 3, "Уведомление о постановлении",
           "в течение трех рабочих дней со дня его вынесения"),
    _limit("check.certificate_delivery", "I.23", "working_days", 5, "Вручение справки",
           "в течение пяти рабочих дней после окончания проверки"),
    _limit("check.certificate_objection", "I.23", "working_days", 5, "Возражения к справке",
           "в течение пяти рабочих дней со дня вручения справки"),
    _limit("check.business_petition_review", "I.10", "working_days", 10, "Рассмотрение ходатайства",
           "в течение десяти рабочих дней со дня его поступления"),
    _limit("check.business_petition_review_extra_info", "I.10", "calendar_days", 30,
           "Рассмотрение ходатайства при истребовании информации",
           "при истребовании дополнительной информации – в течение тридцати календарных дней"),
    # Instruction, chapter 3 — courts
    _limit("court.conclusion_to_gpo.civil", "I.32", "working_days", 30, "Заключение в ГП (гражданские)",
           "тридцати рабочих дней"),
    _limit("court.conclusion_to_gpo.administrative", "I.32", "working_days", 20,
           "Заключение в ГП (административные)", "двадцати рабочих дней"),
    _limit("court.cassation_representation.civil", "I.36", "working_days", 30,
           "Кассационное представление (гражданские)", "тридцати рабочих дней"),
    _limit("court.cassation_representation.administrative", "I.37", "working_days", 20,
           "Кассационное представление (административные)", "двадцати рабочих дней"),
    _limit("court.cassation_representation.admin_offence", "I.52", "months", 3,
           "Протест по делам об административных правонарушениях", "трех месяцев"),
    _limit("court.case_request", "I.36", "working_days", 10, "Истребование дела", "десяти рабочих дней"),
    _limit("court.admin_cassation_petition", "I.37", "months", 1, "Ходатайство (административные)",
           "одного месяца"),
    _limit("court.admin_arrest_review", "I.46", "hours", 24, "Проверка законности ареста",
           "в течение суток"),
    _limit("court.appellate_act_report", "I.66", "working_days", 5, "Направление апелляционного акта",
           "в течение пяти рабочих дней"),
    _limit("court.violation_register_check", "I.66", "working_days", 10, "Проверка по реестру нарушений",
           "в течение десяти рабочих дней"),
    _limit("gpo.case_request", "I.39", "working_days", 5, "Направление дела в ГП", "пяти рабочих дней"),
    _limit("gpo.case_request_special", "I.39", "calendar_days", 15, "Дело по особому поручению",
           "пятнадцати календарных дней"),
    _limit("gpo.cassation_review", "I.40", "working_days", 30, "Рассмотрение в ГП", "тридцати рабочих дней"),
    # Instruction, chapter 4 — acts of supervision
    _limit("act.gpo_approval", "I.60", "working_days", 10, "Согласование акта с ГП", "десяти рабочих дней"),
    _limit("act.superior_review", "I.62", "working_days", 5, "Изучение акта вышестоящим прокурором",
           "пяти рабочих дней"),
    _limit("act.response_review", "I.63", "working_days", 5, "Изучение окончательного ответа",
           "пяти рабочих дней"),
    _limit("act.databank_entry", "I.67", "working_days", 3, "Внесение в банк данных", "трех рабочих дней"),
    # Rules — analysis and evaluation of acts
    _limit("analysis.duration", "R.16", "calendar_days", 30, "Срок анализа", "тридцати календарных дней"),
    _limit("analysis.max_extension", "R.16", "calendar_days", 30, "Продление анализа",
           "не более чем на тридцать календарных дней"),
    _limit("analysis.info_request", "R.13", "calendar_days", 15, "Исполнение запроса",
           "пятнадцати календарных дней"),
    _limit("analysis.certificate_objection", "R.18", "working_days", 5, "Возражения к справке анализа",
           "пяти рабочих дней"),
    _limit("evaluation.act_provision", "R.25", "calendar_days", 15, "Представление актов",
           "пятнадцати календарных дней"),
]

LIMITS: dict[str, Limit] = {item.id: item for item in _ALL}


def limit(limit_id: str, at: date) -> int:
    """The value of a time limit in force at `at`."""
    return LIMITS[limit_id].at(at)


Case = Literal["nom", "gen"]

#: Unit → (one, few, many) in the nominative (accusative: «за пять рабочих дней»), and
#: (one, many) in the genitive («в течение пяти рабочих дней»: 1 → «рабочего дня», else «дней»).
_WORDS: dict[str, tuple[tuple[str, str, str], tuple[str, str]]] = {
    "calendar_days": (("календарный день", "календарных дня", "календарных дней"),
                      ("календарного дня", "календарных дней")),
    "working_days": (("рабочий день", "рабочих дня", "рабочих дней"), ("рабочего дня", "рабочих дней")),
    "months": (("месяц", "месяца", "месяцев"), ("месяца", "месяцев")),
    "hours": (("час", "часа", "часов"), ("часа", "часов")),
}


def plural(n: int, unit: Unit, case: Case = "nom") -> str:
    """«3 рабочих дня», «5 рабочих дней», «1 месяц»; `case="gen"`: «3 рабочих дней», «1 месяца»."""
    if unit == "day_of_month":
        return f"{n}-го числа"
    nominative, genitive = _WORDS[unit]
    if case == "gen":
        return f"{n} {genitive[0] if n % 10 == 1 and n % 100 != 11 else genitive[1]}"
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {nominative[0]}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {nominative[1]}"
    return f"{n} {nominative[2]}"


def term(limit_id: str, at: date, case: Case = "nom") -> str:
    """A time limit in words from its value and unit at `at`: `term("check.order_notice", d)` →
    «3 рабочих дня». Explanations take their numbers from here, never from a second copy."""
    found = LIMITS[limit_id]
    return plural(found.at(at), found.unit, case)
