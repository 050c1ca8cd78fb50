"""Instruction, chapter 3 §1–§2: representing the state in court (I.26–I.56), including the
review of cassation petitions at the General Prosecutor's Office."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import k1_calendar_days, k2_working_days_after, k4_months, k5_within_a_day
from nadzor.rules.base import (
    AllowedOut,
    Decision,
    DueOut,
    Flag,
    GroundsOut,
    Input,
    InvalidInput,
    LegalDate,
    Moment,
    Output,
    Signer,
    cite,
    ru_date,
    rule,
)
from nadzor.rules.limits import limit, term

CaseType = Literal["civil", "administrative", "admin_offence"]
CASE_TYPE_RU = {
    "civil": "гражданским делам",
    "administrative": "административным делам",
    "admin_offence": "делам об административных правонарушениях",
}


def _grounds(paragraph: str, flags: list[bool]) -> list[str]:
    return [f"{paragraph}.{i}" for i, on in enumerate(flags, start=1) if on]


def _entry(paragraph: str, kind: str, grounds: list[str]) -> Decision:
    if grounds:
        subs = ", ".join(g.rsplit(".", 1)[1] for g in grounds)
        text = f"Прокурор вступает в процесс по {kind} (подп. {subs} {cite(paragraph)})."
    else:
        text = f"Оснований для вступления прокурора в процесс по {kind} нет ({cite(paragraph)})."
    return Decision({"enter": bool(grounds), "grounds": grounds}, text)


class CivilEntryInput(Input):
    state_interests: Flag = False
    protected_persons: Flag = False
    court_requested: Flag = False
    prosecutor_initiated: Flag = False
    parental_rights_deprivation: Flag = False
    npa_challenge: Flag = False
    minor_special_placement: Flag = False


@rule("court.civil_entry_grounds", "Вступление прокурора в гражданский процесс", ("I.26",), output=GroundsOut)
def civil_entry_grounds(inp: CivilEntryInput, cal: WorkingCalendar) -> Decision:
    """I.26: the seven kinds of civil cases a prosecutor enters, in the paragraph's order."""
    return _entry("I.26", "гражданскому делу", _grounds("I.26", [
        inp.state_interests, inp.protected_persons, inp.court_requested, inp.prosecutor_initiated,
        inp.parental_rights_deprivation, inp.npa_challenge, inp.minor_special_placement,
    ]))


class AdminEntryInput(Input):
    fiscal_or_environment: Flag = False
    bailiff_state_recovery: Flag = False
    electoral_rights: Flag = False
    prosecutor_initiated: Flag = False
    protected_persons: Flag = False
    court_requested: Flag = False
    prosecution_is_defendant: Flag = False


@rule("court.admin_entry_grounds", "Вступление прокурора в административный процесс", ("I.27",),
      output=GroundsOut)
def admin_entry_grounds(inp: AdminEntryInput, cal: WorkingCalendar) -> Decision:
    """I.27: the seven kinds of administrative cases a prosecutor enters, in the paragraph's order."""
    return _entry("I.27", "административному делу", _grounds("I.27", [
        inp.fiscal_or_environment, inp.bailiff_state_recovery, inp.electoral_rights, inp.prosecutor_initiated,
        inp.protected_persons, inp.court_requested, inp.prosecution_is_defendant,
    ]))


_AREAS = ("entrepreneurship", "environment", "tax", "customs", "appeal_of_authority_decision", "corruption")


class AdminOffenceParticipationInput(Input):
    minor: Flag = False
    arrest_sanction: Literal["none", "alternative", "mandatory"]
    party_requested: Flag = False
    expulsion: Flag = False
    prosecutor_initiated: Flag = False
    superior_instruction: Flag = False
    area: Literal["entrepreneurship", "environment", "tax", "customs", "appeal_of_authority_decision",
                  "corruption", "other"]


class MandatoryOut(Output):
    mandatory: bool
    grounds: list[str]


@rule("court.admin_offence_participation", "Обязательное участие прокурора по делу об административном "
      "правонарушении", ("I.44",), output=MandatoryOut)
