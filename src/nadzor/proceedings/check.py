"""Kind `check` (PROCEEDINGS.md; Instruction chapter 2, I.6–I.25): a check from its opening — or the
petition to the Prosecutor General for a business — to its closure.

The transition table is `STEPS` below: each row is a step type with its fields, the statuses it may
be attempted in, its citations and its effect. Signer lists, admissibility, suspension grounds and
time limits are those of the rules (`nadzor.rules.instruction.checks`, `nadzor.rules.limits`);
counting is `nadzor.domain.terms` (K1–K3, K6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import k1_calendar_days, k2_working_days_after, k3_working_days_before
from nadzor.proceedings.fields import Bad, Field, StepSigner, a_date, code, codes, flag, integer, signer, step_ref, text
from nadzor.proceedings.kernel import ISO, Deadline, Kind, State, Step, StepType, earlier_step, refuse, register
from nadzor.rules.base import Message
from nadzor.rules.instruction.checks import (
    BUSINESS_PETITION_SIGNERS,
    EXTENSION_SIGNERS,
    RESOLUTION_SIGNERS,
    SUSPENSION_UNTIL,
    admissibility_requires,
)
from nadzor.rules.limits import limit

STATUSES = {
    "awaiting_gp_petition": "ожидает ходатайства Генеральному Прокурору",
    "gp_petition_pending": "ходатайство на рассмотрении Генерального Прокурора",
    "petition_denied": "в назначении проверки отказано",
    "admissible": "проверка допустима",
    "resolution_signed": "постановление подписано",
    "registered": "постановление зарегистрировано",
    "in_progress": "проверка проводится",
    "suspended": "проверка приостановлена",
    "ended": "проверка окончена",
    "certificate_delivered": "справка вручена",
    "closed": "производство завершено",
}
FINAL = frozenset({"petition_denied", "closed"})

SUBJECT_KINDS = ("state_body", "business", "other_organization")
BASES = ("president_instruction", "gp_instruction", "protect_rights", "admin_offence_proceedings", "admin_arrest")
PROTECTED_INTERESTS = ("vulnerable_persons", "indefinite_circle", "irreversible_consequences")
EXCEPTIONS = ("law_enforcement_supervision", "conflict_of_interest", "complaint_against_control_body")
REGIMES = ("general", "enforcement", "admin_offence")
ADDRESSEES = ("regional_prosecutor", "prosecutor_general")
RECIPIENTS = ("legal_statistics_body", "subject")
DECISIONS = ("act", "meeting", "info_letter", "erdr_transfer", "kui_registration", "lawsuit")
NOTICE_OPENERS = ("suspended", "resumed", "extended", "composition_changed")
#: I.14, I.11: checks of administrative-offence proceedings and arrests need no registration.
SPECIAL_REGIME_BASES = frozenset({"admin_offence_proceedings", "admin_arrest"})
#: I.16: which addressees each office level may petition for an extension.
PETITION_ADDRESSEES = {"district": ("regional_prosecutor",), "gpo": ("prosecutor_general",),
                       "regional": ("regional_prosecutor", "prosecutor_general")}
_ADDRESSEE_RU = {"regional_prosecutor": "прокурору области", "prosecutor_general": "Генеральному Прокурору"}
_RESOLUTION_SIGNERS = frozenset(RESOLUTION_SIGNERS)
_BUSINESS_PETITION_SIGNERS = frozenset(BUSINESS_PETITION_SIGNERS)


@dataclass(slots=True)
class CheckState(State):
    regime: str = "general"
    petition_received: int | None = None  # index of `gp_petition_received`
    petition_received_on: date | None = None
    resolution_signer: str | None = None  # the effective position of the resolution's signer
    term_start: date | None = None
    term_end: date | None = None
    start: date | None = None
    start_step: int | None = None
    extension_days: int = 0
    paused_days: int = 0
    suspended_since: date | None = None
    petition_with: str | None = None  # the addressee a pending extension petition is with
    objections_until: date | None = None
    petition_latest: date | None = None
    decisions: list[str] = field(default_factory=list)
    notified: dict[int, set[str]] = field(default_factory=dict)

    @property
    def last_day(self) -> date | None:
        """The resolution's end + extension + paused days (K6); null before the start and while
        suspended (I.16, I.17)."""
        if self.start is None or self.suspended_since is not None or self.term_end is None:
            return None
        days = self.extension_days + self.paused_days
        return self.term_end + (_DAYS[days] if 0 <= days < len(_DAYS) else timedelta(days=days))


#: `_DAYS[n]` is `timedelta(days=n)` for the days a check's term is moved by (made once).
_DAYS = tuple(timedelta(days=n) for n in range(400))


def _new(office_level: str) -> CheckState:
    return CheckState(office_level=office_level)


def _signer_in(who: StepSigner, allowed: frozenset[str] | tuple[str, ...], citations: tuple[str, ...],
               what: str) -> None:
    if who.effective not in allowed:
        raise refuse("signer_not_allowed", citations, Message("Подписавший не вправе %(what)s", what=Message(what)))


def _signer_is(who: StepSigner, position: str, citations: tuple[str, ...], what: str) -> None:
    _signer_in(who, (position,), citations, what)


def _order_notice(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    """I.18: the resolution is notified to the legal statistics body and the subject within 3
    working days (K2)."""
    due = k2_working_days_after(cal, step.date, limit("check.order_notice", step.date))
    state.book.add("order_notice", due, step.index, ("I.18",))
    state.notified[step.index] = set()


def _petition_due(cal: WorkingCalendar, last_day: date, addressee: str) -> date:
    """I.16 (K3): 5 working days before the end to the Prosecutor General, 7 to the regional one."""
    key = "check.extension_petition_to_gp" if addressee == "prosecutor_general" else \
        "check.extension_petition_to_regional"
    return k3_working_days_before(cal, last_day, limit(key, last_day))


# ------------------------------------------------------------------------------ the steps


def _opened(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    """I.7–I.12: who may be checked on what basis; a business only after a petition (I.10)."""
    f = step.f
    requires = admissibility_requires(f["subject_kind"], f["basis"], f["protected_interest"],
                                      f["control_body_failed"], f["exceptions"])
    if requires == ["gp_petition"]:
        status = "awaiting_gp_petition"
    elif requires:
        raise refuse("inadmissible", ("I.7", "I.8", "I.9", "I.10"),
                     Message("Проверка недопустима: не выполнены условия %(conditions)s",
                             conditions=", ".join(requires)))
    else:
        status = "admissible"
    state.regime = f["regime"] or "general"
    state.status = status


def _opened_input(step: Step, prior: list[Step], office_level: str) -> None:
    regime = step.f["regime"]
    if regime not in (None, "general") and step.f["basis"] not in SPECIAL_REGIME_BASES:
        raise Bad(f"steps.{step.index}.regime", "особый порядок (enforcement, admin_offence) возможен только при "
                                                "основании admin_offence_proceedings или admin_arrest (пп. 11, 14 "
                                                "Инструкции)")


def _gp_petition_sent(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_in(step.f["signer"], _BUSINESS_PETITION_SIGNERS, ("I.10",),
               "подписывать ходатайство Генеральному Прокурору о проверке субъекта предпринимательства")
    state.status = "gp_petition_pending"


def _gp_petition_received(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    due = k2_working_days_after(cal, step.date, limit("check.business_petition_review", step.date))
    state.book.add("gp_petition_review", due, step.index, ("I.10",))
    state.petition_received, state.petition_received_on = step.index, step.date


def _gp_info_requested(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    received, on = state.petition_received, state.petition_received_on
    assert received is not None and on is not None
    due = k1_calendar_days(cal, on, limit("check.business_petition_review_extra_info", on))
    if state.book.has("gp_petition_review", received):
        state.book.add("gp_petition_review", due, received, ("I.10",))


def _gp_instruction(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_is(step.f["signer"], "prosecutor_general", ("I.10",),
               "давать поручение о проверке субъекта предпринимательства: это Генеральный Прокурор либо лицо, "
               "его замещающее")
    assert state.petition_received is not None
    state.book.close("gp_petition_review", state.petition_received, step)
    state.status = "admissible" if step.f["granted"] else "petition_denied"


def _resolution_signed(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    who: StepSigner = step.f["signer"]
    _signer_in(who, _RESOLUTION_SIGNERS, ("I.13",), "выносить постановление о производстве проверки")
    start, end = step.f["start_date"], step.f["end_date"]
    days = limit("check.duration", start)
    if end > start + timedelta(days=days - 1):
        raise refuse("term_too_long", ("I.16",),
                     Message("Срок проверки превышает %(days)s календарных дней", days=days))
    state.resolution_signer, state.term_start, state.term_end = who.effective, start, end
    state.status = "resolution_signed"


def _resolution_input(step: Step, prior: list[Step], office_level: str) -> None:
    path = f"steps.{step.index}"
    if step.f["start_date"] < step.date:
        raise Bad(f"{path}.start_date", "начало проверки не может быть раньше даты постановления")
    if step.f["end_date"] < step.f["start_date"]:
        raise Bad(f"{path}.end_date", "окончание проверки не может быть раньше её начала")


def _registered(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    state.status = "registered"


def _started(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    if state.status == "resolution_signed" and state.regime == "general":
        raise refuse("not_registered", ("I.14",), "Проверка не может начаться до регистрации постановления "
                                                  "в органе правовой статистики")
    assert state.term_start is not None and state.term_end is not None
    if not state.term_start <= step.date <= state.term_end:
        raise refuse("outside_resolution_term", ("I.13",), "Проверка начинается в срок, указанный в постановлении")
    state.start, state.start_step = step.date, step.index
    state.status = "in_progress"


def _delivered(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    """I.14: the resolution is handed to the subject at the start."""


def _after_last_day(state: CheckState, step: Step, what: str) -> None:
    last = state.last_day
    if last is not None and step.date > last:
        raise refuse("term_expired", ("I.16",), Message("%(what)s после истечения срока проверки (%(date)s)",
                                                        what=Message(what), date=last.strftime("%d.%m.%Y")))


def _suspended(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_in(step.f["signer"], _RESOLUTION_SIGNERS, ("I.13", "I.17"), "выносить постановления по проверке")
    _after_last_day(state, step, "Проверка не может быть приостановлена")
    if step.f["ground"] not in SUSPENSION_UNTIL:
        raise refuse("ground_not_allowed", ("I.17",), "Такое основание приостановления проверки не предусмотрено")
    state.suspended_since = step.date
    state.status = "suspended"
    _order_notice(state, step, cal)


def _resumed(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_in(step.f["signer"], _RESOLUTION_SIGNERS, ("I.13", "I.17"), "выносить постановления по проверке")
    assert state.suspended_since is not None
    state.paused_days += (step.date - state.suspended_since).days
    state.suspended_since = None
    state.status = "in_progress"
    _order_notice(state, step, cal)


def _resumed_input(step: Step, prior: list[Step], office_level: str) -> None:
    latest = next((s for s in reversed(prior) if s.type == "suspended"), None)
    if latest is not None and step.date <= latest.date:
        raise Bad(f"steps.{step.index}.date", "возобновление датируется позже приостановления")


def _max_extension(state: CheckState) -> int:
    return limit("check.max_extension", state.start or date.min)


def _extension_petitioned(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    addressee = step.f["addressee"]
    if state.extension_days >= _max_extension(state):
        raise refuse("extension_exceeded", ("I.16",), "Проверка уже продлена на предельный срок")
    if addressee not in PETITION_ADDRESSEES[state.office_level]:
        raise refuse("wrong_addressee", ("I.16",),
                     Message("Прокуратура этого уровня не вносит ходатайство о продлении %(addressee)s",
                             addressee=Message(_ADDRESSEE_RU[addressee])))
    _signer_in(step.f["signer"], EXTENSION_SIGNERS[addressee], ("I.16",),
               f"подписывать ходатайство о продлении проверки {_ADDRESSEE_RU[addressee]}")
    last = state.last_day
    assert last is not None
    due = _petition_due(cal, last, addressee)
    if step.date > due:
        state.book.mark_late(step, "extension_petition", due)
    state.petition_with = addressee


def _extension_forwarded(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_is(step.f["signer"], "regional_prosecutor", ("I.16",),
               "вносить ходатайство о продлении Генеральному Прокурору: это прокурор области")
    last = state.last_day
    assert last is not None
    due = _petition_due(cal, last, "prosecutor_general")
    if step.date > due:
        state.book.mark_late(step, "extension_petition", due)
    state.petition_with = "prosecutor_general"


def _extension_rejected(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    assert state.petition_with is not None
    _signer_is(step.f["signer"], state.petition_with, ("I.16",),
               f"отказать в продлении: ходатайство адресовано {_ADDRESSEE_RU[state.petition_with]}")
    state.petition_with = None


def _extended(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    _signer_is(step.f["signer"], "prosecutor_general", ("I.16",),
               "продлевать проверку: это Генеральный Прокурор либо лицо, его замещающее")
    _after_last_day(state, step, "Проверка не может быть продлена")
    most = _max_extension(state)
    if state.extension_days + step.f["days"] > most:
        raise refuse("extension_exceeded", ("I.16",), Message("Проверка продлевается не более чем на %(days)s "
                                                              "календарных дней в общей сложности", days=most))
    state.extension_days += step.f["days"]
    state.petition_with = None
    _order_notice(state, step, cal)


def _composition_changed(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    assert state.resolution_signer is not None
    _signer_is(step.f["signer"], state.resolution_signer, ("I.15",),
               "изменять состав проверяющих: это прокурор, назначивший проверку, либо лицо, его замещающее")
    _order_notice(state, step, cal)


def _notice_sent(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    named = step.f["step"]
    notice = state.book.open.get(("order_notice", named))
    if notice is None:
        raise refuse("step_not_allowed", ("I.18",), Message("Уведомление о постановлении (шаг %(step)s) уже направлено",
                                                            step=named))
    if notice.due is not None and step.date > notice.due:
        state.book.mark_late(step, "order_notice", notice.due)
    reached = state.notified[named]
    reached.update(step.f["recipients"])
    if reached.issuperset(RECIPIENTS):
        del state.book.open[("order_notice", named)]


def _notice_input(step: Step, prior: list[Step], office_level: str) -> None:
    earlier_step(step, prior, NOTICE_OPENERS, "постановление о приостановлении, возобновлении, продлении "
                                              "или изменении состава")


def _ended(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    last = state.last_day
    if last is not None and step.date > last:
        state.book.mark_late(step, "check_end", last)
    state.petition_with = None
    state.status = "ended"
    due = k2_working_days_after(cal, step.date, limit("check.certificate_delivery", step.date))
    state.book.add("certificate_delivery", due, step.index, ("I.23",))


def _certificate_delivered(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all("certificate_delivery", step)
    state.objections_until = k2_working_days_after(cal, step.date, limit("check.certificate_objection", step.date))
    state.status = "certificate_delivered"


def _objection_received(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    until = state.objections_until
    if until is not None and step.date > until:
        state.book.mark_late(step, "certificate_objection", until)


def _decision(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    if step.f["decision"] == "lawsuit" and not step.f["protected_interest"]:
        raise refuse("lawsuit_not_allowed", ("I.25",), "Иск предъявляется только для защиты лиц, указанных в п. 8 "
                                                       "Инструкции; лицу разъясняется право обратиться в суд")
    state.decisions.append(step.f["decision"])


def _closed(state: CheckState, step: Step, cal: WorkingCalendar) -> None:
    if state.book.has("order_notice"):
        raise refuse("open_deadlines", ("I.18",), "Не направлены уведомления о постановлениях по проверке")
    state.status = "closed"


def _once(step_type: str) -> Any:
    return lambda state: not state.seen(step_type)


_SIGNER = {"signer": signer()}
_FROM_IN_PROGRESS = frozenset({"in_progress", "suspended", "ended", "certificate_delivered"})


def _row(name: str, label: str, fields: dict[str, Field], allowed_in: tuple[str, ...] | frozenset[str] | None,
         citations: tuple[str, ...], apply: Any, **options: Any) -> StepType:
    return StepType(name, label, fields, None if allowed_in is None else frozenset(allowed_in), citations, apply,
                    **options)


STEPS: dict[str, StepType] = {t.name: t for t in (
    _row("opened", "Начало производства", {
        "subject_kind": code(SUBJECT_KINDS), "basis": code(BASES),
        "protected_interest": codes(PROTECTED_INTERESTS, nullable=True),
        "control_body_failed": flag(nullable=True), "exceptions": codes(EXCEPTIONS, nullable=True),
        "regime": code(REGIMES, optional=True)},
        None, ("I.6", "I.7", "I.8", "I.9", "I.10", "I.11", "I.12"), _opened, cross_check=_opened_input),
    _row("gp_petition_sent", "Ходатайство Генеральному Прокурору", _SIGNER, ("awaiting_gp_petition",), ("I.10",),
         _gp_petition_sent),
    _row("gp_petition_received", "Ходатайство поступило в Генеральную прокуратуру", {}, ("gp_petition_pending",),
         ("I.10",), _gp_petition_received, condition=_once("gp_petition_received")),
    _row("gp_info_requested", "Истребована дополнительная информация", {}, ("gp_petition_pending",), ("I.10",),
         _gp_info_requested,
         condition=lambda s: s.petition_received is not None and not s.seen("gp_info_requested")),
    _row("gp_instruction", "Поручение Генерального Прокурора", {"signer": signer(), "granted": flag()},
         ("gp_petition_pending",), ("I.10",), _gp_instruction, condition=lambda s: s.petition_received is not None),
    _row("resolution_signed", "Постановление о производстве проверки",
         {"signer": signer(), "start_date": a_date(), "end_date": a_date()}, ("admissible",), ("I.13", "I.16"),
         _resolution_signed, cross_check=_resolution_input),
    _row("registered", "Регистрация в органе правовой статистики", {"number": text()}, ("resolution_signed",),
         ("I.14",), _registered),
    _row("started", "Начало проверки", {}, ("registered", "resolution_signed"), ("I.13", "I.14"), _started),
    _row("delivered", "Вручение постановления субъекту", {"acknowledged": flag()}, ("in_progress",), ("I.14",),
         _delivered, condition=_once("delivered")),
    _row("suspended", "Приостановление проверки", {"signer": signer(), "ground": text(nonempty=False, max_length=None)},
         ("in_progress",), ("I.17", "I.18"), _suspended),
    _row("resumed", "Возобновление проверки", _SIGNER, ("suspended",), ("I.17", "I.18"), _resumed,
         cross_check=_resumed_input),
    _row("extension_petitioned", "Ходатайство о продлении", {"signer": signer(), "addressee": code(ADDRESSEES)},
         ("in_progress",), ("I.16",), _extension_petitioned, condition=lambda s: s.petition_with is None),
    _row("extension_forwarded", "Ходатайство направлено Генеральному Прокурору", _SIGNER, ("in_progress",),
         ("I.16",), _extension_forwarded, condition=lambda s: s.petition_with == "regional_prosecutor"),
    _row("extension_rejected", "Отказ в продлении", _SIGNER, ("in_progress",), ("I.16",), _extension_rejected,
         condition=lambda s: s.petition_with is not None),
    _row("extended", "Продление проверки", {"signer": signer(), "days": integer(1, 30)}, ("in_progress",),
         ("I.16", "I.18"), _extended, condition=lambda s: s.petition_with == "prosecutor_general"),
    _row("composition_changed", "Изменение состава проверяющих", _SIGNER, ("in_progress", "suspended"),
         ("I.15", "I.18"), _composition_changed),
    _row("notice_sent", "Уведомление о постановлении",
         {"step": step_ref(), "recipients": codes(RECIPIENTS, nonempty=True, distinct=True)}, _FROM_IN_PROGRESS,
         ("I.18",), _notice_sent, condition=lambda s: s.book.has("order_notice"), cross_check=_notice_input),
    _row("ended", "Окончание проверки", {}, ("in_progress",), ("I.16", "I.23"), _ended),
    _row("certificate_delivered", "Вручение справки", {"acknowledged": flag()}, ("ended",), ("I.23",),
         _certificate_delivered),
    _row("objection_received", "Возражения к справке", {}, ("certificate_delivered",), ("I.23",),
         _objection_received, condition=_once("objection_received")),
    _row("decision", "Решение по результатам проверки",
         {"decision": code(DECISIONS), "protected_interest": codes(PROTECTED_INTERESTS, nullable=True)},
         ("certificate_delivered",), ("I.24", "I.25"), _decision),
    _row("closed", "Завершение производства", {}, ("certificate_delivered",), ("I.24",), _closed,
         condition=lambda s: bool(s.decisions)),
)}


def _check_end(state: State) -> list[Deadline]:
    """`check_end` is due on the last day while the check runs (not listed while suspended)."""
    assert isinstance(state, CheckState)
    last = state.last_day
    if state.status != "in_progress" or last is None or state.start_step is None:
        return []
    return [Deadline("check_end", last, state.start_step, ("I.13", "I.16", "I.17"))]


def _finish(state: State, cal: WorkingCalendar) -> None:
    """I.16: the latest day for an extension petition, while one may still be made: 7 working days
    before the end where it goes to the regional prosecutor, else 5 (to the Prosecutor General)."""
    assert isinstance(state, CheckState)
    last = state.last_day
    if (state.status != "in_progress" or last is None or state.petition_with is not None
            or state.extension_days >= _max_extension(state)):
        return
    to_regional = state.office_level == "district" or (
        state.office_level == "regional" and state.resolution_signer != "regional_prosecutor")
    state.petition_latest = _petition_due(cal, last, "regional_prosecutor" if to_regional else "prosecutor_general")


def _output(state: State) -> dict[str, Any]:
    assert isinstance(state, CheckState)
    last, latest = state.last_day, state.petition_latest
    return {
        "start": ISO[state.start] if state.start else None,
        "last_day": ISO[last] if last else None,
        "extension_days": state.extension_days,
        "extension_petition_latest": ISO[latest] if latest else None,
        "objections_until": ISO[state.objections_until] if state.objections_until else None,
    }


KIND = register(Kind("check", "Проверка", "opened", STEPS, STATUSES, _new, _output, _check_end, _finish))
