"""Offices, staff, acting assignments and zonal-subject assignments (I.68): reading with scope,
changing with validation and audit, authority on a date, routing to the zone prosecutor."""

from __future__ import annotations

import threading
import weakref
from datetime import date
from functools import partial
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationError, model_validator
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.audit import service as audit
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import (
    LEVEL_POSITIONS,
    POSITION_LABELS,
    SUBJECT_AREAS,
    ActingAssignment,
    Authority,
    FormerName,
    Office,
    OfficeTree,
    Person,
    ZoneAssignment,
    authority_on,
    route_to_zone,
    unusual_acting_notes,
)
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, FieldError, InvalidInput, Message, NotFound
from nadzor.infra.policy import scope_condition
from nadzor.org.tables import acting_assignments, office_tree_version, offices, people, zone_assignments
from nadzor.rules.base import Flag, Input, LegalDate, Position, describe_pattern, field_errors

Level = Literal["gpo", "regional", "district"]
Kind = Literal["territorial", "military", "transport", "environmental", "specialized"]
Area = Literal[
    "all", "checks", "analysis", "civil", "administrative", "admin_offences", "enforcement", "entrepreneurship",
    "social", "budget", "land", "environment",
]
Text = Field(min_length=1, max_length=300)
_PARENT_LEVEL = {"gpo": None, "regional": "gpo", "district": "regional"}
T = TypeVar("T")


def check_period(start: date | None, end: date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput.one(field, "дата окончания раньше даты начала")


def parse(model: type[Input], data: Any, prefix: str = "", *, context: dict[str, Any] | None = None) -> Any:
    """Validate a command; errors keyed by field (with an optional prefix such as `offices.3`).
    `context` reaches the validators (`{"calendar": ...}` checks dates against its coverage)."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = field_errors(exc)
        if prefix:
            errors = [FieldError(f"{prefix}.{e.field}" if e.field != "input" else prefix, e.message) for e in errors]
        raise InvalidInput(errors) from None


def no_change(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Issue 6, finding 17: an update that sends the values a record already has is a no-op. It
    changes nothing, writes no audit row and keeps the version (the same values assigned again
    make no UPDATE), and it answers with the record as it is."""
    return before == after


def check_version(what: str, obj: Any, expected: int | None) -> None:
    if expected is None:
        raise InvalidInput.one("version", "укажите версию записи, которую вы изменяете")
    if obj.version != expected:
        raise Conflict.versions(what, expected, obj.version)


# =========================================================================== offices


class FormerNameIn(Input):
    name: str = Text
    valid_from: LegalDate | None = None
    valid_to: LegalDate | None = None


class OfficeIn(Input):
    code: str = Field(pattern=describe_pattern(r"^[a-z0-9][a-z0-9_.\-]*$", "строчные латинские буквы, цифры, "
                                               "точка, дефис и подчёркивание, в начале буква или цифра"),
                      min_length=1, max_length=120)
    parent_code: str | None = None
    level: Level
    kind: Kind
    name_ru: str = Text
    name_kk: str = Field(default="", max_length=300)
    city: str = Text
    valid_from: LegalDate | None = None
    valid_to: LegalDate | None = None
    former_names: list[FormerNameIn] = []
    version: int | None = None

    @model_validator(mode="after")
    def _dates(self) -> OfficeIn:
        check_period(self.valid_from, self.valid_to, "valid_to")
        for i, former in enumerate(self.former_names):
            check_period(former.valid_from, former.valid_to, f"former_names.{i}.valid_to")
        return self


def office_dict(office: Office, parent_code: str | None = None) -> dict[str, Any]:
    return {
        "id": office.id,
        "code": office.code,
        "parent_id": office.parent_id,
        "parent_code": parent_code,
        "level": office.level,
        "kind": office.kind,
        "name_ru": office.name_ru,
        "name_kk": office.name_kk,
        "city": office.city,
        "valid_from": office.valid_from.isoformat() if office.valid_from else None,
        "valid_to": office.valid_to.isoformat() if office.valid_to else None,
        "former_names": office.former_names,
        "version": office.version,
    }


def all_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(offices.c.id)))


def tree(session: Session) -> OfficeTree:
    """The office tree as this transaction sees it, read afresh (for changes of the tree)."""
    return OfficeTree(all_offices(session))


