"""The audit trail: one row per change, written in the same transaction as the change, hash-
chained (HMAC with the audit key, which the database never holds) and append-only. Appends are
serialized (a transaction-scoped advisory lock on PostgreSQL; BEGIN IMMEDIATE on SQLite) so the
chain stays linear under concurrent writers."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, exists, func, select, text
from sqlalchemy.orm import Session

from nadzor.accounts.tables import api_tokens, users
from nadzor.audit.tables import audit_head, audit_log
from nadzor.calendar.tables import calendar_days
from nadzor.casework.tables import proceedings
from nadzor.domain.audit import (
    GENESIS,
    SCHEME_HMAC,
    AuditAction,
    ChainFields,
    ChainProblem,
    Checkpoint,
    StoredRow,
    canonical,
    row_hash,
    sign_checkpoint,
    verify_chain,
)
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.org.tables import acting_assignments, offices, people, zone_assignments

ALMATY = ZoneInfo("Asia/Almaty")
T = TypeVar("T")
_PG_AUDIT_LOCK = 6_021_102  # any constant: the lock that serializes audit appends
_VERIFY_BATCH = 1000  # rows fetched at a time by `verify` (a server-side cursor on PostgreSQL)
#: Records that are only ever written with their audit row: any of them beside an empty chain
#: means the history was erased.
AUDITED_TABLES = (offices, people, acting_assignments, zone_assignments, users, api_tokens, calendar_days,
                  proceedings)

_keys: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()


def now_utc() -> datetime:
    return datetime.now(UTC)


def use_key(engine: Engine, key: bytes) -> None:
    """Sessions on `engine` sign and verify the chain with `key` (the platform sets it once)."""
    if not key:
        raise ValueError("the audit key must not be empty")
    _keys[engine] = key


def key_for(session: Session) -> bytes:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        return _keys[engine]
    except KeyError:
        raise RuntimeError("the audit key is not set for this database (audit.use_key)") from None


def record(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    object_type: str,
    object_id: str | int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> int:
    """Append one row to the chain inside the caller's transaction; returns its number."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    head = session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    fields = ChainFields(
        seq=seq,
        at=now_utc().isoformat(timespec="microseconds"),
        actor=actor.login,
        actor_office=actor.office_code,
        actor_position=actor.position,
        action=str(action),
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        before=canonical(dict(before) if before is not None else None),
        after=canonical(dict(after) if after is not None else None),
        prev_hash=prev,
    )
    digest = row_hash(fields, SCHEME_HMAC, key_for(session))
    session.execute(audit_log.insert().values(**_as_dict(fields), hash=digest, scheme=SCHEME_HMAC))
    if head:
        session.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=seq, hash=digest))
    else:
        session.execute(audit_head.insert().values(id=1, seq=seq, hash=digest))
    return seq


def added(session: Session, obj: T, *, actor: Actor, action: AuditAction, object_type: str,
          describe: Callable[[T], Mapping[str, Any]]) -> T:
    """Store a new record and its audit row (`after` = the record as `describe` shows it)."""
    session.add(obj)
    session.flush()
    record(session, actor=actor, action=action, object_type=object_type, object_id=getattr(obj, "id", None),
           after=describe(obj))
    return obj


def _as_dict(fields: ChainFields) -> dict[str, Any]:
    return {name: getattr(fields, name) for name in ChainFields.__slots__}


def _rows(session: Session) -> Iterator[StoredRow]:
    """The chain in order, streamed: a server-side cursor on PostgreSQL, batches on SQLite, so
    memory stays constant however long the log is."""
    query = select(audit_log).order_by(audit_log.c.seq).execution_options(yield_per=_VERIFY_BATCH)
    for row in session.execute(query).mappings():
        yield ChainFields(**{name: row[name] for name in ChainFields.__slots__}), row["scheme"], row["hash"]


def _head(session: Session) -> tuple[int, str] | None:
    head = session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    return (head.seq, head.hash) if head else None


