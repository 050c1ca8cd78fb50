"""Stored proceedings (PROCEEDINGS.md «Stored proceedings»): checks, acts, evaluations, analyses.

A proceeding is stored as its steps; everything else — status, term, the open deadlines — is written
from `nadzor.proceedings.replay` of those steps in the same transaction as the step, never edited by
hand. Recording a step: lock the proceeding, check its version, resolve each signer from the signing
person's position and acting assignments on the step's date (then frozen), replay the stored steps
plus the new one, refuse (nothing stored) or store the step, the derived columns, the deadline rows
and the audit row. A wrongly entered step is withdrawn (marked, kept, left out of replay), never
edited. A change of the working calendar re-replays every stored proceeding whose span contains the
changed day.

Naming as in the rest of the service layer: `access_*` read with a permission check, `do_*` change
in the caller's transaction with an audit row.
"""

from __future__ import annotations

import gc
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import ARRAY, Integer, Row, Text, bindparam, cast, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from nadzor import proceedings as kernel_api
from nadzor import rules
from nadzor.audit import service as audit
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import Office, Person
from nadzor.infra.context import Actor, Permission
from nadzor.infra.db.metadata import UTCDateTime
from nadzor.infra.errors import Conflict, FieldError, InvalidInput, Message, NotFound
from nadzor.infra.listing import casefold
from nadzor.infra.policy import scope_condition
from nadzor.infra.replay_workers import ReplayWorkers, usable_cpus
from nadzor.org.service import authority_of, parse
from nadzor.org.service import cached_tree as org_tree
from nadzor.org.tables import offices as offices_table
from nadzor.proceedings import analysis as analysis_kind
from nadzor.proceedings import check as check_kind
from nadzor.proceedings.kernel import KINDS, Kind, Step, validate
from nadzor.rules.base import Input

#: REST collections (PROCEEDINGS.md) and the kinds they hold.
COLLECTIONS: dict[str, str] = {"checks": "check", "acts": "act", "evaluations": "evaluation", "analyses": "analysis"}
KIND_LABELS = {"check": "Проверка", "act": "Акт надзора", "evaluation": "Оценка акта", "analysis": "Анализ"}
_NUMBER_PREFIX = {"check": "П", "act": "А", "evaluation": "О", "analysis": "АН"}
#: Signer-typed fields of a step: posted as `<field>_person_id`, stored as `{position, acting_for?}`.
SIGNER_FIELDS = ("signer", "group_leader")
_PERSON_FIELDS = {f"{name}_person_id": name for name in SIGNER_FIELDS}


class Refused(Exception):
    """The law (or the storage's own check) does not allow this step: HTTP 409 with its code."""

    def __init__(self, code: str, citations: Iterable[str], message: str, step: int | None = None) -> None:
        super().__init__(message)
        self.code, self.citations, self.message, self.step = code, list(citations), message, step


class NewProceeding(Input):
    office_id: int = Field(strict=True, ge=1, le=2**63 - 1)
    step: dict[str, Any]
    details: dict[str, Any] | None = None


class NewStep(Input):
    version: int = Field(strict=True, ge=1, le=2**63 - 1)
    step: dict[str, Any]
    details: dict[str, Any] | None = None


class Withdrawal(Input):
    version: int = Field(strict=True, ge=1, le=2**63 - 1)
    reason: str = Field(min_length=1, max_length=2000)


@dataclass(frozen=True)
class Stored:
    """A proceeding as read: its row and its steps in stored order."""

    row: Row[Any]
    steps: list[Row[Any]]
    attachments: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------------------------ reads


def kind_of(collection: str) -> Kind:
    kind = COLLECTIONS.get(collection)
    if kind is None:
        raise NotFound(Message("раздел %(name)s", name=repr(collection)))
    return KINDS[kind]


def _load(session: Session, kind: Kind, proceeding_id: int, actor: Actor, *, lock: bool = False) -> Stored:
    query = select(proceedings_table).where(proceedings_table.c.id == proceeding_id,
                                            proceedings_table.c.kind == kind.name)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message(KIND_LABELS[kind.name].lower()), id=proceeding_id))
    steps = session.execute(select(proceeding_steps).where(proceeding_steps.c.proceeding_id == proceeding_id)
                            .order_by(proceeding_steps.c.seq)).all()
    from nadzor.casework.attachments import attachments_of  # the card lists its files (issue 8 §3)
    return Stored(row, list(steps), attachments_of(session, proceeding_id, steps))


def access_proceeding(session: Session, collection: str, proceeding_id: int, *, actor: Actor,
                      today: date, calendar: WorkingCalendar) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    kind = kind_of(collection)
    return proceeding_dict(_load(session, kind, proceeding_id, actor), today=today, calendar=calendar,
                           session=session, actor=actor)