#: Per database (engine): the office tree of the last version read, shared by the process's threads.
_TREES: weakref.WeakKeyDictionary[Engine, tuple[int, OfficeTree]] = weakref.WeakKeyDictionary()
_TREES_LOCK = threading.Lock()
_DIRTY = "nadzor.office_tree_changed"


def tree_version(session: Session) -> int:
    found = session.execute(select(office_tree_version.c.version).where(office_tree_version.c.id == 1)).scalar()
    return int(found or 0)


def bump_tree_version(session: Session) -> None:
    """In the transaction of an office change: the cached trees of every process become stale when it
    commits (on PostgreSQL the counter's row lock also orders concurrent office changes)."""
    done = session.execute(update(office_tree_version).where(office_tree_version.c.id == 1)
                           .values(version=office_tree_version.c.version + 1))
    if done.rowcount == 0:  # type: ignore[attr-defined]
        session.execute(office_tree_version.insert().values(id=1, version=2))
    session.info[_DIRTY] = True


def cached_tree(session: Session) -> OfficeTree:
    """The office tree for scope and routing (issue 7 §4): read once per version of the tree and kept
    per process; one small query per call checks the version. A transaction that has changed an office
    reads its own uncommitted tree and caches nothing."""
    if session.info.get(_DIRTY):
        return tree(session)
    version = tree_version(session)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _TREES_LOCK:
        cached = _TREES.get(engine)
    if cached is not None and cached[0] == version:
        return cached[1]
    # Detached copies (what the tree needs of each office), never the session's own instances: those
    # expire when their transaction ends.
    rows = session.execute(select(offices.c.id, offices.c.parent_id, offices.c.level, offices.c.code, offices.c.kind,
                                  offices.c.name_ru, offices.c.city).order_by(offices.c.id)).all()
    fresh = OfficeTree([Office(code=r.code, level=r.level, kind=r.kind, name_ru=r.name_ru, city=r.city,
                               parent_id=r.parent_id, id=r.id) for r in rows])
    with _TREES_LOCK:
        _TREES[engine] = (version, fresh)
    return fresh


def access_offices(session: Session, actor: Actor, *, on: date | None = None) -> list[dict[str, Any]]:
    """The office tree (reference data every signed-in user sees), names as on `on`."""
    actor.require(Permission.SIGNED_IN)
    items = all_offices(session)
    codes = {o.id: o.code for o in items}
    out = []
    for o in items:
        item = office_dict(o, codes.get(o.parent_id))
        if on is not None:
            item["name_on_date"] = o.name_on(on)
            item["active_on_date"] = o.active_on(on)
        out.append(item)
    return out


def fetch(session: Session, cls: type[T], item_id: int, what: str) -> T:
    """The record, or NotFound naming what was asked for."""
    item = session.get(cls, item_id)
    if item is None:
        raise NotFound(Message("%(what)s %(id)s", what=Message(what), id=item_id))
    return item


def get_office(session: Session, office_id: int) -> Office:
    return fetch(session, Office, office_id, "прокуратура")


def office_by_code(session: Session, code: str) -> Office | None:
    return session.scalars(select(Office).where(offices.c.code == code)).first()


def _apply_office(session: Session, office: Office, cmd: OfficeIn, field_prefix: str = "") -> None:
    def name(f: str) -> str:
        return f"{field_prefix}{f}"

    parent: Office | None = None
    if cmd.parent_code:
        parent = office_by_code(session, cmd.parent_code)
        if parent is None:
            raise InvalidInput.one(name("parent_code"), Message("нет прокуратуры с кодом %(code)s",
                                                                code=repr(cmd.parent_code)))
        moved = office.id is not None and parent.id != office.parent_id
        if moved and parent.id in tree(session).subtree(office.id or 0):
            raise InvalidInput.one(name("parent_code"), "прокуратура не может подчиняться сама себе")
    expected = _PARENT_LEVEL[cmd.level]
    if expected is None and parent is not None:
        raise InvalidInput.one(name("parent_code"), "у Генеральной прокуратуры нет вышестоящей прокуратуры")
    if expected is not None and (parent is None or parent.level != expected):
        raise InvalidInput.one(name("parent_code"), Message("прокуратура уровня %(level)s подчиняется прокуратуре "
                                                            "уровня %(expected)s", level=cmd.level, expected=expected))
    office.code = cmd.code
    office.parent_id = parent.id if parent else None
    office.level, office.kind = cmd.level, cmd.kind
    office.name_ru, office.name_kk, office.city = cmd.name_ru, cmd.name_kk, cmd.city
    office.valid_from, office.valid_to = cmd.valid_from, cmd.valid_to
    office.former_names = [FormerName(f.name, f.valid_from, f.valid_to).as_dict() for f in cmd.former_names]


