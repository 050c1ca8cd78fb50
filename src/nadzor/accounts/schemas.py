"""The HTTP contract of the `accounts` context: the answers its operations document in /openapi.json."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from nadzor.accounts.service import TokenIn
from nadzor.web.schemas import Out

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
