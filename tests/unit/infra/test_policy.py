"""The roles and their permissions (issue 7 §4), without storage: each role a set of permissions,
record roles counting only on their record, the predicates of I.15 and I.62/I.68."""

from __future__ import annotations

from datetime import date

from nadzor.domain.org import Acting, Authority, Office, OfficeTree, ZoneAssignment
from nadzor.infra.context import Actor, cli_actor
from nadzor.infra.policy import (
    MANAGE,
    Permission,
    Role,
    heads_office,
    heads_office_or_above,
    permissions_of,
    zone_covers,
    zone_offices,
)

DAY = date(2026, 11, 25)
TREE = OfficeTree([
    Office("gpo", "gpo", "territorial", "ГП", "Астана", id=1),
    Office("kar", "regional", "territorial", "Караганда", "Караганда", parent_id=1, id=2),
    Office("tem", "district", "territorial", "Темиртау", "Темиртау", parent_id=2, id=3),
    Office("karc", "district", "territorial", "Караганда г.", "Караганда", parent_id=2, id=4),
    Office("alm", "regional", "territorial", "Алматы", "Алматы", parent_id=1, id=5),
])


def test_an_auditor_reads_the_audit_and_records_nothing() -> None:
    auditor = Actor(login="a", user_id=7, is_auditor=True, office_level="district", heads=frozenset({3}))
    assert auditor.roles == {Role.AUDITOR}
    assert auditor.can(Permission.VIEW_AUDIT) and auditor.can(Permission.SIGNED_IN)
    assert not any(auditor.can(p) for p in (Permission.RECORD, *MANAGE, Permission.CONDUCT_CHECK))


def test_the_administrator_manages_but_does_not_review_acts_or_approve_for_the_gpo() -> None:
    admin = Actor(login="admin", user_id=1, is_admin=True, visible=None)
    assert all(admin.can(p) for p in (*MANAGE, Permission.VIEW_AUDIT, Permission.RECORD, Permission.CONDUCT_CHECK))
    assert not admin.can(Permission.REVIEW_ACT) and not admin.can(Permission.APPROVE_AT_GPO)
    assert all(cli_actor().can(p) for p in Permission)


def test_record_roles_count_only_on_their_record() -> None:
    head = Actor(login="h", user_id=2, office_level="district", heads=frozenset({3}))
    assert head.roles == {Role.USER, Role.HEAD}
    assert not head.can(Permission.CONDUCT_CHECK) and not head.can(Permission.REVIEW_ACT)
    assert Permission.CONDUCT_CHECK in permissions_of(head.roles, {Role.HEAD})
    assert Permission.REVIEW_ACT in permissions_of(head.roles, {Role.ZONE_PROSECUTOR})
    assert permissions_of((), {Role.ASSIGNEE}) == {Permission.PUBLIC, Permission.CONDUCT_CHECK}
    assert Actor(login="anonymous").roles == frozenset()


def test_heads_by_own_position_or_by_acting_for_the_head() -> None:
    own = Authority(1, DAY, 2, "regional_prosecutor", ())
    acting = Authority(2, DAY, 3, "deputy_district_prosecutor",
                       (Acting("district_prosecutor", 3, "приказ", DAY, DAY),))
    deputy = Authority(3, DAY, 3, "deputy_district_prosecutor", ())
    assert heads_office(own, 2) and heads_office(acting, 3) and not heads_office(deputy, 3)
    assert heads_office_or_above(own, TREE, 3) and not heads_office_or_above(own, TREE, 5)


def test_a_zone_covers_its_offices_for_its_areas_on_its_dates() -> None:
    zones = [ZoneAssignment(person_id=9, zone_office_id=3, areas=["civil"], date_from=date(2026, 1, 1), id=1),
             ZoneAssignment(person_id=8, zone_office_id=2, areas=["all"], date_from=date(2026, 1, 1), id=2)]
    assert zone_covers(TREE, zones, 9, 3, "civil", DAY)
    assert not zone_covers(TREE, zones, 9, 3, "land", DAY) and zone_covers(TREE, zones, 8, 3, "land", DAY)
    assert not zone_covers(TREE, zones, 9, 4, "civil", DAY)
    assert not zone_covers(TREE, zones, 9, 3, "civil", date(2025, 12, 31))
    assert zone_offices(TREE, zones, 8, DAY) == {2, 3, 4} and zone_offices(TREE, zones, 9, DAY) == {3}
