"""The HTTP contract of the `acts` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from nadzor.web.schemas import Out

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