def do_create_office(session: Session, data: Any, *, actor: Actor) -> Office:
    actor.require(Permission.MANAGE_ORG)
    cmd: OfficeIn = parse(OfficeIn, data)
    if office_by_code(session, cmd.code) is not None:
        raise InvalidInput.one("code", Message("прокуратура с кодом %(code)s уже есть", code=repr(cmd.code)))
    office = Office(code=cmd.code, level=cmd.level, kind=cmd.kind, name_ru=cmd.name_ru, city=cmd.city)
    _apply_office(session, office, cmd)
    bump_tree_version(session)
    return audit.added(session, office, actor=actor, action=AuditAction.OFFICE_CREATED, object_type="office",
                       describe=partial(office_dict, parent_code=cmd.parent_code))


def do_update_office(session: Session, office_id: int, data: Any, *, actor: Actor) -> Office:
    actor.require(Permission.MANAGE_ORG)
    cmd: OfficeIn = parse(OfficeIn, data)
    office = get_office(session, office_id)
    check_version("Прокуратура", office, cmd.version)
    other = office_by_code(session, cmd.code)
    if other is not None and other.id != office.id:
        raise InvalidInput.one("code", Message("прокуратура с кодом %(code)s уже есть", code=repr(cmd.code)))
    before = office_dict(office)
    _apply_office(session, office, cmd)
    if no_change(before, office_dict(office)):
        return office
    bump_tree_version(session)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.OFFICE_UPDATED, object_type="office",
                 object_id=office.id, before=before, after=office_dict(office, cmd.parent_code))
    return office


def do_import_offices(session: Session, items: list[Any], *, actor: Actor) -> dict[str, int]:
    """Create or update offices by code, parents before children, all or nothing. An error names
    the item (`offices.N.field`)."""
    actor.require(Permission.MANAGE_ORG)
    commands: list[OfficeIn] = [parse(OfficeIn, item, f"offices.{i}") for i, item in enumerate(items)]
    seen: dict[str, int] = {}
    for i, cmd in enumerate(commands):
        if cmd.code in seen:
            raise InvalidInput.one(f"offices.{i}.code", Message("код %(code)s повторяется (см. offices.%(index)s)",
                                                                code=repr(cmd.code), index=seen[cmd.code]))
        seen[cmd.code] = i
    order = sorted(range(len(commands)), key=lambda i: ("gpo", "regional", "district").index(commands[i].level))
    created = updated = unchanged = 0
    for i in order:
        cmd = commands[i]
        office = office_by_code(session, cmd.code)
        if office is None:
            office = Office(code=cmd.code, level=cmd.level, kind=cmd.kind, name_ru=cmd.name_ru, city=cmd.city)
            _apply_office(session, office, cmd, f"offices.{i}.")
            audit.added(session, office, actor=actor, action=AuditAction.OFFICE_CREATED, object_type="office",
                        describe=partial(office_dict, parent_code=cmd.parent_code))
            created += 1
            continue
        before = office_dict(office)
        _apply_office(session, office, cmd, f"offices.{i}.")
        if no_change(before, office_dict(office)):
            unchanged += 1
            continue
        session.flush()
        audit.record(session, actor=actor, action=AuditAction.OFFICE_UPDATED, object_type="office",
                     object_id=office.id, before=before, after=office_dict(office, cmd.parent_code))
        updated += 1
    summary = {"created": created, "updated": updated, "unchanged": unchanged}
    if created or updated:
        bump_tree_version(session)
    audit.record(session, actor=actor, action=AuditAction.OFFICES_IMPORTED, object_type="office", object_id=None,
                 after=summary)
    return summary


