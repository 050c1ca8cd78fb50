"""The typed HTTP contract of `web/api*.py` (issue 7 §2): the response models every operation
documents in /openapi.json, and the request bodies documented from the services' own input models
(which validate them, errors keyed by field). Titles and descriptions are Russian."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

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



# ------------------------------------------------------------------------------ proceedings (PROCEEDINGS.md)


class RefusalOut(Out):
    """Шаг, который право не допускает в достигнутом состоянии: состояние — до него."""

    step: int = Field(title="Номер отказанного шага")
    code: str = Field(title="Код отказа")
    citations: list[str] = Field(title="Пункты приказа")
    message: str = Field(title="Объяснение")


class StateDeadlineOut(Out):
    code: str = Field(title="Срок")
    due: str = Field(title="Последний день", description="ГГГГ-ММ-ДД")
    step: int = Field(title="Шаг, открывший срок")
    citations: list[str] = Field(title="Пункты приказа")


class LateOut(Out):
    step: int = Field(title="Шаг, совершённый после срока")
    code: str = Field(title="Срок")
    due: str = Field(title="Последний день срока")


class _StateOut(Out):
    status: str | None = Field(title="Статус", description="null, когда отказан первый шаг")
    refused: RefusalOut | None = Field(title="Отказ")
    deadlines: list[StateDeadlineOut] = Field(title="Открытые сроки", description="по due, code, step")
    late: list[LateOut] = Field(title="Шаги после срока")
    allowed_next: list[str] = Field(title="Допустимые следующие шаги")
    edition: EditionOut = Field(title="Применённая редакция")


class CheckStateOut(_StateOut):
    """Состояние проверки (глава 2 Инструкции)."""

    kind: Literal["check"]
    start: str | None = Field(title="Начало проверки")
    last_day: str | None = Field(title="Последний день проверки")
    extension_days: int = Field(title="Продлено дней")
    extension_petition_latest: str | None = Field(title="Ходатайство о продлении — не позднее")
    objections_until: str | None = Field(title="Возражения — до")


class ActStateOut(_StateOut):
    """Состояние акта надзора (глава 4 Инструкции)."""

    kind: Literal["act"]
    via_gpo: bool = Field(title="Через Генеральную прокуратуру")
    damage_recovered: int | float = Field(title="Возмещено ущерба, тенге")
    persons_liable: int = Field(title="Привлечено к ответственности лиц")
    register_i64: bool = Field(title="В учёте по п. 64")


class EvaluationStateOut(_StateOut):
    """Состояние оценки акта (глава 3 Правил)."""

    kind: Literal["evaluation"]
    violations: list[str] = Field(title="Выявленные нарушения")
    suspended_act: bool = Field(title="Действие акта приостановлено")


class AnalysisStateOut(_StateOut):
    """Состояние анализа (глава 2 Правил)."""

    kind: Literal["analysis"]
    start: str | None = Field(title="Начало анализа")
    last_day: str | None = Field(title="Последний день анализа")
    extension_days: int = Field(title="Продлено дней")
    objections_until: str | None = Field(title="Возражения — до")
    notify: list[str] = Field(title="Кого уведомить")


#: The replay state (PROCEEDINGS.md «Output»): one shape per kind, told apart by `kind`.
StateOut = Annotated[CheckStateOut | ActStateOut | EvaluationStateOut | AnalysisStateOut, Field(discriminator="kind")]


class ReplayRequest(BaseModel):
    """Вход replay: уровень прокуратуры и шаги производства по порядку (поля шага — по его типу)."""

    office_level: Literal["gpo", "regional", "district"] = Field(title="Уровень прокуратуры")
    steps: list[dict[str, Any]] = Field(title="Шаги", description="{type, date, …поля типа шага}")


class StoredStepOut(Out):
    """Шаг хранимого производства: контрактный объект replay (его поля — по типу шага, подписант
    зафиксирован) и то, что хранится при нём."""

    model_config = ConfigDict(extra="allow")
    index: int = Field(title="Номер в повторяемом списке")
    seq: int = Field(title="Порядковый номер записи")
    type: str = Field(title="Тип шага")
    date: str = Field(title="Дата шага")
    withdrawn: bool = Field(title="Отозван")
    withdrawn_reason: str | None = Field(title="Причина отзыва")
    withdrawn_by: str | None = Field(title="Кто отозвал")
    withdrawn_at: str | None = Field(title="Когда отозван")
    details: dict[str, Any] | None = Field(title="Сведения шага, которые replay не видит")
    author: str = Field(title="Кто записал")
    recorded_at: str = Field(title="Когда записан")


class OpenDeadlineOut(StateDeadlineOut):
    """Открытый срок и то, что считается при чтении (сегодня — по Алматы)."""

    overdue: bool = Field(title="Просрочен")
    days_left: int = Field(title="Осталось календарных дней")
    working_days_left: int | None = Field(title="Осталось рабочих дней")


class AssigneeOut(Out):
    """Лицо, проводящее проверку: сотрудник (person_id, name, position) или специалист (name, organization)."""

    model_config = ConfigDict(extra="allow")
    name: str = Field(title="ФИО")


class ResolutionOut(Out):
    """A check's resolution (I.19, I.20) as recorded: the signer resolved on its date and frozen."""

    id: int
    type: str
    title: str
    citations: list[str]
    number: str
    date: str
    fields: dict[str, Any]
    signer: dict[str, Any]
    signer_person_id: int
    signer_name: str | None
    author: str
    recorded_at: str


