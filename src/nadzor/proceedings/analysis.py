"""Kind `analysis` (PROCEEDINGS.md; Rules chapter 2, R.3–R.23, and I.67): an analysis of the state of
legality, conducted without visiting the subjects (R.3), from its rapport or plan item to its decisions.

The transition table is `STEPS` below: each row is a step type with its fields, the statuses it may
be attempted in, its citations and its effect. Signer lists, the request conditions and time limits
are those of the rules (`nadzor.rules.analysis.analysis`, `nadzor.rules.instruction.checks`,
`nadzor.rules.instruction.acts`, `nadzor.rules.limits`); counting is `nadzor.domain.terms` (K1, K2, K6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings.fields import (
    MISSING,
    REQUIRED,
    Bad,
    Field,
    StepSigner,
    code,
    codes,
    flag,
    integer,
    signer,
    step_ref,
)
from nadzor.proceedings.kernel import ISO, Kind, State, Step, StepType, earlier_step, refuse, register
from nadzor.rules.analysis.analysis import (
    RAPPORT_APPROVERS,
    certificate_objection_until,
    info_reply_due,
    info_request_permitted,
    last_day_of,
    requirement_authority,
)
from nadzor.rules.base import Message
from nadzor.rules.instruction.acts import working_days_due
from nadzor.rules.instruction.checks import BUSINESS_PETITION_SIGNERS
from nadzor.rules.limits import ORDER_102, limit

STATUSES = {
    "in_progress": "анализ проводится",
    "ended": "анализ окончен, справка составлена",
    "closed": "производство завершено",
}

VIA = ("rapport", "plan")
#: R.10: what an analysis rests on.
BASES = ("monitoring", "information", "complaint", "president_instruction", "gp_instruction", "superior_instruction")
ADDRESSEES = ("state_body", "quasi_state", "private_business")
PROTECTED_INTERESTS = ("vulnerable_persons", "indefinite_circle", "irreversible_consequences")
#: R.19: the decisions an analysis leads to.
DECISIONS = ("act", "inform_bodies", "erdr_transfer", "special_prosecutors_transfer", "requirement", "own_check",
             "gp_petition", "kui_registration", "other")
TARGETS = ("state_body", "business")

#: R.11, last part: who approves the annual or quarterly plan an analysis may come from.
PLAN_APPROVERS = frozenset({"prosecutor_general", "deputy_prosecutor_general", "regional_prosecutor",
                            "deputy_regional_prosecutor"})
#: R.3: who leads a subject-crosscutting group conducting an analysis.
GROUP_LEADERS = frozenset({"gpo_unit_head", "regional_prosecutor", "district_prosecutor"})
#: R.16: the superior prosecutor who consents to an extension, by the office level conducting it.
EXTENSION_CONSENT = {
    "district": frozenset({"regional_prosecutor", "deputy_regional_prosecutor"}),
    "regional": frozenset({"prosecutor_general", "deputy_prosecutor_general"}),
    "gpo": frozenset({"prosecutor_general", "deputy_prosecutor_general"}),
}
#: The fields of a `decision` step each decision takes, and those it requires.
DECISION_TAKES = {"requirement": ("target", "signer", "concrete_harm_fact"), "gp_petition": ("signer",)}
DECISION_REQUIRES = {"requirement": ("target", "signer"), "gp_petition": ("signer",)}
#: Requests whose addressee owes an answer within the term of R.13 (private business: the law's own term).
REPLY_DUE_FROM = frozenset({"state_body", "quasi_state"})

_RAPPORT_APPROVERS = frozenset(RAPPORT_APPROVERS)
_BUSINESS_PETITION_SIGNERS = frozenset(BUSINESS_PETITION_SIGNERS)
#: R.16: «не более чем на тридцать календарных дней» — the bound of a single `extended` step's `days`.
_MOST_DAYS = limit("analysis.max_extension", ORDER_102.valid_from)

_END = ("R.16",)
_REPLY = ("R.13",)
_DATABANK = ("I.67",)


@dataclass(slots=True)
class AnalysisState(State):
    start: date | None = None
    last_day: date | None = None
    extension_days: int = 0
    objections_until: date | None = None
    notify: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)


def _new(office_level: str) -> AnalysisState:
    return AnalysisState(office_level=office_level)


def _signer_in(who: StepSigner, allowed: frozenset[str], citations: tuple[str, ...], what: str) -> None:
    if who.effective not in allowed:
        raise refuse("signer_not_allowed", citations, Message("Подписавший не вправе %(what)s", what=Message(what)))


def _present_flag() -> Field:
    """A `?` boolean whose absence (or null) is told apart from false: None when omitted."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> bool | None:
        if value is MISSING or value is None:
            return None
        if value is True or value is False:
            return bool(value)
        raise Bad(path, "ожидается логическое значение true или false")

    return Field(check, optional=True)


# ------------------------------------------------------------------------------ the steps