def admin_offence_participation(inp: AdminOffenceParticipationInput, cal: WorkingCalendar) -> Decision:
    """I.44: mandatory participation — minors; arrest without alternative (or alternative arrest
    when a party asks); expulsion; cases the prosecutor brought; a superior's written instruction;
    the areas of subparagraphs 6–11."""
    arrest = inp.arrest_sanction == "mandatory" or (inp.arrest_sanction == "alternative" and inp.party_requested)
    grounds = _grounds("I.44", [
        inp.minor, arrest, inp.expulsion, inp.prosecutor_initiated, inp.superior_instruction,
        *(inp.area == a for a in _AREAS),
    ])
    if grounds:
        subs = ", ".join(g.rsplit(".", 1)[1] for g in grounds)
        text = f"Участие прокурора в суде обязательно (подп. {subs} {cite('I.44')})."
    else:
        text = f"Обязательного участия прокурора {cite('I.44')} не требует (участие возможно по ст. 759 КоАП)."
    return Decision({"mandatory": bool(grounds), "grounds": grounds}, text)


# ----------------------------------------------------------------- I.28–29, I.45, I.56: who goes


class CompetentOfficeInput(Input):
    case_type: CaseType
    court: Literal["district", "appeal", "military", "smec", "smac", "juvenile", "supreme"]
    court_city: str | None = None
    investment_dispute: Flag = False
    transport_related: Flag = False
    military_related: Flag = False
    environmental_party: Flag = False
    specialized_office_present: Flag = False
    cec_challenge: Flag = False
    no_regional_office_at_court: Flag = False


Office = Literal["gpo", "gp_assigned", "nur_sultan_city", "main_transport", "regional_unit", "military",
                 "transport", "environmental", "territorial"]


class CompetentOfficeOut(Output):
    office: Office


_OFFICE_RU = {
    "gpo": "сотрудники Генеральной прокуратуры",
    "gp_assigned": "подчинённые прокуроры по поручению Генерального Прокурора",
    "nur_sultan_city": "прокуратура города Нур-Султан",
    "main_transport": "Главная транспортная прокуратура",
    "regional_unit": "подразделение прокуратуры области (города республиканского значения, столицы)",
    "military": "специализированная военная прокуратура",
    "transport": "специализированная транспортная прокуратура",
    "environmental": "специализированная природоохранная прокуратура",
    "territorial": "территориальная прокуратура по месту дислокации суда",
}
_CAPITAL_NAMES = {"нур-султан", "астана"}


def competent_office_code(inp: CompetentOfficeInput) -> tuple[str, tuple[str, ...]]:
    """The first matching step of RULES.md's ordered list, with the paragraphs that decide it."""
    capital = inp.court_city is not None and inp.court_city.strip().casefold() in _CAPITAL_NAMES
    if inp.court == "supreme":
        if inp.cec_challenge or inp.case_type == "admin_offence":
            return "gpo", ("I.29", "I.56")
        return "gp_assigned", ("I.29",)
    if inp.investment_dispute:
        return "nur_sultan_city", ("I.28",)
    if inp.transport_related and capital and inp.court in ("smec", "smac", "appeal"):
        return "main_transport", ("I.28",)
    if inp.court in ("smec", "smac"):
        return ("territorial" if inp.no_regional_office_at_court else "regional_unit"), ("I.28",)
    if inp.court == "military":
        return "military", ("I.28",)
    if inp.specialized_office_present:
        if inp.military_related:
            return "military", ("I.45",)
        if inp.transport_related:
            return "transport", ("I.28", "I.45")
        if inp.environmental_party:
            return "environmental", ("I.28", "I.45")
    return "territorial", ("I.28", "I.45")


@rule("court.competent_office", "Прокуратура, обеспечивающая участие в суде", ("I.28", "I.29", "I.45", "I.56"),
      output=CompetentOfficeOut)
