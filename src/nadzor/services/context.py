"""Who is acting: the signed-in user with their office, effective position and scope, and the
permissions every endpoint and page states."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum

from nadzor.services.errors import Forbidden


class Permission(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    MANAGE_ORG = "manage_org"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_USERS = "manage_users"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_AUDIT = "view_audit"


PERMISSION_LABELS = {
    "public": "доступно без входа",
    "signed_in": "любой вошедший пользователь (в пределах своей прокуратуры и нижестоящих)",
    "manage_org": "администратор: структура прокуратур",
    "manage_people": "администратор: сотрудники, замещения и закрепления",
    "manage_users": "администратор: учётные записи",
    "manage_calendar": "администратор: рабочий календарь",
    "view_audit": "администратор: журнал аудита",
}
ADMIN_ONLY = frozenset({
    Permission.MANAGE_ORG, Permission.MANAGE_PEOPLE, Permission.MANAGE_USERS, Permission.MANAGE_CALENDAR,
    Permission.VIEW_AUDIT,
})


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a service call runs. `visible` is the set of office ids in
    scope (None: every office — the General Prosecutor's Office and administrators)."""

    login: str
    user_id: int | None = None
    is_admin: bool = False
    person_id: int | None = None
    full_name: str = ""
    office_id: int | None = None
    office_code: str = ""
    office_name: str = ""
    position: str = ""
    visible: frozenset[int] | None = frozenset()
    language: str = "ru"

    def can(self, permission: Permission) -> bool:
        if permission == Permission.PUBLIC:
            return True
        if self.user_id is None and not self.login.startswith("cli:"):
            return False
        return permission == Permission.SIGNED_IN or self.is_admin

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"недостаточно прав: требуется «{PERMISSION_LABELS[permission]}»")

    def sees_office(self, office_id: int | None) -> bool:
        return self.visible is None or (office_id is not None and office_id in self.visible)


def cli_actor() -> Actor:
    """The operator at the command line: an administrator of this installation."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(login=f"cli:{who}", is_admin=True, visible=None)
