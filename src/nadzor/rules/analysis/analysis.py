"""Rules, chapter 2: analysis of the state of legality (R.3–R.23), with the periodic reports
of the Instruction that the same calendar governs (I.46, I.64, I.70)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import k1_calendar_days, k2_working_days_after, k6_last_day, k7_fixed_date
from nadzor.rules.base import (
    Decision,
    DueImmediateOut,
    DueOut,
    Flag,
    Input,
    LegalDate,
    OptDays,
    OptFlag,
    OptList,
    Output,
    Signer,
    cite,
    ru_date,
    rule,
    signer_rule,
)
from nadzor.rules.instruction.checks import ProtectedInterest
from nadzor.rules.limits import limit, term

#: R.11: who agrees the rapport that initiates an analysis.
RAPPORT_APPROVERS = ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor",
                     "deputy_regional_prosecutor", "district_prosecutor")
signer_rule(
    "analysis.rapport_approver",
    "Утверждение рапорта о проведении анализа",
    ("R.11",),
    RAPPORT_APPROVERS,
    "утверждать рапорт о проведении анализа",
)


class AnalysisLastDayInput(Input):
    start: LegalDate
    extension_days: OptDays = 0


class LastDayOut(Output):
    last_day: date


def last_day_of(start: date, extension_days: int = 0) -> date:
    """R.16 (K6): the last day of an analysis started on `start` and extended by `extension_days`."""
    last = k6_last_day(start, limit("analysis.duration", start), extension_days).last_day
    assert last is not None
    return last


@rule("analysis.last_day", "Последний день анализа", ("R.16",), output=LastDayOut, convention="K6")
def analysis_last_day(inp: AnalysisLastDayInput, cal: WorkingCalendar) -> Decision:
    """R.16: an analysis lasts 30 calendar days, extended by at most 30 with the superior's
    consent (K6: the start day is day 1, no move off non-working days)."""
    last = last_day_of(inp.start, inp.extension_days)
    return Decision({"last_day": last.isoformat()},
                    f"Последний день анализа — {ru_date(last)}: {term('analysis.duration', inp.start)} "
                    f"с {ru_date(inp.start)}, "
                    f"продление {inp.extension_days} дн. ({cite('R.16')}).")


class InfoRequestDueInput(Input):
    delivered: LegalDate
    urgent: Flag = False


def info_reply_due(cal: WorkingCalendar, delivered: date, urgent: bool) -> date:
    """R.13: the day information is due — 15 calendar days from the request's delivery (K1), or
    that very day when urgent («незамедлительно»)."""
    if urgent:
        return delivered
    return k1_calendar_days(cal, delivered, limit("analysis.info_request", delivered))


@rule("analysis.info_request_due", "Срок исполнения запроса прокурора о предоставлении информации", ("R.13",),
      output=DueImmediateOut, convention="K1")
def info_request_due(inp: InfoRequestDueInput, cal: WorkingCalendar) -> Decision:
    """R.13: information is provided within 15 calendar days of the request reaching the
    addressee (K1), or immediately when urgent."""
    due = info_reply_due(cal, inp.delivered, inp.urgent)
    if inp.urgent:
        return Decision({"due": due.isoformat(), "immediate": True},
                        f"Срочный запрос исполняется незамедлительно — {ru_date(due)} ({cite('R.13')}).")
    return Decision({"due": due.isoformat(), "immediate": False},
                    f"Информация предоставляется не позднее {ru_date(due)} — "
                    f"{term('analysis.info_request', inp.delivered)} ({cite('R.13')}).")


class InfoRequestAllowedInput(Input):
    requester_level: Literal["gpo", "regional", "district"]
    addressee: Literal["state_body", "quasi_state", "private_business"]
    protected_interest: OptList[ProtectedInterest] = []
    legal_basis: OptFlag = False
    state_interest: OptFlag = False


class AllowedOnlyOut(Output):
    allowed: bool


def info_request_permitted(requester_level: str, addressee: str, protected_interest: Sequence[str],
                           legal_basis: bool, state_interest: bool) -> bool:
    """R.13–14: whether an office of `requester_level` may request information from `addressee`."""
    if addressee == "state_body":
        return True
    if addressee == "quasi_state":
        return requester_level == "gpo" or bool(protected_interest)
    return legal_basis or state_interest


@rule("analysis.info_request_allowed", "Допустимость запроса информации при анализе", ("R.13", "R.14"),
      output=AllowedOnlyOut)
def info_request_allowed(inp: InfoRequestAllowedInput, cal: WorkingCalendar) -> Decision:
    """R.13–14: state bodies — always; the quasi-state sector — by the GPO, or by a regional or
    district office only to protect the interests of I.8; private business — only on a legal
    basis or to protect the state's interests."""
    ok = info_request_permitted(inp.requester_level, inp.addressee, inp.protected_interest, inp.legal_basis,
                                inp.state_interest)
    if inp.addressee == "state_body":
        why = "информация запрашивается у государственных органов"
    elif inp.addressee == "quasi_state":
        why = "запрос в субъекты квазигосударственного сектора нижестоящими прокуратурами — только для защиты " \
              "прав лиц, указанных в п. 8 Инструкции"
    else:
        why = "запрос к субъектам частного предпринимательства — только при наличии законных оснований " \
              "либо для защиты интересов государства"
    return Decision({"allowed": ok}, f"Запрос {'допустим' if ok else 'недопустим'}: {why} ({cite('R.13', 'R.14')}).")