#: Register columns that may be sorted on (the page's column headers and the API's `sort`).
SORT_COLUMNS = ("number", "office", "subject", "status", "opened_on", "last_day", "next_due")


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows: an office subtree, statuses, subject text, the basis (the opening
    step's `basis`), an assignee (a person among the current assignees of a check, I.15), the opening
    period, overdue or due within N working days, one sort column and a page (`limit=None`: every
    row, for export)."""

    office_id: int | None = None
    subtree: bool = False
    status: str | None = None
    statuses: tuple[str, ...] = ()
    subject: str = ""
    basis: str | None = None
    assignee_id: int | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    overdue: bool = False
    due_within: int | None = None
    #: Acts only (issue 9, I.58–I.67): the type, the issuing signer, the origin's kind and number
    #: (`acts.service.register_conditions`); the addressee is the act's `subject`.
    act_type: str | None = None
    signer_person_id: int | None = None
    origin_kind: str | None = None
    origin_number: str = ""
    sort: str = "opened_on"
    descending: bool = True
    limit: int | None = 50
    offset: int = 0


def access_proceedings(session: Session, collection: str, *, actor: Actor, today: date,
                       office_id: int | None = None, status: str | None = None, overdue: bool = False,
                       limit: int | None = 50, offset: int = 0, flt: RegisterFilter | None = None,
                       calendar: WorkingCalendar | None = None, basis: str | None = None,
                       assignee_id: int | None = None) -> dict[str, Any]:
    """The register: the actor's scope as a SQL condition, filters, sorted (newest first by default),
    one page (or every row when `limit` is None). `flt` carries the register page's filters; the
    keyword filters of the API stay as they were. `due_within` needs the working calendar."""
    actor.require(Permission.SIGNED_IN)
    kind = kind_of(collection)
    flt = flt or RegisterFilter(office_id=office_id, status=status, overdue=overdue, limit=limit, offset=offset,
                                basis=basis, assignee_id=assignee_id)
    t, dl = proceedings_table, proceeding_deadlines
    where = [t.c.kind == kind.name]
    where.append(scope_condition(actor, t.c.office_id))
    if flt.office_id is not None:
        if flt.subtree:
            where.append(t.c.office_id.in_(sorted(org_tree(session).subtree(flt.office_id))))
        else:
            where.append(t.c.office_id == flt.office_id)
    statuses = [*([flt.status] if flt.status is not None else []), *flt.statuses]
    if any(code not in kind.statuses for code in statuses):
        raise InvalidInput.one("status", Message("недопустимое значение; допустимые: %(codes)s",
                                                         codes=", ".join(kind.statuses)))
    if statuses:
        where.append(t.c.status.in_(statuses))
    if flt.subject.strip():
        needle = flt.subject.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(casefold(session, t.c.subject).like(f"%{needle}%", escape="\\"))
    if flt.basis is not None:
        where.append(_basis_condition(kind, flt.basis))
    if flt.assignee_id is not None:
        where.append(_assignee_condition(session, kind, flt.assignee_id))
    if flt.opened_from is not None and flt.opened_to is not None and flt.opened_to < flt.opened_from:
        raise InvalidInput.one("opened_to", "дата окончания периода раньше его начала")
    if flt.opened_from is not None:
        where.append(t.c.opened_on >= flt.opened_from)
    if flt.opened_to is not None:
        where.append(t.c.opened_on <= flt.opened_to)
    if flt.overdue:  # its earliest open due has passed: a per-row probe of the (proceeding_id, due) index, never
        # a scan of every open deadline (bench/register.py)
        where.append(select(func.min(dl.c.due)).where(dl.c.proceeding_id == t.c.id).scalar_subquery() < today)
    if flt.due_within is not None:
        if not 0 <= flt.due_within <= 365:
            raise InvalidInput.one("due_within", "ожидается число рабочих дней от 0 до 365")
        if calendar is None:
            raise ValueError("due_within needs the working calendar")
        until = calendar.add_working_days(today, flt.due_within) if calendar.covers(today) else today
        where.append(t.c.id.in_(select(dl.c.proceeding_id).where(dl.c.due >= today, dl.c.due <= until)))
    where += _acts().register_conditions(session, kind.name, flt)
    if flt.sort not in SORT_COLUMNS:
        raise InvalidInput.one("sort", Message("недопустимое значение; допустимые: %(codes)s",
                                                       codes=", ".join(SORT_COLUMNS)))
    next_due = select(func.min(dl.c.due)).where(dl.c.proceeding_id == t.c.id).scalar_subquery()
    office_name = select(offices_table.c.name_ru).where(offices_table.c.id == t.c.office_id).scalar_subquery()
    column: Any = {"number": t.c.number, "office": office_name, "subject": t.c.subject, "status": t.c.status,
                   "opened_on": t.c.opened_on, "last_day": t.c.last_day, "next_due": next_due}[flt.sort]
    order = [(column.desc() if flt.descending else column.asc()).nulls_last(),
             t.c.id.desc() if flt.descending else t.c.id.asc()]
    total = session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
    query = select(t).where(*where).order_by(*order)
    if flt.limit is not None:
        query = query.limit(flt.limit).offset(max(flt.offset, 0))
    rows = session.execute(query).all()
    return {"total": total, "items": [summary_dict(r, today) for r in rows]}


def bases_of(kind: Kind) -> tuple[str, ...]:
    """The codes of the opening step's `basis` (a check's: I.7, I.11), or () for a kind without one."""
    return {"check": check_kind.BASES, "analysis": analysis_kind.BASES}.get(kind.name, ())


def _basis_condition(kind: Kind, basis: str) -> Any:
    """The opening step (seq 0, never withdrawn) has this `basis`: a SQL condition."""
    allowed = bases_of(kind)
    if basis not in allowed:
        raise InvalidInput.one("basis", Message("недопустимое значение; допустимые: %(codes)s",
                                                      codes=", ".join(allowed) or Message("нет")))
    ps, t = proceeding_steps, proceedings_table
    return select(ps.c.id).where(ps.c.proceeding_id == t.c.id, ps.c.seq == 0,
                                 ps.c.data["basis"].as_string() == basis).exists()


#: The steps whose `details.assignees` state a check's composition: the latest live one is the current (I.13, I.15).
COMPOSITION_STEPS = ("resolution_signed", "composition_changed")


def _assignee_condition(session: Session, kind: Kind, person_id: int) -> Any:
    """The person is among the current assignees (the latest live `resolution_signed` or
    `composition_changed` lists them in `details.assignees`): a SQL condition (json_each on SQLite,
    json_array_elements on PostgreSQL)."""
    if kind.name != "check":
        raise InvalidInput.one("assignee_id", "отбор по проверяющим есть только в реестре проверок")
    if not 1 <= person_id < 2**63:
        raise InvalidInput.one("assignee_id", "ожидается номер сотрудника (целое число)")
    ps, t = proceeding_steps, proceedings_table
    latest = proceeding_steps.alias("latest")
    newer = select(latest.c.id).where(latest.c.proceeding_id == ps.c.proceeding_id, latest.c.seq > ps.c.seq,
                                      latest.c.withdrawn.is_(False), latest.c.type.in_(COMPOSITION_STEPS)).exists()
    if session.connection().dialect.name == "sqlite":
        member = text("EXISTS (SELECT 1 FROM json_each(proceeding_steps.details, '$.assignees') AS a "
                      "WHERE json_extract(a.value, '$.person_id') = :assignee_person)")
    else:
        member = text("EXISTS (SELECT 1 FROM json_array_elements(proceeding_steps.details -> 'assignees') AS a "
                      "WHERE json_typeof(a -> 'person_id') = 'number' "
                      "AND (a ->> 'person_id')::bigint = :assignee_person)")
    return select(ps.c.id).where(ps.c.proceeding_id == t.c.id, ps.c.withdrawn.is_(False),
                                 ps.c.type.in_(COMPOSITION_STEPS), ~newer,
                                 member.bindparams(assignee_person=person_id)).exists()


def access_proceedings_by_id(session: Session, kind: str, proceeding_id: int, *, actor: Actor
                             ) -> dict[str, Any] | None:
    """`{id, number, status}` of a proceeding of `kind` in the actor's scope, or None."""
    t = proceedings_table
    row = session.execute(select(t.c.id, t.c.number, t.c.status, t.c.office_id).where(
        t.c.id == proceeding_id, t.c.kind == kind)).first()
    if row is None or not actor.sees_office(row.office_id):
        return None
    return {"id": row.id, "number": row.number, "status": row.status}


