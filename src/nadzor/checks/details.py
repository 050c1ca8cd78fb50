"""What a stored check holds besides its contract steps (issue 8 §2), validated at entry.

`details` of a check's steps are never seen by `replay`, but storage checks them when a step is
recorded (and when checks are imported), so the UI, the API and the import refuse the same things:

* `opened`: the subject — `subject_name` (required, ≤ 500), `subject_location`, `subject_bin_iin`
  (12 digits with the check digit of RULES.md; `bin_iin`, as the new-check page posts it, is
  accepted and stored as `subject_bin_iin`), `protected_interests` (text).
* `resolution_signed` (I.13, I.22): `number`, `topic`, `period_from`, `period_to`, `assignees`
  (person ids of the office's staff, or specialists as `{name, organization}`),
  `subject_rights_duties`; the subject's location and BIN/IIN may be given here if the opening did
  not. The mandatory subject matter of I.22 is added (`anti_corruption`, `legal_acts_legality`,
  plus `offence_prevention` / `admin_offences` when `subject_is_prevention_subject` /
  `subject_has_admin_powers`), and the whole resolution is checked with
  `check.resolution_completeness`: an incomplete one is 422 naming each missing part
  (`details.topic`, …). Registration is its own later step (I.14), not a part required here.
* `composition_changed` (I.15): `assignees` (required) replaces the assignees.
* I.15: the conduct steps (`started`, `delivered`, `ended`, `certificate_delivered`,
  `objection_received`) are recorded only by the assignees, the head of the check's office or of an
  office above it (or whoever acts for them on the step's date), or an administrator / the CLI;
  anyone else gets 403 `not_assignee`.

Assignees are stored resolved: `{person_id, name, position}` for the staff, `{name, organization}`
for specialists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.casework.service import Refused
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import Office, Person
from nadzor.infra import policy
from nadzor.infra.context import Actor, Permission, Role
from nadzor.infra.errors import FieldError, InvalidInput, Message
from nadzor.org.service import authority_of, cached_tree
from nadzor.rules.instruction.checks import bin_iin_valid

#: I.15: steps that conduct the check, recorded only by those it is entrusted to.
CONDUCT_STEPS = frozenset({"started", "delivered", "ended", "certificate_delivered", "objection_received"})
MAX_ASSIGNEES = 50
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXTS = {"subject_name": 500, "subject_location": 500, "protected_interests": 2000, "number": 100,
          "topic": 1000, "subject_rights_duties": 5000, "prosecutor_name": 300}
_FLAGS = ("subject_is_prevention_subject", "subject_has_admin_powers")
_SUBJECT_MATTER = ("anti_corruption", "legal_acts_legality", "offence_prevention", "admin_offences")
_MISSING = "обязательная часть не указана"


class NotAssignee(Refused):
    """I.15: the person recording a conduct step is not among those the check is entrusted to (403)."""

    status = 403


def _text(details: dict[str, Any], name: str, errors: list[FieldError]) -> None:
    value = details.get(name)
    if value is None:
        return
    if not isinstance(value, str):
        errors.append(FieldError(f"details.{name}", "ожидается строка"))
    elif len(value) > _TEXTS[name]:
        errors.append(FieldError(f"details.{name}", Message("не длиннее %(n)s символов", n=_TEXTS[name])))
    else:
        details[name] = value.strip()


def _subject(details: dict[str, Any], errors: list[FieldError]) -> None:
    for name in ("subject_name", "subject_location", "protected_interests"):
        _text(details, name, errors)
    alias = details.pop("bin_iin", None)
    given = details.get("subject_bin_iin")
    if alias is not None and given is not None and alias != given:
        errors.append(FieldError("details.bin_iin", "БИН/ИИН указан дважды по-разному (bin_iin и subject_bin_iin)"))
        return
    value = given if given is not None else alias
    if value is None or value == "":
        details.pop("subject_bin_iin", None)
        return
    where = "details.subject_bin_iin" if given is not None else "details.bin_iin"
    if not isinstance(value, str) or not bin_iin_valid(value.strip()):
        errors.append(FieldError(where, "БИН/ИИН — 12 цифр с верным контрольным разрядом"))
        return
    details["subject_bin_iin"] = value.strip()


def detail_day(details: dict[str, Any], name: str, errors: list[FieldError]) -> date | None:
    """`details[name]` as a date (None when absent); a malformed or impossible one is an error on
    `details.<name>`."""
    value = details.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        errors.append(FieldError(f"details.{name}", "ожидается дата в формате ГГГГ-ММ-ДД"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(f"details.{name}", Message("такой даты не существует: %(value)s", value=value)))
        return None


def _assignees(session: Session, office: Office, value: Any, on: date | None,
               errors: list[FieldError]) -> list[dict[str, Any]] | None:
    """Person ids of the office's staff or specialists `{name, organization}` → stored objects."""
    if not isinstance(value, list):
        errors.append(FieldError("details.assignees", "ожидается список: номера сотрудников прокуратуры или "
                                                      "специалисты {name, organization}"))
        return None
    if len(value) > MAX_ASSIGNEES:
        errors.append(FieldError("details.assignees", Message("не больше %(n)s лиц", n=MAX_ASSIGNEES)))
        return None
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, item in enumerate(value):
        where = f"details.assignees.{i}"
        if isinstance(item, dict) and set(item) == {"person_id"}:
            item = item["person_id"]
        if isinstance(item, int) and not isinstance(item, bool):
            person = session.get(Person, item) if 1 <= item < 2**63 else None
            if person is None or person.office_id != office.id:
                errors.append(FieldError(where, Message(
                    "нет сотрудника %(id)s в штате прокуратуры, проводящей проверку", id=item)))
            elif item in seen:
                errors.append(FieldError(where, "сотрудник указан дважды"))
            else:
                seen.add(item)
                position = authority_of(session, person, on).position if on is not None else person.position
                out.append({"person_id": item, "name": person.full_name, "position": position})
            continue
        if isinstance(item, dict) and set(item) <= {"name", "organization"}:
            name, organization = item.get("name"), item.get("organization")
            bad = [k for k, v in (("name", name), ("organization", organization))
                   if not isinstance(v, str) or not v.strip() or len(v) > 300]
            for key in bad:
                errors.append(FieldError(f"{where}.{key}", "ожидается непустая строка не длиннее 300 символов"))
            if not bad:
                assert isinstance(name, str) and isinstance(organization, str)
                out.append({"name": name.strip(), "organization": organization.strip()})
            continue
        errors.append(FieldError(where, "ожидается номер сотрудника или специалист {name, organization}"))
    return out