def competent_office(inp: CompetentOfficeInput, cal: WorkingCalendar) -> Decision:
    """I.28–29, I.45, I.56: which office represents the state in this court; first match wins."""
    office, paragraphs = competent_office_code(inp)
    return Decision({"office": office}, f"Участие в суде обеспечивает {_OFFICE_RU[office]} ({cite(*paragraphs)}).")


# ------------------------------------------------------------------------------ appeals, I.32/I.48

_APPEAL_SIGNERS = ("prosecutor_general", "deputy_prosecutor_general", "regional_prosecutor",
                   "deputy_regional_prosecutor", "district_prosecutor", "deputy_district_prosecutor")


class AppealSignerInput(Input):
    case_type: CaseType
    signer: Signer


@rule("court.appeal_signer", "Подписание апелляционного ходатайства (протеста)", ("I.32", "I.48"),
      output=AllowedOut)
def appeal_signer(inp: AppealSignerInput, cal: WorkingCalendar) -> Decision:
    """I.32, I.48: who brings an appeal; in administrative cases not the deputy district
    prosecutor. The prosecutor who took part at first instance may always."""
    allowed = set(_APPEAL_SIGNERS)
    if inp.case_type == "administrative":
        allowed.discard("deputy_district_prosecutor")
    ok = inp.signer.effective in allowed or inp.signer.participated
    where = cite("I.48") if inp.case_type == "admin_offence" else cite("I.32")
    who = inp.signer.describe()
    return Decision(
        {"allowed": ok},
        f"{who[0].upper()}{who[1:]} {'вправе' if ok else 'не вправе'} подписать апелляционное ходатайство "
        f"(протест) по {CASE_TYPE_RU[inp.case_type]} ({where}).",
    )


class ConclusionToGpoInput(Input):
    case_type: Literal["civil", "administrative"]
    entered_into_force: LegalDate


@rule("court.conclusion_to_gpo_due", "Срок направления заключения в Генеральную прокуратуру", ("I.32",),
      output=DueOut, convention="K2")
def conclusion_to_gpo_due(inp: ConclusionToGpoInput, cal: WorkingCalendar) -> Decision:
    """I.32: on a judgment against the state the regional office sends its conclusion to the GPO
    within 30 (civil) or 20 (administrative) working days of entry into force (K2)."""
    key = f"court.conclusion_to_gpo.{inp.case_type}"
    due = k2_working_days_after(cal, inp.entered_into_force, limit(key, inp.entered_into_force))
    return Decision({"due": due.isoformat()},
                    f"Заключение направляется в Генеральную прокуратуру не позднее {ru_date(due)} — "
                    f"{term(key, inp.entered_into_force)} со дня вступления в законную силу ({cite('I.32')}).")


# --------------------------------------------------------------------------------- cassation


class CassationRepresentationInput(Input):
    case_type: CaseType
    entered_into_force: LegalDate | None = None
    case_received: LegalDate | None = None
    resolution_date: LegalDate | None = None

    @model_validator(mode="after")
    def _fields_of_case_type(self) -> CassationRepresentationInput:
        allowed = {
            "civil": ("entered_into_force", "case_received"),
            "administrative": ("entered_into_force",),
            "admin_offence": ("resolution_date",),
        }[self.case_type]
        required = allowed[0]
        for name in ("entered_into_force", "case_received", "resolution_date"):
            if name not in allowed and name in self.model_fields_set:
                raise InvalidInput.one(name, f"поле не применяется к делам типа {self.case_type}")
        if getattr(self, required) is None:
            raise InvalidInput.one(required, "обязательное поле не заполнено")
        return self


@rule("court.cassation_representation_due", "Срок внесения представления о принесении кассационного протеста",
      ("I.36", "I.37", "I.52"), output=DueOut, convention="K2/K4")
