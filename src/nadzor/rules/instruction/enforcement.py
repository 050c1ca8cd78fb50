"""Instruction, chapter 3 §3: supervision of enforcement proceedings (I.57)."""

from __future__ import annotations

from nadzor.domain.calendar import WorkingCalendar
from nadzor.rules.base import AllowedOut, Decision, Flag, Input, cite, rule, signer_rule


class RemovalInput(Input):
    may_harm_rights: Flag = False
    may_obstruct_life_support: Flag = False


@rule("enforcement.removal_allowed", "Изъятие исполнительного документа из производства судебного исполнителя",
      ("I.57",), output=AllowedOut)
def removal_allowed(inp: RemovalInput, cal: WorkingCalendar) -> Decision:
    """I.57: the prosecutor may take an enforcement document away from a bailiff and pass it to
    another when the bailiff's acts may harm rights and freedoms or the protected interests of
    legal persons, society and the state, or obstruct bodies that keep the population's life
    support running."""
    why = []
    if inp.may_harm_rights:
        why.append("действия (бездействие) судебного исполнителя могут причинить вред правам и охраняемым "
                   "законом интересам")
    if inp.may_obstruct_life_support:
        why.append("могут препятствовать функционированию органов и организаций, обеспечивающих "
                   "жизнедеятельность населения")
    if why:
        return Decision({"allowed": True}, f"Изъятие исполнительного документа допустимо: {'; '.join(why)} "
                                           f"({cite('I.57')}).")
    return Decision({"allowed": False}, "Оснований для изъятия исполнительного документа из производства судебного "
                                        f"исполнителя нет ({cite('I.57')}).")


signer_rule(
    "enforcement.refusal_cancel_signer",
    "Отмена постановления прокурора об отказе в даче санкции на исполнительные действия",
    ("I.57",),
    ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "gpo_unit_deputy_head",
     "regional_prosecutor", "deputy_regional_prosecutor"),
    "отменять постановление прокурора (его заместителя) об отказе в даче санкции на исполнительные действия",
)
