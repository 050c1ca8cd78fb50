"""Who may do what, in one place (issue 7 §4): the roles, the permissions each grants, and the
record-level predicates that decide a role on one record.

**Roles of an account** (known when the caller is resolved, `Actor.roles`):

* `administrator` — offices, people, acting and zonal assignments, users, the calendar, the audit
  trail; conducts any check (I.15);
* `auditor` — reads the audit trail and verifies its chain, reads what a user of their office
  reads, and changes nothing (an account attribute an administrator grants);
* `user` — a signed-in prosecutor: reads within their scope and records proceedings there;
* `head` — heads an office on today's date (own position or acting for its head): the Prosecutor
  General, a regional or a district prosecutor;
* `zone_prosecutor` — assigned to a zone under I.68 on today's date: sees the zone's offices;
* `gpo_staff` — works in the General Prosecutor's Office: records its approval of an act (I.60);
* `operator` — the command line of the installation: everything, including past records.

**Roles on a record** (decided by the predicates below, on the step's date):

* `assignee` of a check (I.15) — named in its resolution or the last change of composition;
* `head` of the check's office or of an office above it (I.15), or of the office superior to an
  act's issuing office (I.62, I.63);
* `zone_prosecutor` of the act's issuing office for the act's area (I.68).

Each role is a set of `Permission`s (`ROLE_PERMISSIONS`); an actor may do what any of their roles
permits. Services call `require` / `require_on` here instead of checking on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, Boolean, ColumnElement, Integer, any_, bindparam, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from nadzor.domain.org import Authority, OfficeTree, ZoneAssignment, route_to_zone
from nadzor.infra.errors import Forbidden, Message

if TYPE_CHECKING:
    from nadzor.infra.context import Actor


class Permission(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    RECORD = "record"
    MANAGE_ORG = "manage_org"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_USERS = "manage_users"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_AUDIT = "view_audit"
    # record-level: granted by a role on one record
    CONDUCT_CHECK = "conduct_check"
    REVIEW_ACT = "review_act"
    APPROVE_AT_GPO = "approve_at_gpo"


PERMISSION_LABELS = {
    "public": "доступно без входа",
    "signed_in": "любой вошедший пользователь (в пределах своей прокуратуры и нижестоящих)",
    "record": "сотрудник прокуратуры: ведение производств в пределах своей прокуратуры и нижестоящих "
              "(аудитору недоступно)",
    "manage_org": "администратор: структура прокуратур",
    "manage_people": "администратор: сотрудники, замещения и закрепления",
    "manage_users": "администратор: учётные записи",
    "manage_calendar": "администратор: рабочий календарь",
    "view_audit": "администратор или аудитор: журнал аудита",
    "conduct_check": "лицо, которому поручена проверка, или руководитель прокуратуры (п. 15 Инструкции)",
    "review_act": "прокурор, закреплённый за зоной, или руководитель вышестоящей прокуратуры "
                  "(пп. 62, 63, 68 Инструкции)",
    "approve_at_gpo": "сотрудник Генеральной прокуратуры (п. 60 Инструкции)",
}


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    USER = "user"
    HEAD = "head"
    ASSIGNEE = "assignee"
    ZONE_PROSECUTOR = "zone_prosecutor"
    GPO_STAFF = "gpo_staff"
    OPERATOR = "operator"


ROLE_LABELS = {
    "administrator": "администратор",
    "auditor": "аудитор",
    "user": "пользователь",
    "head": "руководитель прокуратуры",
    "assignee": "лицо, которому поручена проверка",
    "zone_prosecutor": "прокурор, закреплённый за зоной",
    "gpo_staff": "сотрудник Генеральной прокуратуры",
    "operator": "оператор (командная строка)",
}

P = Permission
MANAGE = frozenset({P.MANAGE_ORG, P.MANAGE_PEOPLE, P.MANAGE_USERS, P.MANAGE_CALENDAR})
#: What a plain prosecutor never has: the administrator's permissions and the audit trail.
ADMIN_ONLY = MANAGE | {P.VIEW_AUDIT}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset({P.SIGNED_IN, P.RECORD, *MANAGE, P.VIEW_AUDIT, P.CONDUCT_CHECK}),
    Role.AUDITOR: frozenset({P.SIGNED_IN, P.VIEW_AUDIT}),
    Role.USER: frozenset({P.SIGNED_IN, P.RECORD}),
    Role.HEAD: frozenset({P.CONDUCT_CHECK, P.REVIEW_ACT}),
    Role.ASSIGNEE: frozenset({P.CONDUCT_CHECK}),
    Role.ZONE_PROSECUTOR: frozenset({P.REVIEW_ACT}),
    Role.GPO_STAFF: frozenset({P.APPROVE_AT_GPO}),
    Role.OPERATOR: frozenset(Permission),
}
#: Office heads by level (I.15, I.62: «руководитель прокуратуры», «вышестоящий прокурор»).
HEAD_POSITIONS: dict[str, str] = {"gpo": "prosecutor_general", "regional": "regional_prosecutor",
                                  "district": "district_prosecutor"}


#: Roles that grant their permissions only on a record they hold it on (decided by the predicates
#: below): being the head of *some* office today does not let one conduct every check.
RECORD_ROLES = frozenset({Role.HEAD, Role.ASSIGNEE, Role.ZONE_PROSECUTOR})


def permissions_of(roles: Iterable[Role], record_roles: Iterable[Role] = ()) -> frozenset[Permission]:
    """The permissions of an account's roles (its record roles count only on a record), plus those of
    the roles held on the record at hand."""
    out: set[Permission] = {Permission.PUBLIC}
    for role in roles:
        if role not in RECORD_ROLES:
            out |= ROLE_PERMISSIONS[role]
    for role in record_roles:
        out |= ROLE_PERMISSIONS[role]
    return frozenset(out)


def refusal(permission: Permission) -> Forbidden:
    return Forbidden(Message("недостаточно прав: требуется «%(permission)s»",
                             permission=Message(PERMISSION_LABELS[permission])))


# ------------------------------------------------------------------------------ predicates


def headed_offices(auth: Authority) -> set[int]:
    """The offices a person heads on the authority's date: by their own position, or by acting for the
    head (`лица, их замещающие`)."""
    heads = set(HEAD_POSITIONS.values())
    out = {auth.office_id} if auth.position in heads else set()
    return out | {a.office_id for a in auth.acting if a.position in heads}


def heads_office(auth: Authority, office_id: int) -> bool:
    return office_id in headed_offices(auth)


def heads_office_or_above(auth: Authority, tree: OfficeTree, office_id: int) -> bool:
    """I.15: the head of the office or of any office above it."""
    return bool(headed_offices(auth) & set(tree.chain(office_id)))


def is_assignee(person_id: int | None, assignees: Iterable[int]) -> bool:
    """I.15: the person is among those the check is entrusted to."""
    return person_id is not None and person_id in set(assignees)


def zone_covers(tree: OfficeTree, zones: Iterable[ZoneAssignment], person_id: int | None, office_id: int,
                area: str, day: Any) -> bool:
    """I.68: `person_id` is the prosecutor the zone of `office_id` routes to for `area` on `day`."""
    found = route_to_zone(tree, zones, office_id, area, day)
    return found is not None and person_id is not None and found.person_id == person_id


def zone_offices(tree: OfficeTree, zones: Iterable[ZoneAssignment], person_id: int | None, day: Any) -> set[int]:
    """I.68: the offices in the zones assigned to the person on `day` (each zone office and the offices
    below it) — what a zone prosecutor sees besides their own office's scope."""
    out: set[int] = set()
    for zone in zones:
        if zone.person_id == person_id and zone.active_on(day):
            out |= tree.subtree(zone.zone_office_id)
    return out