def summary_dict(row: Row[Any], today: date) -> dict[str, Any]:
    state = row.state
    dues = [d["due"] for d in state.get("deadlines", [])]
    return {"id": row.id, "kind": row.kind, "number": row.number, "office_id": row.office_id,
            "subject": row.subject, "status": row.status, "opened_on": row.opened_on.isoformat(),
            "last_day": row.last_day.isoformat() if row.last_day else None,
            "next_due": min(dues) if dues else None,
            "overdue": any(due < today.isoformat() for due in dues), "version": row.version}


def proceeding_dict(stored: Stored, *, today: date, calendar: WorkingCalendar, session: Session | None = None,
                    actor: Actor | None = None) -> dict[str, Any]:
    """`{id, version, state, steps, …}` where `state` is exactly the replay state; the open deadlines
    again with what is computed when read: overdue, and the days left in working and calendar days.
    Given the session and the reader, also what `acts.service` adds (an act's origin, type, proposed
    response term and reviewer; the acts linked to a check, an evaluation or an analysis)."""
    row = stored.row
    state = row.state
    deadlines = []
    for item in state.get("deadlines", []):
        due = date.fromisoformat(item["due"])
        deadlines.append(item | {"overdue": due < today, "days_left": (due - today).days,
                                 "working_days_left": _working_days_left(calendar, today, due)})
    return {"id": row.id, "kind": row.kind, "number": row.number, "office_id": row.office_id,
            "office_level": row.office_level, "subject": row.subject, "version": row.version,
            "state": state, "steps": steps_list(stored.steps), "deadlines": deadlines,
            "attachments": stored.attachments,
            "created_by": row.created_by, "created_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat()} | _acts_extras(session, actor, stored, today, calendar) \
        | (_check_details().card(stored.steps) if row.kind == "check" else {}) \
        | ({"resolutions": _check_resolutions().resolutions_of(session, row.id)}
           if row.kind == "check" and session is not None else {}) \
        | (_analysis_details().card(session, actor, row, stored.steps) if session is not None and actor is not None
           and row.kind in ("check", "analysis") else {})


def _acts_extras(session: Session | None, actor: Actor | None, stored: Stored, today: date,
                 calendar: WorkingCalendar) -> dict[str, Any]:
    if session is None or actor is None:
        return {}
    extras: dict[str, Any] = _acts().proceeding_extras(session, actor, stored.row, stored.steps, today=today,
                                                       calendar=calendar)
    return extras


def _working_days_left(calendar: WorkingCalendar, today: date, due: date) -> int | None:
    if not (calendar.covers(today) and calendar.horizon_start <= due <= calendar.horizon_end):
        return None
    if due < today:
        return -calendar.working_days_between(due, today) + (1 if calendar.is_working_day(due) else 0)
    return calendar.working_days_between(today, due) - (1 if calendar.is_working_day(today) else 0)


def steps_list(rows: list[Row[Any]]) -> list[dict[str, Any]]:
    """The timeline: every stored step, withdrawn ones marked; `index` is the step's position in the
    replayed list (for a withdrawn step, the position it had)."""
    out, live = [], 0
    for row in rows:
        out.append({**row.data, "index": live, "seq": row.seq, "type": row.type, "date": row.date.isoformat(),
                    "withdrawn": row.withdrawn, "withdrawn_reason": row.withdrawn_reason,
                    "withdrawn_by": row.withdrawn_by,
                    "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
                    "details": row.details, "author": row.author, "recorded_at": row.recorded_at.isoformat()})
        if not row.withdrawn:
            live += 1
    return out


# ---------------------------------------------------------------------------------- changes


