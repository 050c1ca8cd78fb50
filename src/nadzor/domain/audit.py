"""The audit trail's hash chain: each row's hash covers its content and the previous row's hash,
so altering or removing any row breaks every hash after it. Pure: no storage here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


class AuditAction(StrEnum):
    """Every kind of change (and security event) the audit trail records."""

    OFFICE_CREATED = "office.created"
    OFFICE_UPDATED = "office.updated"
    OFFICES_IMPORTED = "office.imported"
    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    ACTING_CREATED = "acting.created"
    ACTING_UPDATED = "acting.updated"
    ACTING_DELETED = "acting.deleted"
    ZONE_CREATED = "zone.created"
    ZONE_UPDATED = "zone.updated"
    ZONE_DELETED = "zone.deleted"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOCKED = "user.locked"
    USER_LOGGED_OUT = "user.logged_out"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    CALENDAR_DAY_SET = "calendar.day_set"
    CALENDAR_DAY_REMOVED = "calendar.day_removed"
    DEMO_LOADED = "demo.loaded"
    PROCEEDING_OPENED = "proceeding.opened"
    PROCEEDING_STEP_RECORDED = "proceeding.step_recorded"
    PROCEEDING_STEP_WITHDRAWN = "proceeding.step_withdrawn"
    PROCEEDINGS_RESTATED = "proceeding.restated"
    PLAN_CREATED = "analysis_plan.created"
    PLAN_ITEM_ADDED = "analysis_plan.item_added"
    PLAN_APPROVED = "analysis_plan.approved"
    PLAN_ITEM_OPENED = "analysis_plan.item_opened"
    ORGANIZATION_CREATED = "organization.created"
    ORGANIZATION_UPDATED = "organization.updated"
    KUI_REGISTERED = "kui.registered"
    KUI_TRANSFERRED = "kui.transferred"
    KUI_RECONCILED = "kui.reconciled"
    PERIODIC_REPORT_RECORDED = "periodic_report.recorded"


ACTION_LABELS: dict[str, str] = {
    "proceeding.opened": "Открыто производство",
    "proceeding.step_recorded": "Записан шаг производства",
    "proceeding.step_withdrawn": "Отозван ошибочно записанный шаг",
    "proceeding.restated": "Сроки производств пересчитаны после изменения календаря",
    "office.created": "Создана прокуратура",
    "office.updated": "Изменена прокуратура",
    "office.imported": "Импорт структуры прокуратур",
    "person.created": "Добавлен сотрудник",
    "person.updated": "Изменены сведения о сотруднике",
    "acting.created": "Назначено исполнение обязанностей",
    "acting.updated": "Изменено исполнение обязанностей",
    "acting.deleted": "Отменено исполнение обязанностей",
    "zone.created": "Закреплена зона (п. 68 Инструкции)",
    "zone.updated": "Изменено закрепление зоны",
    "zone.deleted": "Снято закрепление зоны",
    "user.created": "Создана учётная запись",
    "user.updated": "Изменена учётная запись",
    "user.logged_in": "Вход в систему",
    "user.login_failed": "Неудачная попытка входа",
    "user.locked": "Учётная запись заблокирована после неудачных попыток",
    "user.logged_out": "Выход из системы",
    "token.created": "Выпущен токен API",
    "token.revoked": "Отозван токен API",
    "calendar.day_set": "Изменён день рабочего календаря",
    "calendar.day_removed": "Удалена поправка рабочего календаря",
    "demo.loaded": "Загружены демонстрационные данные",
    "analysis_plan.created": "Составлен план анализов",
    "analysis_plan.item_added": "В план анализов внесён пункт",
    "analysis_plan.approved": "Утверждён план анализов (п. 11 Правил)",
    "analysis_plan.item_opened": "По пункту плана начат анализ",
    "organization.created": "Организация внесена в справочник",
    "organization.updated": "Изменены сведения об организации",
    "kui.registered": "Материалы зарегистрированы в КУИ (п. 19 Правил)",
    "kui.transferred": "Материалы КУИ переданы по ч. 5 ст. 181 УПК",
    "kui.reconciled": "Проведена ежемесячная сверка КУИ (п. 20 Правил)",
    "periodic_report.recorded": "Отмечено представление периодической информации",
}


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, dates as ISO strings."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)


def _default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return str(value)
    raise TypeError(f"not serializable: {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class ChainFields:
    """What a row's hash covers (all text, exactly as stored)."""

    seq: int
    at: str
    actor: str
    actor_office: str
    actor_position: str
    action: str
    object_type: str
    object_id: str
    before: str
    after: str
    prev_hash: str


def row_hash(fields: ChainFields) -> str:
    text = canonical([
        fields.seq, fields.at, fields.actor, fields.actor_office, fields.actor_position, fields.action,
        fields.object_type, fields.object_id, fields.before, fields.after, fields.prev_hash,
    ])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    message: str


def verify_chain(rows: Iterable[tuple[ChainFields, str]], head: tuple[int, str] | None) -> ChainProblem | None:
    """The first broken row of the chain (rows ordered by seq, each with its stored hash), or None.
    `head` is the (seq, hash) the chain must end at, as recorded beside it."""
    expected_seq, prev = 1, GENESIS
    for fields, stored in rows:
        if fields.seq != expected_seq:
            return ChainProblem(expected_seq, f"запись № {expected_seq} отсутствует (следующая — № {fields.seq})")
        if fields.prev_hash != prev:
            return ChainProblem(fields.seq, f"запись № {fields.seq}: ссылка на предыдущую запись не совпадает")
        if row_hash(fields) != stored:
            return ChainProblem(fields.seq, f"запись № {fields.seq}: содержимое изменено (хеш не совпадает)")
        expected_seq, prev = expected_seq + 1, stored
    last_seq = expected_seq - 1
    if head is not None and (head[0] != last_seq or head[1] != prev):
        return ChainProblem(last_seq + 1, f"цепочка обрывается на записи № {last_seq}, "
                                          f"а последней записана № {head[0]}: записи удалены")
    return None
