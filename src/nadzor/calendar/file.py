"""The administrator's calendar file found changed at start (PROCEEDINGS.md «Calendar changes»: «A
change of a day (UI, API, CLI, or an overrides file found changed at start) re-replays … every
stored proceeding … whose span … contains the day, and reports how many moved»).

The file's effective overrides — each day it declares, working or not — are kept as last applied
(`calendar_file_state`, one row, with their SHA-256). At start the file is read again: the same
overrides change nothing; otherwise the days whose status differs (added, removed or turned) are
restated in one pass with the calendar as it now is, the new overrides are stored, and one audit row
records the days and how many proceedings moved — all in one transaction. No row yet counts as
a file without days (a fresh installation without a file writes nothing)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.calendar.sources import file_layer
from nadzor.calendar.tables import calendar_file_state
from nadzor.casework.service import restate_for_days
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.infra.context import Actor

_ROW = 1
#: The actor of the check at start: the installation itself.
SYSTEM = Actor(login="system:start", is_admin=True, visible=None)


@dataclass(frozen=True)
class FileApplied:
    """The days whose status the changed file turned, and how many stored proceedings moved."""

    days: list[date]
    moved: int


def effective_overrides(path: Path) -> dict[str, bool]:
    """Each day the file declares, working or not (the last line for a day wins, as in the layer)."""
    return {entry.day.isoformat(): bool(entry.working) for entry in file_layer(path)}


def fingerprint(overrides: dict[str, bool]) -> str:
    return hashlib.sha256(json.dumps(sorted(overrides.items())).encode()).hexdigest()


def do_apply_calendar_file(session: Session, path: Path, overrides: dict[str, bool], *, calendar: WorkingCalendar,
                           actor: Actor = SYSTEM) -> FileApplied | None:
    """Restate what the file at `path` changed since it was last applied (None: unchanged).
    `overrides` are its effective overrides as now read (`effective_overrides`, outside the
    transaction: a bad file raises `CalendarFileError` there), `calendar` the calendar with it."""
    digest = fingerprint(overrides)
    row = session.execute(select(calendar_file_state).where(calendar_file_state.c.id == _ROW)
                          .with_for_update()).first()
    previous: dict[str, bool] = dict(row.overrides) if row is not None else {}
    if (row.sha256 if row is not None else fingerprint({})) == digest:
        return None
    days = sorted(date.fromisoformat(d) for d in set(previous) | set(overrides) if previous.get(d) != overrides.get(d))
    moved = restate_for_days(session, days, calendar=calendar, actor=actor)
    now = audit.now_utc()
    if row is None:
        session.execute(insert(calendar_file_state).values(id=_ROW, overrides=overrides, sha256=digest,
                                                           applied_at=now))
    else:
        session.execute(update(calendar_file_state).where(calendar_file_state.c.id == _ROW).values(
            overrides=overrides, sha256=digest, applied_at=now))
    audit.record(session, actor=actor, action=AuditAction.CALENDAR_FILE_APPLIED, object_type="calendar_file",
                 object_id=path.name, before={"sha256": row.sha256 if row is not None else None},
                 after={"sha256": digest, "days": [d.isoformat() for d in days], "moved": moved})
    return FileApplied(days, moved)