def do_open(session: Session, collection: str, data: Any, *, actor: Actor,
            calendar: WorkingCalendar) -> dict[str, Any]:
    """Open a proceeding with its first step (201)."""
    actor.require(Permission.RECORD)
    kind = kind_of(collection)
    cmd: NewProceeding = parse(NewProceeding, data)
    office = session.get(Office, cmd.office_id)
    if office is None or not actor.sees_office(office.id):
        raise InvalidInput.one("office_id", Message("нет прокуратуры %(id)s в пределах ваших полномочий",
                                                    id=cmd.office_id))
    step, signers = _resolve_signers(session, cmd.step, actor)
    _storage_checks(kind, step, cmd.details, office, signers, calendar)
    _check_organization(session, kind.name, step, cmd.details)
    origin = _acts().check_origin(session, kind.name, step, cmd.details, actor)
    petition = _analysis_details().check_origin(session, kind.name, step, cmd.details, actor)
    state, steps = _replay(kind, office.level, [], step, calendar)
    details = _entered_details(session, kind, office, step, cmd.details, [], signers, calendar=calendar)
    now = audit.now_utc()
    assert office.id is not None
    pid = session.execute(insert(proceedings_table).values(
        kind=kind.name, office_id=office.id, office_level=office.level, number=f"tmp-{now.timestamp()}",
        subject=_subject(details), status=state["status"], opened_on=steps[0].date, start=None, last_day=None,
        span_end=steps[0].date, state=state, created_by=actor.login, created_at=now, updated_at=now, version=1,
    ).returning(proceedings_table.c.id)).scalar_one()
    number = f"{office.code}/{_NUMBER_PREFIX[kind.name]}-{steps[0].date.year}-{pid:06d}"
    _store_step(session, pid, 0, step, details, actor, now)
    _write_derived(session, pid, kind, office.id, state, steps, number=number)
    audit.record(session, actor=actor, action=AuditAction.PROCEEDING_OPENED, object_type=kind.name, object_id=pid,
                 after={"number": number, "office_id": office.id, "step": step, "status": state["status"]})
    _acts().link_origin(session, pid, origin, actor=actor)
    _analysis_details().link_check(session, pid, petition, actor=actor)
    return proceeding_dict(_load(session, kind, pid, actor), today=steps[0].date, calendar=calendar,
                           session=session, actor=actor)


def do_record_step(session: Session, collection: str, proceeding_id: int, data: Any, *, actor: Actor,
                   calendar: WorkingCalendar, today: date) -> dict[str, Any]:
    actor.require(Permission.RECORD)
    kind = kind_of(collection)
    cmd: NewStep = parse(NewStep, data)
    stored = _load(session, kind, proceeding_id, actor, lock=True)
    _check_version(kind, stored.row, cmd.version)
    office = session.get(Office, stored.row.office_id)
    assert office is not None
    step, signers = _resolve_signers(session, cmd.step, actor)
    live = [r.data for r in stored.steps if not r.withdrawn]
    prior = [(r.data, r.details) for r in stored.steps if not r.withdrawn]
    if kind.name == "check":
        _check_details().require_conduct_right(session, actor, office, step, prior)
    _storage_checks(kind, step, cmd.details, office, signers, calendar)
    _check_organization(session, kind.name, step, cmd.details)
    state, steps = _replay(kind, stored.row.office_level, live, step, calendar)
    details = _entered_details(session, kind, office, step, cmd.details, prior, signers, calendar=calendar)
    _acts().before_store(session, kind.name, stored.row, step, cmd.details, state, actor=actor, calendar=calendar,
                         today=today)
    now = audit.now_utc()
    seq = (stored.steps[-1].seq + 1) if stored.steps else 0
    _store_step(session, proceeding_id, seq, step, details, actor, now)
    _write_derived(session, proceeding_id, kind, office.id or 0, state, steps, version=stored.row.version + 1,
                   now=now)
    audit.record(session, actor=actor, action=AuditAction.PROCEEDING_STEP_RECORDED, object_type=kind.name,
                 object_id=proceeding_id, before={"status": stored.row.status, "version": stored.row.version},
                 after={"step": step, "index": len(live), "status": state["status"],
                        **({"details": details} if details else {})})  # what was entered with it, too
    return proceeding_dict(_load(session, kind, proceeding_id, actor), today=today, calendar=calendar,
                           session=session, actor=actor)


def do_withdraw(session: Session, collection: str, proceeding_id: int, data: Any, *, actor: Actor,
                calendar: WorkingCalendar, today: date) -> dict[str, Any]:
    """Withdraw the last non-withdrawn step other than the first, with a reason."""
    actor.require(Permission.RECORD)
    kind = kind_of(collection)
    cmd: Withdrawal = parse(Withdrawal, data)
    stored = _load(session, kind, proceeding_id, actor, lock=True)
    _check_version(kind, stored.row, cmd.version)
    live = [r for r in stored.steps if not r.withdrawn]
    if len(live) < 2:
        raise Refused("nothing_to_withdraw", [], "Отозвать можно только последний шаг, кроме первого: "
                                                 "других шагов нет")
    _analysis_details().before_withdraw(session, kind.name, stored.row, live)
    last = live[-1]
    office_level = stored.row.office_level
    _, steps = validate(kind, {"office_level": office_level, "steps": [r.data for r in live[:-1]]}, calendar)
    state = kernel_api.replay_steps(kind, office_level, steps, calendar)
    now = audit.now_utc()
    session.execute(update(proceeding_steps).where(proceeding_steps.c.id == last.id).values(
        withdrawn=True, withdrawn_reason=cmd.reason, withdrawn_by=actor.login, withdrawn_at=now))
    _write_derived(session, proceeding_id, kind, stored.row.office_id, state, steps,
                   version=stored.row.version + 1, now=now)
    audit.record(session, actor=actor, action=AuditAction.PROCEEDING_STEP_WITHDRAWN, object_type=kind.name,
                 object_id=proceeding_id, before={"step": last.data, "status": stored.row.status},
                 after={"reason": cmd.reason, "status": state["status"]})
    _acts().after_withdraw(session, kind.name, stored.row, last, cmd.reason, actor=actor, calendar=calendar,
                           today=today)
    return proceeding_dict(_load(session, kind, proceeding_id, actor), today=today, calendar=calendar,
                           session=session, actor=actor)


