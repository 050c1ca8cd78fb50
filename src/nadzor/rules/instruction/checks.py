"""Instruction, chapter 2: checks of compliance with the law (I.6–I.25)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.terms import Pause, k1_calendar_days, k2_working_days_after, k3_working_days_before, k6_last_day
from nadzor.rules.base import (
    AllowedOut,
    CompletenessOut,
    Decision,
    DueOut,
    FieldError,
    Flag,
    Input,
    InvalidInput,
    Items,
    LegalDate,
    OptDays,
    OptFlag,
    OptList,
    Output,
    PlainDate,
    Signer,
    cite,
    ru_date,
    rule,
    signer_rule,
)
from nadzor.rules.limits import limit, term

ProtectedInterest = Literal["vulnerable_persons", "indefinite_circle", "irreversible_consequences"]
Exception_ = Literal["law_enforcement_supervision", "conflict_of_interest", "complaint_against_control_body"]

# ------------------------------------------------------------------------ I.6–I.12: admissibility


class AdmissibilityInput(Input):
    subject_kind: Literal["state_body", "business", "other_organization"]
    basis: Literal[
        "president_instruction", "gp_instruction", "protect_rights", "admin_offence_proceedings", "admin_arrest"
    ]
    protected_interest: OptList[ProtectedInterest] = []
    control_body_failed: OptFlag = False
    exceptions: OptList[Exception_] = []


class AdmissibilityOut(Output):
    admissible: bool
    requires: list[str]


def admissibility_requires(subject_kind: str, basis: str, protected_interest: Sequence[str],
                           control_body_failed: bool, exceptions: Sequence[str]) -> list[str]:
    """What the check still requires to be admissible (I.7–I.12); empty iff admissible."""
    if basis in ("president_instruction", "gp_instruction"):
        return []
    if subject_kind == "business":
        return ["gp_petition"]
    if subject_kind == "other_organization":
        return ["gp_instruction"]
    if basis in ("admin_offence_proceedings", "admin_arrest"):
        return []
    requires = []
    if not protected_interest:
        requires.append("protected_interest")
    if not (control_body_failed or exceptions):
        requires.append("control_body_failure_or_exception")
    return requires


@rule(
    "check.admissibility",
    "Допустимость назначения проверки",
    ("I.6", "I.7", "I.8", "I.9", "I.10", "I.11", "I.12"),
    output=AdmissibilityOut,
)
def admissibility(inp: AdmissibilityInput, cal: WorkingCalendar) -> Decision:
    """I.7: on an instruction of the President or the Prosecutor General — any subject. I.10: a
    business only on the Prosecutor General's instruction after a petition. I.8–9: a state body to
    protect rights — a protected interest and a failure of the control body (or an exception of
    I.9). I.11–12: administrative-offence proceedings and administrative arrest."""
    requires = admissibility_requires(inp.subject_kind, inp.basis, inp.protected_interest, inp.control_body_failed,
                                      inp.exceptions)
    if inp.basis in ("president_instruction", "gp_instruction"):
        why = ("проверка по поручению Президента РК или Генерального Прокурора проводится в любых организациях "
               "(п. 7 Инструкции)")
    elif inp.subject_kind == "business":
        why = ("проверка субъекта предпринимательства инициируется ходатайством к Генеральному Прокурору "
               "и проводится по его поручению (п. 10 Инструкции)")
    elif inp.subject_kind == "other_organization":
        why = ("проверка иной организации возможна только по поручению Президента РК или Генерального "
               "Прокурора (п. 7 Инструкции)")
    elif inp.basis in ("admin_offence_proceedings", "admin_arrest"):
        why = ("проверка законности производства по делам об административных правонарушениях и исполнения "
               "ареста проводится в пределах полномочий прокурора (пп. 11, 12 Инструкции)")
    else:
        why = ("проверка государственного органа для защиты прав требует охраняемого интереса и установленного "
               "бездействия органа контроля либо исключения (пп. 8, 9 Инструкции)")
    verdict = "допустима" if not requires else "недопустима"
    return Decision({"admissible": not requires, "requires": requires}, f"Проверка {verdict}: {why}.")


#: I.13: who issues the resolution on a check (and, PROCEEDINGS.md, the other resolutions on it).
RESOLUTION_SIGNERS = ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor",
                      "deputy_regional_prosecutor", "district_prosecutor")
signer_rule(
    "check.resolution_signer",
    "Вынесение постановления о производстве проверки",
    ("I.13",),
    RESOLUTION_SIGNERS,
    "выносить постановление о производстве проверки",
)

# ------------------------------------------------------------- I.13, I.14, I.22: the resolution


def _blank_to_none(value: Any) -> Any:
    return None if value in ("", None) else value


def _number_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _empty_signer(value: Any) -> Any:
    return None if value in ({}, None) else value


OptDate = Annotated[PlainDate | None, BeforeValidator(_blank_to_none)]
Present = Any  # only its presence is examined: absent, null, "" and [] count as missing
SubjectMatter = Literal["anti_corruption", "legal_acts_legality", "offence_prevention", "admin_offences"]


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def bin_iin_valid(number: str) -> bool:
    """The check digit of a 12-digit BIN/IIN: c = Σ dᵢ·i mod 11 (i = 1…11); if c = 10, weights
    3…11,1,2; if 10 again the number is invalid; otherwise valid iff c = d12."""
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    d = [int(ch) for ch in number]
    c = sum(d[i] * (i + 1) for i in range(11)) % 11
    if c == 10:
        weights = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
        c = sum(d[i] * weights[i] for i in range(11)) % 11
        if c == 10:
            return False
    return c == d[11]


class Resolution(Input):
    number: Annotated[Present, BeforeValidator(_number_text)] = None
    date: OptDate = None
    authority: Present = None
    prosecutor_name: Present = None
    prosecutor_position: Present = None
    grounds: Present = None
    subject_name: Present = None
    subject_location: Present = None
    subject_bin_iin: Annotated[Present, BeforeValidator(_number_text)] = None
    topic: Present = None
    period_from: OptDate = None
    period_to: OptDate = None
    assignees: Items[Any] | None = None
    start_date: OptDate = None
    end_date: OptDate = None
    subject_rights_duties: Present = None
    signer: Annotated[Signer | None, BeforeValidator(_empty_signer)] = None
    subject_matter: Items[SubjectMatter] | None = None
    subject_is_prevention_subject: Flag = False
    subject_has_admin_powers: Flag = False
    registration_number: Annotated[Present, BeforeValidator(_number_text)] = None
    registration_date: OptDate = None
    regime: Literal["general", "enforcement", "admin_offence"] | None = None


class ResolutionCompletenessInput(Input):
    resolution: Resolution


_RESOLUTION_REQUIRED = (
    "number", "date", "authority", "prosecutor_name", "prosecutor_position", "grounds", "subject_name",
    "subject_location", "subject_bin_iin", "topic", "period_from", "period_to", "assignees", "start_date",
    "end_date", "subject_rights_duties", "signer",
)


@rule(
    "check.resolution_completeness",
    "Полнота постановления о производстве проверки",
    ("I.13", "I.14", "I.22"),
    output=CompletenessOut,
)
def resolution_completeness(inp: ResolutionCompletenessInput, cal: WorkingCalendar) -> Decision:
    """I.13: what the resolution states; I.14: its registration with the legal statistics body
    before the check starts (except enforcement and administrative-offence regimes); I.22: the
    subject matter every check includes; I.16: the check lasts at most 30 calendar days (K6)."""
    r = inp.resolution
    missing = [name for name in _RESOLUTION_REQUIRED if _is_missing(getattr(r, name))]
    matter = set(r.subject_matter or ())
    needed = ["anti_corruption", "legal_acts_legality"]
    if r.subject_is_prevention_subject:
        needed.append("offence_prevention")
    if r.subject_has_admin_powers:
        needed.append("admin_offences")
    missing += [f"subject_matter.{code}" for code in needed if code not in matter]
    if r.regime in (None, "general"):
        missing += [name for name in ("registration_number", "registration_date") if _is_missing(getattr(r, name))]
        if r.registration_date and r.start_date and r.registration_date > r.start_date:
            missing.append("registration_date.after_start")
    if not _is_missing(r.subject_bin_iin) and not bin_iin_valid(str(r.subject_bin_iin)):
        missing.append("subject_bin_iin.invalid")
    if r.start_date and r.end_date:
        last = k6_last_day(r.start_date, limit("check.duration", r.start_date)).last_day
        if last is not None and r.end_date > last:
            missing.append("end_date.too_late")
    missing.sort()
    if missing:
        text = f"Постановление неполно: {', '.join(missing)} ({cite('I.13', 'I.14', 'I.22')})."
    else:
        text = f"Постановление содержит все сведения, предусмотренные {cite('I.13', 'I.14', 'I.22')}."
    return Decision({"complete": not missing, "missing": missing}, text)


# ------------------------------------------------------------------ I.16–I.18: term of the check


class Suspension(Input):
    from_: LegalDate = Field(alias="from")
    to: LegalDate | None


class CheckLastDayInput(Input):
    start: LegalDate
    suspensions: OptList[Suspension] = []
    extension_days: OptDays = 0

    @model_validator(mode="after")
    def _consistent(self) -> CheckLastDayInput:
        check_suspensions(self.start, self.suspensions)
        return self


def check_suspensions(start: date, suspensions: list[Suspension]) -> None:
    """start ≤ from < to; no overlaps; only the last may be open (to: null). Overlaps are found
    by one sweep in order of start (O(n log n)): of two overlapping suspensions the one that
    starts later (on a tie, the later one in the input) is reported, naming the other."""
    errors: list[FieldError] = []
    last = len(suspensions) - 1
    for i, s in enumerate(suspensions):
        if s.from_ < start:
            errors.append(FieldError(f"suspensions.{i}.from", "приостановление не может начаться до начала проверки"))
        if s.to is None and i != last:
            errors.append(FieldError(f"suspensions.{i}.to",
                                     "без даты возобновления может быть только последнее приостановление"))
        if s.to is not None and s.to <= s.from_:
            errors.append(FieldError(f"suspensions.{i}.to",
                                     "дата возобновления должна быть позже даты приостановления"))
    if not errors:
        reach, owner = date.min, -1  # the latest end so far, and whose it is
        for i in sorted(range(len(suspensions)), key=lambda k: (suspensions[k].from_, k)):
            s = suspensions[i]
            if s.from_ < reach:
                errors.append(FieldError(f"suspensions.{i}.from",
                                         f"приостановление пересекается с приостановлением {owner}"))
            end = s.to or date.max
            if end > reach:
                reach, owner = end, i
        errors.sort(key=lambda e: int(e.field.split(".")[1]))
    if errors:
        raise InvalidInput(errors)


class CheckLastDayOut(Output):
    last_day: str | None
    suspended: bool


@rule("check.last_day", "Последний день проверки", ("I.16", "I.17"), output=CheckLastDayOut, convention="K6")
def check_last_day(inp: CheckLastDayInput, cal: WorkingCalendar) -> Decision:
    """I.16: a check lasts at most 30 calendar days, extended by at most 30; I.17: a suspension
    pauses the clock, which runs again from the day of resumption (K6)."""
    pauses = [Pause(s.from_, s.to) for s in inp.suspensions]
    span = k6_last_day(inp.start, limit("check.duration", inp.start), inp.extension_days, pauses)
    where = cite("I.16", "I.17")
    if span.last_day is None:
        return Decision(
            {"last_day": None, "suspended": True},
            f"Проверка приостановлена; срок продолжится со дня возобновления ({where}).",
        )
    return Decision(
        {"last_day": span.last_day.isoformat(), "suspended": False},
        f"Последний день проверки — {ru_date(span.last_day)}: {term('check.duration', inp.start)} "
        f"с {ru_date(inp.start)}, "
        f"продление {inp.extension_days} дн., приостановление {span.paused_days} дн. ({where}).",
    )


Addressee = Literal["prosecutor_general", "regional_prosecutor"]


class ExtensionPetitionDueInput(Input):
    last_day: LegalDate
    addressee: Addressee


@rule("check.extension_petition_due", "Срок внесения ходатайства о продлении проверки", ("I.16",),
      output=DueOut, convention="K3")
def extension_petition_due(inp: ExtensionPetitionDueInput, cal: WorkingCalendar) -> Decision:
    """I.16: not later than 5 working days (to the Prosecutor General) or 7 working days (to the
    regional prosecutor) before the check's term ends (K3)."""
    to_gp = inp.addressee == "prosecutor_general"
    key = "check.extension_petition_to_gp" if to_gp else "check.extension_petition_to_regional"
    due = k3_working_days_before(cal, inp.last_day, limit(key, inp.last_day))
    whom = "Генеральному Прокурору" if inp.addressee == "prosecutor_general" else "прокурору области"
    return Decision(
        {"due": due.isoformat()},
        f"Ходатайство о продлении {whom} вносится не позднее {ru_date(due)} — за {term(key, inp.last_day)} "
        f"до истечения срока проверки {ru_date(inp.last_day)} ({cite('I.16')}).",
    )


