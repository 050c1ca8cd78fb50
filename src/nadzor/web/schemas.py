"""The shared part of the typed HTTP contract (issue 7 §2): `body` (a request body documented by the
service's own input model, which validates it, errors keyed by field), the base `Out` of every answer,
and the answers several contexts give. Each context's own answers are in its `schemas.py`; titles and
descriptions are Russian."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