def _latest(prior: Sequence[tuple[dict[str, Any], dict[str, Any] | None]], step_type: str) -> dict[str, Any]:
    for data, details in reversed(prior):
        if data.get("type") == step_type:
            return dict(details or {})
    return {}


def entered(session: Session, office: Office, step: dict[str, Any], details: dict[str, Any] | None,
            prior: Sequence[tuple[dict[str, Any], dict[str, Any] | None]],
            signers: dict[str, Person], *, calendar: WorkingCalendar) -> dict[str, Any] | None:
    """The details of a check's step as stored, or `InvalidInput` naming every bad or missing part.
    `prior`: the live earlier steps as `(contract object, details)`; `step` is the contract object
    (signers resolved); `signers` the people who sign it, where given as people."""
    step_type = step.get("type")
    if step_type not in ("opened", "resolution_signed", "composition_changed"):
        return details
    out: dict[str, Any] = dict(details or {})
    errors: list[FieldError] = []
    day = _step_day(step)
    if step_type == "opened":
        _subject(out, errors)
        if not errors and not out.get("subject_name"):
            errors.append(FieldError("details.subject_name", "обязательная часть не указана: наименование "
                                                             "проверяемого субъекта (ФИО лица)"))
    elif step_type == "composition_changed":
        if out.get("assignees") in (None, []):
            errors.append(FieldError("details.assignees", "обязательная часть не указана: новый состав лиц, "
                                                          "проводящих проверку (п. 15 Инструкции)"))
        else:
            found = _assignees(session, office, out["assignees"], day, errors)
            if found is not None:
                out["assignees"] = found
    else:
        _resolution(session, office, step, out, prior, signers, errors, calendar)
    if errors:
        raise InvalidInput(errors)
    return out


