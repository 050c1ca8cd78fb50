"""Who is acting: the signed-in user with their office, effective position, roles and scope. The
roles and the permissions they grant live in `infra.policy` (one place); `Permission` is
re-exported here for the endpoints and services that state one."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from nadzor.infra.policy import ADMIN_ONLY, PERMISSION_LABELS, Permission, Role, permissions_of, refusal

__all__ = ["ADMIN_ONLY", "PERMISSION_LABELS", "Actor", "Permission", "Role", "cli_actor"]


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a service call runs. `visible` is the set of office ids in
    scope (None: every office — the General Prosecutor's Office and administrators). `heads` are
    the offices the person heads today (own position or acting for the head), `zone_offices` the
    offices of their I.68 zones today; `office_level` the level of their own office."""

    login: str
    user_id: int | None = None
    is_admin: bool = False
    is_auditor: bool = False
    person_id: int | None = None
    full_name: str = ""
    office_id: int | None = None
    office_code: str = ""
    office_name: str = ""
    office_name_kk: str = ""  # the office's Kazakh name where stored (the header in Kazakh mode)
    office_level: str = ""
    position: str = ""
    visible: frozenset[int] | None = frozenset()
    heads: frozenset[int] = frozenset()
    zone_offices: frozenset[int] = frozenset()
    language: str = "ru"

    @property
    def is_operator(self) -> bool:
        """The operator at the command line (imports of past records): not a prosecutor of any office."""
        return self.user_id is None and self.login.startswith("cli:")

    @property
    def roles(self) -> frozenset[Role]:
        """The roles of the account (`infra.policy`); none for an anonymous caller."""
        if self.is_operator:
            return frozenset({Role.OPERATOR})
        if self.user_id is None:
            return frozenset()
        if self.is_auditor and not self.is_admin:
            return frozenset({Role.AUDITOR})  # reads, changes nothing: no role that records
        found = {Role.USER, Role.ADMINISTRATOR} if self.is_admin else {Role.USER}
        if self.is_auditor:
            found.add(Role.AUDITOR)
        if self.office_level == "gpo":
            found.add(Role.GPO_STAFF)
        if self.heads:
            found.add(Role.HEAD)
        if self.zone_offices:
            found.add(Role.ZONE_PROSECUTOR)
        return frozenset(found)

    def can(self, permission: Permission) -> bool:
        return permission in permissions_of(self.roles)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise refusal(permission)

    def sees_office(self, office_id: int | None) -> bool:
        return self.visible is None or (office_id is not None and office_id in self.visible)


def cli_actor() -> Actor:
    """The operator at the command line: an administrator of this installation."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(login=f"cli:{who}", is_admin=True, visible=None)
