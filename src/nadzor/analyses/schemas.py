"""The HTTP contract of the `analyses` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from nadzor.acts.schemas import ObligationOut
from nadzor.web.schemas import Out

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