# ---------------------------------------------------------------------------------- checks


def require(actor: Actor, permission: Permission) -> None:
    """The account-level check every endpoint and service makes."""
    if not actor.can(permission):
        raise refusal(permission)


def require_on(actor: Actor, permission: Permission, record_roles: Iterable[Role], refused: Exception) -> None:
    """A record-level check: allowed when the actor's account roles or their roles on the record grant
    `permission`; otherwise `refused` (the refusal with its own code and paragraphs) is raised."""
    if permission in permissions_of(actor.roles, record_roles):
        return
    raise refused


def scope_condition(actor: Actor, column: Any) -> ColumnElement[bool]:
    """The actor's scope as an SQL condition on an office-id column (issue 7 §4): nothing for those who
    see every office, else the visible office ids — one array parameter on PostgreSQL (`= ANY`), so a
    region's thousands of offices cost one bound value, not thousands."""
    if actor.visible is None:
        return true()
    return OfficeIn(column, sorted(actor.visible) or [-1])


class OfficeIn(ColumnElement[bool]):
    """`column IN (ids)`; on PostgreSQL `column = ANY(:ids)` with the ids as one array."""

    inherit_cache = False
    type = Boolean()
    _is_implicitly_boolean = True  # a condition already: no `= 1` where booleans are not native

    def __init__(self, column: Any, ids: list[int]) -> None:
        self.column, self.ids = column, ids


@compiles(OfficeIn)
def _office_in(element: OfficeIn, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(OfficeIn, "postgresql")
def _office_in_postgresql(element: OfficeIn, compiler: SQLCompiler, **kw: Any) -> str:
    array = bindparam("scope_ids", element.ids, type_=ARRAY(Integer), unique=True)
    return compiler.process(element.column == any_(array), **kw)
