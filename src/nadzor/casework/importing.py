"""Import of whole proceedings with their steps (issue 8 §5: migration from another system).

A file of JSON lines, one proceeding a line:
`{"office_code", "steps": [step, …], "details"?: {...}, "step_details"?: [{...} | null, …]}` —
each step the exact contract object of PROCEEDINGS.md, its signers given either as they were frozen
(`signer: {position, acting_for?}`) or as a person of the system (`signer_person_id`: resolved from
that person's position and acting assignments on the step's date, like a posted step). `details`
belongs to the first step (as when a proceeding is opened: the subject, the resolution's text fields);
`step_details[i]` to step `i` (the first one through `details` only).

Only an administrator imports (signers given as positions are taken on trust, as the other system
froze them). All or nothing: the caller runs the whole import in one transaction, and the first bad line raises
`InvalidInput` with its fields named `lines.<n>.<field>` (`n` is the line's number in the file,
from 1), so nothing is stored. Each proceeding is replayed as a whole: an input error is named by
its dotted path within the line (`lines.3.steps.2.date`); a step the law refuses is an error naming
its line and step (`lines.3.steps.4`) with the refusal's code and message; the storage's own checks
(a certificate incomplete before delivery, an act issued by a prosecutor of another office, what a
check holds — `checks.details`: the subject, a complete resolution, the assignees) likewise.
Every imported proceeding is stored with its derived columns and deadline rows from that replay and
one audit row, through the same writers as a proceeding recorded step by step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field
from sqlalchemy import insert
from sqlalchemy.orm import Session

from nadzor.acts import service as acts
from nadzor.audit import service as audit
from nadzor.casework.service import (
    NUMBER_PREFIX,
    SIGNER_FIELDS,
    Refused,
    entered_details,
    kind_of,
    replay_new,
    resolve_signers,
    storage_checks,
    store_step,
    subject_of,
    write_derived,
)
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import Office, Person
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Forbidden, Message
from nadzor.org.service import office_by_code, parse
from nadzor.proceedings.kernel import Kind, Step
from nadzor.rules.base import FieldError, Input, InvalidInput

#: At most this many proceedings in one import (one transaction).
MAX_LINES = 200_000


class ImportLine(Input):
    office_code: str = Field(min_length=1, max_length=120)
    steps: list[dict[str, Any]] = Field(min_length=1, max_length=2000)
    details: dict[str, Any] | None = None
    step_details: list[dict[str, Any] | None] | None = Field(default=None, max_length=2000)


def parse_lines(lines: Iterable[str]) -> list[tuple[int, Any]]:
    """`(line number from 1, parsed JSON)` for each non-blank line; bad JSON names its line."""
    import json

    out: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(out) >= MAX_LINES:
            raise InvalidInput.one("lines", Message("в одном импорте — не больше %(count)s производств",
                                                   count=MAX_LINES))
        try:
            out.append((number, json.loads(line)))
        except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
            raise InvalidInput.one(f"lines.{number}", Message("некорректный JSON: %(error)s",
                                                                  error=str(getattr(exc, 'msg', exc)))) from None
        except RecursionError:
            raise InvalidInput.one(f"lines.{number}", "слишком глубокая вложенность JSON") from None
    if not out:
        raise InvalidInput.one("lines", "файл не содержит ни одного производства")
    return out


def do_import(session: Session, collection: str, items: Iterable[tuple[int, Any]], *, actor: Actor,
              calendar: WorkingCalendar) -> dict[str, Any]:
    """Store every proceeding of `items` (`(line number, parsed line)`) in the caller's transaction;
    the first bad line raises and the caller rolls everything back. Returns `{imported, ids, numbers}`."""
    actor.require(Permission.RECORD)
    kind = kind_of(collection)
    if not actor.is_admin:
        raise Forbidden("импорт производств доступен только администратору")
    ids: list[int] = []
    numbers: list[str] = []
    for number, raw in items:
        prefix = f"lines.{number}"
        try:
            pid, proceeding_number = _import_one(session, kind, raw, actor=actor, calendar=calendar)
        except InvalidInput as exc:
            raise InvalidInput([_prefixed(prefix, e) for e in exc.errors]) from None
        except Refused as exc:
            where = prefix if exc.step is None else f"{prefix}.steps.{exc.step}"
            said = exc.message if isinstance(exc.message, Message) else Message(exc.message)
            raise InvalidInput.one(where, Message("%(message)s [%(code)s]", message=said, code=exc.code)) from None
        ids.append(pid)
        numbers.append(proceeding_number)
    return {"imported": len(ids), "ids": ids, "numbers": numbers}


def _prefixed(prefix: str, error: FieldError) -> FieldError:
    field = error.field
    if field in ("", "input", "line"):
        return FieldError(prefix, error.message)
    return FieldError(f"{prefix}.{field}", error.message)


def _import_one(session: Session, kind: Kind, raw: Any, *, actor: Actor,
                calendar: WorkingCalendar) -> tuple[int, str]:
    line: ImportLine = parse(ImportLine, raw)
    office = office_by_code(session, line.office_code)
    if office is None or office.id is None or not actor.sees_office(office.id):
        raise InvalidInput.one("office_code", Message("нет прокуратуры с кодом %(code)s в пределах ваших "
                                                      "полномочий", code=repr(line.office_code)))
    step_details = list(line.step_details or [])
    if len(step_details) > len(line.steps):
        raise InvalidInput.one("step_details", "деталей шагов больше, чем шагов")
    if step_details and step_details[0] is not None and line.details is not None:
        raise InvalidInput.one("step_details.0", "детали первого шага задаются полем details")
    details_of = [line.details if i == 0 else None for i in range(len(line.steps))]
    for i, extra in enumerate(step_details):
        if extra is not None:
            details_of[i] = extra
    contract: list[dict[str, Any]] = []
    for i, posted in enumerate(line.steps):
        try:
            step, signers = _resolve(session, posted, actor)
            storage_checks(kind, step, details_of[i], office, signers, calendar)
            details_of[i] = entered_details(session, kind, office, step, details_of[i],
                                            list(zip(contract, details_of[:i], strict=True)), signers,
                                            calendar=calendar, imported=True)
        except InvalidInput as exc:
            raise InvalidInput([_renamed(e, i) for e in exc.errors]) from None
        except Refused as exc:
            raise Refused(exc.code, exc.citations, exc.message, i) from None
        contract.append(step)
    last = len(contract) - 1
    try:
        state, steps = replay_new(kind, office.level, contract[:-1], contract[-1], calendar)
    except InvalidInput as exc:
        raise InvalidInput([_renamed(e, last) for e in exc.errors]) from None
    try:  # an act's origin (issue 9: a check, an evaluation, an analysis, or none), linked as when opened
        origin = acts.check_origin(session, kind.name, contract[0], details_of[0], actor, imported=True)
    except Refused as exc:
        raise Refused(exc.code, exc.citations, exc.message, 0) from None
    pid, number = _store(session, kind, office, state, steps, contract, details_of, actor)
    acts.link_origin(session, pid, origin, actor=actor)
    return pid, number


def _renamed(error: FieldError, index: int) -> FieldError:
    """A field named relative to a posted step (`step.signer_person_id`) or its details
    (`details.x`) → relative to the line (`steps.3.signer_person_id`, `step_details.3.x`)."""
    field = error.field
    if field == "step" or field.startswith("step."):
        return FieldError(f"steps.{index}{field[4:]}", error.message)
    if field.startswith("details."):
        where = "details" if index == 0 else f"step_details.{index}"
        return FieldError(where + field[len("details"):], error.message)
    return error


def _resolve(session: Session, posted: dict[str, Any], actor: Actor) -> tuple[dict[str, Any], dict[str, Person]]:
    """Signers given as `{position, acting_for?}` are kept as given (frozen by the other system);
    `<field>_person_id` is resolved on the step's date. Both for one field is an error."""
    given = {name: posted[name] for name in SIGNER_FIELDS if name in posted}
    for name in given:
        if f"{name}_person_id" in posted:
            raise InvalidInput.one(f"step.{name}_person_id", Message("подписант указывается либо как %(name)s, либо "
                                                                     "как %(name)s_person_id, но не обоими способами",
                                                                     name=name))
    rest = {k: v for k, v in posted.items() if k not in given}
    step, signers = resolve_signers(session, rest, actor)
    step.update(given)
    return step, signers


