"""Kind `act` (PROCEEDINGS.md «Kind `act`»): an act of prosecutorial supervision and response
(протест, представление, предписание, постановление, …) from its draft to its execution —
Instruction chapter 4, I.58–I.67.

The draft states its content (I.58) and whether it goes through the GPO (I.60); once issued it opens
the data-bank entry (I.67), the superior's review (I.62) and, when the prosecutor set one, the
addressee's response term; a final response opens the superior's review of it (I.63). Revocation,
a court's invalidation or the GPO's refusal end the act; the data-bank entries stay until made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings.fields import Bad, a_date, amount, code, codes, flag, integer, signer, step_ref
from nadzor.proceedings.kernel import Kind, State, Step, StepType, earlier_step, refuse, register
from nadzor.rules.base import Listing, Message
from nadzor.rules.instruction.acts import act_via_gpo, working_days_due

ACT_TYPES = ("protest", "representation", "prescription", "resolution", "other")
MAIN_OFFICES = ("military", "transport")
CONTENT_PARTS = ("legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability",
                 "restoration", "compensation")
#: I.58: what every act states; `restoration` when rights were violated, `compensation` when damage was caused.
CONTENT_REQUIRED = ("legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability")
DECISIONS = ("keep", "amend", "revoke", "suspend")
ARTICLES = ("664", "665")

#: the issuer of `act.via_gpo` for a main office (I.60: the Main Military and Main Transport prosecutors).
_MAIN_ISSUER = {"military": "main_military", "transport": "main_transport"}
_LEVEL_ISSUER = {"gpo": "gpo", "regional": "regional_prosecutor", "district": "district_prosecutor"}

# Deadline codes and the paragraphs they cite.
GPO_APPROVAL = "gpo_approval"
SUPERIOR_REVIEW = "superior_review"
DATABANK_ENTRY = "databank_entry"
RESPONSE = "response"
RESPONSE_REVIEW = "response_review"
CITES = {GPO_APPROVAL: ("I.60",), SUPERIOR_REVIEW: ("I.62",), DATABANK_ENTRY: ("I.67",), RESPONSE: ("I.59",),
         RESPONSE_REVIEW: ("I.63",)}
#: the limits (RULES.md `act.*_due`, K2) of the working-day deadlines.
LIMITS = {GPO_APPROVAL: "act.gpo_approval", SUPERIOR_REVIEW: "act.superior_review",
          DATABANK_ENTRY: "act.databank_entry", RESPONSE_REVIEW: "act.response_review"}
#: dropped on reaching a final status other than `closed` (not late, not listed); data-bank entries stay.
DROPPED_AT_END = (RESPONSE, RESPONSE_REVIEW, SUPERIOR_REVIEW)

STATUSES = {
    "drafted": "проект акта",
    "awaiting_gpo": "на согласовании в Генеральной прокуратуре",
    "approved": "согласован Генеральной прокуратурой",
    "not_issued": "не внесён (согласование отказано)",
    "issued": "внесён",
    "answered": "получен окончательный ответ",
    "accepted": "ответ принят",
    "response_not_accepted": "ответ не принят",
    "superior_suspended": "приостановлен вышестоящим прокурором",
    "revoked": "отозван",
    "invalidated": "признан незаконным судом",
    "closed": "исполнен, производство завершено",
}

# The statuses of a live issued act (every status from `issued` on except the final ones).
_LIVE = frozenset({"issued", "answered", "accepted", "response_not_accepted", "superior_suspended"})
_AFTER_ISSUE = _LIVE | {"revoked", "invalidated"}


@dataclass(slots=True)
class ActState(State):
    via_gpo: bool = False
    damage_recovered: float | int = 0
    persons_liable: int = 0
    register_i64: bool = False
    content: tuple[str, ...] = ()
    rights_violated: bool = False
    damage_caused: bool = False
    before_suspend: str | None = None  # the status a `keep`/`amend` returns to from `superior_suspended`


def _due(deadline: str, start: date, cal: WorkingCalendar) -> date:
    return working_days_due(LIMITS[deadline], start, cal)


def _open(state: ActState, deadline: str, step: Step, cal: WorkingCalendar) -> None:
    state.book.add(deadline, _due(deadline, step.date, cal), step.index, CITES[deadline])


def _end(state: ActState, status: str) -> None:
    """A final status other than `closed`: the response and review duties end with the act."""
    state.status = status
    state.book.drop(*DROPPED_AT_END)


# ------------------------------------------------------------------------------------- steps


def _drafted(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    f = step.f
    main = f["main_office"]
    issuer = _MAIN_ISSUER[main] if main is not None else _LEVEL_ISSUER[state.office_level]
    state.via_gpo = act_via_gpo(issuer, f["addressee_central_body"])
    state.content = tuple(f["content"])
    state.rights_violated = f["rights_violated"]
    state.damage_caused = f["damage_caused"]
    state.status = "drafted"


def _sent_to_gpo(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    state.status = "awaiting_gpo"
    _open(state, GPO_APPROVAL, step, cal)


def _gpo_approved(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all(GPO_APPROVAL, step)
    state.status = "approved"


def _gpo_declined(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all(GPO_APPROVAL, step)
    _end(state, "not_issued")


def missing_content(content: tuple[str, ...], rights_violated: bool, damage_caused: bool) -> list[str]:
    """I.58: the parts of an act's content that are missing, in the order of the paragraph."""
    required = list(CONTENT_REQUIRED)
    if rights_violated:
        required.append("restoration")
    if damage_caused:
        required.append("compensation")
    return [part for part in required if part not in content]