EXTENSION_SIGNERS = {
    "prosecutor_general": ("deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor"),
    "regional_prosecutor": ("deputy_regional_prosecutor", "regional_unit_head", "district_prosecutor"),
}


class ExtensionPetitionSignerInput(Input):
    addressee: Addressee
    signer: Signer


@rule("check.extension_petition_signer", "Подписание ходатайства о продлении проверки", ("I.16",),
      output=AllowedOut)
def extension_petition_signer(inp: ExtensionPetitionSignerInput, cal: WorkingCalendar) -> Decision:
    """I.16: to the Prosecutor General — a deputy Prosecutor General, a head of an independent GPO
    unit, a regional prosecutor; to the regional prosecutor — the deputy, a head of a unit of the
    regional office, a district prosecutor (and persons acting for them)."""
    ok = inp.signer.effective in EXTENSION_SIGNERS[inp.addressee]
    whom = "Генеральному Прокурору" if inp.addressee == "prosecutor_general" else "прокурору области"
    who = inp.signer.describe()
    return Decision(
        {"allowed": ok},
        f"{who[0].upper()}{who[1:]} {'вправе' if ok else 'не вправе'} подписать ходатайство о продлении "
        f"проверки, вносимое {whom} ({cite('I.16')}).",
    )


SUSPENSION_UNTIL = {
    "expertise": "expert_opinion",
    "foreign_request": "foreign_reply",
    "illness": "obstacle_removed",
    "force_majeure": "obstacle_removed",
    "wanted_persons": "obstacle_removed",
    "procedural_actions": "obstacle_removed",
    "requests_sent": "obstacle_removed",
}
_UNTIL_RU = {
    "expert_opinion": "до получения заключения эксперта",
    "foreign_reply": "до получения сведений и документов от иностранных государств",
    "obstacle_removed": "до устранения препятствия",
}


