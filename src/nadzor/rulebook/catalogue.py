"""The rule catalogue as the API serves it (`GET /api/v1/rules`, `GET /api/v1/rules/{id}`): each
rule's entry (`rules.describe`) with its input and output JSON Schemas titled and described in
Russian — the labels people read on the rule forms (`rule_labels`), never the English field keys
pydantic derives — built and serialized once per calendar coverage (the only part that changes,
when the year turns), then answered as ready bytes (issue 7 §2, §7)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from nadzor import rules
from nadzor.domain.calendar import WorkingCalendar
from nadzor.rulebook.labels import RESULT_LABELS, field_label
from nadzor.rules.base import Rule

#: Fields and result keys the rule forms do not label (nested documents, the analysis' results).
API_TITLES: dict[str, str] = {
    "acting_for": "Исполняет обязанности по должности",
    "assignees": "Проверяющие (исполнители)",
    "authority": "Полномочия",
    "causes_analysis": "Анализ причин и условий нарушений",
    "conclusions": "Выводы",
    "end_date": "Дата окончания",
    "general_info": "Общие сведения",
    "grounds": "Основания",
    "legality_assessment": "Оценка законности",
    "number": "Номер",
    "participated": "Участвовали",
    "period_from": "Период с",
    "period_to": "Период по",
    "place": "Место",
    "position": "Должность",
    "prosecutor_name": "Фамилия, имя, отчество прокурора",
    "prosecutor_position": "Должность прокурора",
    "regime": "Режим",
    "registration_date": "Дата регистрации",
    "registration_number": "Регистрационный номер",
    "remedy_mechanism": "Механизм устранения нарушений",
    "signatures": "Подписи",
    "start_date": "Дата начала",
    "subject_bin_iin": "БИН/ИИН субъекта",
    "subject_has_admin_powers": "Субъект наделён властными полномочиями",
    "subject_is_prevention_subject": "Субъект профилактического контроля",
    "subject_location": "Место нахождения субъекта",
    "subject_matter": "Предмет проверки",
    "subject_name": "Наименование субъекта",
    "subject_rights_duties": "Права и обязанности субъекта",
    "to": "Дата окончания (по)",
    "topic": "Тема",
    "citation": "Пункт",
    "code": "Код",
    "period_end": "Конец периода",
    "period_start": "Начало периода",
    "report_due": "Срок представления",
}
#: Nested objects of the inputs and results (their pydantic model's name → Russian).
DEFINITION_TITLES: dict[str, str] = {
    "Certificate": "Справка о результатах проверки",
    "Obligation": "Обязанность",
    "Resolution": "Постановление о проверке",
    "Signer": "Подписант",
    "Suspension": "Период приостановления",
}
_CYRILLIC = re.compile("[А-Яа-яЁё]")


def _title(name: str, rule_id: str, *, result: bool) -> tuple[str, str]:
    """(title, description) of a property: the forms' label and hint; a result key its label."""
    if result and name in RESULT_LABELS:
        return RESULT_LABELS[name], ""
    label, hint = field_label(name, API_TITLES.get(name, ""), rule_id)
    return label, hint


def _russian_object(schema: dict[str, Any], rule_id: str, *, result: bool) -> None:
    for name, prop in schema.get("properties", {}).items():
        title, hint = _title(name, rule_id, result=result)
        prop["title"] = title
        described = prop.get("description", "")
        if hint:
            prop["description"] = hint
        elif described and not _CYRILLIC.search(described):
            del prop["description"]
    described = schema.get("description", "")
    if described and not _CYRILLIC.search(described):
        del schema["description"]


def russian_schema(schema: dict[str, Any], found: Rule, *, result: bool) -> dict[str, Any]:
    """`schema` (a rule's input or output JSON Schema) with Russian titles and descriptions."""
    out: dict[str, Any] = json.loads(json.dumps(schema))  # a copy: the models' own schemas stay as they are
    for name, definition in out.get("$defs", {}).items():
        definition["title"] = DEFINITION_TITLES.get(name, definition.get("title", name))
        _russian_object(definition, found.id, result=result)
    _russian_object(out, found.id, result=result)
    out["title"] = f"{'Результат' if result else 'Входные данные'}: {found.title}"
    out["description"] = (f"{'Ответ' if result else 'Входные данные'} правила {found.id} "
                          f"({', '.join(found.citations) or 'рабочий календарь'}).")
    return out


def entry(found: Rule, coverage: dict[str, str]) -> dict[str, Any]:
    described = rules.describe(found, coverage)
    described["input_schema"] = russian_schema(described["input_schema"], found, result=False)
    described["output_schema"] = russian_schema(described["output_schema"], found, result=True)
    return described


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@lru_cache(maxsize=2)
def _built(coverage_from: str, coverage_to: str) -> tuple[bytes, dict[str, bytes]]:
    coverage = {"from": coverage_from, "to": coverage_to}
    entries = [entry(found, coverage) for found in rules.REGISTRY.values()]
    return _dumps(entries), {item["id"]: _dumps(item) for item in entries}


def _current(calendar: WorkingCalendar) -> tuple[bytes, dict[str, bytes]]:
    coverage = rules.calendar_coverage(calendar)
    return _built(coverage["from"], coverage["to"])


def catalogue_json(calendar: WorkingCalendar) -> bytes:
    """Every rule's entry, serialized once per coverage of the calendar the rules receive."""
    return _current(calendar)[0]


def rule_json(rule_id: str, calendar: WorkingCalendar) -> bytes:
    """One rule's entry (`UnknownRule` for an id the catalogue does not hold)."""
    found = _current(calendar)[1].get(rule_id) if isinstance(rule_id, str) else None
    return found if found is not None else _dumps(entry(rules.get_rule(rule_id), rules.calendar_coverage(calendar)))