def cassation_representation_due(inp: CassationRepresentationInput, cal: WorkingCalendar) -> Decision:
    """I.36: civil — 30 working days from entry into force, or from receipt of the case when it
    was requested; I.37: administrative — 20 working days; I.52: administrative offences —
    3 months from the resolution (K4)."""
    if inp.case_type == "admin_offence":
        assert inp.resolution_date is not None
        key = "court.cassation_representation.admin_offence"
        due = k4_months(cal, inp.resolution_date, limit(key, inp.resolution_date))
        return Decision({"due": due.isoformat()},
                        f"Представление вносится не позднее {ru_date(due)} — {term(key, inp.resolution_date)} "
                        f"со дня вынесения постановления ({cite('I.52')}).")
    assert inp.entered_into_force is not None
    start = inp.case_received or inp.entered_into_force
    key = f"court.cassation_representation.{inp.case_type}"
    due = k2_working_days_after(cal, start, limit(key, inp.entered_into_force))
    since = "поступления дела" if inp.case_received else "вступления судебного акта в законную силу"
    where = cite("I.36") if inp.case_type == "civil" else cite("I.37")
    return Decision({"due": due.isoformat()},
                    f"Представление вносится в Генеральную прокуратуру не позднее {ru_date(due)} — "
                    f"{term(key, inp.entered_into_force)} со дня {since} ({where}).")


class EnteredIntoForceInput(Input):
    entered_into_force: LegalDate


@rule("court.case_request_due", "Срок истребования дела", ("I.36",), output=DueOut, convention="K2")
def case_request_due(inp: EnteredIntoForceInput, cal: WorkingCalendar) -> Decision:
    """I.36: the case is requested not later than 10 working days after entry into force (K2)."""
    due = k2_working_days_after(cal, inp.entered_into_force, limit("court.case_request", inp.entered_into_force))
    return Decision({"due": due.isoformat()},
                    f"Дело истребуется не позднее {ru_date(due)} — "
                    f"{term('court.case_request', inp.entered_into_force)} после вступления судебного акта "
                    f"в законную силу ({cite('I.36')}).")


class FinalFormInput(Input):
    final_form_date: LegalDate


@rule("court.admin_cassation_petition_due", "Срок подачи кассационного ходатайства по административному делу",
      ("I.37",), output=DueOut, convention="K4")
def admin_cassation_petition_due(inp: FinalFormInput, cal: WorkingCalendar) -> Decision:
    """I.37: within one month of the resolution in its final form (K4)."""
    due = k4_months(cal, inp.final_form_date, limit("court.admin_cassation_petition", inp.final_form_date))
    return Decision({"due": due.isoformat()},
                    f"Кассационное ходатайство подаётся не позднее {ru_date(due)} — "
                    f"{term('court.admin_cassation_petition', inp.final_form_date)} со дня вынесения "
                    f"постановления в окончательной форме ({cite('I.37')}).")


class ArrestReviewInput(Input):
    received_at: Moment


class DueAtOut(Output):
    due_at: str


@rule("court.admin_arrest_review_due", "Срок проверки законности постановления об административном аресте",
      ("I.46",), output=DueAtOut, convention="K5")
def admin_arrest_review_due(inp: ArrestReviewInput, cal: WorkingCalendar) -> Decision:
    """I.46: the legality of a resolution on administrative arrest is checked within a day of
    its receipt (K5: 24 hours, the same UTC offset)."""
    due = k5_within_a_day(inp.received_at)
    text = due.isoformat(timespec="seconds")
    return Decision({"due_at": text},
                    f"Законность постановления об аресте проверяется до {due:%d.%m.%Y %H:%M} — в течение "
                    f"{term('court.admin_arrest_review', inp.received_at.date(), 'gen')} с момента поступления "
                    f"({cite('I.46')}).")


@rule("court.appellate_act_report_due", "Срок направления апелляционного акта в Генеральную прокуратуру",
      ("I.66",), output=DueOut, convention="K2")
