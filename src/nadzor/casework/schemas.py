"""The HTTP contract of the `casework` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nadzor.web.schemas import EditionOut, Out

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
