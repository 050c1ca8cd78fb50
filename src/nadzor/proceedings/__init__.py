"""Proceedings as dated steps (PROCEEDINGS.md): `replay(kind, input)` derives a proceeding's state —
status, term, open deadlines, lateness, refusal — from its steps and the working calendar.

Kinds: `check` (Instruction ch. 2), `act` (ch. 4), `evaluation` (Rules ch. 3), `analysis` (Rules ch. 2).
Pure like `nadzor.rules`: the calendar is passed in (by default the one the rules use).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings import act as _act  # noqa: F401
from nadzor.proceedings import analysis as _analysis  # noqa: F401
from nadzor.proceedings import check as _check  # noqa: F401  (registers the kind)
from nadzor.proceedings import evaluation as _evaluation  # noqa: F401
from nadzor.proceedings import typed
from nadzor.proceedings.kernel import (
    KINDS,
    Kind,
    State,
    Step,
    UnknownKind,
    allowed_next,
    run,
    stored_steps,
    validate,
)
from nadzor.rules import current_calendar
from nadzor.rules.limits import ORDER_102

__all__ = ["KINDS", "UnknownKind", "get_kind", "replay", "replay_steps", "restated", "typed_replay"]


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


def typed_replay(cal: WorkingCalendar) -> Callable[[bytes], dict[str, Any] | None]:
    """The short way of a batch (`typed`): a line `{"kind", "input"}` as UTF-8 JSON to the state
    `replay` gives for it, or None for a line it leaves to `replay` — one with an input error, or any
    it does not take whole."""
    read = typed.decoder().read

    def answer(raw: bytes) -> dict[str, Any] | None:
        try:
            found = read(raw, cal)
            if found is None:
                return None
            kind, office_level, steps = found
            return replay_steps(kind, office_level, steps, cal)
        except Exception:  # anything unusual: `replay` meets it too, and answers or raises it itself
            return None

    return answer


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
    """The edition applied, and whether it was in force on every step's date (the dates never
    decrease: the first and the last decide)."""
    return ORDER_102.applied_between(steps[0].date, steps[-1].date) if steps else ORDER_102.stated(True)


#: A stored proceeding as a calendar change reads it: id, kind, office level, its state as the stored
#: JSON text, its live steps as the JSON text of an array of `[seq, data]` (any order; None: no step).
Stored = tuple[int, str, str, str, str | None]
#: One that moved: id, the new state, its JSON text (`json.dumps`, as stored), its last step's date,
#: whether its open deadlines moved too (those of the stored state differ).
Moved = tuple[int, dict[str, Any], str, date | None, bool]


def restated(stored: Iterable[Stored], cal: WorkingCalendar) -> list[Moved]:
    """A calendar change over stored proceedings (PROCEEDINGS.md «Calendar changes»): each replayed on
    `cal` from its live steps (built by `stored_steps`: validated when recorded); those whose state
    moved, in the order given. Texts in, plain tuples out: the same answer for a chunk replayed in this
    process or in a worker process (`services.proceedings.restate_for_day`)."""
    moved: list[Moved] = []
    loads, dumps = json.loads, json.dumps
    for pid, kind_name, office_level, state_text, steps_text in stored:
        pairs = loads(steps_text) if steps_text else []
        pairs.sort()  # in stored order: by seq, unique within a proceeding (the data never compared)
        kind = KINDS[kind_name]
        steps = stored_steps(kind, [data for _seq, data in pairs], cal)
        state = replay_steps(kind, office_level, steps, cal)
        encoded = dumps(state)
        # The same text is the same state without decoding the stored one; a text that differs is
        # decoded and compared (a state written by another encoder, keys in another order).
        if encoded != state_text:
            stored_state = loads(state_text)
            if state != stored_state:
                moved.append((pid, state, encoded, steps[-1].date if steps else None,
                              state["deadlines"] != stored_state.get("deadlines")))
    return moved

