"""Rules, chapter 3: evaluation of acts and decisions (R.24–R.32)."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import k1_calendar_days
from nadzor.rules.base import Decision, DueImmediateOut, Flag, Input, LegalDate, Output, Signer, cite, ru_date, rule
from nadzor.rules.limits import limit, term

Context = Literal["analysis", "complaint", "regional_instruction", "district_instruction", "urgent",
                  "president_instruction", "gp_instruction", "deputy_gp_instruction", "check"]
#: Why the evaluation is made (R.25): the codes of `evaluation.act_provision_due`.
CONTEXTS: tuple[str, ...] = get_args(Context)
_WITHIN_TERM = ("analysis", "complaint", "regional_instruction", "district_instruction")


def provision_due(cal: WorkingCalendar, requested: date, context: str) -> tuple[date, bool]:
    """R.25 (K1): `(due, immediate)` — 15 calendar days from the request for an analysis, a complaint
    or an instruction of a regional or district prosecutor; otherwise immediately (the request's date)."""
    if context in _WITHIN_TERM:
        return k1_calendar_days(cal, requested, limit("evaluation.act_provision", requested)), False
    return requested, True


class ActProvisionInput(Input):
    requested: LegalDate
    context: Context


@rule("evaluation.act_provision_due", "Срок представления актов и решений для оценки", ("R.25",),
      output=DueImmediateOut, convention="K1")
def act_provision_due(inp: ActProvisionInput, cal: WorkingCalendar) -> Decision:
    """R.25: acts are provided within 15 calendar days for an analysis, a complaint or an
    instruction of a regional or district prosecutor (K1); immediately when urgent, on an
    instruction of the President, the Prosecutor General or a deputy, or during a check."""
    due, immediate = provision_due(cal, inp.requested, inp.context)
    if not immediate:
        return Decision({"due": due.isoformat(), "immediate": False},
                        f"Акты представляются не позднее {ru_date(due)} — "
                        f"{term('evaluation.act_provision', inp.requested)} ({cite('R.25')}).")
    return Decision({"due": due.isoformat(), "immediate": True},
                    f"Акты представляются незамедлительно — {ru_date(due)} ({cite('R.25')}).")


class SuspensionSignerInput(Input):
    signer: Signer
    irreversible_consequences: Flag = False
    normative_act: Flag = False


class SuspensionSignerOut(Output):
    allowed: bool
    publish_immediately: bool


#: Who may suspend an act until the protest is decided (R.30).
SUSPENDERS: tuple[str, ...] = ("prosecutor_general", "deputy_prosecutor_general", "regional_prosecutor")


def may_suspend(effective_position: str, irreversible_consequences: bool, normative_act: bool) -> tuple[bool, bool]:
    """R.30: `(allowed, publish_immediately)` — the Prosecutor General, a deputy or a regional
    prosecutor (or one acting for them) suspends an act only where it may cause irreversible
    consequences; the resolution suspending a normative act is published immediately."""
    allowed = effective_position in SUSPENDERS and irreversible_consequences
    return allowed, allowed and normative_act


@rule("evaluation.suspension_signer", "Приостановление действия акта", ("R.30",), output=SuspensionSignerOut)
def suspension_signer(inp: SuspensionSignerInput, cal: WorkingCalendar) -> Decision:
    """R.30: the Prosecutor General, a deputy, or a regional prosecutor suspends an act only
    where it may cause irreversible consequences; a suspended normative act is published at once."""
    ok, publish = may_suspend(inp.signer.effective, inp.irreversible_consequences, inp.normative_act)
    who = inp.signer.describe()
    text = f"{who[0].upper()}{who[1:]} {'вправе' if ok else 'не вправе'} приостановить действие акта"
    if not inp.irreversible_consequences:
        text += " (нет угрозы необратимых последствий)"
    if publish:
        text += "; решение о приостановлении нормативного правового акта подлежит незамедлительному опубликованию"
    return Decision({"allowed": ok, "publish_immediately": publish}, f"{text} ({cite('R.30')}).")