def _step_day(step: dict[str, Any]) -> date | None:
    value = step.get("date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _resolution(session: Session, office: Office, step: dict[str, Any], out: dict[str, Any],
                prior: Sequence[tuple[dict[str, Any], dict[str, Any] | None]], signers: dict[str, Person],
                errors: list[FieldError], calendar: WorkingCalendar) -> None:
    _subject(out, errors)
    for name in ("number", "topic", "subject_rights_duties", "prosecutor_name"):
        _text(out, name, errors)
    if isinstance(out.get("number"), int) and not isinstance(out.get("number"), bool):
        out["number"] = str(out["number"])
    period_from, period_to = detail_day(out, "period_from", errors), detail_day(out, "period_to", errors)
    if period_from and period_to and period_to < period_from:
        errors.append(FieldError("details.period_to", "конец проверяемого периода раньше его начала"))
    for name in _FLAGS:
        if out.get(name) not in (None, True, False):
            errors.append(FieldError(f"details.{name}", "ожидается логическое значение true или false"))
    matter = out.get("subject_matter") or []
    if not isinstance(matter, list) or any(m not in _SUBJECT_MATTER for m in matter):
        errors.append(FieldError("details.subject_matter", Message("недопустимое значение; допустимые: %(values)s",
                                                                   values=", ".join(_SUBJECT_MATTER))))
        matter = []
    if out.get("assignees") not in (None, []):
        found = _assignees(session, office, out["assignees"], _step_day(step), errors)
        if found is not None:
            out["assignees"] = found
    if errors:
        return
    if any(_step_day({"date": step.get(k)}) is None for k in ("date", "start_date", "end_date")):
        return  # the step's own dates are the kernel's to name (`step.start_date`, …)
    needed = ["anti_corruption", "legal_acts_legality"]  # I.22: every check includes them
    if out.get("subject_is_prevention_subject"):
        needed.append("offence_prevention")
    if out.get("subject_has_admin_powers"):
        needed.append("admin_offences")
    out["subject_matter"] = [m for m in _SUBJECT_MATTER if m in set(matter) | set(needed)]
    opening = _latest(prior, "opened")
    first = prior[0][0] if prior else {}
    person = signers.get("signer")
    given = step.get("signer")
    signer: dict[str, Any] = given if isinstance(given, dict) else {}
    resolution = {
        "number": out.get("number"), "date": step.get("date"), "authority": office.name_ru,
        "prosecutor_name": person.full_name if person is not None else out.get("prosecutor_name"),
        "prosecutor_position": signer.get("position"),
        "grounds": first.get("basis"),
        "subject_name": out.get("subject_name") or opening.get("subject_name"),
        "subject_location": out.get("subject_location") or opening.get("subject_location"),
        "subject_bin_iin": out.get("subject_bin_iin") or opening.get("subject_bin_iin"),
        "topic": out.get("topic"), "period_from": out.get("period_from"), "period_to": out.get("period_to"),
        "assignees": out.get("assignees"), "start_date": step.get("start_date"), "end_date": step.get("end_date"),
        "subject_rights_duties": out.get("subject_rights_duties"), "signer": signer or None,
        "subject_matter": out["subject_matter"], "regime": "enforcement",  # registration: a later step (I.14)
    }
    answer = rules.evaluate("check.resolution_completeness", {"resolution": resolution}, calendar=calendar)
    for part in answer["result"]["missing"]:
        if part == "end_date.too_late":
            continue  # the term is the kernel's refusal `term_too_long` (I.16)
        if part == "signer":
            errors.append(FieldError("step.signer_person_id", "обязательная часть не указана: подпись (п. 13 "
                                                              "Инструкции)"))
        elif part == "subject_bin_iin.invalid":
            errors.append(FieldError("details.subject_bin_iin", "БИН/ИИН — 12 цифр с верным контрольным разрядом"))
        elif part in ("start_date", "end_date", "date"):
            errors.append(FieldError(f"step.{part}", _MISSING))
        else:
            errors.append(FieldError(f"details.{part}", "обязательная часть не указана в постановлении (пп. 13, 22 "
                                                        "Инструкции)"))


def assignee_ids(prior: Sequence[tuple[dict[str, Any], dict[str, Any] | None]]) -> set[int]:
    """The current composition: the last `composition_changed`'s assignees, else the resolution's."""
    for data, details in reversed(prior):
        if data.get("type") in ("composition_changed", "resolution_signed"):
            found = (details or {}).get("assignees") or []
            return {a["person_id"] for a in found if isinstance(a, dict) and isinstance(a.get("person_id"), int)}
    return set()


def require_conduct_right(session: Session, actor: Actor, office: Office, step: dict[str, Any],
                          prior: Sequence[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
    """I.15: only the assignees conduct the check (also its office's head or a superior head, or whoever
    acts for them on the step's date; administrators and the CLI) — `policy.CONDUCT_CHECK`."""
    if step.get("type") not in CONDUCT_STEPS:
        return
    roles: set[Role] = set()
    if policy.is_assignee(actor.person_id, assignee_ids(prior)):
        roles.add(Role.ASSIGNEE)
    person = session.get(Person, actor.person_id) if actor.person_id is not None else None
    day = _step_day(step)
    if person is not None and day is not None and office.id is not None and policy.heads_office_or_above(
            authority_of(session, person, day), cached_tree(session), office.id):
        roles.add(Role.HEAD)
    policy.require_on(actor, Permission.CONDUCT_CHECK, roles, NotAssignee(
        "not_assignee", ["I.15"], "Проверка проводится только лицами, указанными в постановлении о её назначении "
                                  "(п. 15 Инструкции): вы не в их числе."))


def card(steps: Sequence[Any]) -> dict[str, Any]:
    """What the check's card shows besides its state (issue 8 §2): the subject, the resolution's
    details (with its date, term and signer), the registration, and the current assignees."""
    live = [(row.data, row.details) for row in steps if not row.withdrawn]
    opening = dict(live[0][1] or {}) if live else {}
    subject = {k: opening.get(k) for k in ("subject_name", "subject_location", "subject_bin_iin",
                                            "protected_interests")}
    resolution: dict[str, Any] | None = None
    registration: dict[str, Any] | None = None
    for data, details in live:
        if data.get("type") == "resolution_signed":
            resolution = dict(details or {}) | {k: data.get(k) for k in ("date", "start_date", "end_date", "signer")}
        elif data.get("type") == "registered":
            registration = {"number": data.get("number"), "date": data.get("date")}
    assignees: list[dict[str, Any]] = []
    for data, details in reversed(live):
        if data.get("type") in ("composition_changed", "resolution_signed"):
            assignees = [a for a in (details or {}).get("assignees") or [] if isinstance(a, dict)]
            break
    return {"subject_details": subject, "resolution": resolution, "registration": registration,
            "assignees": assignees}
