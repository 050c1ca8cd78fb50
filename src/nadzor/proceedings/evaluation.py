"""Kind `evaluation` (PROCEEDINGS.md): the evaluation of an act or decision, Rules chapter 3 (R.24–R.32).

An act of a state body (or a public act of another organization) is requested (R.25), received and
studied (R.26); a lawful act closes the evaluation, an unlawful one is protested (R.27–R.29) — the
act possibly suspended until the protest is decided (R.30) — or, without the competence to protest,
transferred to the competent prosecutor (R.28); a rejected protest goes to court (R.31).

The provision term and the suspending signer are the rules' own (`evaluation.act_provision_due`,
`evaluation.suspension_signer`), called through their pure cores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings.fields import code, codes, flag, signer
from nadzor.proceedings.kernel import Kind, State, Step, StepType, refuse, register
from nadzor.rules.analysis.evaluation import CONTEXTS, SUSPENDERS, may_suspend, provision_due
from nadzor.rules.base import Message

ACT_KINDS = ("normative", "individual", "decision", "court_act")
#: What the act is studied for (R.26): competence and powers, conformity with the laws, contradiction
#: with normative acts (higher ones included), state registration, publication.
VIOLATIONS = ("competence", "conformity", "contradiction", "registration", "publication")
ADDRESSEES = ("adopting_body", "superior_body")

STATUSES = {
    "opened": "оценка начата",
    "studying": "акт получен, изучается",
    "studied": "акт изучен",
    "protested": "внесён протест",
    "protest_rejected": "протест отклонён",
    "closed": "завершена",
    "transferred": "материалы направлены по компетенции",
    "in_court": "направлено заявление в суд",
}
ALL_STATUSES = frozenset(STATUSES)
#: Statuses after which nothing but a pending publication may follow.
FINAL = frozenset({"closed", "transferred", "in_court"})

PROVISION = ("R.25",)
PUBLICATION = ("R.30",)


@dataclass(slots=True)
class EvaluationState(State):
    context: str = ""
    act_kind: str = ""
    violations: list[str] = field(default_factory=list)
    suspended_act: bool = False


def _new(office_level: str) -> EvaluationState:
    return EvaluationState(office_level)


def _output(state: State) -> dict[str, Any]:
    assert isinstance(state, EvaluationState)
    return {"violations": list(state.violations), "suspended_act": state.suspended_act}


# ------------------------------------------------------------------------------------ effects


def _opened(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    f = step.f
    if f["act_kind"] == "court_act":
        raise refuse("court_act_procedure", ("R.32",),
                     "Вступившие в законную силу судебные акты оцениваются в порядке, предусмотренном УПК, ГПК, "
                     "АППК и КоАП, а не в порядке оценки актов")
    if f["excluded_by_law"]:
        raise refuse("not_supervised", ("R.24",),
                     "Надзор не осуществляется за актами, указанными в пункте 2 статьи 24 Закона о прокуратуре")
    if f["by_other_organization"] and not f["public_or_indefinite"]:
        raise refuse("not_supervised", ("R.24",),
                     "Акты иных организаций оцениваются, только если касаются неограниченного круга лиц "
                     "либо носят публичный характер")
    state.context = f["context"]
    state.act_kind = f["act_kind"]
    state.status = "opened"


def _act_requested(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    due, _immediate = provision_due(cal, step.date, state.context)
    state.book.add("act_provision", due, step.index, PROVISION)


def _act_received(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all("act_provision", step)
    state.status = "studying"


def _studied(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.violations = list(step.f["violations"])
    state.status = "studied"


def _found_lawful(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    if state.violations:
        raise refuse("violations_found", ("R.27",),
                     "Изучение выявило нарушения: на незаконный акт вносится протест либо материалы "
                     "направляются по компетенции, акт не может быть признан законным")
    state.status = "closed"


def _protest_issued(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    if not state.violations:
        raise refuse("no_violations", ("R.27",),
                     "Протест вносится на акт, противоречащий Конституции, законам и актам Президента, "
                     "а изучение нарушений не выявило")
    if not step.f["competent"]:
        raise refuse("not_competent", ("R.28",),
                     "Прокурор, не имеющий полномочий на опротестование акта, направляет материалы "
                     "соответствующему прокурору по компетенции")
    state.status = "protested"


def _transferred(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.status = "transferred"


def _act_suspended(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    f = step.f
    allowed, publish = may_suspend(f["signer"].effective, f["irreversible_consequences"],
                                   state.act_kind == "normative")
    if not allowed:
        if f["signer"].effective not in SUSPENDERS:
            reason = Message("приостановить исполнение акта вправе Генеральный Прокурор, его заместитель, прокурор "
                             "области либо лица, их замещающие")
        else:
            reason = Message("исполнение акта приостанавливается, только если оно привело либо может привести "
                             "к необратимым последствиям для жизни и здоровья людей либо для безопасности Республики")
        raise refuse("signer_not_allowed", ("R.30",),
                     Message("До принятия решения по протесту %(reason)s", reason=reason))
    state.suspended_act = True
    if publish:
        state.book.add("publication", step.date, step.index, PUBLICATION)


def _published(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.book.close_all("publication", step)


def _protest_decided(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.status = "closed" if step.f["granted"] else "protest_rejected"


def _court_application(state: EvaluationState, step: Step, cal: WorkingCalendar) -> None:
    state.status = "in_court"


# --------------------------------------------------------------------------------- conditions


def _not_requested(state: EvaluationState) -> bool:
    return not state.seen("act_requested")


def _with_violations(state: EvaluationState) -> bool:
    return bool(state.violations)


def _not_suspended(state: EvaluationState) -> bool:
    return not state.seen("act_suspended")


def _publication_open(state: EvaluationState) -> bool:
    return state.book.has("publication")


# -------------------------------------------------------------------------------------- table


STEPS = {
    s.name: s
    for s in (
        StepType("opened", "Начало оценки акта",
                 {"context": code(CONTEXTS), "act_kind": code(ACT_KINDS),
                  "by_other_organization": flag(nullable=True), "public_or_indefinite": flag(nullable=True),
                  "excluded_by_law": flag(nullable=True)},
                 None, ("R.24", "R.25", "R.32"), _opened),
        StepType("act_requested", "Истребование акта", {}, frozenset({"opened"}), PROVISION, _act_requested,
                 condition=_not_requested),
        StepType("act_received", "Поступление акта", {}, frozenset({"opened"}), PROVISION, _act_received),
        StepType("studied", "Изучение акта", {"violations": codes(VIOLATIONS)}, frozenset({"studying"}),
                 ("R.26",), _studied),
        StepType("found_lawful", "Акт признан законным", {}, frozenset({"studied"}), ("R.26", "R.27"),
                 _found_lawful),
        StepType("protest_issued", "Внесение протеста", {"addressee": code(ADDRESSEES), "competent": flag()},
                 frozenset({"studied"}), ("R.27", "R.28", "R.29"), _protest_issued),
        StepType("transferred", "Направление материалов по компетенции", {}, frozenset({"studied"}), ("R.28",),
                 _transferred, condition=_with_violations),
        StepType("act_suspended", "Приостановление исполнения акта",
                 {"signer": signer(), "irreversible_consequences": flag()}, frozenset({"protested"}),
                 PUBLICATION, _act_suspended, condition=_not_suspended),
        StepType("published", "Опубликование постановления о приостановлении", {}, ALL_STATUSES, PUBLICATION,
                 _published, condition=_publication_open),
        StepType("protest_decided", "Решение по протесту", {"granted": flag()}, frozenset({"protested"}),
                 ("R.29", "R.31"), _protest_decided),
        StepType("court_application", "Обращение в суд", {}, frozenset({"protest_rejected"}), ("R.31",),
                 _court_application),
    )
}

KIND = register(Kind("evaluation", "Оценка актов и решений", "opened", STEPS, STATUSES, new_state=_new, output=_output))
