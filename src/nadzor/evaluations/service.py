"""Evaluations of acts beyond the kernel (issue 9; Rules ch. 3, R.24–R.32): what a step holds besides
its contract object, validated when it is recorded (through the API, the pages and the import alike).

* **The study of R.26** (`studied`): `details.checklist` — one entry per item R.26 names (competence
  and powers, conformity with the laws, contradiction with normative acts including higher ones, state
  registration, publication), each with a finding (`conforms`, `violates`, `not_applicable`) and a
  note (required for a violation: what was found). The items found `violates` are exactly the step's
  `violations`; every item is answered. A study recorded through the API or the pages must carry it;
  an imported past record may lack it (its other system may not have kept one), but if given it is
  validated the same way.
* **The application to court of R.31** (`court_application`): `details.court` and
  `details.procedure_code` (ГПК or АППК), required when recorded, validated when imported.
* **The transfer of R.28** (`transferred`): `details.target_office_id` — the competent prosecutor's
  office, chosen from the office tree: an existing office, valid on the step's date, other than the
  evaluating one; stored with its name as on that date (`details.transfer_to`, the letter's addressee).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from nadzor.domain.org import Office
from nadzor.infra.errors import InvalidInput, Listing, Message
from nadzor.proceedings.evaluation import VIOLATIONS

#: The items of R.26 in its order (the kernel's `violations` codes) and their Russian wording.
CHECKLIST_ITEMS = VIOLATIONS
ITEM_LABELS = {
    "competence": "наличие компетенции и полномочий по принятию акта",
    "conformity": "соответствие установленным законами требованиям",
    "contradiction": "отсутствие противоречий нормативным правовым актам, в том числе вышестоящих уровней",
    "registration": "наличие государственной регистрации (при необходимости)",
    "publication": "опубликование в установленном законом порядке (при необходимости)",
}
FINDINGS = {"conforms": "соответствует", "violates": "не соответствует", "not_applicable": "не применимо"}
NOTE_MAX = 2000
#: R.31: the codes an application to court is made under.
PROCEDURE_CODES = ("ГПК", "АППК")


def entered(session: Session, office: Office, step: dict[str, Any], details: dict[str, Any] | None, *,
            imported: bool = False) -> dict[str, Any] | None:
    """An evaluation step's details as stored (see the module's text); `InvalidInput` keyed by
    `details.…` otherwise."""
    if step.get("type") == "studied":
        return _studied(step, details, imported=imported)
    if step.get("type") == "transferred":
        return _transferred(session, office, step, details)
    if step.get("type") == "court_application":
        return _court_application(details, imported=imported)
    return details


def _court_application(details: dict[str, Any] | None, *, imported: bool) -> dict[str, Any] | None:
    """R.31: the application is recorded with its court and the applicable code (ГПК or АППК)."""
    given = details or {}
    court, code = given.get("court"), given.get("procedure_code")
    if court is not None and (not isinstance(court, str) or not court.strip() or len(court) > 500):
        raise InvalidInput.one("details.court", "укажите суд (до 500 знаков)")
    if code is not None and code not in PROCEDURE_CODES:
        raise InvalidInput.one("details.procedure_code", Message("выберите порядок: %(codes)s",
                                                                 codes=", ".join(PROCEDURE_CODES)))
    if not imported:
        if court is None:
            raise InvalidInput.one("details.court", "укажите суд, в который направлено заявление (п. 31 Правил)")
        if code is None:
            raise InvalidInput.one("details.procedure_code", "выберите порядок: ГПК или АППК (п. 31 Правил)")
    return details


def _studied(step: dict[str, Any], details: dict[str, Any] | None, *, imported: bool) -> dict[str, Any] | None:
    raw = (details or {}).get("checklist")
    if raw is None:
        if imported:
            return details
        raise InvalidInput.one("details.checklist", "заполните изучение акта по п. 26 Правил: вывод по каждому "
                                                    "вопросу")
    if not isinstance(raw, list):
        raise InvalidInput.one("details.checklist", "ожидается список вопросов изучения")
    answers: dict[str, dict[str, str]] = {}
    for i, entry in enumerate(raw):
        where = f"details.checklist.{i}"
        if not isinstance(entry, dict):
            raise InvalidInput.one(where, "ожидается объект {item, finding, note}")
        unknown = sorted(set(entry) - {"item", "finding", "note"})
        if unknown:
            raise InvalidInput.one(f"{where}.{unknown[0]}", "лишнее поле")
        item = entry.get("item")
        if item not in CHECKLIST_ITEMS:
            raise InvalidInput.one(f"{where}.item", Message("неизвестный вопрос изучения; допустимые: %(values)s",
                                                            values=", ".join(CHECKLIST_ITEMS)))
        if item in answers:
            raise InvalidInput.one(f"{where}.item", "вопрос указан дважды")
        finding = entry.get("finding")
        if finding not in FINDINGS:
            raise InvalidInput.one(f"details.checklist.{item}", Message(
                "%(item)s: выберите вывод — %(findings)s", item=Message(ITEM_LABELS[item]),
                findings=Listing(FINDINGS.values())))
        note = entry.get("note", "")
        if not isinstance(note, str) or len(note) > NOTE_MAX:
            raise InvalidInput.one(f"details.checklist.{item}.note", Message("примечание — текст до %(n)s знаков",
                                                                             n=NOTE_MAX))
        if finding == "violates" and not note.strip():
            raise InvalidInput.one(f"details.checklist.{item}.note", Message(
                "%(item)s: опишите выявленное нарушение", item=Message(ITEM_LABELS[item])))
        answers[item] = {"item": item, "finding": finding, "note": note.strip()}
    for item in CHECKLIST_ITEMS:
        if item not in answers:
            raise InvalidInput.one(f"details.checklist.{item}", Message(
                "%(item)s: выберите вывод (п. 26 Правил)", item=Message(ITEM_LABELS[item])))
    violated = [item for item in CHECKLIST_ITEMS if answers[item]["finding"] == "violates"]
    if set(violated) != set(step.get("violations") or []):
        raise InvalidInput.one("step.violations", "нарушения должны совпадать с вопросами, по которым сделан "
                                                  "вывод «не соответствует»")
    return {**(details or {}), "checklist": [answers[item] for item in CHECKLIST_ITEMS]}


def _transferred(session: Session, office: Office, step: dict[str, Any],
                 details: dict[str, Any] | None) -> dict[str, Any] | None:
    raw = (details or {}).get("target_office_id")
    if raw is None:
        raise InvalidInput.one("details.target_office_id", "выберите прокуратуру, в компетенцию которой входит "
                                                           "опротестование (п. 28 Правил)")
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise InvalidInput.one("details.target_office_id", "выберите прокуратуру из списка")
    target = session.get(Office, raw)
    day = date.fromisoformat(step["date"]) if isinstance(step.get("date"), str) else None
    if target is None:
        raise InvalidInput.one("details.target_office_id", "нет такой прокуратуры: выберите из списка")
    if target.id == office.id:
        raise InvalidInput.one("details.target_office_id", "материалы направляются в другую прокуратуру, "
                                                           "компетентную опротестовать акт")
    if day is not None and not target.active_on(day):
        raise InvalidInput.one("details.target_office_id", Message(
            "прокуратура «%(office)s» не действовала на %(date)s", office=target.name_ru,
            date=day.strftime("%d.%m.%Y")))
    name = target.name_on(day) if day is not None else target.name_ru
    return {**(details or {}), "target_office_id": target.id, "transfer_to": name}
