"""Proceedings as dated steps (PROCEEDINGS.md): `replay(kind, input)` derives a proceeding's state —
status, term, open deadlines, lateness, refusal — from its steps and the working calendar.

Kinds: `check` (Instruction ch. 2), `act` (ch. 4), `evaluation` (Rules ch. 3), `analysis` (Rules ch. 2).
Pure like `nadzor.rules`: the calendar is passed in (by default the one the rules use).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings import act as _act  # noqa: F401
from nadzor.proceedings import analysis as _analysis  # noqa: F401
from nadzor.proceedings import check as _check  # noqa: F401  (registers the kind)
from nadzor.proceedings import evaluation as _evaluation  # noqa: F401
from nadzor.proceedings.kernel import KINDS, Kind, State, Step, UnknownKind, allowed_next, run, validate
from nadzor.rules import current_calendar
from nadzor.rules.limits import ORDER_102

__all__ = ["KINDS", "UnknownKind", "get_kind", "replay", "replay_steps"]


def get_kind(kind: object) -> Kind:
    found = KINDS.get(kind) if isinstance(kind, str) else None
    if found is None:
        raise UnknownKind(kind)
    return found


def replay(kind: str, input: Any, *, calendar: WorkingCalendar | None = None) -> dict[str, Any]:
    """The state of a proceeding of `kind` from its input `{office_level, steps}`. Bad input raises
    `InvalidInput` (errors `{field, message}`, fields named by dotted path); never a state."""
    found = get_kind(kind)
    cal = calendar if calendar is not None else current_calendar()
    office_level, steps = validate(found, input, cal)
    return replay_steps(found, office_level, steps, cal)


def replay_steps(kind: Kind, office_level: str, steps: list[Step], cal: WorkingCalendar) -> dict[str, Any]:
    state = run(kind, office_level, steps, cal)
    return write_state(kind, state, steps)


def write_state(kind: Kind, state: State, steps: list[Step]) -> dict[str, Any]:
    virtual = kind.virtual_deadlines(state) if kind.virtual_deadlines is not None else ()
    out: dict[str, Any] = {"kind": kind.name, "status": state.status, "refused": state.refused}
    out.update(kind.output(state))
    out["deadlines"] = state.book.listed(virtual)
    out["late"] = state.book.late
    out["allowed_next"] = allowed_next(kind, state)
    out["edition"] = _edition(steps)
    return out


def _edition(steps: list[Step]) -> dict[str, Any]:
    """The edition applied, and whether it was in force on every step's date."""
    start, end = ORDER_102.valid_from, ORDER_102.valid_to or date.max
    in_force = True
    for step in steps:
        if not start <= step.date < end:
            in_force = False
            break
    return {"name": ORDER_102.name, "valid_from": start.isoformat(),
            "valid_to": ORDER_102.valid_to.isoformat() if ORDER_102.valid_to else None,
            "in_force": in_force}