class DeliveredInput(Input):
    delivered: LegalDate


def certificate_objection_until(cal: WorkingCalendar, delivered: date) -> date:
    """R.18 (K2): the last day for objections to the certificate delivered on `delivered`."""
    return k2_working_days_after(cal, delivered, limit("analysis.certificate_objection", delivered))


@rule("analysis.certificate_objection_due", "Срок возражений к справке по результатам анализа", ("R.18",),
      output=DueOut, convention="K2")
def certificate_objection_due(inp: DeliveredInput, cal: WorkingCalendar) -> Decision:
    """R.18: objections to the analysis certificate within 5 working days of its delivery (K2)."""
    due = certificate_objection_until(cal, inp.delivered)
    return Decision({"due": due.isoformat()},
                    f"Возражения к справке представляются не позднее {ru_date(due)} — "
                    f"{term('analysis.certificate_objection', inp.delivered)} со дня вручения ({cite('R.18')}).")


_STATE_BODY_REQUIREMENT = ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head",
                           "regional_prosecutor", "deputy_regional_prosecutor", "district_prosecutor")
_BUSINESS_REQUIREMENT = ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor")


def requirement_authority(target: str, position: str, concrete_harm_fact: bool) -> tuple[bool, list[str]]:
    """R.21–22: whether a signer of effective `position` may send a requirement to check a state body
    or a business (only on a concrete fact of harm), and whom the requirement notifies."""
    notify: list[str] = []
    if target == "state_body":
        ok = position in _STATE_BODY_REQUIREMENT
        if ok and position == "district_prosecutor":
            notify = ["regional_office", "main_military", "main_transport"]
    else:
        ok = position in _BUSINESS_REQUIREMENT and concrete_harm_fact
        if ok and position == "regional_prosecutor":
            notify = ["gpo"]
    return ok, notify


class RequirementSignerInput(Input):
    target: Literal["state_body", "business"]
    signer: Signer
    concrete_harm_fact: OptFlag = False


class RequirementSignerOut(Output):
    allowed: bool
    notify: list[Literal["regional_office", "main_military", "main_transport", "gpo"]]


@rule("analysis.requirement_signer", "Требование о проведении проверки", ("R.21", "R.22"),
      output=RequirementSignerOut)
def requirement_signer(inp: RequirementSignerInput, cal: WorkingCalendar) -> Decision:
    """R.21–22: who requires a check of a state body (a district prosecutor notifying the
    regional, Main Military and Main Transport offices) or of a business (only on a concrete
    fact of harm; a regional prosecutor notifying the GPO)."""
    ok, notify = requirement_authority(inp.target, inp.signer.effective, inp.concrete_harm_fact)
    where = cite("R.21") if inp.target == "state_body" else cite("R.22")
    who = inp.signer.describe()
    target = "государственного органа" if inp.target == "state_body" else "субъекта предпринимательства"
    text = f"{who[0].upper()}{who[1:]} {'вправе' if ok else 'не вправе'} направить требование о проведении " \
           f"проверки {target}"
    if inp.target == "business" and not inp.concrete_harm_fact:
        text += " (нет конкретного факта причинения вреда)"
    if notify:
        text += f"; уведомляются: {', '.join(notify)}"
    return Decision({"allowed": ok, "notify": notify}, f"{text} ({where}).")


