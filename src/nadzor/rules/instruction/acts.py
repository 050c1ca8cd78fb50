"""Instruction, chapter 4: acts of supervision and response, their control (I.58–I.71)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import k2_working_days_after
from nadzor.rules.base import Decision, DueOut, Flag, Input, LegalDate, Output, cite, ru_date, rule
from nadzor.rules.limits import limit, term


class ViaGpoInput(Input):
    issuer: Literal["gpo", "regional_prosecutor", "main_military", "main_transport"]
    addressee_central_body: Flag = False


class ViaGpoOut(Output):
    via_gpo: bool


def act_via_gpo(issuer: str, addressee_central_body: bool) -> bool:
    """I.60: only a regional prosecutor's act to a central state body (or its department) goes
    through the GPO — not the Main Military or Main Transport prosecutor's, not the GPO's own."""
    return issuer == "regional_prosecutor" and addressee_central_body


@rule("act.via_gpo", "Внесение акта надзора через Генеральную прокуратуру", ("I.60",), output=ViaGpoOut)
def via_gpo(inp: ViaGpoInput, cal: WorkingCalendar) -> Decision:
    """I.60: a regional prosecutor's act addressed to a central state body or its department goes
    through the GPO; the Main Military and Main Transport prosecutors are excepted."""
    via = act_via_gpo(inp.issuer, inp.addressee_central_body)
    if via:
        text = "Акт в адрес центрального государственного органа (ведомства) вносится через Генеральную прокуратуру"
    else:
        text = "Согласование акта с Генеральной прокуратурой не требуется"
    return Decision({"via_gpo": via}, f"{text} ({cite('I.60')}).")


def working_days_due(limit_id: str, start: date, cal: WorkingCalendar) -> date:
    """K2: the dated limit `limit_id` (working days) counted from `start`: the due of I.60 (`act.gpo_approval`),
    I.62 (`act.superior_review`), I.63 (`act.response_review`) and I.67 (`act.databank_entry`)."""
    return k2_working_days_after(cal, start, limit(limit_id, start))


def _working_days_rule(limit_id: str, start: LegalDate, cal: WorkingCalendar, what: str, where: str) -> Decision:
    due = working_days_due(limit_id, start, cal)
    return Decision({"due": due.isoformat()},
                    f"{what} не позднее {ru_date(due)} — {term(limit_id, start)} ({cite(where)}).")


class ReceivedInput(Input):
    received: LegalDate


@rule("act.gpo_approval_due", "Срок согласования акта Генеральной прокуратурой", ("I.60",), output=DueOut,
      convention="K2")
def gpo_approval_due(inp: ReceivedInput, cal: WorkingCalendar) -> Decision:
    """I.60: the GPO approves such an act within 10 working days (K2)."""
    return _working_days_rule("act.gpo_approval", inp.received, cal,
                              "Генеральная прокуратура согласовывает акт", "I.60")


class IssuedInput(Input):
    issued: LegalDate


@rule("act.superior_review_due", "Срок проверки акта вышестоящим прокурором", ("I.62",), output=DueOut,
      convention="K2")
def superior_review_due(inp: IssuedInput, cal: WorkingCalendar) -> Decision:
    """I.62: the superior prosecutor checks a subordinate's act within 5 working days of it (K2)."""
    return _working_days_rule("act.superior_review", inp.issued, cal, "Вышестоящий прокурор проверяет акт", "I.62")


class ResponseInput(Input):
    final_response_received: LegalDate


@rule("act.response_review_due", "Срок изучения ответа на акт надзора", ("I.63",), output=DueOut, convention="K2")
def response_review_due(inp: ResponseInput, cal: WorkingCalendar) -> Decision:
    """I.63: the superior prosecutor studies the final response within 5 working days (K2)."""
    return _working_days_rule("act.response_review", inp.final_response_received, cal,
                              "Вышестоящий прокурор изучает окончательный ответ", "I.63")


class EventInput(Input):
    event_date: LegalDate


@rule("act.databank_entry_due", "Срок пополнения Банка данных Генеральной прокуратуры", ("I.67",), output=DueOut,
      convention="K2")
def databank_entry_due(inp: EventInput, cal: WorkingCalendar) -> Decision:
    """I.67: the GPO databank is filled within 3 working days of an act, a response or a
    requirement to check a business (K2)."""
    return _working_days_rule("act.databank_entry", inp.event_date, cal, "Сведения вносятся в Банк данных", "I.67")