def _opened(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    """R.11: a rapport agreed by an allowed approver, or an item of a plan approved by one; R.3: the
    leader of a subject-crosscutting group; R.16: 30 calendar days from the start (K6)."""
    f = step.f
    if f["via"] == "rapport":
        _signer_in(f["signer"], _RAPPORT_APPROVERS, ("R.11",), "согласовывать рапорт о проведении анализа")
    else:
        _signer_in(f["signer"], PLAN_APPROVERS, ("R.11",), "утверждать план, по которому проводится анализ")
    leader: StepSigner | None = f["group_leader"]
    if leader is not None:
        _signer_in(leader, GROUP_LEADERS, ("R.3",), "руководить предметно-сквозной группой, проводящей анализ")
    state.start = step.date
    state.last_day = last_day_of(step.date)
    state.book.add("analysis_end", state.last_day, step.index, _END)
    state.status = "in_progress"


def _opened_input(step: Step, prior: list[Step], office_level: str) -> None:
    if step.f["basis"] == "superior_instruction" and office_level == "gpo":
        raise Bad(f"steps.{step.index}.basis", "у Генеральной прокуратуры нет вышестоящей прокуратуры: основание "
                                               "superior_instruction недопустимо (п. 10 Правил)")


def _info_requested(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    """R.13–14: who may be asked; the answer is due in 15 calendar days (K1), or that day when urgent."""
    f = step.f
    if not info_request_permitted(state.office_level, f["addressee"], f["protected_interest"], f["legal_basis"],
                                  f["state_interest"]):
        raise refuse("request_not_allowed", ("R.13", "R.14"), "Запрос информации у этого адресата недопустим")
    # A request to private business has the term of the law it rests on: the reply is awaited
    # (it may be received once) but no due is counted, listed or made late.
    due = info_reply_due(cal, step.date, f["urgent"]) if f["addressee"] in REPLY_DUE_FROM else None
    state.book.add("info_reply", due, step.index, _REPLY)


def _info_received(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    named = step.f["step"]
    if not state.book.has("info_reply", named):
        raise refuse("step_not_allowed", _REPLY, Message("Ответ на запрос (шаг %(step)s) уже получен", step=named))
    state.book.close("info_reply", named, step)


def _info_received_input(step: Step, prior: list[Step], office_level: str) -> None:
    earlier_step(step, prior, ("info_requested",), "запрос информации")


def _visual_inspection(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    if not step.f["public_place"]:
        raise refuse("inspection_not_allowed", ("R.3", "R.15"), "Анализ проводится без посещения субъектов; "
                     "визуальный осмотр допустим только в местах, открытых для посещения, или на открытой местности")


def _extended(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    """R.16: at most 30 more calendar days in all, with the superior prosecutor's consent."""
    _signer_in(step.f["signer"], EXTENSION_CONSENT[state.office_level], _END,
               "давать согласие на продление анализа: это вышестоящий прокурор либо лицо, его замещающее")
    last = state.last_day
    assert state.start is not None and last is not None
    if step.date > last:
        raise refuse("term_expired", _END, Message("Анализ не может быть продлён после истечения его срока "
                                                   "(%(date)s)", date=last.strftime("%d.%m.%Y")))
    most = limit("analysis.max_extension", state.start)
    if state.extension_days + step.f["days"] > most:
        raise refuse("extension_exceeded", _END, Message("Анализ продлевается не более чем на %(days)s календарных "
                                                         "дней в общей сложности", days=most))
    state.extension_days += step.f["days"]
    state.last_day = last_day_of(state.start, state.extension_days)
    state.book.add("analysis_end", state.last_day, 0, _END)


def _ended(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close("analysis_end", 0, step)
    state.status = "ended"


def _certificate_sent(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    """R.18: objections within 5 working days of the certificate's delivery (K2)."""
    state.objections_until = certificate_objection_until(cal, step.date)


def _objection_received(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    until = state.objections_until
    if until is not None and step.date > until:
        state.book.mark_late(step, "certificate_objection", until)


def _decision(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    """R.19; a requirement (R.21–22) and its data-bank entry (I.67); a petition to the Prosecutor
    General for a check of a business (R.23)."""
    f = step.f
    decision = f["decision"]
    if decision == "requirement":
        business = f["target"] == "business"
        if business and not f["concrete_harm_fact"]:
            raise refuse("harm_fact_required", ("R.22",), "Требование о проверке субъекта предпринимательства "
                         "направляется только по конкретному факту причинения вреда либо угрозы его причинения")
        who: StepSigner = f["signer"]
        ok, notify = requirement_authority(f["target"], who.effective, bool(f["concrete_harm_fact"]))
        if not ok:
            what = Message("подписывать требование о проведении проверки субъекта предпринимательства") if business \
                else Message("подписывать требование о проведении проверки государственного органа")
            raise refuse("signer_not_allowed", ("R.21", "R.22"), Message("Подписавший не вправе %(what)s", what=what))
        for item in notify:
            if item not in state.notify:
                state.notify.append(item)
        if business:
            state.book.add("databank_entry", working_days_due("act.databank_entry", step.date, cal), step.index,
                           _DATABANK)
    elif decision == "gp_petition":
        _signer_in(f["signer"], _BUSINESS_PETITION_SIGNERS, ("R.23",),
                   "подписывать ходатайство Генеральному Прокурору о назначении проверки субъекта предпринимательства")
    state.decisions.append(decision)


def _decision_input(step: Step, prior: list[Step], office_level: str) -> None:
    decision = step.f["decision"]
    takes = DECISION_TAKES.get(decision, ())
    requires = DECISION_REQUIRES.get(decision, ())
    for name in ("target", "signer", "concrete_harm_fact"):
        path = f"steps.{step.index}.{name}"
        if step.f[name] is not None and name not in takes:
            raise Bad(path, Message("решение «%(decision)s» не принимает это поле", decision=decision))
        if step.f[name] is None and name in requires:
            raise Bad(path, REQUIRED)


def _databank_entered(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    named = step.f["step"]
    if not state.book.has("databank_entry", named):
        raise refuse("step_not_allowed", _DATABANK, Message("Требование (шаг %(step)s) уже внесено в Банк данных",
                                                            step=named))
    state.book.close("databank_entry", named, step)


def _databank_entered_input(step: Step, prior: list[Step], office_level: str) -> None:
    named = earlier_step(step, prior, ("decision",), "решение о требовании проверки субъекта предпринимательства")
    if named.f["decision"] != "requirement" or named.f["target"] != "business":
        raise Bad(f"steps.{step.index}.step", Message("шаг %(step)s — не требование о проведении проверки субъекта "
                                                      "предпринимательства", step=named.index))


def _closed(state: AnalysisState, step: Step, cal: WorkingCalendar) -> None:
    if state.book.has("databank_entry"):
        raise refuse("open_deadlines", _DATABANK, "Требование о проверке субъекта предпринимательства не внесено в "
                                                  "Банк данных Генеральной прокуратуры")
    state.status = "closed"
    state.book.drop("info_reply")  # the duty to answer was the addressee's


def _row(name: str, label: str, fields: dict[str, Field], allowed_in: tuple[str, ...] | None,
         citations: tuple[str, ...], apply: Any, **options: Any) -> StepType:
    return StepType(name, label, fields, None if allowed_in is None else frozenset(allowed_in), citations, apply,
                    **options)


STEPS: dict[str, StepType] = {t.name: t for t in (
    _row("opened", "Начало анализа", {
        "via": code(VIA), "signer": signer(), "basis": code(BASES), "group_leader": signer(optional=True)},
        None, ("R.3", "R.10", "R.11", "R.16"), _opened, cross_check=_opened_input),
    _row("info_requested", "Запрос информации", {
        "addressee": code(ADDRESSEES), "protected_interest": codes(PROTECTED_INTERESTS, nullable=True),
        "legal_basis": flag(nullable=True), "state_interest": flag(nullable=True), "urgent": flag(nullable=True)},
        ("in_progress",), ("R.13", "R.14"), _info_requested),
    _row("info_received", "Получен ответ на запрос", {"step": step_ref()}, ("in_progress", "ended"), _REPLY,
         _info_received, condition=lambda s: s.book.has("info_reply"), cross_check=_info_received_input),
    _row("visual_inspection", "Визуальный осмотр", {"public_place": flag()}, ("in_progress",), ("R.3", "R.15"),
         _visual_inspection),
    _row("extended", "Продление анализа", {"signer": signer(), "days": integer(1, _MOST_DAYS)}, ("in_progress",),
         _END, _extended),
    _row("ended", "Окончание анализа (справка)", {}, ("in_progress",), ("R.16", "R.18"), _ended),
    _row("certificate_sent", "Справка направлена для ознакомления", {}, ("ended",), ("R.18",), _certificate_sent,
         condition=lambda s: not s.seen("certificate_sent")),
    _row("objection_received", "Возражения к справке", {}, ("ended",), ("R.18",), _objection_received,
         condition=lambda s: s.seen("certificate_sent") and not s.seen("objection_received")),
    _row("decision", "Решение по результатам анализа", {
        "decision": code(DECISIONS), "target": code(TARGETS, optional=True), "signer": signer(optional=True),
        "concrete_harm_fact": _present_flag()},
        ("ended",), ("R.19",), _decision, cross_check=_decision_input),
    _row("databank_entered", "Внесение в Банк данных", {"step": step_ref()}, ("ended",), _DATABANK,
         _databank_entered, condition=lambda s: s.book.has("databank_entry"), cross_check=_databank_entered_input),
    _row("closed", "Завершение производства", {}, ("ended",), ("R.19", "I.67"), _closed,
         condition=lambda s: bool(s.decisions)),
)}


def _output(state: State) -> dict[str, Any]:
    assert isinstance(state, AnalysisState)
    return {
        "start": ISO[state.start] if state.start else None,
        "last_day": ISO[state.last_day] if state.last_day else None,
        "extension_days": state.extension_days,
        "objections_until": ISO[state.objections_until] if state.objections_until else None,
        "notify": list(state.notify),
    }


KIND = register(Kind("analysis", "Анализ состояния законности", "opened", STEPS, STATUSES, _new, _output))