# ------------------------------------------------------------------ periodic reports (K7)

_QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))
_HALVES = ((1, 6), (7, 12))
_Plan = tuple[str, str, tuple[tuple[int, int], ...], str]
# (code, citation, periods, due rule): due rule "next:N" — the N-th of the month after the period;
# "last:N" — the N-th of the period's last month; "fixed" — 25 June / 25 December.
_TERRITORIAL: tuple[_Plan, ...] = (
    ("R5.entrepreneurs", "R.5", _QUARTERS, "next:5"),
    ("R6.budget", "R.6", _HALVES, "next:5"),
    ("R6.procurement", "R.6", _HALVES, "next:5"),
    ("R6.tax", "R.6", _HALVES, "next:5"),
    ("R6.environment", "R.6", _HALVES, "next:5"),
    ("R7.adoption", "R.7", _QUARTERS, "last:30"),
    ("R7.behaviour", "R.7", _QUARTERS, "last:30"),
    ("R7.disabilities", "R.7", _QUARTERS, "last:30"),
    ("I46.admin_termination", "I.46", _HALVES, "next:15"),
    ("I64.invalidated_acts", "I.64", _QUARTERS, "next:5"),
    ("I70.region_passport", "I.70", _HALVES, "next:7"),
)
_PLANS: dict[str, tuple[_Plan, ...]] = {
    "territorial": _TERRITORIAL,
    "military": tuple((f"R8.{i}", "R.8", _HALVES, "fixed") for i in range(1, 11)),
    "transport": tuple((f"R9.{i}", "R.9", _HALVES, "fixed") for i in range(1, 5)),
}


def _natural(code: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|\D+", code))


def _period_end(year: int, month: int) -> date:
    return k7_fixed_date(year, month + 1, 1) - timedelta(days=1)


def _report_due(year: int, first_month: int, last_month: int, how: str) -> date:
    if how == "fixed":
        return date(year, 6 if last_month == 6 else 12, 25)
    kind, day = how.split(":")
    return k7_fixed_date(year, last_month + 1 if kind == "next" else last_month, int(day))


class PeriodicObligationsInput(Input):
    office_kind: Literal["territorial", "military", "transport"]
    year: int = Field(ge=2018, strict=True)

    @field_validator("year")
    @classmethod
    def _covered(cls, year: int, info: ValidationInfo) -> int:
        """A year the calendar covers: through the year after the current one (RULES.md), so the
        bound moves with the clock instead of being written here."""
        cal = (info.context or {}).get("calendar")
        if cal is not None and year > cal.coverage_end.year:
            raise ValueError(f"значение должно быть не больше {cal.coverage_end.year}")
        return year


class Obligation(Output):
    code: str
    citation: str
    period_start: date
    period_end: date
    report_due: date


class ObligationsOut(Output):
    obligations: list[Obligation]


@rule("analysis.periodic_obligations", "Периодическая отчётность по результатам анализа",
      ("R.5", "R.6", "R.7", "R.8", "R.9", "I.46", "I.64", "I.70"), output=ObligationsOut, convention="K7")
def periodic_obligations(inp: PeriodicObligationsInput, cal: WorkingCalendar) -> Decision:
    """R.5–9, I.46, I.64, I.70: the reports due to a higher office for every reporting period of
    the year, on fixed calendar dates never moved (K7)."""
    rows = []
    for code, citation, periods, how in _PLANS[inp.office_kind]:
        for first, last in periods:
            due = _report_due(inp.year, first, last, how)
            rows.append((due, _natural(code), {
                "code": code,
                "citation": citation,
                "period_start": date(inp.year, first, 1).isoformat(),
                "period_end": _period_end(inp.year, last).isoformat(),
                "report_due": due.isoformat(),
            }))
    rows.sort(key=lambda r: (r[0], r[1]))
    return Decision({"obligations": [r[2] for r in rows]},
                    f"Отчётность за {inp.year} год: {len(rows)} донесений в вышестоящую прокуратуру "
                    f"({cite(*sorted({r[2]['citation'] for r in rows}, key=_natural))}).")