def restate_for_day(session: Session, day: date, *, calendar: WorkingCalendar, actor: Actor) -> int:
    """After a change of `day` in the working calendar: re-replay, in the same transaction, every
    stored proceeding (final ones included) whose span contains the day; the number whose state
    moved (PROCEEDINGS.md «Calendar changes»). Read and written in chunks (one query for a chunk's
    steps, batched writes of the moved ones): 100,000 proceedings within seconds (bench/register.py)."""
    thresholds = gc.get_threshold()
    # Many small objects live through the change (the chunk's rows and states): the cyclic collector,
    # run every 700 allocations, would walk them again and again for nothing to free.
    gc.set_threshold(100_000, *thresholds[1:])
    try:
        return _restate(session, day, day, calendar=calendar, actor=actor)
    finally:
        gc.set_threshold(*thresholds)


def restate_for_days(session: Session, days: Iterable[date], *, calendar: WorkingCalendar, actor: Actor) -> int:
    """`restate_for_day` for several changed days at once (a changed calendar file): every stored
    proceeding whose span meets the first … last of them is replayed once; the number that moved."""
    chosen = sorted(set(days))
    if not chosen:
        return 0
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, *thresholds[1:])
    try:
        return _restate(session, chosen[0], chosen[-1], calendar=calendar, actor=actor)
    finally:
        gc.set_threshold(*thresholds)


def _restate(session: Session, first_day: date, last_day: date, *, calendar: WorkingCalendar, actor: Actor) -> int:
    t = proceedings_table
    # The stored state as its text: a replay giving the same text is unchanged without decoding it
    # (JSON columns hold `json.dumps` of the state; a text that differs is decoded and compared).
    columns = (t.c.id, t.c.kind, t.c.office_id, t.c.office_level, cast(t.c.state, Text).label("state_text"),
               t.c.version)
    spans = (t.c.opened_on <= last_day, t.c.span_end >= first_day)
    rows = session.execute(select(*columns).where(*spans).order_by(t.c.id)).all()
    ps = proceeding_steps
    # A proceeding's live steps as the text of one JSON array of [seq, data] (one row per proceeding,
    # decoded where it is replayed; `kernel.restated` puts them in stored order).
    postgresql = session.connection().dialect.name == "postgresql"
    if postgresql:
        steps_of: Any = cast(func.json_agg(func.json_build_array(ps.c.seq, ps.c.data)), Text)
    else:
        steps_of = func.json_group_array(func.json_array(ps.c.seq, func.json(ps.c.data)), type_=Text)
    chunk_steps = select(ps.c.proceeding_id, steps_of).where(ps.c.withdrawn.is_(False)).group_by(ps.c.proceeding_id)
    by_id = {row.id: row for row in rows}
    workers = restate_workers(len(rows))
    moved = 0
    with _replayer(calendar, workers) as replay:
        # Chunks read here and replayed in the workers (or here): while the workers replay, the next
        # chunk is read and the previous ones written here, in order, in the caller's transaction.
        pending: deque[Callable[[], list[kernel_api.Moved]]] = deque()
        for first in range(0, len(rows), _RESTATE_CHUNK):
            chunk = rows[first:first + _RESTATE_CHUNK]
            # The chunk's proceedings: on PostgreSQL by an array of their ids (one text parameter); on SQLite
            # by their id range and the same condition (rather than a list of a thousand ids to parse).
            live: dict[int, str] = dict(session.execute(
                chunk_steps.where(ps.c.proceeding_id == func.any(cast(func.string_to_array(
                    ",".join(str(row.id) for row in chunk), ","), ARRAY(Integer))))
                if postgresql else
                chunk_steps.join(t, t.c.id == ps.c.proceeding_id)
                .where(ps.c.proceeding_id >= chunk[0].id, ps.c.proceeding_id <= chunk[-1].id, *spans)).all())
            pending.append(replay([(row.id, row.kind, row.office_level, row.state_text, live.get(row.id))
                                   for row in chunk]))
            while len(pending) > workers:
                moved += _write_moved(session, pending.popleft()(), by_id)
        while pending:
            moved += _write_moved(session, pending.popleft()(), by_id)
    if moved:
        where = first_day.isoformat() if first_day == last_day else f"{first_day.isoformat()}..{last_day.isoformat()}"
        audit.record(session, actor=actor, action=AuditAction.PROCEEDINGS_RESTATED, object_type="calendar_day",
                     object_id=where, after={"moved": moved})
    return moved


_RESTATE_CHUNK = 1000
#: From this many proceedings in the span on, a calendar change replays them in worker processes, one
#: per CPU this process may use: below it the workers' start (a fresh interpreter importing the kernel,
#: about half a second) costs more than the replay they would share (about 10,000 checks per CPU second).
RESTATE_PARALLEL_FROM = 6000


def restate_workers(count: int) -> int:
    """The worker processes a calendar change over `count` proceedings replays them in (0: here)."""
    cpus = usable_cpus()
    return cpus if cpus > 1 and count >= RESTATE_PARALLEL_FROM and sys.executable else 0