class SuspensionGroundInput(Input):
    ground: Annotated[str, Field(strict=True)]


class SuspensionGroundOut(Output):
    allowed: bool
    until: Literal["expert_opinion", "foreign_reply", "obstacle_removed"] | None


@rule("check.suspension_ground", "Основание приостановления проверки", ("I.17",), output=SuspensionGroundOut)
def suspension_ground(inp: SuspensionGroundInput, cal: WorkingCalendar) -> Decision:
    """I.17: a check is suspended only for an expertise, a request to a foreign state, or an
    obstacle (illness, force majeure, a search for persons, procedural actions, requests sent)."""
    until = SUSPENSION_UNTIL.get(inp.ground)
    if until is None:
        return Decision({"allowed": False, "until": None},
                        f"Основание «{inp.ground}» не предусмотрено для приостановления проверки ({cite('I.17')}).")
    return Decision({"allowed": True, "until": until},
                    f"Проверка приостанавливается {_UNTIL_RU[until]} ({cite('I.17')}).")


class IssuedInput(Input):
    issued: LegalDate


class NoticeOut(Output):
    due: str
    notify: list[str]


@rule("check.order_notice_due", "Уведомление о постановлении по проверке", ("I.18",), output=NoticeOut,
      convention="K2")
def order_notice_due(inp: IssuedInput, cal: WorkingCalendar) -> Decision:
    """I.18: a resolution extending, suspending or resuming a check, or changing its team, is
    notified to the legal statistics body and the subject within 3 working days (K2)."""
    due = k2_working_days_after(cal, inp.issued, limit("check.order_notice", inp.issued))
    return Decision(
        {"due": due.isoformat(), "notify": ["legal_statistics_body", "subject"]},
        f"Орган правовой статистики и проверяемый субъект уведомляются не позднее {ru_date(due)} "
        f"({cite('I.18')}: {term('check.order_notice', inp.issued)} со дня вынесения постановления).",
    )