def appellate_act_report_due(inp: FinalFormInput, cal: WorkingCalendar) -> Decision:
    """I.66: appellate acts against the prosecutor go to the GPO within 5 working days of the
    final form (K2)."""
    due = k2_working_days_after(cal, inp.final_form_date, limit("court.appellate_act_report", inp.final_form_date))
    return Decision({"due": due.isoformat()},
                    f"Судебный акт направляется в Генеральную прокуратуру не позднее {ru_date(due)} — в течение "
                    f"{term('court.appellate_act_report', inp.final_form_date, 'gen')} ({cite('I.66')}).")


class ReceivedInput(Input):
    received: LegalDate


@rule("court.violation_register_check_due", "Срок проверки судебного акта для реестра нарушений", ("I.66",),
      output=DueOut, convention="K2")
def violation_register_check_due(inp: ReceivedInput, cal: WorkingCalendar) -> Decision:
    """I.66: the superior prosecutor checks the act within 10 working days of its receipt (K2)."""
    due = k2_working_days_after(cal, inp.received, limit("court.violation_register_check", inp.received))
    return Decision({"due": due.isoformat()},
                    f"Вышестоящий прокурор проверяет судебный акт и решает вопрос о включении в реестр нарушений "
                    f"не позднее {ru_date(due)} — в течение "
                    f"{term('court.violation_register_check', inp.received, 'gen')} ({cite('I.66')}).")


class ComplaintHandlingInput(Input):
    case_type: CaseType
    covered: Flag = False
    from_state_body: Flag = False


class ComplaintHandlingOut(Output):
    action: Literal["consider", "return_with_explanation"]


@rule("court.complaint_handling", "Рассмотрение обращения о принесении протеста", ("I.33", "I.49"),
      output=ComplaintHandlingOut)
def complaint_handling(inp: ComplaintHandlingInput, cal: WorkingCalendar) -> Decision:
    """I.33, I.49: requests in cases of I.26/27/44 are considered, others returned with an
    explanation; an administrative-offence request from a state body is always considered."""
    consider = inp.covered or (inp.case_type == "admin_offence" and inp.from_state_body)
    where = cite("I.49") if inp.case_type == "admin_offence" else cite("I.33")
    if consider:
        return Decision({"action": "consider"}, f"Обращение подлежит рассмотрению ({where}).")
    return Decision({"action": "return_with_explanation"},
                    f"Обращение возвращается заявителю с разъяснением права самостоятельного обжалования ({where}).")


# ------------------------------------------------------------------------ GPO: I.38–I.40, I.54


class GpoCaseRequestInput(Input):
    special_instruction: Flag = False
    received_by_executor: LegalDate | None = None
    received_at_gpo: LegalDate | None = None


@rule("gpo.case_request_due", "Срок направления дела в Генеральную прокуратуру", ("I.39",), output=DueOut,
      convention="K2/K1")
def gpo_case_request_due(inp: GpoCaseRequestInput, cal: WorkingCalendar) -> Decision:
    """I.39: the case is requested within 5 working days of the petition reaching the executor
    (K2); on a special instruction it is sent within 15 calendar days (K1)."""
    if inp.special_instruction:
        if inp.received_at_gpo is None:
            raise InvalidInput.one("received_at_gpo", "обязательное поле при особом поручении")
        due = k1_calendar_days(cal, inp.received_at_gpo, limit("gpo.case_request_special", inp.received_at_gpo))
        how = f"{term('gpo.case_request_special', inp.received_at_gpo)} по особому поручению"
    else:
        if inp.received_by_executor is None:
            raise InvalidInput.one("received_by_executor", "обязательное поле")
        due = k2_working_days_after(cal, inp.received_by_executor,
                                    limit("gpo.case_request", inp.received_by_executor))
        how = f"{term('gpo.case_request', inp.received_by_executor)} с момента поступления ходатайства исполнителю"
    return Decision({"due": due.isoformat()}, f"Срок — {ru_date(due)} ({cite('I.39')}: {how}).")


class GpoCassationReviewInput(Input):
    received: LegalDate
    case_received: LegalDate | None = None


@rule("gpo.cassation_review_due", "Срок рассмотрения ходатайства о принесении кассационного протеста",
      ("I.40", "I.52"), output=DueOut, convention="K2")
