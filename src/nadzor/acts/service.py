"""Acts of supervision beyond the kernel (issue 9; Instruction ch. 4, I.58–I.68; Rules R.27–R.29).

* **Act types as data**: the five types of I.58 with their Russian and Kazakh names, their legal
  source and the addressee's default response term — empty until an administrator fills it with its
  source (never hard-coded); an issued act without `response_due` is answered with a proposal.
* **Origins**: `details.origin` of an act's `drafted` step links it to a check (an `act` decision,
  I.24), an evaluation (studied, violations found: its protest, R.27–R.29), an analysis (an `act`
  decision, R.19) or to nothing (`direct`). The act shows its origin, the origin its acts; when an
  evaluation's protest is issued, the evaluation's `protest_issued` step is recorded with it, in the
  same transaction (PROCEEDINGS.md, kind `evaluation`).
* **Who records what**: the GPO's approval or refusal (I.60) only by a user of the GPO; the superior's
  decision (I.62) and review of the response (I.63) only by the prosecutor of the superior office
  assigned to the issuing office's zone (I.68) or by that office's head.
* **Control views**: totals of execution per office subtree and period (I.59), the queue of data-bank
  entries (I.67), the I.64 register with the quarter's table for the analysis of causes.

Storage hooks are called from `casework/service.py`: `check_origin` and `link_origin` around
the opening of a proceeding, `before_store` between the replay of a new step and its storing,
`after_withdraw` in a withdrawal's transaction, `proceeding_extras` when a proceeding is read.
Everything else is `access_*`/`do_*` as elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import Row, and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.acts.tables import act_origins, act_types
from nadzor.audit import service as audit
from nadzor.casework import service as stored
from nadzor.casework.service import Refused
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import CalendarRangeError, WorkingCalendar
from nadzor.domain.org import POSITION_LABELS, SUBJECT_AREAS, Office, Person, ZoneAssignment, route_to_zone
from nadzor.domain.terms import k1_calendar_days, k2_working_days_after
from nadzor.infra import policy
from nadzor.infra.context import Actor, Permission, Role
from nadzor.infra.errors import Conflict, FieldError, InvalidInput, Message, NotFound
from nadzor.infra.listing import casefold
from nadzor.org import service as org
from nadzor.org.service import authority_of, parse
from nadzor.org.tables import people
from nadzor.proceedings import KINDS
from nadzor.proceedings.act import ACT_TYPES
from nadzor.proceedings.evaluation import ADDRESSEES
from nadzor.rules.base import Input, Listing

TERM_UNITS = {"calendar": "календарных дней", "working": "рабочих дней"}
ORIGIN_KINDS = ("check", "evaluation", "analysis", "direct")
ORIGIN_LABELS = {"check": "проверка", "evaluation": "оценка акта", "analysis": "анализ",
                 "direct": "непосредственно (без проверки, оценки или анализа)"}
_COLLECTION = {"check": "checks", "act": "acts", "evaluation": "evaluations", "analysis": "analyses"}
#: steps the superior records (I.62, I.63) and steps only the GPO records (I.60).
SUPERIOR_STEPS = ("superior_decision", "response_reviewed")
GPO_STEPS = ("gpo_approved", "gpo_declined")
#: I.64: the superior's decisions that put an act in the register, and their labels.
I64_EVENTS = {"revoke": "отозван вышестоящим прокурором", "amend": "изменён вышестоящим прокурором",
              "suspend": "приостановлен вышестоящим прокурором", "invalidated": "признан незаконным судом"}
I64_CODE = "I64.invalidated_acts"


class NotEntitled(Refused):
    """Storage refuses a step because of who records it: 403 with its own code."""

    status = 403


# =============================================================================== act types


class ResponseTermIn(Input):
    days: int = Field(strict=True, ge=1, le=366)
    unit: Literal["calendar", "working"]
    source: str = Field(min_length=1, max_length=2000)


class ActTypeIn(Input):
    version: int = Field(strict=True, ge=1, le=2**31 - 1)
    name_ru: str = Field(min_length=1, max_length=200)
    name_kk: str = Field(min_length=1, max_length=200)
    legal_source: str = Field(min_length=1, max_length=4000)
    response_term: ResponseTermIn | None = None


class NewActTypeIn(Input):
    """An administrator's own type of act (I.58 «other» acts named more precisely: указание, требование…):
    acts of it are of the kernel's type `other`, with `details.act_type` naming it."""

    code: str = Field(min_length=2, max_length=20, pattern=r"^[a-z][a-z0-9_]+$")
    name_ru: str = Field(min_length=1, max_length=200)
    name_kk: str = Field(min_length=1, max_length=200)
    legal_source: str = Field(min_length=1, max_length=4000)
    response_term: ResponseTermIn | None = None


class DeleteActTypeIn(Input):
    version: int = Field(strict=True, ge=1, le=2**31 - 1)


def act_type_dict(row: Row[Any]) -> dict[str, Any]:
    term = None
    if row.response_term_days is not None:
        term = {"days": row.response_term_days, "unit": row.response_term_unit,
                "unit_label": TERM_UNITS.get(row.response_term_unit or "", ""), "source": row.response_term_source}
    return {"code": row.code, "name_ru": row.name_ru, "name_kk": row.name_kk, "legal_source": row.legal_source,
            "response_term": term, "builtin": row.code in ACT_TYPES,
            "kernel_type": row.code if row.code in ACT_TYPES else "other", "version": row.version,
            "updated_by": row.updated_by,
            "updated_at": row.updated_at.isoformat() if row.updated_at else None}