# --------------------------------------------------------------------------- I.23: the certificate


class CheckEndInput(Input):
    check_end: LegalDate


@rule("check.certificate_delivery_due", "Срок вручения справки о результатах проверки", ("I.23",),
      output=DueOut, convention="K2")
def certificate_delivery_due(inp: CheckEndInput, cal: WorkingCalendar) -> Decision:
    """I.23: the certificate is handed to the subject within 5 working days after the check (K2)."""
    due = k2_working_days_after(cal, inp.check_end, limit("check.certificate_delivery", inp.check_end))
    return Decision({"due": due.isoformat()},
                    f"Справка вручается проверяемому субъекту не позднее {ru_date(due)} — "
                    f"{term('check.certificate_delivery', inp.check_end)} после окончания проверки ({cite('I.23')}).")


class DeliveredInput(Input):
    delivered: LegalDate


@rule("check.certificate_objection_due", "Срок представления возражений к справке", ("I.23",),
      output=DueOut, convention="K2")
def certificate_objection_due(inp: DeliveredInput, cal: WorkingCalendar) -> Decision:
    """I.23: objections to the certificate are filed within 5 working days of its delivery (K2)."""
    due = k2_working_days_after(cal, inp.delivered, limit("check.certificate_objection", inp.delivered))
    return Decision({"due": due.isoformat()},
                    f"Возражения к справке представляются письменно не позднее {ru_date(due)} — "
                    f"{term('check.certificate_objection', inp.delivered)} со дня вручения ({cite('I.23')}).")