@contextmanager
def _replayer(calendar: WorkingCalendar, workers: int
              ) -> Iterator[Callable[[list[kernel_api.Stored]], Callable[[], list[kernel_api.Moved]]]]:
    """Replays a chunk here (no workers) or sends it to `ReplayWorkers`, ended when the change ends."""
    if workers < 1:
        def here(stored: list[kernel_api.Stored]) -> Callable[[], list[kernel_api.Moved]]:
            done = kernel_api.restated(stored, calendar)
            return lambda: done

        yield here
        return
    with ReplayWorkers(workers, calendar) as pool:
        yield pool.submit


@dataclass(frozen=True, slots=True)
class _Moved:
    """A proceeding a calendar change moved: its stored row, kind, new state (and its JSON text), span end,
    whether its deadline rows are to be written again (not when its open deadlines stayed)."""

    row: Any
    kind: Kind
    state: dict[str, Any]
    encoded: str
    span_end: date
    deadlines_moved: bool = True


def _write_moved(session: Session, moved: list[kernel_api.Moved], by_id: dict[int, Any]) -> int:
    _write_derived_many(session, [
        _Moved(by_id[pid], KINDS[by_id[pid].kind], state, encoded, _span_end_at(state, last), deadlines)
        for pid, state, encoded, last, deadlines in moved])
    return len(moved)


#: PostgreSQL: the moved proceedings of a chunk in one UPDATE (one statement, one plan) rather than a
#: statement per proceeding, and their deadline rows in one INSERT, each from one parameter: the JSON
#: text of its rows (made by the C encoder, the states' texts put in as they are; arrays of values
#: would be converted value by value).
_PG_UPDATE_MANY = text(
    "UPDATE proceedings AS p SET status = v.status, state = v.state, span_end = v.span_end, "
    "start = v.start, last_day = v.last_day, version = v.version, updated_at = :now "
    "FROM json_to_recordset(CAST(:rows AS JSON)) "
    "AS v(id INTEGER, status VARCHAR, span_end DATE, start DATE, last_day DATE, version INTEGER, state JSON) "
    "WHERE p.id = v.id"
).bindparams(bindparam("now", type_=UTCDateTime))
_PG_INSERT_DEADLINES = text(
    "INSERT INTO proceeding_deadlines (proceeding_id, kind, office_id, code, due, step, citations) "
    "SELECT proceeding_id, kind, office_id, code, due, step, citations FROM json_to_recordset(CAST(:rows AS JSON)) "
    "AS v(proceeding_id INTEGER, kind VARCHAR, office_id INTEGER, code VARCHAR, due DATE, step INTEGER, "
    "citations JSON)"
)


def _write_derived_many(session: Session, changed: list[_Moved]) -> None:
    """`_write_derived` (with `version + 1` and `updated_at`) for many proceedings in batched statements:
    the derived columns in one UPDATE (PostgreSQL; SQLite: one prepared statement run for each); the
    deadline rows of those whose deadlines moved deleted in one statement and inserted in one
    (PostgreSQL) or multi-row INSERTs."""
    if not changed:
        return
    now = audit.now_utc()
    t = proceedings_table

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    postgresql = session.connection().dialect.name == "postgresql"
    if postgresql:
        dumps = json.dumps
        session.execute(_PG_UPDATE_MANY, {"now": now, "rows": "[" + ",".join(
            dumps({"id": m.row.id, "status": m.state["status"], "span_end": m.span_end.isoformat(),
                   "start": m.state.get("start") or None, "last_day": m.state.get("last_day") or None,
                   "version": m.row.version + 1})[:-1] + ', "state": ' + m.encoded + "}"
            for m in changed) + "]"})
    else:
        values = [{"b_id": m.row.id, "b_status": m.state["status"], "b_state": m.encoded, "b_span_end": m.span_end,
                   "b_start": day(m.state.get("start")), "b_last_day": day(m.state.get("last_day")),
                   "b_version": m.row.version + 1, "b_updated_at": now}
                  for m in changed]
        session.connection().execute(update(t).where(t.c.id == bindparam("b_id")).values(
            status=bindparam("b_status"), state=bindparam("b_state", type_=Text),  # its JSON text, as made
            span_end=bindparam("b_span_end"),
            start=bindparam("b_start"), last_day=bindparam("b_last_day"), version=bindparam("b_version"),
            updated_at=bindparam("b_updated_at")), values)
    rewritten = [m for m in changed if m.deadlines_moved]
    if not rewritten:
        return
    session.execute(delete(proceeding_deadlines).where(
        proceeding_deadlines.c.proceeding_id.in_([m.row.id for m in rewritten])))
    due = [(m, d) for m in rewritten for d in m.state["deadlines"]]
    if not due:
        return
    if postgresql:
        session.execute(_PG_INSERT_DEADLINES, {"rows": json.dumps([
            {"proceeding_id": m.row.id, "kind": m.kind.name, "office_id": m.row.office_id, "code": d["code"],
             "due": d["due"], "step": d["step"], "citations": d["citations"]} for m, d in due])})
    else:
        session.execute(insert(proceeding_deadlines), [
            {"proceeding_id": m.row.id, "kind": m.kind.name, "office_id": m.row.office_id, "code": d["code"],
             "due": date.fromisoformat(d["due"]), "step": d["step"], "citations": d["citations"]} for m, d in due])


# --------------------------------------------------------------------------------- machinery


def _acts() -> Any:
    """`acts.service` (origins, who records an act's steps, linked steps): imported when first used,
    as it builds on this module."""
    from nadzor.acts import service as acts

    return acts