class ProceedingOut(Out):
    """Хранимое производство: `state` — в точности состояние replay его неотозванных шагов. Сверх общих
    полей: у акта — act_type, origin, area, proposed_response_due, superior_reviewer; у проверки, оценки и
    анализа — linked_acts; у проверки — origin_analysis; у анализа — sources, certificate, petitions."""

    model_config = ConfigDict(extra="allow")
    id: int
    kind: str
    number: str
    office_id: int
    office_level: str
    subject: str
    version: int
    state: StateOut
    steps: list[StoredStepOut]
    deadlines: list[OpenDeadlineOut]
    #: A check's (issue 8 §2): the current assignees (`{person_id, name, position}` of the staff,
    #: `{name, organization}` of specialists), the resolution's details, the registration, the subject.
    assignees: list[AssigneeOut] | None = None
    resolution: dict[str, Any] | None = None
    registration: dict[str, Any] | None = None
    subject_details: dict[str, Any] | None = None
    #: A check's resolutions on operative-search measures (I.19) and on expertise (I.20).
    resolutions: list[ResolutionOut] | None = None


class RegisterItemOut(Out):
    id: int
    kind: str
    number: str
    office_id: int
    subject: str
    status: str
    opened_on: str
    last_day: str | None
    next_due: str | None = Field(title="Ближайший срок")
    overdue: bool
    version: int


class RegisterOut(Out):
    total: int = Field(title="Всего по отбору")
    items: list[RegisterItemOut]


# ------------------------------------------------------------------------------ acts (issue 9)


class ResponseTermOut(Out):
    days: int
    unit: str
    unit_label: str
    source: str | None


class ActTypeOut(Out):
    """Вид акта надзора (п. 58): наименования, правовой источник, срок ответа по умолчанию."""

    code: str
    name_ru: str
    name_kk: str
    legal_source: str
    response_term: ResponseTermOut | None
    builtin: bool = Field(title="Один из пяти видов п. 58")
    kernel_type: str = Field(title="Тип акта в производстве")
    version: int
    updated_by: str | None
    updated_at: str | None


class ActTotalsOut(Out):
    issued: int = Field(title="Внесено актов")
    issued_by_type: dict[str, int] = Field(title="По видам")
    damage_recovered: int | float = Field(title="Возмещено ущерба, тенге")
    persons_liable: int = Field(title="Привлечено лиц")
    liability_proceedings: dict[str, int] = Field(title="Производства по ст. 664–665 КоАП")


class OfficeTotalsOut(ActTotalsOut):
    office_id: int
    office_name: str