def export_offices(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The tree in import form (codes, not ids), parents before children."""
    items = access_offices(session, actor)
    for item in items:
        item.pop("id")
        item.pop("parent_id")
        item.pop("version")
    return sorted(items, key=lambda i: (("gpo", "regional", "district").index(i["level"]), i["code"]))


# ============================================================================= people


class PersonIn(Input):
    full_name: str = Text
    position: Position
    office_id: int = Field(strict=True)
    email: str = Field(default="", max_length=200)
    active: Flag = True
    version: int | None = None


def person_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.id, "full_name": person.full_name, "position": person.position,
        "position_label": POSITION_LABELS[person.position], "office_id": person.office_id,
        "email": person.email, "active": person.active, "version": person.version,
    }


def _check_position(session: Session, position: str, office_id: int, field: str) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise InvalidInput.one("office_id", Message("нет прокуратуры %(id)s", id=office_id))
    if position not in LEVEL_POSITIONS[office.level]:
        allowed = ", ".join(LEVEL_POSITIONS[office.level])
        raise InvalidInput.one(field, Message("в прокуратуре уровня %(level)s нет такой должности; допустимые: "
                                              "%(values)s", level=office.level, values=allowed))
    return office


def access_people(session: Session, actor: Actor, *, office_id: int | None = None) -> list[Person]:
    """Staff in the actor's scope (their office and the offices below it)."""
    actor.require(Permission.SIGNED_IN)
    query = select(Person).where(scope_condition(actor, people.c.office_id)).order_by(people.c.office_id,
                                                                                      people.c.full_name)
    if office_id is not None:
        query = query.where(people.c.office_id == office_id)
    return list(session.scalars(query))


def people_names(session: Session, actor: Actor, ids: set[int]) -> dict[int, str]:
    """The names of the people `ids` that the actor may see (one query; for lists and the audit view)."""
    actor.require(Permission.SIGNED_IN)
    if not ids:
        return {}
    query = select(people.c.id, people.c.full_name, people.c.office_id).where(people.c.id.in_(sorted(ids)))
    return {r.id: r.full_name for r in session.execute(query) if actor.sees_office(r.office_id)}


def _visible(session: Session, actor: Actor, cls: type[T], item_id: int, what: str, office: str) -> T:
    """The record if it is in the actor's scope (its `office` attribute names its office), else NotFound."""
    actor.require(Permission.SIGNED_IN)
    item = session.get(cls, item_id)
    if item is None or not actor.sees_office(getattr(item, office)):
        raise NotFound(Message("%(what)s %(id)s", what=Message(what), id=item_id))
    return item


def access_acting_item(session: Session, actor: Actor, item_id: int) -> ActingAssignment:
    return _visible(session, actor, ActingAssignment, item_id, "исполнение обязанностей", "office_id")


def access_zone(session: Session, actor: Actor, item_id: int) -> ZoneAssignment:
    return _visible(session, actor, ZoneAssignment, item_id, "закрепление", "zone_office_id")


def access_person(session: Session, actor: Actor, person_id: int) -> Person:
    return _visible(session, actor, Person, person_id, "сотрудник", "office_id")


def do_create_person(session: Session, data: Any, *, actor: Actor) -> Person:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: PersonIn = parse(PersonIn, data)
    _check_position(session, cmd.position, cmd.office_id, "position")
    person = Person(full_name=cmd.full_name, position=cmd.position, office_id=cmd.office_id, email=cmd.email,
                    active=cmd.active)
    return audit.added(session, person, actor=actor, action=AuditAction.PERSON_CREATED, object_type="person",
                       describe=person_dict)


def do_update_person(session: Session, person_id: int, data: Any, *, actor: Actor) -> Person:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: PersonIn = parse(PersonIn, data)
    person = access_person(session, actor, person_id)
    check_version("Запись о сотруднике", person, cmd.version)
    _check_position(session, cmd.position, cmd.office_id, "position")
    before = person_dict(person)
    person.full_name, person.position, person.office_id = cmd.full_name, cmd.position, cmd.office_id
    person.email, person.active = cmd.email, cmd.active
    if no_change(before, person_dict(person)):
        return person
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.PERSON_UPDATED, object_type="person",
                 object_id=person.id, before=before, after=person_dict(person))
    return person