def _act_type_row(session: Session, code: str) -> Row[Any]:
    row = session.execute(select(act_types).where(act_types.c.code == code)).first()
    if row is None:
        raise NotFound(Message("%(what)s %(id)s", what=Message("вид акта"), id=repr(code)))
    return row


def access_act_types(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    """The act types in the order of I.58 (every signed-in user reads them)."""
    actor.require(Permission.SIGNED_IN)
    rows = {r.code: r for r in session.execute(select(act_types).order_by(act_types.c.id)).all()}
    return [act_type_dict(rows[c]) for c in ACT_TYPES if c in rows] + \
        [act_type_dict(r) for c, r in rows.items() if c not in ACT_TYPES]


def do_create_act_type(session: Session, data: Any, *, actor: Actor) -> dict[str, Any]:
    """An administrator adds a type of «other» act (I.58) with its names, source and default term; audited."""
    actor.require(Permission.MANAGE_ORG)
    cmd: NewActTypeIn = parse(NewActTypeIn, data)
    if session.execute(select(act_types.c.id).where(act_types.c.code == cmd.code)).first() is not None:
        raise InvalidInput.one("code", Message("вид акта с кодом %(code)s уже есть", code=repr(cmd.code)))
    term = cmd.response_term
    session.execute(insert(act_types).values(
        code=cmd.code, name_ru=cmd.name_ru.strip(), name_kk=cmd.name_kk.strip(), legal_source=cmd.legal_source.strip(),
        response_term_days=term.days if term else None, response_term_unit=term.unit if term else None,
        response_term_source=term.source.strip() if term else None, updated_by=actor.login,
        updated_at=audit.now_utc(), version=1))
    after = act_type_dict(_act_type_row(session, cmd.code))
    audit.record(session, actor=actor, action=AuditAction.ACT_TYPE_CREATED, object_type="act_type",
                 object_id=cmd.code, after=after)
    return after


def do_delete_act_type(session: Session, code: str, data: Any, *, actor: Actor) -> None:
    """An administrator removes a type they added, while no act is of it (the five of I.58 stay); audited."""
    actor.require(Permission.MANAGE_ORG)
    cmd: DeleteActTypeIn = parse(DeleteActTypeIn, data)
    row = _act_type_row(session, code)
    if code in ACT_TYPES:
        raise Refused("act_type_builtin", ["I.58"], Message(
            "Вид «%(name)s» назван в п. 58 Инструкции и не удаляется", name=row.name_ru))
    if row.version != cmd.version:
        raise Conflict.versions("Вид акта надзора", cmd.version, row.version)
    used = session.execute(select(func.count()).select_from(proceeding_steps).where(
        proceeding_steps.c.seq == 0, proceeding_steps.c.details["act_type"].as_string() == code)).scalar_one()
    if used:
        raise Refused("act_type_in_use", ["I.58"], Message("Вид «%(name)s» указан в %(count)s акт(ах) надзора: "
                                                           "удалить его нельзя", name=row.name_ru, count=used))
    session.execute(delete(act_types).where(act_types.c.id == row.id))
    audit.record(session, actor=actor, action=AuditAction.ACT_TYPE_DELETED, object_type="act_type", object_id=code,
                 before=act_type_dict(row))


def act_type_of(step: dict[str, Any], details: dict[str, Any] | None) -> str | None:
    """The act's type as the registers know it: the administrator's own type (`details.act_type`) of an
    `other` act, else the kernel's `act_type`."""
    own = (details or {}).get("act_type")
    return own if isinstance(own, str) and step.get("act_type") == "other" else step.get("act_type")


def access_act_type(session: Session, code: str, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    return act_type_dict(_act_type_row(session, code))


def do_update_act_type(session: Session, code: str, data: Any, *, actor: Actor) -> dict[str, Any]:
    """An administrator sets a type's names, legal source and default response term (with its source;
    `response_term: null` empties it). Optimistic version, audited."""
    actor.require(Permission.MANAGE_ORG)
    cmd: ActTypeIn = parse(ActTypeIn, data)
    row = _act_type_row(session, code)
    if row.version != cmd.version:
        raise Conflict.versions("Вид акта надзора", cmd.version, row.version)
    term = cmd.response_term
    now = audit.now_utc()
    done = session.execute(update(act_types).where(act_types.c.id == row.id, act_types.c.version == row.version).values(
        name_ru=cmd.name_ru.strip(), name_kk=cmd.name_kk.strip(), legal_source=cmd.legal_source.strip(),
        response_term_days=term.days if term else None, response_term_unit=term.unit if term else None,
        response_term_source=term.source.strip() if term else None, updated_by=actor.login, updated_at=now,
        version=row.version + 1))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict.concurrent()
    after = act_type_dict(_act_type_row(session, code))
    audit.record(session, actor=actor, action=AuditAction.ACT_TYPE_UPDATED, object_type="act_type", object_id=code,
                 before=act_type_dict(row), after=after)
    return after


def propose_response_due(session: Session, act_type: str, issued_on: date,
                         calendar: WorkingCalendar) -> dict[str, Any] | None:
    """The addressee's response term proposed from the type's data (K1 for calendar days, K2 for
    working days), or None while the administrator has not filled it."""
    row = session.execute(select(act_types).where(act_types.c.code == act_type)).first()
    if row is None or row.response_term_days is None:
        return None
    try:
        if row.response_term_unit == "working":
            due = k2_working_days_after(calendar, issued_on, row.response_term_days)
        else:
            due = k1_calendar_days(calendar, issued_on, row.response_term_days)
    except CalendarRangeError:
        return None
    return {"due": due.isoformat(), "days": row.response_term_days, "unit": row.response_term_unit,
            "unit_label": TERM_UNITS.get(row.response_term_unit or "", ""), "source": row.response_term_source,
            "act_type": act_type}


# ================================================================================= origins


class OriginIn(Input):
    kind: Literal["check", "evaluation", "analysis", "direct"]
    id: int | None = Field(default=None, strict=True, ge=1, le=2**63 - 1)


def _live_steps(session: Session, proceeding_id: int) -> list[dict[str, Any]]:
    rows = session.execute(select(proceeding_steps.c.data, proceeding_steps.c.details).where(
        proceeding_steps.c.proceeding_id == proceeding_id, proceeding_steps.c.withdrawn.is_(False))
        .order_by(proceeding_steps.c.seq)).all()
    return [{**r.data, "_details": r.details} for r in rows]


def _proceeding(session: Session, proceeding_id: int, kind: str) -> Row[Any] | None:
    t = proceedings_table
    return session.execute(select(t).where(t.c.id == proceeding_id, t.c.kind == kind)).first()


def check_origin(session: Session, kind: str, step: dict[str, Any], details: dict[str, Any] | None,
                 actor: Actor, *, imported: bool = False) -> dict[str, Any] | None:
    """Before an act is opened: its `details.origin` (and `details.area`, `details.addressee`,
    `details.competent`) are well-formed, the origin exists in the actor's scope and allows an act.
    Returns the origin to link once the act is stored. An `imported` act (a past record, with its
    whole life) may come from an evaluation that has gone on since its protest (R.27–R.31)."""
    if kind != "act":
        return None
    details = details or {}
    area = details.get("area")
    if area is not None and area not in SUBJECT_AREAS:
        raise InvalidInput.one("details.area", Message("неизвестное направление; допустимые: %(codes)s",
                                                                codes=", ".join(SUBJECT_AREAS)))
    _check_protest_details(details, "details")
    own = details.get("act_type")
    if own is not None:
        row = session.execute(select(act_types.c.code).where(act_types.c.code == own)).first() \
            if isinstance(own, str) else None
        if row is None or own in ACT_TYPES:
            raise InvalidInput.one("details.act_type", "выберите вид акта, добавленный администратором")
        if step.get("act_type") != "other":
            raise InvalidInput.one("details.act_type", "уточнённый вид указывается для иного акта надзора (other)")
    if "origin" not in details or details["origin"] is None:
        return None
    origin: OriginIn = parse(OriginIn, details["origin"], "details.origin")
    if origin.kind == "direct":
        if origin.id is not None:
            raise InvalidInput.one("details.origin.id", "при непосредственном внесении акта основание не указывается")
        return {"kind": "direct", "id": None}
    if origin.id is None:
        raise InvalidInput.one("details.origin.id", Message("укажите номер записи: %(what)s",
                                                            what=Message(ORIGIN_LABELS[origin.kind])))
    row = _proceeding(session, origin.id, origin.kind)
    if row is None or not actor.sees_office(row.office_id):
        raise InvalidInput.one("details.origin.id", Message("нет записи «%(what)s» № %(id)s в пределах ваших "
                                                            "полномочий", what=Message(ORIGIN_LABELS[origin.kind]),
                                                            id=origin.id))
    live = _live_steps(session, row.id)
    if origin.kind in ("check", "analysis"):
        if not any(s["type"] == "decision" and s.get("decision") == "act" for s in live):
            cite, where = (("I.24", Message("п. %(numbers)s Инструкции", numbers=24)) if origin.kind == "check"
                           else ("R.19", Message("п. %(numbers)s Правил", numbers=19)))
            raise Refused("origin_not_allowed", [cite], Message(
                "По записи %(number)s не принято решение о внесении акта надзора (%(where)s)", number=row.number,
                where=where))
    else:
        if step.get("act_type") != "protest":
            raise Refused("origin_not_allowed", ["R.27"], "По результатам оценки акта вносится протест "
                                                           "(пп. 27–29 Правил): укажите вид акта «протест»")
        if imported:
            if not row.state.get("violations"):
                raise Refused("origin_not_allowed", ["R.27"], Message("Оценкой акта %(number)s нарушения не выявлены: "
                                                                       "протест не вносится (п. 27 Правил)",
                                                                       number=row.number))
            return {"kind": origin.kind, "id": row.id}
        if row.status != "studied" or not row.state.get("violations"):
            raise Refused("origin_not_allowed", ["R.27"], Message("Оценка акта %(number)s не завершена изучением с "
                                                                   "выявленными нарушениями: протест не вносится "
                                                                   "(п. 27 Правил)", number=row.number))
        for other in _linked_rows(session, row.id):
            if other.status != "not_issued":
                raise Refused("origin_not_allowed", ["R.27"], Message("По оценке акта %(number)s уже подготовлен "
                                                                       "протест %(protest)s", number=row.number,
                                                                       protest=other.number))
    return {"kind": origin.kind, "id": row.id}


def _said(message: str) -> Message:
    """A refusal's message as a part of another: a `Message` as it is, a fixed text as a word of the catalog."""
    return message if isinstance(message, Message) else Message(message)


def _check_protest_details(details: dict[str, Any], where: str) -> None:
    if "addressee" in details and details["addressee"] not in ADDRESSEES:
        raise InvalidInput.one(f"{where}.addressee", Message("недопустимое значение; допустимые: %(codes)s",
                                                                  codes=", ".join(ADDRESSEES)))
    if "competent" in details and not isinstance(details["competent"], bool):
        raise InvalidInput.one(f"{where}.competent", "ожидается true или false")


def link_origin(session: Session, act_id: int, origin: dict[str, Any] | None, *, actor: Actor) -> None:
    """After the act is stored: its link to the origin, audited."""
    if origin is None:
        return
    session.execute(insert(act_origins).values(act_id=act_id, origin_kind=origin["kind"], origin_id=origin["id"]))
    audit.record(session, actor=actor, action=AuditAction.ACT_ORIGIN_LINKED, object_type="act", object_id=act_id,
                 after=origin)


def _linked_rows(session: Session, origin_id: int) -> list[Row[Any]]:
    t = proceedings_table
    return list(session.execute(select(t).join(act_origins, act_origins.c.act_id == t.c.id)
                                .where(act_origins.c.origin_id == origin_id).order_by(t.c.id)).all())


# ============================================================================= the register

#: The register's origin filter: the kinds of `act_origins` and «none» (an act with no link stored).
ORIGIN_FILTERS = (*ORIGIN_KINDS, "none")


def register_conditions(session: Session, kind: str, flt: Any) -> list[Any]:
    """The acts register's own filters as SQL conditions on `proceedings` (issue 9 «Registers»): the
    act's type (its `drafted` step), the prosecutor who signed its issue (`details.signer_person_id`
    of the live `issued` step, stored when it is recorded), the origin's kind and the origin's number
    (a part of it). Any of them on another collection is refused, naming the field."""
    wanted = {"act_type": flt.act_type, "signer_person_id": flt.signer_person_id, "origin_kind": flt.origin_kind,
              "origin_number": flt.origin_number or None}
    given = [name for name, value in wanted.items() if value is not None]
    if kind != "act":
        if given:
            raise InvalidInput.one(given[0], "этот отбор есть только в реестре актов надзора")
        return []
    t, s = proceedings_table, proceeding_steps
    out: list[Any] = []
    if flt.act_type is not None:
        known = set(ACT_TYPES) | set(session.execute(select(act_types.c.code)).scalars())
        if flt.act_type not in known:
            raise InvalidInput.one("act_type", "выберите вид акта из списка")
        column = s.c.data["act_type"] if flt.act_type in ACT_TYPES else s.c.details["act_type"]
        out.append(t.c.id.in_(select(s.c.proceeding_id).where(s.c.seq == 0, column.as_string() == flt.act_type)))
    if flt.signer_person_id is not None:
        if not 1 <= flt.signer_person_id < 2**63:
            raise InvalidInput.one("signer_person_id", "ожидается номер сотрудника (целое число)")
        out.append(t.c.id.in_(select(s.c.proceeding_id).where(
            s.c.type == "issued", s.c.withdrawn.is_(False),
            s.c.details["signer_person_id"].as_integer() == flt.signer_person_id)))
    if flt.origin_kind is not None:
        if flt.origin_kind not in ORIGIN_FILTERS:
            raise InvalidInput.one("origin_kind", Message("недопустимое значение; допустимые: %(codes)s",
                                                                 codes=", ".join(ORIGIN_FILTERS)))
        if flt.origin_kind == "none":
            out.append(t.c.id.not_in(select(act_origins.c.act_id)))
        else:
            out.append(t.c.id.in_(select(act_origins.c.act_id).where(act_origins.c.origin_kind == flt.origin_kind)))
    number = (flt.origin_number or "").strip()
    if number:
        origin = proceedings_table.alias("origin")
        needle = number.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append(t.c.id.in_(select(act_origins.c.act_id).join(origin, origin.c.id == act_origins.c.origin_id)
                              .where(casefold(session, origin.c.number).like(f"%{needle}%", escape="\\"))))
    return out


# ============================================================================ recording


def before_store(session: Session, kind: str, row: Row[Any], step: dict[str, Any], details: dict[str, Any] | None,
                 state: dict[str, Any], *, actor: Actor, calendar: WorkingCalendar, today: date) -> None:
    """Between the replay of a new act step and its storing: who may record it (I.60, I.62–I.63,
    I.68); when an evaluation's protest is issued, the evaluation's `protest_issued` step, first."""
    if kind != "act":
        return
    step_type = step.get("type")
    if step_type in GPO_STEPS:
        _require_gpo_user(session, actor)
    elif step_type in SUPERIOR_STEPS:
        _require_superior(session, row, date.fromisoformat(step["date"]), actor)
    elif step_type == "issued" and state.get("status") == "issued":
        _record_protest_on_evaluation(session, row, step, details, actor=actor, calendar=calendar, today=today)


def _require_gpo_user(session: Session, actor: Actor) -> None:
    """I.60: the GPO's approval or refusal is recorded by its staff (`policy.APPROVE_AT_GPO`)."""
    policy.require_on(actor, Permission.APPROVE_AT_GPO, (), NotEntitled(
        "gpo_only", ["I.60"], "Согласование акта или отказ в нём записывает сотрудник Генеральной прокуратуры "
                              "(п. 60 Инструкции)"))


def _act_area(session: Session, act_id: int) -> str:
    first = session.execute(select(proceeding_steps.c.details).where(
        proceeding_steps.c.proceeding_id == act_id, proceeding_steps.c.seq == 0)).scalar_one_or_none() or {}
    area = first.get("area")
    return area if area in SUBJECT_AREAS else "all"


def superior_reviewer(session: Session, office_id: int, area: str, on: date) -> dict[str, Any] | None:
    """I.62, I.68: who reviews the acts of `office_id` — the prosecutor of the superior office assigned
    to its zone (for the act's area, else «all»), or else the head of the superior office."""
    office = session.get(Office, office_id)
    if office is None or office.level == "gpo":
        return None
    zones = session.scalars(select(ZoneAssignment)).all()
    found = route_to_zone(org.cached_tree(session), zones, office_id, area, on)
    person: Person | None = None
    via = "zone"
    if found is not None:
        person = session.get(Person, found.person_id)
    if person is None and office.parent_id is not None:
        via = "head"
        parent = session.get(Office, office.parent_id)
        assert parent is not None
        person = session.scalars(select(Person).where(
            people.c.office_id == parent.id, people.c.position == policy.HEAD_POSITIONS[parent.level],
            people.c.active.is_(True)).order_by(people.c.id)).first()
    if person is None:
        return None
    home = session.get(Office, person.office_id)
    assert home is not None
    return {"person_id": person.id, "full_name": person.full_name, "position": person.position,
            "position_label": POSITION_LABELS[person.position], "office_id": home.id, "office_name": home.name_ru,
            "via": via, "area": area, "on": on.isoformat()}


def _require_superior(session: Session, row: Row[Any], day: date, actor: Actor) -> None:
    """I.62, I.63, I.68 (`policy.REVIEW_ACT`): the prosecutor the zone of the issuing office routes to for
    the act's area, or the head (or whoever acts for them on `day`) of the superior office — the issuing
    office's parent, or the office of that zone prosecutor."""
    roles: set[Role] = set()
    person = session.get(Person, actor.person_id) if actor.person_id is not None else None
    if person is not None:
        offices = org.cached_tree(session)
        zones = session.scalars(select(ZoneAssignment)).all()
        area = _act_area(session, row.id)
        if policy.zone_covers(offices, zones, person.id, row.office_id, area, day):
            roles.add(Role.ZONE_PROSECUTOR)
        office = session.get(Office, row.office_id)
        assert office is not None
        superiors = {office.parent_id} - {None}
        found = route_to_zone(offices, zones, row.office_id, area, day)
        reviewer = session.get(Person, found.person_id) if found is not None else None
        if reviewer is not None:
            superiors.add(reviewer.office_id)
        if policy.headed_offices(authority_of(session, person, day)) & superiors:
            roles.add(Role.HEAD)
    policy.require_on(actor, Permission.REVIEW_ACT, roles, NotEntitled(
        "not_superior_reviewer", ["I.62", "I.63", "I.68"],
        "Решение по акту и изучение ответа на него записывает прокурор вышестоящей прокуратуры, закреплённый за "
        "зоной прокуратуры, внёсшей акт, либо руководитель вышестоящей прокуратуры (пп. 62, 63, 68 Инструкции)"))


def _record_protest_on_evaluation(session: Session, row: Row[Any], step: dict[str, Any],
                                  details: dict[str, Any] | None, *, actor: Actor, calendar: WorkingCalendar,
                                  today: date) -> None:
    """PROCEEDINGS.md, kind `evaluation`: «Stored, this step is recorded when the linked protest (kind
    `act`) reaches `issued`» — with `addressee` and `competent` from the act's details (the issuing
    step's, else the draft's). A refusal there refuses the issuing: nothing is stored."""
    link = session.execute(select(act_origins).where(act_origins.c.act_id == row.id)).first()
    if link is None or link.origin_kind != "evaluation" or link.origin_id is None:
        return
    first = session.execute(select(proceeding_steps).where(proceeding_steps.c.proceeding_id == row.id,
                                                           proceeding_steps.c.seq == 0)).first()
    assert first is not None
    if first.data.get("act_type") != "protest":
        return
    _check_protest_details(details or {}, "details")
    merged = {**(first.details or {}), **(details or {})}
    for name in ("addressee", "competent"):
        if name not in merged:
            raise InvalidInput.one(f"details.{name}", "протест по оценке акта: укажите адресата протеста (addressee: "
                                                      "adopting_body | superior_body) и компетенцию прокурора "
                                                      "(competent: true | false), пп. 27–29 Правил")
    evaluation = _proceeding(session, link.origin_id, "evaluation")
    assert evaluation is not None
    index = len(_live_steps(session, row.id))
    if not actor.sees_office(evaluation.office_id):
        raise Refused("origin_out_of_scope", ["R.27"], Message(
            "Оценка акта %(number)s вне ваших полномочий: протест по ней вносит прокуратура, проводившая оценку",
            number=evaluation.number), index)
    body = {"version": evaluation.version,
            "step": {"type": "protest_issued", "date": step["date"], "addressee": merged["addressee"],
                     "competent": merged["competent"]},
            "details": {"act_id": row.id, "act_number": row.number}}
    try:
        stored.do_record_step(session, "evaluations", evaluation.id, body, actor=actor, calendar=calendar, today=today)
    except Refused as exc:
        raise Refused(exc.code, exc.citations, Message("Протест не может быть внесён: по оценке акта %(number)s "
                                                        "%(message)s", number=evaluation.number,
                                                        message=_said(exc.message)), index) from None
    except InvalidInput as exc:
        messages = Listing((e.message for e in exc.errors), "; ")
        field = "step.date" if any(e.field.endswith("date") for e in exc.errors) else "details"
        raise InvalidInput([FieldError(field, Message("оценка акта %(number)s: %(messages)s", number=evaluation.number,
                                                      messages=messages))]) from None


def after_withdraw(session: Session, kind: str, row: Row[Any], withdrawn: Row[Any], reason: str, *, actor: Actor,
                   calendar: WorkingCalendar, today: date) -> None:
    """In the withdrawal's transaction: the issuing of an evaluation's protest and the evaluation's
    `protest_issued` recorded with it go together. Withdrawing the act's `issued` step withdraws that
    step of the evaluation (refused while later evaluation steps stand); the evaluation's step itself
    is withdrawn only through the act."""
    if kind == "evaluation" and withdrawn.type == "protest_issued":
        act_id = (withdrawn.details or {}).get("act_id")
        if not isinstance(act_id, int):  # an imported record: its protest is the act linked to it
            act_id = next((r.id for r in _linked_rows(session, row.id) if _has_live_issue(session, r.id)), None)
        if isinstance(act_id, int) and _has_live_issue(session, act_id):
            act = _proceeding(session, act_id, "act")
            number = act.number if act is not None else act_id
            raise Refused("linked_step", ["R.27"], Message("Шаг записан при внесении протеста %(number)s: "
                                                           "отзовите внесение протеста в карточке акта",
                                                           number=number))
        return
    if kind != "act" or withdrawn.type != "issued":
        return
    link = session.execute(select(act_origins).where(act_origins.c.act_id == row.id)).first()
    if link is None or link.origin_kind != "evaluation" or link.origin_id is None:
        return
    evaluation = _proceeding(session, link.origin_id, "evaluation")
    assert evaluation is not None
    s = proceeding_steps
    live = session.execute(select(s).where(s.c.proceeding_id == evaluation.id, s.c.withdrawn.is_(False))
                           .order_by(s.c.seq)).all()
    mine = [r for r in live if r.type == "protest_issued" and (r.details or {}).get("act_id") == row.id]
    if not mine:
        return
    if live[-1].id != mine[-1].id or not actor.sees_office(evaluation.office_id):
        raise Refused("linked_step", ["R.27"], Message("По оценке акта %(number)s после внесения протеста "
                                                       "записаны шаги (или она вне ваших полномочий): сначала "
                                                       "отзовите их", number=evaluation.number))
    stored.do_withdraw(session, "evaluations", evaluation.id,
                       {"version": evaluation.version, "reason": f"отозвано внесение протеста {row.number}: {reason}"},
                       actor=actor, calendar=calendar, today=today)


def _has_live_issue(session: Session, act_id: int) -> bool:
    s = proceeding_steps
    found = session.execute(select(s.c.id).where(s.c.proceeding_id == act_id, s.c.type == "issued",
                                                 s.c.withdrawn.is_(False))).first()
    return found is not None


# ================================================================================= reading


def proceeding_extras(session: Session, actor: Actor, row: Row[Any], steps: list[Row[Any]], *, today: date,
                      calendar: WorkingCalendar) -> dict[str, Any]:
    """What a proceeding's card shows besides its steps: for an act — its type, origin, the proposed
    response term and the routed reviewer; for a check, an evaluation or an analysis — its acts."""
    if row.kind != "act":
        linked = _linked_rows(session, row.id)
        return {"linked_acts": [_act_summary(r) for r in linked if actor.sees_office(r.office_id)]}
    live = [s for s in steps if not s.withdrawn]
    first = live[0] if live else None
    code = act_type_of(first.data, first.details) if first is not None else None
    type_row = session.execute(select(act_types).where(act_types.c.code == code)).first() if code else None
    area = (first.details or {}).get("area") if first is not None else None
    area = area if area in SUBJECT_AREAS else "all"
    issued = next((s for s in live if s.type == "issued"), None)
    proposal = None
    if issued is not None and issued.data.get("response_due") is None and code:
        proposal = propose_response_due(session, code, issued.date, calendar)
    return {"act_type": act_type_dict(type_row) if type_row is not None else None,
            "origin": _origin_of(session, actor, row.id), "area": area,
            "proposed_response_due": proposal,
            "superior_reviewer": superior_reviewer(session, row.office_id, area, today)}


def _origin_of(session: Session, actor: Actor, act_id: int) -> dict[str, Any] | None:
    link = session.execute(select(act_origins).where(act_origins.c.act_id == act_id)).first()
    if link is None:
        return None
    out: dict[str, Any] = {"kind": link.origin_kind, "id": link.origin_id, "label": ORIGIN_LABELS[link.origin_kind]}
    if link.origin_id is not None:
        origin = _proceeding(session, link.origin_id, link.origin_kind)
        if origin is not None and actor.sees_office(origin.office_id):
            out |= {"number": origin.number, "status": origin.status, "office_id": origin.office_id,
                    "collection": _COLLECTION[origin.kind],
                    "status_label": KINDS[origin.kind].statuses.get(origin.status or "", "")}
    return out


def _act_summary(row: Row[Any]) -> dict[str, Any]:
    return {"id": row.id, "number": row.number, "office_id": row.office_id, "status": row.status,
            "status_label": KINDS["act"].statuses.get(row.status or "", ""), "subject": row.subject,
            "register_i64": bool(row.state.get("register_i64"))}


# ========================================================================== control views


def _offices_in_scope(session: Session, actor: Actor, office_id: int | None) -> tuple[Office | None, set[int]]:
    """The office asked for (default: the actor's own) and its subtree within the actor's scope."""
    actor.require(Permission.SIGNED_IN)
    tree = org.cached_tree(session)
    if office_id is None:
        office_id = actor.office_id
    if office_id is None:
        return None, set(tree.by_id) if actor.visible is None else set(actor.visible)
    office = session.get(Office, office_id)
    if office is None or not actor.sees_office(office_id):
        raise InvalidInput.one("office_id", Message("нет прокуратуры %(id)s в пределах ваших полномочий",
                                                       id=office_id))
    ids = tree.subtree(office_id)
    if actor.visible is not None:
        ids &= actor.visible
    return office, ids


def _period(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    def parse_day(value: str | None, field: str, default: date) -> date:
        if value is None or value == "":
            return default
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput.one(field, "ожидается дата ГГГГ-ММ-ДД") from None

    first = parse_day(start, "from", date(today.year, 1, 1))
    last = parse_day(end, "to", today)
    if last < first:
        raise InvalidInput.one("to", "конец периода раньше его начала")
    return first, last


def _first_steps(session: Session, ids: Iterable[int]) -> dict[int, Row[Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(proceeding_steps).where(proceeding_steps.c.proceeding_id.in_(wanted),
                                                          proceeding_steps.c.seq == 0)).all()
    return {r.proceeding_id: r for r in rows}


def access_totals(session: Session, *, actor: Actor, today: date, office_id: int | None = None,
                  start: str | None = None, end: str | None = None) -> dict[str, Any]:
    """I.59, control of execution, for an office and its subtree and a period: acts issued (by type),
    damage recovered (tenge), persons held liable and proceedings under КоАП 664–665 — each counted by
    the date of its step in the period (withdrawn steps left out)."""
    office, ids = _offices_in_scope(session, actor, office_id)
    first, last = _period(start, end, today)
    t, s = proceedings_table, proceeding_steps
    rows = session.execute(select(s.c.proceeding_id, s.c.type, s.c.data, t.c.office_id)
                           .join(t, t.c.id == s.c.proceeding_id)
                           .where(t.c.kind == "act", t.c.office_id.in_(sorted(ids) or [-1]), s.c.withdrawn.is_(False),
                                  s.c.type.in_(("issued", "execution_recorded", "liability_initiated")),
                                  s.c.date >= first, s.c.date <= last)).all()
    firsts = _first_steps(session, (r.proceeding_id for r in rows if r.type == "issued"))
    per_office: dict[int, dict[str, Any]] = defaultdict(_empty_totals)
    overall = _empty_totals()
    for r in rows:
        for bucket in (overall, per_office[r.office_id]):
            if r.type == "issued":
                bucket["issued"] += 1
                bucket["issued_by_type"][firsts[r.proceeding_id].data.get("act_type", "other")] += 1
            elif r.type == "execution_recorded":
                bucket["damage_recovered"] += r.data.get("damage_recovered") or 0
                bucket["persons_liable"] += r.data.get("persons_liable") or 0
            else:
                bucket["liability_proceedings"][str(r.data.get("article"))] += 1
    names = {o.id: o.name_ru for o in org.all_offices(session)}
    return {"office_id": office.id if office else None, "from": first.isoformat(), "to": last.isoformat(),
            "citations": ["I.59"], **overall,
            "offices": [{"office_id": oid, "office_name": names.get(oid, ""), **bucket}
                        for oid, bucket in sorted(per_office.items(), key=lambda i: names.get(i[0], ""))]}


def _empty_totals() -> dict[str, Any]:
    return {"issued": 0, "issued_by_type": dict.fromkeys(ACT_TYPES, 0), "damage_recovered": 0, "persons_liable": 0,
            "liability_proceedings": {"664": 0, "665": 0}}


def access_databank_queue(session: Session, *, actor: Actor, today: date,
                          office_id: int | None = None) -> dict[str, Any]:
    """I.67: every open data-bank entry (acts, analyses) of an office and its subtree, soonest first,
    with its due day and whether it is overdue (from the stored deadline rows)."""
    office, ids = _offices_in_scope(session, actor, office_id)
    d, t = proceeding_deadlines, proceedings_table
    rows = session.execute(select(d.c.proceeding_id, d.c.due, d.c.step, t.c.kind, t.c.number, t.c.office_id,
                                  t.c.status, t.c.subject).join(t, t.c.id == d.c.proceeding_id)
                           .where(d.c.code == "databank_entry", d.c.kind.in_(("act", "analysis")),
                                  d.c.office_id.in_(sorted(ids) or [-1]))
                           .order_by(d.c.due, t.c.number, d.c.step)).all()
    types = _live_step_types(session, {r.proceeding_id for r in rows})
    names = {o.id: o.name_ru for o in org.all_offices(session)}
    items = []
    for r in rows:
        kinds_steps = types.get(r.proceeding_id, [])
        step_type = kinds_steps[r.step] if r.step < len(kinds_steps) else ""
        items.append({"proceeding_id": r.proceeding_id, "kind": r.kind, "collection": _COLLECTION[r.kind],
                      "number": r.number, "office_id": r.office_id, "office_name": names.get(r.office_id, ""),
                      "subject": r.subject, "status": r.status, "step": r.step, "step_type": step_type,
                      "step_label": KINDS[r.kind].steps[step_type].label if step_type in KINDS[r.kind].steps else "",
                      "due": r.due.isoformat(), "overdue": r.due < today, "days_left": (r.due - today).days})
    return {"office_id": office.id if office else None, "today": today.isoformat(), "citations": ["I.67"],
            "total": len(items), "overdue": sum(1 for i in items if i["overdue"]), "items": items}


def _live_step_types(session: Session, ids: set[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    s = proceeding_steps
    out: dict[int, list[str]] = defaultdict(list)
    for r in session.execute(select(s.c.proceeding_id, s.c.type).where(s.c.proceeding_id.in_(sorted(ids)),
                                                                       s.c.withdrawn.is_(False))
                             .order_by(s.c.proceeding_id, s.c.seq)).all():
        out[r.proceeding_id].append(r.type)
    return out


def quarter_obligation(year: int, quarter: int, *, calendar: WorkingCalendar) -> dict[str, Any]:
    """The quarter's report of I.64 as `analysis.periodic_obligations` states it (one implementation)."""
    if not 1 <= quarter <= 4:
        raise InvalidInput.one("quarter", "квартал: 1, 2, 3 или 4")
    try:
        answer = rules.evaluate("analysis.periodic_obligations", {"office_kind": "territorial", "year": year},
                                calendar=calendar)
    except InvalidInput as exc:
        raise InvalidInput([FieldError(e.field.removeprefix("input."), e.message) for e in exc.errors]) from None
    found = [o for o in answer["result"]["obligations"] if o["code"] == I64_CODE]
    found.sort(key=lambda o: o["period_start"])
    chosen: dict[str, Any] = found[quarter - 1]
    return chosen


def access_register_i64(session: Session, *, actor: Actor, today: date, calendar: WorkingCalendar,
                        office_id: int | None = None, year: int | None = None,
                        quarter: int | None = None) -> dict[str, Any]:
    """I.64: the acts of territorial offices (an office and its subtree) revoked, amended or suspended
    by the superior or invalidated by a court in a quarter — one row per such decision — and the
    quarter's table per office for the analysis of causes (`I64.invalidated_acts`, due the 5th of the
    month after the quarter)."""
    office, ids = _offices_in_scope(session, actor, office_id)
    year = today.year if year is None else year
    quarter = (today.month - 1) // 3 + 1 if quarter is None else quarter
    obligation = quarter_obligation(year, quarter, calendar=calendar)
    first, last = date.fromisoformat(obligation["period_start"]), date.fromisoformat(obligation["period_end"])
    all_offices = {o.id: o for o in org.all_offices(session)}
    territorial = sorted(i for i in ids if i in all_offices and all_offices[i].kind == "territorial")
    t, s = proceedings_table, proceeding_steps
    rows = session.execute(select(s.c.proceeding_id, s.c.type, s.c.date, s.c.data, t.c.number, t.c.office_id,
                                  t.c.subject, t.c.status)
                           .join(t, and_(t.c.id == s.c.proceeding_id, t.c.kind == "act"))
                           .where(t.c.office_id.in_(territorial or [-1]), s.c.withdrawn.is_(False),
                                  s.c.type.in_(("superior_decision", "court_invalidated")),
                                  s.c.date >= first, s.c.date <= last)
                           .order_by(s.c.date, t.c.number, s.c.seq)).all()
    events = [(r, "invalidated" if r.type == "court_invalidated" else r.data.get("decision")) for r in rows]
    events = [(r, e) for r, e in events if e in I64_EVENTS]
    firsts = _first_steps(session, (r.proceeding_id for r, _ in events))
    issued_on = _issue_dates(session, {r.proceeding_id for r, _ in events})
    type_names = {r.code: r.name_ru for r in session.execute(select(act_types)).all()}
    register = []
    for r, event in events:
        code = firsts[r.proceeding_id].data.get("act_type", "other")
        register.append({"act_id": r.proceeding_id, "number": r.number, "office_id": r.office_id,
                         "office_name": all_offices[r.office_id].name_ru, "act_type": code,
                         "act_type_name": type_names.get(code, code), "addressee": r.subject,
                         "issued_on": issued_on.get(r.proceeding_id), "event": event, "event_label": I64_EVENTS[event],
                         "event_date": r.date.isoformat(), "transfer": bool(r.data.get("transfer")),
                         "status": r.status})
    table = []
    by_office: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in register:
        by_office[item["office_id"]].append(item)
    for oid in sorted(by_office, key=lambda i: all_offices[i].name_ru):
        counts = Counter(i["event"] for i in by_office[oid])
        table.append({"office_id": oid, "office_name": all_offices[oid].name_ru,
                      "acts": len({i["act_id"] for i in by_office[oid]}),
                      **{event: counts.get(event, 0) for event in I64_EVENTS}})
    return {"office_id": office.id if office else None, "year": year, "quarter": quarter, "citations": ["I.64"],
            "obligation": obligation, "rows": register, "table": table,
            "totals": {"acts": len({i["act_id"] for i in register}),
                       **{event: sum(row[event] for row in table) for event in I64_EVENTS}}}


def _issue_dates(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    s = proceeding_steps
    rows = session.execute(select(s.c.proceeding_id, func.min(s.c.date)).where(
        s.c.proceeding_id.in_(sorted(ids)), s.c.type == "issued", s.c.withdrawn.is_(False))
        .group_by(s.c.proceeding_id)).all()
    return {pid: day.isoformat() for pid, day in rows}


REGISTER_COLUMNS = (("office_name", "Прокуратура"), ("number", "Номер акта"), ("act_type_name", "Вид акта"),
                    ("addressee", "Адресат"), ("issued_on", "Дата внесения"), ("event_label", "Решение"),
                    ("event_date", "Дата решения"), ("transfer", "Передано по компетенции"))
TABLE_COLUMNS = (("office_name", "Прокуратура"), ("acts", "Актов"), ("revoke", "Отозвано"), ("amend", "Изменено"),
                 ("suspend", "Приостановлено"), ("invalidated", "Признано незаконными судом"))


def register_i64_csv(data: dict[str, Any]) -> str:
    """The quarter's register and table as CSV (UTF-8 with BOM, `;`-separated, for spreadsheets)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    ob = data["obligation"]
    writer.writerow([f"Учёт актов по п. 64 Инструкции: {data['quarter']} квартал {data['year']} года "
                     f"({ob['period_start']} — {ob['period_end']}); информация в Генеральную прокуратуру до "
                     f"{ob['report_due']}"])
    writer.writerow([label for _, label in REGISTER_COLUMNS])
    for row in data["rows"]:
        writer.writerow(["да" if row[k] is True else "нет" if row[k] is False else row[k] or ""
                         for k, _ in REGISTER_COLUMNS])
    writer.writerow([])
    writer.writerow([label for _, label in TABLE_COLUMNS])
    for row in data["table"]:
        writer.writerow([row[k] for k, _ in TABLE_COLUMNS])
    writer.writerow(["Итого", *(data["totals"][k] for k, _ in TABLE_COLUMNS[1:])])
    return out.getvalue()