class TotalsOut(ActTotalsOut):
    """Контроль исполнения актов (п. 59) за период по прокуратуре и нижестоящим."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    office_id: int | None
    from_: str = Field(alias="from", title="С")
    to: str = Field(title="По")
    citations: list[str]
    offices: list[OfficeTotalsOut]


class DatabankItemOut(Out):
    proceeding_id: int
    kind: str
    collection: str
    number: str
    office_id: int
    office_name: str
    subject: str
    status: str
    step: int
    step_type: str
    step_label: str
    due: str
    overdue: bool
    days_left: int


class DatabankQueueOut(Out):
    """Открытые записи Банка данных (п. 67): срок, просрочка, дни."""

    office_id: int | None
    today: str
    citations: list[str]
    total: int
    overdue: int
    items: list[DatabankItemOut]


class ObligationOut(Out):
    code: str
    citation: str
    period_start: str
    period_end: str
    report_due: str


class I64RowOut(Out):
    act_id: int
    number: str
    office_id: int
    office_name: str
    act_type: str
    act_type_name: str
    addressee: str
    issued_on: str | None
    event: str
    event_label: str
    event_date: str
    transfer: bool
    status: str


class I64CountsOut(Out):
    acts: int
    revoke: int
    amend: int
    suspend: int
    invalidated: int


class I64TableRowOut(I64CountsOut):
    office_id: int
    office_name: str


class RegisterI64Out(Out):
    """Учёт по п. 64 за квартал: строки и таблица по прокуратурам."""

    office_id: int | None
    year: int
    quarter: int
    citations: list[str]
    obligation: ObligationOut
    rows: list[I64RowOut]
    table: list[I64TableRowOut]
    totals: I64CountsOut


# ------------------------------------------------------------------------------ analyses (issue 10)


class PlanApproverOut(Out):
    model_config = ConfigDict(extra="allow")
    person_id: int
    full_name: str


class PlanItemOut(Out):
    id: int
    topic: str
    quarter: int
    responsible_person_id: int
    responsible_name: str
    analysis_id: int | None
    analysis_number: str | None
    analysis_status: str | None
    status: str
    status_label: str


class PlanOut(Out):
    """План анализов (п. 11 Правил) с пунктами и их состоянием."""

    id: int
    office_id: int
    office_name: str
    year: int
    quarter: int | None
    title: str
    approved: bool
    approved_on: str | None
    approver: PlanApproverOut | None
    version: int
    items: list[PlanItemOut]
    counts: dict[str, int] = Field(title="Пунктов по состоянию")


class OrganizationOut(Out):
    id: int
    name: str
    bin: str
    kind: str
    kind_label: str
    address: str
    version: int


class OrganizationsOut(Out):
    total: int
    items: list[OrganizationOut]


class KuiOut(Out):
    """Запись КУИ (п. 19 подп. 5, п. 20 Правил)."""

    id: int
    office_id: int
    office: str
    proceeding_id: int
    source: str
    source_kind: str
    step: int
    number: str
    registered_on: str
    summary: str
    transferred_to: str | None
    transferred_on: str | None
    version: int


class KuiPageOut(Out):
    total: int
    items: list[KuiOut]


class ReconciliationOut(Out):
    id: int
    office_id: int
    year: int
    month: int
    reconciled_with: str
    reconciled_by: str
    reconciled_on: str
    discrepancies: str


class ReconciliationMonthOut(Out):
    year: int
    month: int
    record: ReconciliationOut | None
    missing: bool = Field(title="Месяц истёк, сверки нет")


class ReportOut(Out):
    report_date: str
    analysis_id: int | None
    analysis_number: str | None
    recorded_by: str
    version: int


class OfficeObligationOut(ObligationOut):
    office_id: int
    title: str
    report: ReportOut | None
    overdue: bool
    status: str


class ObligationsOut(Out):
    """Периодическая информация прокуратуры за год (пп. 5–9 Правил, пп. 46, 64, 70 Инструкции)."""

    office_id: int
    office_name: str
    office_kind: str
    office_level: str
    year: int
    obligations: list[OfficeObligationOut]
    note: str


class SourceOut(Out):
    code: str
    label: str
    used: bool
    note: str


class SourcesOut(Out):
    """Источники сведений анализа (п. 12 Правил)."""

    recorded: bool
    version: int | None
    updated_by: str | None
    updated_at: str | None
    items: list[SourceOut]
    used: list[SourceOut]


class PetitionDraftOut(Out):
    """Чем заполняется проверка по ходатайству анализа (п. 23 Правил)."""

    analysis_id: int
    analysis_number: str
    step: int
    office_id: int
    subject_name: str
    bin_iin: str
    date: str
    subject_kind: str
    basis: str


class RequirementDatabankOut(Out):
    entered_on: str | None
    due: str | None
    overdue: bool


class RequirementOut(Out):
    analysis_id: int
    number: str
    office_id: int
    office: str
    analysis_subject: str
    step: int
    date: str
    target: str | None
    target_label: str
    signer: dict[str, Any] | None
    concrete_harm_fact: bool | None
    authority_name: str
    subject_name: str
    justification: str
    notify: list[str]
    notify_labels: list[str]
    databank: RequirementDatabankOut | None


class RequirementsOut(Out):
    total: int
    items: list[RequirementOut]

__all__ = ["ActingIn", "CalendarDayIn", "OfficeIn", "PersonIn", "TokenIn", "UserIn", "UserUpdate", "ZoneIn", "body"]