def _check_details() -> Any:
    """`checks.details` (what a check holds, validated at entry; I.15): builds on this module."""
    from nadzor.checks import details as check_details

    return check_details


def _check_resolutions() -> Any:
    """`checks.resolutions` (a check's I.19 and I.20 resolutions): builds on this module."""
    from nadzor.checks import resolutions as check_resolutions

    return check_resolutions


def _analysis_details() -> Any:
    """`analyses.details` (what an analysis holds, validated at entry; R.12, R.18, R.21–23):
    builds on this module."""
    from nadzor.analyses import details as analysis_details

    return analysis_details


def _entered_details(session: Session, kind: Kind, office: Office, step: dict[str, Any],
                     details: dict[str, Any] | None, prior: list[tuple[dict[str, Any], dict[str, Any] | None]],
                     signers: dict[str, Person], *, calendar: WorkingCalendar,
                     imported: bool = False) -> dict[str, Any] | None:
    """A step's details as stored: for a check or an analysis, validated and completed
    (`checks.details`, `analyses.details`);
    for an evaluation, the R.26 study and the R.28 transfer (`evaluations.service`); for an act's
    issue, its signer's id (the register filters on it)."""
    if kind.name == "evaluation":
        from nadzor.evaluations import service as evaluations  # builds on this module's neighbours (R.26, R.28)

        return evaluations.entered(session, office, step, details, imported=imported)
    if kind.name == "act" and step.get("type") == "issued" and "signer" in signers:
        # who signed the act (I.58–I.59: the signer controls its execution): the register filters on it
        return {**(details or {}), "signer_person_id": signers["signer"].id}
    if kind.name == "analysis":
        found: dict[str, Any] | None = _analysis_details().entered(session, office, step, details)
        return found
    if kind.name != "check":
        return details
    entered: dict[str, Any] | None = _check_details().entered(session, office, step, details, prior, signers,
                                                                  calendar=calendar)
    return entered


def _check_version(kind: Kind, row: Row[Any], expected: int) -> None:
    if row.version != expected:
        raise Conflict.versions(KIND_LABELS[kind.name], expected, row.version)


def _subject(details: dict[str, Any] | None) -> str:
    if not details:
        return ""
    for key in ("subject_name", "subject", "addressee_name", "act_title", "topic"):
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:500]
    return ""


def _resolve_signers(session: Session, posted: Any, actor: Actor) -> tuple[dict[str, Any], dict[str, Person]]:
    """The contract object of a posted step: each `<field>_person_id` becomes `<field>` —
    `{position, acting_for?}` from that person's position and acting assignments on the step's date
    (an acting position, when there is one, is the one they sign in)."""
    if not isinstance(posted, dict):
        raise InvalidInput.one("step", "ожидается объект шага {type, date, …}")
    step = dict(posted)
    for name in SIGNER_FIELDS:
        if name in step:
            raise InvalidInput.one(f"step.{name}", Message("подписант указывается как %(name)s_person_id — "
                                                           "сотрудник системы; должность определяется на дату шага",
                                                           name=name))
    day = _date_or_none(step.get("date"))
    persons: dict[str, Person] = {}
    for person_field, name in _PERSON_FIELDS.items():
        if person_field not in step:
            continue
        raw = step.pop(person_field)
        if raw is None:
            continue
        where = f"step.{person_field}"
        if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw < 2**63:
            raise InvalidInput.one(where, "ожидается номер сотрудника (целое число)")
        person = session.get(Person, raw)
        if person is None or not actor.sees_office(person.office_id):
            raise InvalidInput.one(where, Message("нет сотрудника %(id)s в пределах ваших полномочий", id=raw))
        persons[name] = person
        if day is None:
            continue  # the date itself is reported by validation
        auth = authority_of(session, person, day)
        if auth.acting:
            step[name] = {"position": auth.position, "acting_for": auth.acting[0].position}
        else:
            step[name] = {"position": auth.position}
    return step, persons