# ================================================================== acting assignments


class ActingIn(Input):
    person_id: int = Field(strict=True)
    acting_for: Position
    office_id: int = Field(strict=True)
    date_from: LegalDate
    date_to: LegalDate
    basis: str = Text
    version: int | None = None

    @model_validator(mode="after")
    def _period(self) -> ActingIn:
        check_period(self.date_from, self.date_to, "date_to")
        return self


def acting_dict(a: ActingAssignment) -> dict[str, Any]:
    return {
        "id": a.id, "person_id": a.person_id, "acting_for": a.acting_for,
        "acting_for_label": POSITION_LABELS[a.acting_for], "office_id": a.office_id,
        "date_from": a.date_from.isoformat(), "date_to": a.date_to.isoformat(), "basis": a.basis,
        "version": a.version,
    }


def access_acting(session: Session, actor: Actor, *, person_id: int | None = None) -> list[ActingAssignment]:
    actor.require(Permission.SIGNED_IN)
    query = select(ActingAssignment).where(scope_condition(actor, acting_assignments.c.office_id)).order_by(
        acting_assignments.c.date_from.desc())
    if person_id is not None:
        query = query.where(acting_assignments.c.person_id == person_id)
    return list(session.scalars(query))


def _validate_acting(session: Session, cmd: ActingIn, own_id: int | None) -> None:
    person = session.get(Person, cmd.person_id)
    if person is None:
        raise InvalidInput.one("person_id", Message("нет сотрудника %(id)s", id=cmd.person_id))
    _check_position(session, cmd.acting_for, cmd.office_id, "acting_for")
    if person.position == cmd.acting_for and person.office_id == cmd.office_id:
        raise InvalidInput.one("acting_for", "сотрудник уже занимает эту должность в этой прокуратуре")
    overlapping = session.scalars(select(ActingAssignment).where(
        acting_assignments.c.person_id == cmd.person_id,
        acting_assignments.c.date_from <= cmd.date_to,
        acting_assignments.c.date_to >= cmd.date_from,
    )).all()
    if any(a.id != own_id for a in overlapping):
        raise InvalidInput.one("date_from", "в этот период сотрудник уже исполняет обязанности по другой должности")


def unusual_acting(session: Session, data: Any) -> list[tuple[str, dict[str, str]]]:
    """What is unusual about an acting assignment that validates (`domain.org.unusual_acting_notes`:
    message templates with their parts): the page asks to confirm it. Reads only."""
    cmd: ActingIn = parse(ActingIn, data)
    person = session.get(Person, cmd.person_id)
    own = session.get(Office, person.office_id) if person is not None else None
    acting = session.get(Office, cmd.office_id)
    if person is None or own is None or acting is None or own.id is None or acting.id is None:
        return []
    return unusual_acting_notes(own_position=person.position, own_level=own.level, own_office_id=own.id,
                                acting_for=cmd.acting_for, acting_level=acting.level, acting_office_id=acting.id)


def do_create_acting(session: Session, data: Any, *, actor: Actor) -> ActingAssignment:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: ActingIn = parse(ActingIn, data)
    _validate_acting(session, cmd, None)
    item = ActingAssignment(person_id=cmd.person_id, acting_for=cmd.acting_for, office_id=cmd.office_id,
                            date_from=cmd.date_from, date_to=cmd.date_to, basis=cmd.basis)
    return audit.added(session, item, actor=actor, action=AuditAction.ACTING_CREATED, object_type="acting",
                       describe=acting_dict)


def _get_acting(session: Session, item_id: int) -> ActingAssignment:
    return fetch(session, ActingAssignment, item_id, "исполнение обязанностей")


def do_update_acting(session: Session, item_id: int, data: Any, *, actor: Actor) -> ActingAssignment:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: ActingIn = parse(ActingIn, data)
    item = _get_acting(session, item_id)
    check_version("Исполнение обязанностей", item, cmd.version)
    _validate_acting(session, cmd, item.id)
    before = acting_dict(item)
    item.person_id, item.acting_for, item.office_id = cmd.person_id, cmd.acting_for, cmd.office_id
    item.date_from, item.date_to, item.basis = cmd.date_from, cmd.date_to, cmd.basis
    if no_change(before, acting_dict(item)):
        return item
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.ACTING_UPDATED, object_type="acting",
                 object_id=item.id, before=before, after=acting_dict(item))
    return item


