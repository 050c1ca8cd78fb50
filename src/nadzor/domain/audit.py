"""The audit trail's hash chain: each row's hash covers its content and the previous row's hash,
so altering or removing any row breaks every hash after it. The hash is an HMAC-SHA256 with a key
that is kept outside the database (scheme `hmac1`), so someone who can write to the database
cannot recompute the chain after a change; rows written before the key was introduced keep their
plain SHA-256 (scheme `sha256`) and are sealed by the first keyed row after them. Pure: no
storage here."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
SCHEME_SHA256 = "sha256"  # rows written before the chain was keyed (revision 0001)
SCHEME_HMAC = "hmac1"  # HMAC-SHA256 with the audit key
SCHEMES = (SCHEME_SHA256, SCHEME_HMAC)
CHECKPOINT_FORMAT = "nadzor-audit-checkpoint/1"


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
    USER_UNLOCKED = "user.unlocked"
    USER_LOGGED_OUT = "user.logged_out"
    USER_PASSWORD_CHANGED = "user.password_changed"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    CALENDAR_DAY_SET = "calendar.day_set"
    CALENDAR_DAY_REMOVED = "calendar.day_removed"
    DEMO_LOADED = "demo.loaded"
    AUDIT_KEYED = "audit.keyed"
    PROCEEDING_OPENED = "proceeding.opened"
    PROCEEDING_STEP_RECORDED = "proceeding.step_recorded"
    PROCEEDING_STEP_WITHDRAWN = "proceeding.step_withdrawn"
    PROCEEDINGS_RESTATED = "proceeding.restated"
    ATTACHMENT_ADDED = "attachment.added"
    CHECK_RESOLUTION_RECORDED = "check.resolution_recorded"
    CALENDAR_FILE_APPLIED = "calendar.file_applied"
    ACT_TYPE_UPDATED = "act_type.updated"
    ACT_TYPE_CREATED = "act_type.created"
    ACT_TYPE_DELETED = "act_type.deleted"
    ACT_ORIGIN_LINKED = "act.origin_linked"
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
    ANALYSIS_SOURCES_RECORDED = "analysis.sources_recorded"
    CHECK_ORIGIN_LINKED = "check.origin_linked"


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
    "user.locked": "Вход в учётную запись замедлен после неудачных попыток",
    "user.unlocked": "Администратор снял замедление входа",
    "user.logged_out": "Выход из системы",
    "user.password_changed": "Пользователь сменил свой пароль",
    "token.created": "Выпущен токен API",
    "token.revoked": "Отозван токен API",
    "calendar.day_set": "Изменён день рабочего календаря",
    "calendar.day_removed": "Удалена поправка рабочего календаря",
    "demo.loaded": "Загружены демонстрационные данные",
    "audit.keyed": "Цепочка журнала аудита защищена ключом",
    "attachment.added": "Приложен файл к производству",
    "check.resolution_recorded": "Внесено постановление по проверке (ОРМ, п. 19; экспертиза, п. 20 Инструкции)",
    "calendar.file_applied": "Применён изменённый файл поправок рабочего календаря",
    "act_type.updated": "Изменён вид акта надзора (наименование, источник, срок ответа)",
    "act_type.created": "Добавлен вид акта надзора (уточнение иного акта)",
    "act_type.deleted": "Удалён вид акта надзора",
    "act.origin_linked": "Акт надзора связан с основанием (проверка, оценка акта, анализ)",
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


def row_hash(fields: ChainFields, scheme: str = SCHEME_HMAC, key: bytes | None = None) -> str:
    """The row's hash under its scheme: HMAC-SHA256 with the audit key, or the plain SHA-256 of
    the rows written before the key (only ever verified, never written now)."""
    text = canonical([
        fields.seq, fields.at, fields.actor, fields.actor_office, fields.actor_position, fields.action,
        fields.object_type, fields.object_id, fields.before, fields.after, fields.prev_hash,
    ]).encode("utf-8")
    if scheme == SCHEME_SHA256:
        return hashlib.sha256(text).hexdigest()
    if scheme != SCHEME_HMAC:
        raise ValueError(f"unknown audit hash scheme: {scheme!r}")
    if not key:
        raise ValueError("the audit key is required for keyed hashes")
    return hmac.new(key, text, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    message: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement that the chain held row `seq` with hash `hash` at `time` (UTC, ISO)."""

    seq: int
    hash: str
    time: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        return {"format": CHECKPOINT_FORMAT, "seq": self.seq, "hash": self.hash, "time": self.time,
                "signature": self.signature}


