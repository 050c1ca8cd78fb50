"""The HTTP contract of the `rulebook` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from nadzor.web.schemas import Coverage, Out


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