def gpo_cassation_review_due(inp: GpoCassationReviewInput, cal: WorkingCalendar) -> Decision:
    """I.40, I.52: considered within 30 working days of receipt, or of receipt of the case (K2)."""
    start = inp.case_received or inp.received
    due = k2_working_days_after(cal, start, limit("gpo.cassation_review", start))
    since = "поступления дела" if inp.case_received else "поступления ходатайства"
    return Decision({"due": due.isoformat()},
                    f"Ходатайство рассматривается не позднее {ru_date(due)} — "
                    f"{term('gpo.cassation_review', start)} со дня {since} ({cite('I.40', 'I.52')}).")


class CassationPetitionInput(Input):
    filer_has_standing: Flag = False
    category_allowed: Flag = False
    within_term: Flag = False
    procedure_followed: Flag = False
    has_filer_details: Flag = False
    has_participants_details: Flag = False
    has_lower_courts_details: Flag = False
    identifies_contested_act: Flag = False
    states_substantive_violation: Flag = False
    exceptional_grounds_claimed: Flag = False
    states_exceptional_grounds: Flag = False
    signed: Flag = False
    filer_role: Literal["party", "legal_representative", "representative", "legal_consultant", "advocate"]
    has_power_of_attorney: Flag = False
    has_chamber_membership: Flag = False
    has_authority_docs: Flag = False
    has_advocate_docs: Flag = False


class DefectsOut(Output):
    return_: bool = Field(alias="return")
    defects: list[str]

_BASIC = ("filer_has_standing", "category_allowed", "within_term", "procedure_followed", "has_filer_details",
          "has_participants_details", "has_lower_courts_details", "identifies_contested_act",
          "states_substantive_violation")
_ROLE_DOCS = {
    "party": (),
    "representative": ("has_power_of_attorney",),
    "legal_consultant": ("has_power_of_attorney", "has_chamber_membership"),
    "legal_representative": ("has_authority_docs",),
    "advocate": ("has_advocate_docs",),
}


def _defects_decision(defects: list[str], where: str) -> Decision:
    if defects:
        return Decision({"return": True, "defects": defects},
                        f"Ходатайство возвращается заявителю: {', '.join(defects)} ({where}).")
    return Decision({"return": False, "defects": []}, f"Оснований для возврата ходатайства нет ({where}).")


@rule("gpo.cassation_petition_defects", "Основания возврата ходатайства о принесении кассационного протеста",
      ("I.38",), output=DefectsOut)
def cassation_petition_defects(inp: CassationPetitionInput, cal: WorkingCalendar) -> Decision:
    """I.38: a petition is returned when it fails any requirement of the codes, lacks the
    exceptional grounds it claims, is unsigned, or lacks the documents of its filer's role."""
    defects = [name for name in _BASIC if not getattr(inp, name)]
    if inp.exceptional_grounds_claimed and not inp.states_exceptional_grounds:
        defects.append("states_exceptional_grounds")
    if not inp.signed:
        defects.append("signed")
    defects += [name for name in _ROLE_DOCS[inp.filer_role] if not getattr(inp, name)]
    return _defects_decision(defects, cite("I.38"))


class AdminOffencePetitionInput(Input):
    own_cassation_used_or_good_reason: Flag = False
    grounds_851_5: Flag = False
    meets_848_8_9: Flag = False
    authorized_filer: Flag = False


@rule("gpo.admin_offence_petition_defects", "Основания возврата ходатайства по делу об административном "
      "правонарушении", ("I.54",), output=DefectsOut)
def admin_offence_petition_defects(inp: AdminOffencePetitionInput, cal: WorkingCalendar) -> Decision:
    """I.54: returned when the filer has not used the own cassation (without good reason), there
    are no grounds of art. 851 part 5 КоАП, art. 848 parts 8–9 are not met, or the filer is not
    authorized."""
    defects = [name for name in AdminOffencePetitionInput.model_fields if not getattr(inp, name)]
    return _defects_decision(defects, cite("I.54"))