def do_delete_acting(session: Session, item_id: int, version: int | None, *, actor: Actor) -> None:
    actor.require(Permission.MANAGE_PEOPLE)
    item = _get_acting(session, item_id)
    check_version("Исполнение обязанностей", item, version)
    before = acting_dict(item)
    session.delete(item)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.ACTING_DELETED, object_type="acting",
                 object_id=item_id, before=before)


# ========================================================================== authority


def access_authority(session: Session, actor: Actor, person_id: int, on: date, *,
                     calendar: WorkingCalendar) -> dict[str, Any]:
    """What authority the person has on `on`: own position, acting positions, and every signer
    rule of RULES.md evaluated for them (allowed if any of their signers is allowed)."""
    person = access_person(session, actor, person_id)
    auth = authority_of(session, person, on)
    signer_rules = {}
    for rule in rules.REGISTRY.values():
        if "positions" in rule.extra:
            outcome = sign_as(auth, rule.id, {}, calendar=calendar)
            signer_rules[rule.id] = {"title": rule.title, "allowed": outcome["result"]["allowed"],
                                     "signer": outcome["signer"], "citations": list(rule.citations)}
    return {
        "person": person_dict(person),
        "on": on.isoformat(),
        "position": auth.position,
        "office_id": auth.office_id,
        "acting": [{"position": a.position, "position_label": POSITION_LABELS[a.position], "office_id": a.office_id,
                    "basis": a.basis, "date_from": a.date_from.isoformat(), "date_to": a.date_to.isoformat()}
                   for a in auth.acting],
        "signers": auth.signers(),
        "signer_rules": signer_rules,
    }


def authority_of(session: Session, person: Person, on: date) -> Authority:
    assignments = session.scalars(select(ActingAssignment).where(
        acting_assignments.c.person_id == person.id)).all()
    return authority_on(person, assignments, on)


def sign_as(auth: Authority, rule_id: str, data: dict[str, Any], *, calendar: WorkingCalendar) -> dict[str, Any]:
    """Apply a signer rule through the person's authority: try their own position, then each
    position they act for; the first allowed answer wins, else the answer for their own."""
    found = rules.get_rule(rule_id)
    if "signer" not in found.input_model.model_fields:
        raise InvalidInput.one("rule", Message("правило %(rule)s не определяет подписанта", rule=rule_id))
    if "signer" in data:
        raise InvalidInput.one("input.signer", "подписант определяется полномочиями сотрудника на дату")
    first: dict[str, Any] | None = None
    for signer in auth.signers():
        outcome = rules.evaluate(rule_id, {**data, "signer": signer}, calendar=calendar)
        outcome["signer"] = signer
        if outcome["result"].get("allowed"):
            return outcome
        first = first or outcome
    assert first is not None
    return first


def check_signature(session: Session, actor: Actor, person_id: int, rule_id: str, on: date,
                    data: dict[str, Any], *, calendar: WorkingCalendar) -> dict[str, Any]:
    person = access_person(session, actor, person_id)
    return sign_as(authority_of(session, person, on), rule_id, data, calendar=calendar)


# ===================================================================== zonal assignments


class ZoneIn(Input):
    person_id: int = Field(strict=True)
    zone_office_id: int = Field(strict=True)
    areas: list[Area] = Field(min_length=1)
    date_from: LegalDate
    date_to: LegalDate | None = None
    version: int | None = None

    @model_validator(mode="after")
    def _period(self) -> ZoneIn:
        check_period(self.date_from, self.date_to, "date_to")
        return self


def zone_dict(z: ZoneAssignment) -> dict[str, Any]:
    return {
        "id": z.id, "person_id": z.person_id, "zone_office_id": z.zone_office_id, "areas": list(z.areas),
        "area_labels": [SUBJECT_AREAS[a] for a in z.areas], "date_from": z.date_from.isoformat(),
        "date_to": z.date_to.isoformat() if z.date_to else None, "version": z.version,
    }


