"""The typed HTTP contract of `web/api.py` (issue 7 §2): the response models every operation
documents in /openapi.json, and the request bodies documented from the services' own input models
(which validate them, errors keyed by field). Titles and descriptions are Russian."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nadzor.accounts.service import TokenIn, UserIn, UserUpdate
from nadzor.calendar.service import CalendarDayIn
from nadzor.org.service import ActingIn, OfficeIn, PersonIn, ZoneIn


def body(model: type[BaseModel], description: str = "") -> dict[str, Any]:
    """`openapi_extra` documenting a JSON request body by `model` (the service validates it)."""
    schema = model.model_json_schema()
    if description:
        schema["description"] = description
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------------------ rules


class Coverage(Out):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    from_: str = Field(alias="from", title="Первый день", description="ГГГГ-ММ-ДД")
    to: str = Field(title="Последний день", description="ГГГГ-ММ-ДД")


class RuleOut(Out):
    """Правило каталога: идентификатор, название, пункты, редакция и её срок действия, схемы входа и ответа."""

    id: str = Field(title="Идентификатор правила")
    title: str = Field(title="Название")
    citations: list[str] = Field(title="Пункты приказа")
    convention: str | None = Field(title="Правило исчисления срока (K1–K7)")
    valid_from: str = Field(title="Редакция действует с")
    valid_to: str | None = Field(title="Редакция действует по")
    edition: str = Field(title="Редакция")
    calendar_coverage: Coverage = Field(title="Даты, которые может называть вход")
    description: str = Field(title="Описание")
    input_schema: dict[str, Any] = Field(title="JSON Schema входных данных")
    output_schema: dict[str, Any] = Field(title="JSON Schema результата")


class EditionOut(Out):
    name: str = Field(title="Редакция")
    valid_from: str = Field(title="Действует с")
    valid_to: str | None = Field(title="Действует по")
    in_force: bool = Field(title="Действовала на все даты входа")


class EvaluationOut(Out):
    """Ответ правила: результат, пункты, объяснение по-русски и применённая редакция."""

    rule: str = Field(title="Идентификатор правила")
    result: dict[str, Any] = Field(title="Результат", description="по схеме output_schema правила")
    citations: list[str] = Field(title="Пункты приказа")
    explanation: str = Field(title="Объяснение")
    edition: EditionOut = Field(title="Применённая редакция")


class HealthOut(Out):
    status: str = Field(title="Состояние")


class CalendarDayOut(Out):
    """День рабочего календаря и источник, который его определил."""

    model_config = ConfigDict(extra="allow")
    date: str = Field(title="Дата")
    working: bool = Field(title="Рабочий день")
    name: str | None = Field(default=None, title="Название дня")
    source: str = Field(title="Источник")


# ------------------------------------------------------------------------------ accounts


class TokenRequest(TokenIn):
    """Логин и пароль; необязательно — название и срок действия токена (дней)."""

    login: str = Field(title="Логин")
    password: str = Field(title="Пароль")
    name: str = Field(default="api", min_length=1, max_length=120, title="Название токена")


class TokenOut(Out):
    token: str = Field(title="Токен", description="показывается один раз")
    token_type: str = Field(title="Тип токена")
    expires_at: datetime = Field(title="Действует до")
    id: int = Field(title="Номер токена")


class MeOut(Out):
    login: str
    full_name: str | None
    is_admin: bool
    person_id: int | None
    office_id: int | None
    office_code: str | None
    position: str | None
    language: str
    roles: list[str]


class UserOut(Out):
    id: int
    login: str
    person_id: int | None
    is_admin: bool
    is_auditor: bool = Field(title="Аудитор (только чтение журнала)")
    roles: list[str] = Field(title="Роли")
    active: bool
    language: str
    version: int
    locked_until: str | None = Field(title="Вход замедлен до")


# ------------------------------------------------------------------------------ organization


class OfficeOut(Out):
    model_config = ConfigDict(extra="forbid")
    id: int
    code: str
    parent_id: int | None
    parent_code: str | None
    level: str
    kind: str
    name_ru: str
    name_kk: str | None
    city: str | None
    valid_from: str | None
    valid_to: str | None
    former_names: list[dict[str, Any]]
    version: int


class OfficeOnDateOut(OfficeOut):
    """Прокуратура в списке; с параметром `on` — её название и действие на эту дату."""

    name_on_date: str | None = Field(default=None, title="Название на дату")
    active_on_date: bool | None = Field(default=None, title="Действует на дату")


class ImportOut(Out):
    """Сколько прокуратур создано, изменено и осталось без изменений."""

    created: int = Field(title="Создано")
    updated: int = Field(title="Изменено")
    unchanged: int = Field(title="Без изменений")


class PersonOut(Out):
    id: int
    full_name: str
    position: str
    position_label: str
    office_id: int
    email: str | None
    active: bool
    version: int


class RoutedPersonOut(Out):
    """Сотрудник вне пределов вашей прокуратуры: только имя, должность и прокуратура."""

    full_name: str
    position: str
    position_label: str
    office_id: int
    office_name: str


class ActingOut(Out):
    id: int
    person_id: int
    acting_for: str
    acting_for_label: str
    office_id: int
    date_from: str
    date_to: str
    basis: str
    version: int


class ActingPeriodOut(Out):
    position: str
    position_label: str
    office_id: int
    basis: str
    date_from: str
    date_to: str


class SignerRuleOut(Out):
    title: str
    allowed: bool
    signer: dict[str, Any]
    citations: list[str]


class AuthorityOut(Out):
    """Полномочия сотрудника на дату: своя должность, исполнение обязанностей, правила подписи."""

    person: PersonOut
    on: str
    position: str
    office_id: int
    acting: list[ActingPeriodOut]
    signers: list[dict[str, Any]]
    signer_rules: dict[str, SignerRuleOut]


class SignCheckRequest(BaseModel):
    """Правило подписи, дата (по умолчанию сегодня) и прочие поля входа правила (без подписанта)."""

    model_config = ConfigDict(extra="forbid")
    rule: str = Field(title="Правило")
    on: str | None = Field(default=None, title="Дата", description="ГГГГ-ММ-ДД")
    input: dict[str, Any] | None = Field(default=None, title="Прочие поля входа правила")


class SignCheckOut(EvaluationOut):
    signer: dict[str, Any] = Field(title="Подписант, с которым правило применено")


class ZoneOut(Out):
    id: int
    person_id: int
    zone_office_id: int
    areas: list[str]
    area_labels: list[str]
    date_from: str
    date_to: str | None
    version: int


class ZoneRouteOut(Out):
    """Кому направляется работа по зоне (п. 68 Инструкции)."""

    office_id: int
    area: str
    on: str
    assignment: ZoneOut | None
    person: PersonOut | RoutedPersonOut | None


class CalendarOverrideOut(Out):
    id: int
    day: str
    working: bool
    name: str
    resolution_number: str
    resolution_date: str
    version: int


class CalendarChangeOut(CalendarOverrideOut):
    proceedings_moved: int = Field(title="Пересчитано производств")


# ------------------------------------------------------------------------------ audit


class AuditRowOut(Out):
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
    hash: str
    scheme: str


class AuditPageOut(Out):
    total: int = Field(title="Всего записей по фильтру")
    rows: list[AuditRowOut]


class AuditVerifyOut(Out):
    intact: bool = Field(title="Цепочка не нарушена")
    first_bad_seq: int | None = Field(title="Первая нарушенная запись")
    message: str


__all__ = ["ActingIn", "CalendarDayIn", "OfficeIn", "PersonIn", "TokenIn", "UserIn", "UserUpdate", "ZoneIn", "body"]