def _holds_data(session: Session) -> bool:
    return any(session.execute(select(exists().select_from(table))).scalar_one() for table in AUDITED_TABLES)


def verify(session: Session, checkpoint: Checkpoint | None = None) -> ChainProblem | None:
    """The first broken row of the chain (or the checkpoint it no longer contains), or None."""
    key = key_for(session)
    head = _head(session)
    holds_data = _holds_data(session)
    return verify_chain(_rows(session), head, key=key, holds_data=holds_data, checkpoint=checkpoint)


def checkpoint(session: Session) -> Checkpoint:
    """The chain's head signed with the audit key, for the operator to keep outside the database."""
    seq, digest = _head(session) or (0, GENESIS)
    return sign_checkpoint(key_for(session), seq, digest, now_utc().isoformat(timespec="seconds"))


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    office: str = ""
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int | None = 200
    offset: int = 0
    descending: bool = True


def _local_midnight_utc(day: date) -> str:
    """Dates in filters are days in Almaty; rows carry UTC moments."""
    return datetime.combine(day, time(), tzinfo=ALMATY).astimezone(UTC).isoformat(timespec="microseconds")


def access_audit(session: Session, actor: Actor, flt: AuditFilter) -> tuple[int, list[dict[str, Any]]]:
    """Audit rows for administrators, newest first (by time, then by number: the order of the
    chain unless the clock went back) or oldest first (`descending=False`), filtered by person,
    office, object, action and dates; `limit=None`: every row (an export).
    Each filter has an index ending in (at, seq) (migration 0002): the count reads the index
    alone and the page is read from the index's end."""
    actor.require(Permission.VIEW_AUDIT)
    conditions = []
    if flt.actor:
        conditions.append(audit_log.c.actor == flt.actor)
    if flt.office:
        conditions.append(audit_log.c.actor_office == flt.office)
    if flt.object_type:
        conditions.append(audit_log.c.object_type == flt.object_type)
    if flt.object_id:
        conditions.append(audit_log.c.object_id == flt.object_id)
    if flt.action:
        conditions.append(audit_log.c.action == flt.action)
    if flt.date_from:
        conditions.append(audit_log.c.at >= _local_midnight_utc(flt.date_from))
    if flt.date_to:
        conditions.append(audit_log.c.at < _local_midnight_utc(flt.date_to + timedelta(days=1)))
    if conditions:
        total = session.execute(select(func.count()).select_from(audit_log).where(*conditions)).scalar_one()
    else:  # the chain numbers its rows 1, 2, 3 … without gaps: the head's number is the count
        total = session.execute(select(func.coalesce(func.max(audit_head.c.seq), 0))).scalar_one()
    if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
        raise InvalidInput.one("date_to", "конец периода раньше его начала")
    order = ((audit_log.c.at.desc(), audit_log.c.seq.desc()) if flt.descending
             else (audit_log.c.at.asc(), audit_log.c.seq.asc()))
    query = select(audit_log).where(*conditions).order_by(*order)
    if flt.limit is not None:
        query = query.limit(flt.limit).offset(flt.offset)
    return total, [dict(r) for r in session.execute(query).mappings()]


#: The kinds of record with a «История» tab of their own rows (issue 7 §6): the object types their
#: audit rows carry.
HISTORY_TYPES = frozenset({"office", "person", "acting", "zone", "user", "check", "act", "evaluation", "analysis"})


def access_history(session: Session, actor: Actor, object_type: str, object_id: int | str | None,
                   limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """One record's own audit rows, newest first: whoever may read the audit trail (VIEW_AUDIT)
    may read them; the record itself was already read within the actor's scope by its page."""
    if object_type not in HISTORY_TYPES:
        raise InvalidInput.one("object_type", "у записей этого вида нет истории")
    return access_audit(session, actor, AuditFilter(object_type=object_type, object_id=str(object_id),
                                                    limit=limit))