def access_zones(session: Session, actor: Actor) -> list[ZoneAssignment]:
    actor.require(Permission.SIGNED_IN)
    query = select(ZoneAssignment).where(scope_condition(actor, zone_assignments.c.zone_office_id))
    return list(session.scalars(query.order_by(zone_assignments.c.id)))


def _validate_zone(session: Session, cmd: ZoneIn) -> None:
    person = session.get(Person, cmd.person_id)
    if person is None:
        raise InvalidInput.one("person_id", Message("нет сотрудника %(id)s", id=cmd.person_id))
    home = session.get(Office, person.office_id)
    assert home is not None and home.id is not None
    if home.level == "district":
        raise InvalidInput.one("person_id", "зонально-предметный принцип применяется в Генеральной прокуратуре и "
                                            "прокуратурах областей (п. 68 Инструкции)")
    zone = session.get(Office, cmd.zone_office_id)
    if zone is None:
        raise InvalidInput.one("zone_office_id", Message("нет прокуратуры %(id)s", id=cmd.zone_office_id))
    if zone.id == home.id or zone.id not in cached_tree(session).subtree(home.id):
        raise InvalidInput.one("zone_office_id", "зона должна быть прокуратурой, нижестоящей по отношению к "
                                                 "прокуратуре сотрудника")


def do_create_zone(session: Session, data: Any, *, actor: Actor) -> ZoneAssignment:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: ZoneIn = parse(ZoneIn, data)
    _validate_zone(session, cmd)
    item = ZoneAssignment(person_id=cmd.person_id, zone_office_id=cmd.zone_office_id, areas=list(cmd.areas),
                          date_from=cmd.date_from, date_to=cmd.date_to)
    return audit.added(session, item, actor=actor, action=AuditAction.ZONE_CREATED, object_type="zone",
                       describe=zone_dict)


def do_update_zone(session: Session, item_id: int, data: Any, *, actor: Actor) -> ZoneAssignment:
    actor.require(Permission.MANAGE_PEOPLE)
    cmd: ZoneIn = parse(ZoneIn, data)
    item = fetch(session, ZoneAssignment, item_id, "закрепление")
    check_version("Закрепление зоны", item, cmd.version)
    _validate_zone(session, cmd)
    before = zone_dict(item)
    item.person_id, item.zone_office_id, item.areas = cmd.person_id, cmd.zone_office_id, list(cmd.areas)
    item.date_from, item.date_to = cmd.date_from, cmd.date_to
    if no_change(before, zone_dict(item)):
        return item
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.ZONE_UPDATED, object_type="zone", object_id=item.id,
                 before=before, after=zone_dict(item))
    return item


def access_zone_route(session: Session, actor: Actor, office_id: int, area: str, on: date) -> dict[str, Any]:
    """I.68: who reviews the acts and controls the deadlines of `office_id` in `area` on `on`."""
    actor.require(Permission.SIGNED_IN)
    if area not in SUBJECT_AREAS:
        raise InvalidInput.one("area", Message("неизвестное направление; допустимые: %(values)s",
                                               values=", ".join(SUBJECT_AREAS)))
    get_office(session, office_id)
    if not actor.sees_office(office_id):
        raise NotFound(Message("прокуратура %(id)s в пределах вашей прокуратуры", id=office_id))
    zones = session.scalars(select(ZoneAssignment)).all()
    found = route_to_zone(cached_tree(session), zones, office_id, area, on)
    if found is None:
        return {"office_id": office_id, "area": area, "on": on.isoformat(), "assignment": None, "person": None}
    person = session.get(Person, found.person_id)
    assert person is not None
    return {"office_id": office_id, "area": area, "on": on.isoformat(), "assignment": zone_dict(found),
            "person": person_dict(person) if actor.sees_office(person.office_id) else routing_person_dict(session,
                                                                                                          person)}


def routing_person_dict(session: Session, person: Person) -> dict[str, Any]:
    """What routing needs of a person outside the caller's scope (issue 6, finding 15): the name,
    the position and the office — no id to follow, no e-mail, no record state."""
    office = get_office(session, person.office_id)
    return {"full_name": person.full_name, "position": person.position,
            "position_label": POSITION_LABELS[person.position], "office_id": person.office_id,
            "office_name": office.name_ru}
