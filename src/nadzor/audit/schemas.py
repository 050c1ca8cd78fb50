"""The HTTP contract of the `audit` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from pydantic import Field

from nadzor.web.schemas import Out

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