def _checkpoint_signature(key: bytes, seq: int, hash_: str, time: str) -> str:
    text = canonical([CHECKPOINT_FORMAT, seq, hash_, time]).encode("utf-8")
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def sign_checkpoint(key: bytes, seq: int, hash_: str, time: str) -> Checkpoint:
    return Checkpoint(seq=seq, hash=hash_, time=time, signature=_checkpoint_signature(key, seq, hash_, time))


class CheckpointUnreadable(ValueError):
    """The checkpoint file is not a checkpoint (the operator's input error, not a broken chain)."""


def parse_checkpoint(data: Any) -> Checkpoint:
    """A checkpoint from its JSON object; its signature is checked by `verify_chain`."""
    if not isinstance(data, Mapping) or data.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointUnreadable(f"это не контрольная точка журнала аудита ({CHECKPOINT_FORMAT})")
    seq, hash_, time, signature = (data.get(k) for k in ("seq", "hash", "time", "signature"))
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointUnreadable("seq: нужен номер записи (целое число не меньше 0)")
    for name, value in (("hash", hash_), ("time", time), ("signature", signature)):
        if not isinstance(value, str) or not value:
            raise CheckpointUnreadable(f"{name}: нужна непустая строка")
    assert isinstance(hash_, str) and isinstance(time, str) and isinstance(signature, str)
    return Checkpoint(seq=seq, hash=hash_, time=time, signature=signature)


StoredRow = tuple[ChainFields, str, str]  # the fields, the hash scheme and the stored hash


def verify_chain(
    rows: Iterable[StoredRow],
    head: tuple[int, str] | None,
    *,
    key: bytes,
    holds_data: bool = False,
    checkpoint: Checkpoint | None = None,
) -> ChainProblem | None:
    """The first broken row of the chain (rows ordered by seq), or None when it is intact.

    `head` is the (seq, hash) recorded beside the chain, which it must end at; `holds_data` says
    whether the database holds records (an empty chain then means the history was erased); a
    `checkpoint` (signed with `key`) must still be found in the chain with the same hash."""
    if checkpoint is not None and not hmac.compare_digest(
            checkpoint.signature, _checkpoint_signature(key, checkpoint.seq, checkpoint.hash, checkpoint.time)):
        return ChainProblem(checkpoint.seq, "контрольная точка: подпись не совпадает (другой ключ или файл изменён)")
    expected_seq, prev, keyed = 1, GENESIS, False
    for fields, scheme, stored in rows:
        seq = fields.seq
        if seq != expected_seq:
            return ChainProblem(expected_seq, f"запись № {expected_seq} отсутствует (следующая — № {seq})")
        if fields.prev_hash != prev:
            return ChainProblem(seq, f"запись № {seq}: ссылка на предыдущую запись не совпадает")
        if scheme not in SCHEMES:
            return ChainProblem(seq, f"запись № {seq}: неизвестная схема хеша «{scheme}»")
        if scheme == SCHEME_SHA256 and keyed:
            return ChainProblem(seq, f"запись № {seq}: записана без ключа после записей с ключом")
        if not hmac.compare_digest(row_hash(fields, scheme, key), stored):
            return ChainProblem(seq, f"запись № {seq}: содержимое изменено (хеш не совпадает)")
        if checkpoint is not None and seq == checkpoint.seq and stored != checkpoint.hash:
            return ChainProblem(seq, f"запись № {seq} не совпадает с контрольной точкой от {checkpoint.time}: "
                                     "история до неё переписана")
        keyed = keyed or scheme == SCHEME_HMAC
        expected_seq, prev = expected_seq + 1, stored
    last_seq = expected_seq - 1
    if head is None and last_seq > 0:
        return ChainProblem(last_seq, "заголовок цепочки (audit_head) удалён")
    if head is not None and (head[0] != last_seq or head[1] != prev):
        if head[0] > last_seq:
            return ChainProblem(last_seq + 1, f"цепочка обрывается на записи № {last_seq}, "
                                              f"а последней записана № {head[0]}: записи удалены")
        return ChainProblem(last_seq, f"заголовок цепочки указывает на запись № {head[0]}, "
                                      f"а последняя запись — № {last_seq}: заголовок не совпадает с цепочкой")
    if last_seq == 0 and holds_data:
        return ChainProblem(1, "журнал аудита пуст, а в базе есть данные: история изменений удалена")
    if last_seq > 0 and not keyed:
        return ChainProblem(last_seq, f"последняя запись № {last_seq} не защищена ключом: "
                                      "цепочку могли переписать заново")
    if checkpoint is not None and checkpoint.seq > last_seq:
        return ChainProblem(last_seq + 1, f"запись № {checkpoint.seq} из контрольной точки от {checkpoint.time} "
                                          f"отсутствует (цепочка кончается на № {last_seq}): записи удалены")
    return None
