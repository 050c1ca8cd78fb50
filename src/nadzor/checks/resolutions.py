"""A check's resolutions on operative-search measures (I.19) and on expertise (I.20): records of the
check beside its steps (issue 8 §2; PROCEEDINGS.md «Stored proceedings»: `replay` never sees them).

* **Operative-search measures (`orm`, I.19)**: «в постановлении указываются основания проведения
  оперативно-розыскных мероприятий, форма и сроки предоставления полученных результатов» —
  `grounds`, `results_form`, `results_due` (required); `measures` and `executor` (the body the
  measures are entrusted to) may be added. The signer is checked with `check.orm_resolution_signer`
  (the Prosecutor General, the deputy who supervises this branch — `supervising_deputy` —, regional
  prosecutors, or those acting for them).
* **Expertise (`expertise`, I.20)**: the body that appointed it (the check's office), the time and
  place (`date`, `place`), `kind`, `grounds`, `objects` with their origin and
  `destruction_allowed`, `expert` (the forensic body or the person entrusted with it);
  `questions` may be added. The signer is checked with `check.expertise_resolution_signer`.

The signer is posted as `signer_person_id`, resolved from that person's position and acting
assignments on the resolution's date (acting for a position: that one) and frozen, as for steps;
they sign in the check's office or in one above it. A resolution is recorded while the check is
conducted (`in_progress` or `suspended`, I.19–I.20: «проверка … реализовать»), dated not before its
start. A signer the rule does not allow is 409 `signer_not_allowed` with the rule's explanation;
bad input is 422 keyed by field (`fields.grounds`, `signer_person_id`, …). Each record writes one
audit row; the card lists the records, and the documents service draws up each one
(`orm_resolution`, `expertise_resolution`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import Row, func, insert, select
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.audit import service as audit
from nadzor.casework.service import Refused
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.checks.tables import check_resolutions
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import Office, Person
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput, Message, NotFound
from nadzor.org.service import authority_of, parse
from nadzor.rules.base import Input, PlainDate

#: The kinds of resolution: title, the signer rule, citations.
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "orm": ("Постановление о проведении оперативно-розыскных мероприятий", "check.orm_resolution_signer", ("I.19",)),
    "expertise": ("Постановление о назначении экспертизы", "check.expertise_resolution_signer", ("I.20",)),
}
NUMBER_PREFIX = {"orm": "ОРМ", "expertise": "ЭКС"}
#: I.19–I.20: resolutions of a check being conducted.
CONDUCTED = frozenset({"in_progress", "suspended"})

_Short = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)]
_Long = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=5000)]


class _Fields(Input):
    pass


class OrmFields(_Fields):
    """I.19: the grounds, the form and the term of presenting the results."""

    grounds: _Long
    results_form: _Short
    results_due: PlainDate
    measures: _Long | None = None
    executor: _Short | None = None


class ExpertiseFields(_Fields):
    """I.20 pp. 1–6 (the body is the check's office, the time the resolution's date)."""

    kind: _Short
    grounds: _Long
    objects: _Long
    destruction_allowed: bool = Field(default=False, strict=True)
    expert: _Short
    place: _Short | None = None
    questions: _Long | None = None


class NewResolution(Input):
    """`{type, date, signer_person_id, number?, supervising_deputy?, fields}`."""

    type: Literal["orm", "expertise"]
    date: PlainDate
    signer_person_id: int = Field(strict=True, ge=1, le=2**63 - 1)
    number: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=100)] | None = None
    #: I.19: a deputy Prosecutor General signs only as the one who supervises this branch.
    supervising_deputy: bool = Field(default=False, strict=True)
    fields: dict[str, Any]


_FIELD_MODELS: dict[str, type[_Fields]] = {"orm": OrmFields, "expertise": ExpertiseFields}


def resolution_dict(row: Row[Any], names: dict[int, str] | None = None) -> dict[str, Any]:
    title, _rule, citations = KINDS[row.kind]
    return {"id": row.id, "type": row.kind, "title": title, "citations": list(citations), "number": row.number,
            "date": row.date.isoformat(), "fields": row.fields, "signer": row.signer,
            "signer_person_id": row.signer_person_id, "signer_name": (names or {}).get(row.signer_person_id),
            "author": row.author, "recorded_at": row.recorded_at.isoformat()}


def resolutions_of(session: Session, proceeding_id: int) -> list[dict[str, Any]]:
    """The check's resolutions in date order (then as recorded), with the signer's name."""
    rows = session.execute(select(check_resolutions).where(check_resolutions.c.proceeding_id == proceeding_id)
                           .order_by(check_resolutions.c.date, check_resolutions.c.id)).all()
    ids = sorted({r.signer_person_id for r in rows})
    names = {p.id: p.full_name for p in (session.get(Person, i) for i in ids) if p is not None and p.id is not None}
    return [resolution_dict(r, names) for r in rows]


def _check(session: Session, proceeding_id: int, actor: Actor) -> Row[Any]:
    row = session.execute(select(proceedings_table).where(proceedings_table.c.id == proceeding_id,
                                                          proceedings_table.c.kind == "check")
                          .with_for_update()).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message("проверка"), id=proceeding_id))
    return row


def _chain_ids(session: Session, office: Office) -> set[int]:
    out: set[int] = set()
    current: Office | None = office
    while current is not None and current.id is not None and current.id not in out:
        out.add(current.id)
        current = session.get(Office, current.parent_id) if current.parent_id is not None else None
    return out


def do_record_resolution(session: Session, proceeding_id: int, data: Any, *, actor: Actor,
                         calendar: WorkingCalendar) -> dict[str, Any]:
    """Record a resolution on operative-search measures or on expertise (see the module's text)."""
    actor.require(Permission.RECORD)
    cmd: NewResolution = parse(NewResolution, data)
    title, rule_id, citations = KINDS[cmd.type]
    fields = parse(_FIELD_MODELS[cmd.type], cmd.fields, "fields")
    row = _check(session, proceeding_id, actor)
    state = row.state
    if state.get("status") not in CONDUCTED:
        raise Refused("check_not_in_progress", citations, Message(
            "%(title)s выносится в ходе проверки: проверка ещё не начата либо уже окончена.", title=Message(title)))
    start = state.get("start")
    if start and cmd.date < date.fromisoformat(start):
        raise InvalidInput.one("date", Message("не раньше начала проверки (%(start)s)",
                                                start=f"{date.fromisoformat(start):%d.%m.%Y}"))
    if isinstance(fields, OrmFields) and fields.results_due < cmd.date:
        raise InvalidInput.one("fields.results_due", "срок представления результатов не раньше даты постановления")
    person = session.get(Person, cmd.signer_person_id)
    if person is None or not actor.sees_office(person.office_id):
        raise InvalidInput.one("signer_person_id", Message("нет сотрудника %(id)s в пределах ваших полномочий",
                                                           id=cmd.signer_person_id))
    auth = authority_of(session, person, cmd.date)
    signer: dict[str, str] = {"position": auth.position}
    signing_office = auth.office_id
    if auth.acting:
        signer["acting_for"] = auth.acting[0].position
        signing_office = auth.acting[0].office_id
    office = session.get(Office, row.office_id)
    assert office is not None
    if signing_office not in _chain_ids(session, office):
        raise InvalidInput.one("signer_person_id", "постановление подписывает прокурор прокуратуры, проводящей "
                                                   "проверку, либо вышестоящей прокуратуры")
    rule_input: dict[str, Any] = {"signer": signer}
    if cmd.type == "orm":
        rule_input["supervising_deputy"] = cmd.supervising_deputy
    answer = rules.evaluate(rule_id, rule_input, calendar=calendar)
    if not answer["result"]["allowed"]:
        raise Refused("signer_not_allowed", citations, answer["explanation"])
    stored_fields = fields.model_dump(mode="json", exclude_none=True)
    if cmd.type == "orm" and cmd.supervising_deputy:
        stored_fields["supervising_deputy"] = True
    count = session.execute(select(func.count()).select_from(check_resolutions).where(
        check_resolutions.c.proceeding_id == proceeding_id, check_resolutions.c.kind == cmd.type)).scalar_one()
    number = cmd.number or f"{row.number}/{NUMBER_PREFIX[cmd.type]}-{count + 1}"
    now = audit.now_utc()
    rid = session.execute(insert(check_resolutions).values(
        proceeding_id=proceeding_id, kind=cmd.type, number=number, date=cmd.date, fields=stored_fields,
        signer=signer, signer_person_id=person.id, author=actor.login, author_person_id=actor.person_id,
        recorded_at=now).returning(check_resolutions.c.id)).scalar_one()
    audit.record(session, actor=actor, action=AuditAction.CHECK_RESOLUTION_RECORDED, object_type="check",
                 object_id=proceeding_id, after={"resolution": rid, "type": cmd.type, "number": number,
                                                 "date": cmd.date.isoformat(), "signer": signer,
                                                 "fields": stored_fields})
    found = session.execute(select(check_resolutions).where(check_resolutions.c.id == rid)).one()
    return resolution_dict(found, {person.id or 0: person.full_name})


def resolution_row(session: Session, proceeding_id: int, resolution_id: int) -> Row[Any] | None:
    return session.execute(select(check_resolutions).where(check_resolutions.c.id == resolution_id,
                                                           check_resolutions.c.proceeding_id == proceeding_id)).first()