class Certificate(Input):
    date: OptDate = None
    place: Present = None
    grounds: Present = None
    subject_name: Present = None
    topic: Present = None
    general_info: Present = None
    legality_assessment: Present = None
    causes_analysis: Present = None
    remedy_mechanism: Present = None
    conclusions: Present = None
    signatures: Items[Any] | None = None


class CertificateCompletenessInput(Input):
    certificate: Certificate


@rule("check.certificate_completeness", "Полнота справки о результатах проверки", ("I.23",),
      output=CompletenessOut)
def certificate_completeness(inp: CertificateCompletenessInput, cal: WorkingCalendar) -> Decision:
    """I.23: what the certificate on the results of a check contains."""
    c = inp.certificate
    missing = sorted(name for name in Certificate.model_fields if _is_missing(getattr(c, name)))
    if missing:
        return Decision({"complete": False, "missing": missing},
                        f"В справке не хватает: {', '.join(missing)} ({cite('I.23')}).")
    return Decision({"complete": True, "missing": []},
                    f"Справка содержит все сведения, предусмотренные {cite('I.23')}.")


# ---------------------------------------------------------------- I.10: checks of businesses


class BusinessPetitionReviewInput(Input):
    received: LegalDate
    additional_info_requested: Flag = False


@rule("check.business_petition_review_due", "Срок рассмотрения ходатайства о проверке субъекта "
      "предпринимательства", ("I.10",), output=DueOut, convention="K2/K1")
