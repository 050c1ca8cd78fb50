"""The HTTP contract of the `org` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nadzor.web.schemas import EvaluationOut, Out

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