def _store(session: Session, kind: Kind, office: Office, state: dict[str, Any], steps: list[Step],
           contract: list[dict[str, Any]], details_of: list[dict[str, Any] | None],
           actor: Actor) -> tuple[int, str]:
    now = audit.now_utc()
    assert office.id is not None
    first = steps[0].date
    pid = session.execute(insert(proceedings_table).values(
        kind=kind.name, office_id=office.id, office_level=office.level, number=f"tmp-import-{now.timestamp()}",
        subject=subject_of(details_of[0]), status=state["status"], opened_on=first, start=None, last_day=None,
        span_end=first, state=state, created_by=actor.login, created_at=now, updated_at=now, version=len(contract),
    ).returning(proceedings_table.c.id)).scalar_one()
    number = f"{office.code}/{NUMBER_PREFIX[kind.name]}-{first.year}-{pid:06d}"
    for seq, (step, details) in enumerate(zip(contract, details_of, strict=True)):
        store_step(session, pid, seq, step, details, actor, now)
    write_derived(session, pid, kind, office.id, state, steps, number=number)
    audit.record(session, actor=actor, action=AuditAction.PROCEEDING_OPENED, object_type=kind.name, object_id=pid,
                 after={"number": number, "office_id": office.id, "imported": True, "steps": contract,
                        "status": state["status"]})
    return pid, number