def _date_or_none(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_organization(session: Session, kind: str, step: dict[str, Any], details: dict[str, Any] | None) -> None:
    """An analysis request's addressee from the directory of organizations (R.13–14)."""
    from nadzor.analyses.service import check_step_organization  # the analyses context imports this module

    check_step_organization(session, kind, step, details)


#: I.23: the certificate's parts in Russian (a refusal names them so).
CERTIFICATE_PARTS = {"date": "дата составления", "place": "место составления", "grounds": "основания проверки",
                     "subject_name": "наименование проверяемого субъекта", "topic": "предмет (тематика) проверки",
                     "general_info": "общие сведения по тематике",
                     "legality_assessment": "оценка соблюдения законности",
                     "causes_analysis": "анализ причин нарушений", "remedy_mechanism": "механизм устранения нарушений",
                     "conclusions": "выводы и предложения", "signatures": "подписи проводивших проверку"}


def _storage_checks(kind: Kind, step: dict[str, Any], details: dict[str, Any] | None, office: Office,
                    signers: dict[str, Person], calendar: WorkingCalendar) -> None:
    """What storage refuses besides `replay`: a certificate failing `check.certificate_completeness`
    is not delivered (I.23); an act is issued by a prosecutor of the issuing office (PROCEEDINGS.md).
    (An analysis's certificate, R.18, is checked with its details: `analyses.details`.)"""
    if kind.name == "check" and step.get("type") == "certificate_delivered":
        certificate = (details or {}).get("certificate")
        if not isinstance(certificate, dict):
            raise Refused("certificate_incomplete", ["I.23"], "Справка не приложена: укажите её части "
                                                            "(details.certificate) до вручения (п. 23 Инструкции).")
        try:
            answer = rules.evaluate("check.certificate_completeness", {"certificate": certificate},
                                    calendar=calendar)
            missing = answer["result"]["missing"]
        except InvalidInput as exc:
            raise InvalidInput([FieldError(f"details.{e.field}", e.message) for e in exc.errors]) from None
        if missing:
            raise Refused("certificate_incomplete", ["I.23"], "В справке не хватает: "
                          + ", ".join(CERTIFICATE_PARTS.get(m, m) for m in missing) + " (п. 23 Инструкции).")
    if kind.name == "act" and step.get("type") == "issued":
        issuer = signers.get("signer")
        if issuer is not None and issuer.office_id != office.id:
            raise InvalidInput.one("step.signer_person_id", "акт надзора вносит прокурор прокуратуры, "
                                                            "от имени которой он вносится")


def _replay(kind: Kind, office_level: str, stored: list[dict[str, Any]], new: dict[str, Any],
            calendar: WorkingCalendar) -> tuple[dict[str, Any], list[Step]]:
    """Replay the stored steps plus the new one. An input error in the new step is named relative to
    the posted step (`step.date`); a refusal at it is `Refused` (409), nothing stored."""
    index = len(stored)
    prefix = f"steps.{index}"
    try:
        office_level, steps = validate(kind, {"office_level": office_level, "steps": [*stored, new]}, calendar)
    except InvalidInput as exc:
        errors = []
        for e in exc.errors:
            if e.field == prefix or e.field.startswith(prefix + "."):
                errors.append(FieldError("step" + e.field[len(prefix):], e.message))
            else:
                errors.append(e)
        raise InvalidInput(errors) from None
    state = kernel_api.replay_steps(kind, office_level, steps, calendar)
    refused = state["refused"]
    if refused is not None:
        raise Refused(refused["code"], refused["citations"], refused["message"], refused["step"])
    return state, steps


def _store_step(session: Session, pid: int, seq: int, step: dict[str, Any], details: dict[str, Any] | None,
                actor: Actor, now: Any) -> None:
    session.execute(insert(proceeding_steps).values(
        proceeding_id=pid, seq=seq, type=step["type"], date=date.fromisoformat(step["date"]), data=step,
        details=details or {}, author=actor.login, author_person_id=actor.person_id, recorded_at=now,
        withdrawn=False))


def _span_end(state: dict[str, Any], steps: list[Step]) -> date:
    """The latest of the last step, the dues and `objections_until`: a calendar change after it
    cannot move anything."""
    return _span_end_at(state, steps[-1].date if steps else None)


def _span_end_at(state: dict[str, Any], last_step: date | None) -> date:
    """`_span_end` from the last step's date."""
    days = [last_step] if last_step is not None else []
    days += [date.fromisoformat(d["due"]) for d in state["deadlines"]]
    days += [date.fromisoformat(d["due"]) for d in state["late"]]
    for key in ("last_day", "objections_until", "extension_petition_latest"):
        if state.get(key):
            days.append(date.fromisoformat(state[key]))
    return max(days)


def _write_derived(session: Session, pid: int, kind: Kind, office_id: int, state: dict[str, Any],
                   steps: list[Step], *, number: str | None = None, version: int | None = None,
                   now: Any = None) -> None:
    """The derived columns and the deadline rows, from the state, in the step's transaction."""
    values: dict[str, Any] = {
        "status": state["status"], "state": state, "span_end": _span_end(state, steps),
        "start": date.fromisoformat(state["start"]) if state.get("start") else None,
        "last_day": date.fromisoformat(state["last_day"]) if state.get("last_day") else None,
    }
    if number is not None:
        values["number"] = number
    if version is not None:
        values["version"] = version
    if now is not None:
        values["updated_at"] = now
    session.execute(update(proceedings_table).where(proceedings_table.c.id == pid).values(**values))
    session.execute(delete(proceeding_deadlines).where(proceeding_deadlines.c.proceeding_id == pid))
    rows = [{"proceeding_id": pid, "kind": kind.name, "office_id": office_id, "code": d["code"],
             "due": date.fromisoformat(d["due"]), "step": d["step"], "citations": d["citations"]}
            for d in state["deadlines"]]
    if rows:
        session.execute(insert(proceeding_deadlines), rows)


def check_stored_equals_replay(session: Session, calendar: WorkingCalendar) -> list[int]:
    """The ids of stored proceedings whose columns or deadline rows differ from a fresh replay
    (PROCEEDINGS.md: «the stored state always equals replay»)."""
    bad = []
    for row in session.execute(select(proceedings_table).order_by(proceedings_table.c.id)).all():
        live = session.execute(select(proceeding_steps.c.data).where(
            proceeding_steps.c.proceeding_id == row.id, proceeding_steps.c.withdrawn.is_(False))
            .order_by(proceeding_steps.c.seq)).scalars().all()
        state = kernel_api.replay(row.kind, {"office_level": row.office_level, "steps": list(live)},
                                  calendar=calendar)
        dues = sorted((d.code, d.due.isoformat(), d.step) for d in session.execute(
            select(proceeding_deadlines).where(proceeding_deadlines.c.proceeding_id == row.id)).all())
        expected = sorted((d["code"], d["due"], d["step"]) for d in state["deadlines"])
        if state != row.state or row.status != state["status"] or dues != expected:
            bad.append(row.id)
    return bad




# Public names of the machinery above, for the import of whole proceedings
# (casework/importing.py): the same functions, not copies.
replay_new = _replay
store_step = _store_step
write_derived = _write_derived
resolve_signers = _resolve_signers
storage_checks = _storage_checks
entered_details = _entered_details
subject_of = _subject
NUMBER_PREFIX = _NUMBER_PREFIX