def business_petition_review_due(inp: BusinessPetitionReviewInput, cal: WorkingCalendar) -> Decision:
    """I.10: the petition is considered within 10 working days of receipt (K2), or within 30
    calendar days when additional information is requested (K1)."""
    if inp.additional_info_requested:
        due = k1_calendar_days(cal, inp.received, limit("check.business_petition_review_extra_info", inp.received))
        how = f"{term('check.business_petition_review_extra_info', inp.received)} при истребовании " \
              "дополнительной информации"
    else:
        due = k2_working_days_after(cal, inp.received, limit("check.business_petition_review", inp.received))
        how = f"{term('check.business_petition_review', inp.received)} со дня поступления"
    return Decision({"due": due.isoformat()},
                    f"Ходатайство рассматривается не позднее {ru_date(due)} ({cite('I.10')}: {how}).")


#: I.10: who signs the petition to the Prosecutor General for a check of a business.
BUSINESS_PETITION_SIGNERS = ("deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor")
signer_rule(
    "check.business_petition_signer",
    "Подписание ходатайства о проверке субъекта предпринимательства",
    ("I.10",),
    BUSINESS_PETITION_SIGNERS,
    "подписывать ходатайство Генеральному Прокурору о назначении проверки субъекта предпринимательства",
)

signer_rule(
    "check.expertise_resolution_signer",
    "Вынесение постановления о назначении экспертизы",
    ("I.20",),
    ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "regional_prosecutor",
     "deputy_regional_prosecutor", "regional_unit_head", "district_prosecutor"),
    "выносить постановление о назначении экспертизы",
)


class OrmResolutionSignerInput(Input):
    signer: Signer
    supervising_deputy: Flag = False


@rule("check.orm_resolution_signer", "Вынесение постановления о проведении оперативно-розыскных мероприятий",
      ("I.19",), output=AllowedOut)
def orm_resolution_signer(inp: OrmResolutionSignerInput, cal: WorkingCalendar) -> Decision:
    """I.19: the Prosecutor General, the deputy who supervises this branch, regional prosecutors,
    or persons acting for them."""
    pos = inp.signer.effective
    ok = pos in ("prosecutor_general", "regional_prosecutor") or (
        pos == "deputy_prosecutor_general" and inp.supervising_deputy
    )
    who = inp.signer.describe()
    note = " (только заместитель, курирующий данную отрасль надзора)" if pos == "deputy_prosecutor_general" else ""
    return Decision(
        {"allowed": ok},
        f"{who[0].upper()}{who[1:]} {'вправе' if ok else 'не вправе'} выносить постановление о проведении "
        f"оперативно-розыскных мероприятий{note} ({cite('I.19')}).",
    )


class LawsuitAllowedInput(Input):
    protected_interest: Items[ProtectedInterest] = []


@rule("check.lawsuit_allowed", "Предъявление иска по результатам проверки", ("I.25",), output=AllowedOut)
def lawsuit_allowed(inp: LawsuitAllowedInput, cal: WorkingCalendar) -> Decision:
    """I.25: a lawsuit is brought to protect the persons of I.8; otherwise everyone's right to go
    to court themselves is explained."""
    if inp.protected_interest:
        return Decision({"allowed": True},
                        f"Иск предъявляется для защиты лиц, указанных в п. 8 Инструкции ({cite('I.25')}).")
    return Decision(
        {"allowed": False},
        "Оснований для предъявления иска прокурором нет: разъясняется право лица на самостоятельную "
        f"защиту своих прав и свобод в судебном порядке ({cite('I.25')}).",
    )