_PART_LABELS = {
    "legal_essence": "правовая сущность нарушений",
    "norms": "ссылка на нормы законодательства",
    "consequences": "негативные последствия",
    "causes": "причины и условия",
    "demand_elimination": "требование об устранении",
    "liability": "ответственность виновных лиц",
    "restoration": "восстановление нарушенных прав",
    "compensation": "возмещение ущерба",
}


def _issued(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    if state.status == "drafted" and state.via_gpo:
        raise refuse("gpo_approval_required", ("I.60",),
                     "Акт прокурора области в адрес центрального государственного органа вносится только после "
                     "согласования Генеральной прокуратурой")
    missing = missing_content(state.content, state.rights_violated, state.damage_caused)
    if missing:
        raise refuse("content_incomplete", ("I.58",),
                     Message("В акте не изложено: %(parts)s", parts=Listing(_PART_LABELS[p] for p in missing)))
    state.status = "issued"
    _open(state, DATABANK_ENTRY, step, cal)
    if state.office_level != "gpo":
        _open(state, SUPERIOR_REVIEW, step, cal)
    due = step.f["response_due"]
    if due is not None:
        state.book.add(RESPONSE, due, step.index, CITES[RESPONSE])


def _issued_check(step: Step, prior: list[Step], office_level: str) -> None:
    due = step.f["response_due"]
    if due is not None and due < step.date:
        raise Bad(f"steps.{step.index}.response_due", "срок ответа не может быть раньше даты внесения акта")


def _databank_entered(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    ref = step.f["step"]
    if not state.book.has(DATABANK_ENTRY, ref):
        raise refuse("step_not_allowed", ("I.67",),
                     Message("Сведения по шагу %(step)s уже внесены в Банк данных: срок внесения не открыт", step=ref))
    state.book.close(DATABANK_ENTRY, ref, step)


def _databank_check(step: Step, prior: list[Step], office_level: str) -> None:
    earlier_step(step, prior, ("issued", "response_received"), "внесение акта или получение ответа")


def _superior_decision(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    decision = step.f["decision"]
    if decision == "suspend":
        if state.status == "superior_suspended":
            raise refuse("step_not_allowed", ("I.62",),
                         "Действие акта уже приостановлено письмом вышестоящего прокурора")
        state.before_suspend = state.status
        state.status = "superior_suspended"
        state.register_i64 = True
        return
    state.book.close_all(SUPERIOR_REVIEW, step)
    if decision == "revoke":
        state.register_i64 = True
        _end(state, "revoked")
        return
    if decision == "amend":
        state.register_i64 = True
    if state.status == "superior_suspended" and state.before_suspend is not None:
        state.status = state.before_suspend
    state.before_suspend = None


def _superior_check(step: Step, prior: list[Step], office_level: str) -> None:
    if step.f["transfer"] and step.f["decision"] != "revoke":
        raise Bad(f"steps.{step.index}.transfer",
                  "передача прокурору по компетенции возможна только при отзыве акта (п. 62 Инструкции)")


def _response_received(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    _open(state, DATABANK_ENTRY, step, cal)
    if step.f["final"]:
        state.book.close_all(RESPONSE, step)
        state.status = "answered"
        if state.office_level != "gpo":
            _open(state, RESPONSE_REVIEW, step, cal)


def _response_reviewed(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all(RESPONSE_REVIEW, step)
    state.status = "accepted" if step.f["agree"] else "response_not_accepted"


def _execution_recorded(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    recovered, liable = step.f["damage_recovered"], step.f["persons_liable"]
    if recovered is not None:
        state.damage_recovered += recovered
    if liable is not None:
        state.persons_liable += liable


def _recorded(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    """The step is recorded in the timeline; the state does not change (I.59: КоАП 664–665)."""


def _court_invalidated(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    state.register_i64 = True
    _end(state, "invalidated")


def _closed(state: ActState, step: Step, cal: WorkingCalendar) -> None:
    still_open = sorted({d.code for d in state.book.open.values() if d.code in (DATABANK_ENTRY, SUPERIOR_REVIEW)})
    if still_open:
        citations = tuple(sorted({c for d in still_open for c in CITES[d]}, key=lambda c: int(c[2:])))
        what = {DATABANK_ENTRY: Message("сведения не внесены в Банк данных"),
                SUPERIOR_REVIEW: Message("акт не проверен вышестоящим прокурором")}
        raise refuse("open_deadlines", citations, Message("Производство по акту нельзя завершить: %(what)s",
                                                          what=Listing((what[d] for d in still_open), "; ")))
    state.status = "closed"


def _via_gpo(state: ActState) -> bool:
    return state.via_gpo


def _entry_open(state: ActState) -> bool:
    """Some data-bank entry is still to be made (`apply` checks that the named step's one is)."""
    return state.book.has(DATABANK_ENTRY)


def _not_gpo(state: ActState) -> bool:
    return state.office_level != "gpo"


_STEPS = (
    StepType("drafted", "проект акта",
             {"act_type": code(ACT_TYPES), "addressee_central_body": flag(),
              "main_office": code(MAIN_OFFICES, optional=True), "rights_violated": flag(nullable=True),
              "damage_caused": flag(nullable=True), "content": codes(CONTENT_PARTS)},
             None, ("I.58", "I.60"), _drafted),
    StepType("sent_to_gpo", "направление акта на согласование в Генеральную прокуратуру", {},
             frozenset({"drafted"}), ("I.60",), _sent_to_gpo, condition=_via_gpo),
    StepType("gpo_approved", "согласование акта Генеральной прокуратурой", {},
             frozenset({"awaiting_gpo"}), ("I.60",), _gpo_approved),
    StepType("gpo_declined", "отказ Генеральной прокуратуры в согласовании акта", {},
             frozenset({"awaiting_gpo"}), ("I.60",), _gpo_declined),
    StepType("issued", "внесение акта", {"signer": signer(), "response_due": a_date(optional=True)},
             frozenset({"drafted", "approved"}), ("I.58", "I.60"), _issued, cross_check=_issued_check),
    StepType("databank_entered", "пополнение Банка данных Генеральной прокуратуры", {"step": step_ref()},
             _AFTER_ISSUE, ("I.67",), _databank_entered, condition=_entry_open, cross_check=_databank_check),
    StepType("superior_decision", "решение вышестоящего прокурора по акту",
             {"decision": code(DECISIONS), "transfer": flag(nullable=True)},
             _LIVE, ("I.62",), _superior_decision, condition=_not_gpo, cross_check=_superior_check),
    StepType("response_received", "получение ответа на акт", {"final": flag()},
             frozenset({"issued", "response_not_accepted"}), ("I.63",), _response_received),
    StepType("response_reviewed", "изучение ответа вышестоящим прокурором", {"agree": flag()},
             frozenset({"answered"}), ("I.63",), _response_reviewed),
    StepType("execution_recorded", "учёт исполнения акта",
             {"damage_recovered": amount(optional=True), "persons_liable": integer(0, optional=True)},
             frozenset({"issued", "answered", "accepted", "response_not_accepted"}), ("I.59",), _execution_recorded),
    StepType("liability_initiated", "возбуждение производства за нерассмотрение акта", {"article": code(ARTICLES)},
             frozenset({"issued", "answered", "response_not_accepted"}), ("I.59",), _recorded),
    StepType("court_invalidated", "признание акта незаконным судом", {},
             _LIVE, ("I.64",), _court_invalidated),
    StepType("closed", "завершение производства по акту", {},
             frozenset({"accepted"}), ("I.59", "I.62", "I.67"), _closed),
)


def _new_state(office_level: str) -> ActState:
    return ActState(office_level)


def _output(any_state: State) -> dict[str, Any]:
    state = cast(ActState, any_state)
    return {"via_gpo": state.via_gpo, "damage_recovered": state.damage_recovered,
            "persons_liable": state.persons_liable, "register_i64": state.register_i64}


KIND = register(Kind("act", "Акт прокурорского надзора и реагирования", "drafted",
                     {s.name: s for s in _STEPS}, STATUSES, _new_state, _output))
