"""The proceeding kernel (PROCEEDINGS.md): a proceeding is its dated steps; its state is `replay`.

A kind declares its step types as data — `StepType(name, fields, allowed_in, citations, apply)`, the
transition table — plus a state class and how the state is written out. The kernel validates the
whole input first (an input error anywhere wins over every refusal), then applies the steps in order;
a step refused by the law stops the replay and the state reached just before it is returned with
`refused` set. Deadlines are kept in one `Book` per state: opened by a step, closed by a later one,
listed while open, and a closing step dated after the due is recorded as late (never refused).

Pure: the working calendar is passed in; nothing here reads files, a database or the web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import msgspec

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings.fields import _DATES, MISSING, Bad, Field, code, parse_date, parser, stored_date
from nadzor.rules.base import FieldError, InvalidInput, Message, cited

OFFICE_LEVELS = ("gpo", "regional", "district")
MAX_STEPS = 2000
MAX_ERRORS = 50


class Refusal(Exception):
    """The law does not allow this step in the state the earlier steps reached."""

    def __init__(self, code: str, citations: Iterable[str], message: str) -> None:
        super().__init__(message)
        self.code = code
        self.citations = tuple(citations)
        self.message = message


class UnknownKind(InvalidInput):
    """The kind names no proceeding kind (HTTP 404; an error line naming `kind` in a batch)."""

    def __init__(self, kind: object) -> None:
        known = ", ".join(KINDS)
        super().__init__([FieldError("kind", Message("неизвестный вид производства: %(kind)s; известны: %(known)s",
                                                     kind=repr(kind), known=known))])


class _IsoDays(dict[date, str]):
    """Days in ISO `YYYY-MM-DD`, each written once: a state names a few days, a batch the same few
    hundred again and again (the calendar's horizon bounds them)."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


#: `ISO[day]` is `day.isoformat()`.
ISO = _IsoDays()


# ------------------------------------------------------------------------------------ steps


class Step(msgspec.Struct, gc=False):
    """One validated step: its position in the list, type, date and parsed fields (a record made in C:
    a batch makes a million of them)."""

    index: int
    type: str
    date: date
    f: dict[str, Any]


class Deadline(msgspec.Struct, frozen=True, gc=False):
    """A deadline opened by step `step`: due on `due` (None: not counted yet)."""

    code: str
    due: date | None
    step: int
    citations: tuple[str, ...]


class Book:
    """The open deadlines of a proceeding and the record of what was done late."""

    __slots__ = ("late", "open")

    def __init__(self) -> None:
        self.open: dict[tuple[str, int], Deadline] = {}
        self.late: list[dict[str, Any]] = []

    def add(self, code: str, due: date | None, step: int, citations: tuple[str, ...]) -> None:
        self.open[(code, step)] = Deadline(code, due, step, citations)

    def has(self, code: str, step: int | None = None) -> bool:
        if step is not None:
            return (code, step) in self.open
        for deadline in self.open.values():  # noqa: SIM110  (no generator per call: a condition of many steps)
            if deadline.code == code:
                return True
        return False

    def close(self, code: str, step: int, at: Step, late_code: str | None = None) -> Deadline | None:
        """Close the deadline `code` opened by `step`; a closing step dated after its due is late."""
        found = self.open.pop((code, step), None)
        if found is not None and found.due is not None and at.date > found.due:
            self.mark_late(at, late_code or code, found.due)
        return found

    def close_all(self, code: str, at: Step) -> None:
        for key in [key for key in self.open if key[0] == code]:
            self.close(code, key[1], at)

    def drop(self, *codes: str) -> None:
        """Forget open deadlines (not late, not listed): the duty ended with the proceeding."""
        for key in [k for k in self.open if k[0] in codes]:
            del self.open[key]

    def mark_late(self, at: Step, code: str, due: date) -> None:
        self.late.append({"step": at.index, "code": code, "due": ISO[due]})

    def listed(self, extra: Iterable[Deadline] = ()) -> list[dict[str, Any]]:
        items = [d for d in (*self.open.values(), *extra) if d.due is not None]
        items.sort(key=lambda d: (d.due, d.code, d.step))
        return [{"code": d.code, "due": ISO[d.due], "step": d.step,  # type: ignore[index]
                 "citations": list(d.citations)} for d in items]


@dataclass(slots=True)
class State:
    """What every kind's state holds; kinds subclass it with their own fields."""

    office_level: str
    status: str | None = None
    refused: dict[str, Any] | None = None
    book: Book = field(default_factory=Book)
    types_seen: set[str] = field(default_factory=set)

    def seen(self, step_type: str) -> bool:
        return step_type in self.types_seen


Apply = Callable[[Any, Step, WorkingCalendar], None]
Condition = Callable[[Any], bool]
CrossCheck = Callable[[Step, list[Step], str], None]


@dataclass(frozen=True, slots=True)
class StepType:
    """A row of a kind's transition table: the step's fields, the statuses it may be attempted in
    (None: the first step) with an extra condition, its citations and its effect."""

    name: str
    label: str
    fields: Mapping[str, Field]
    allowed_in: frozenset[str] | None
    citations: tuple[str, ...]
    apply: Apply
    condition: Condition | None = None
    cross_check: CrossCheck | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    first: str
    steps: Mapping[str, StepType]
    statuses: Mapping[str, str]  # code -> Russian label
    new_state: Callable[[str], State]
    output: Callable[[State], dict[str, Any]]
    virtual_deadlines: Callable[[State], Iterable[Deadline]] | None = None
    #: Derives what the state needs the calendar for once every step is applied (optional).
    finish: Callable[[State, WorkingCalendar], None] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


# ------------------------------------------------------------------------------- validation

_TOP_KEYS = frozenset({"office_level", "steps"})
_office_level = code(OFFICE_LEVELS)


def validate(kind: Kind, raw: Any, cal: WorkingCalendar) -> tuple[str, list[Step]]:
    """The whole input, checked before anything is replayed: every error, in input order."""
    if not isinstance(raw, dict):
        raise InvalidInput.one("input", "ожидается объект JSON {office_level, steps}")
    errors: list[FieldError] = []
    office_level = "district"
    try:
        office_level = _office_level.check(raw.get("office_level", MISSING), "office_level", cal)
    except Bad as exc:
        errors.append(exc.error)
    raw_steps = raw.get("steps", MISSING)
    if raw_steps is MISSING:
        raw_steps = []
    if not isinstance(raw_steps, list):
        errors.append(FieldError("steps", "ожидается список шагов"))
        raw_steps = []
    elif len(raw_steps) > MAX_STEPS:
        errors.append(FieldError("steps", Message("допускается не больше %(n)s шагов", n=MAX_STEPS)))
        raw_steps = []
    steps: list[Step] = []
    dates_seen: list[date] = []  # every step's date that could be read, bad steps' included
    plans = _per_kind(kind, _plans)
    first, start, end, dates = kind.first, cal.coverage_start, cal.coverage_end, _DATES
    for i, item in enumerate(raw_steps):
        if len(errors) >= MAX_ERRORS:
            break
        # A valid step the short way; anything else (an input error anywhere in it) the long way of
        # `_step`, which names every error in the order of the contract.
        step: Step | None = None
        plan: _Plan | None = None
        if type(item) is dict:
            name = item.get("type")
            plan = plans.get(name) if type(name) is str else None
            if plan is not None and (i == 0) is (name == first) and plan[1].issuperset(item):
                value = item.get("date")
                day = dates.get(value) if type(value) is str else None
                try:
                    if day is None or not start <= day <= end:
                        day = parse_date(item.get("date", MISSING), "date", cal)
                    parsed = plan[2](item, cal)
                except Bad:
                    pass
                else:
                    if not dates_seen or day >= dates_seen[-1]:
                        step = Step(i, name, day, parsed)  # type: ignore[arg-type]
                        dates_seen.append(day)
        if step is None:
            step = _step(kind, i, item, steps, office_level, dates_seen, cal, errors)
        elif plan is not None and plan[0].cross_check is not None:
            try:
                plan[0].cross_check(step, steps, office_level)
            except Unchecked:
                step = None
            except Bad as exc:
                errors.append(exc.error)
                step = None
        if step is not None:
            steps.append(step)
    # RULES.md: the listed fields are checked first, in their order; unknown keys after them.
    errors.extend(FieldError(k, "неизвестное поле: правило его не принимает") for k in raw if k not in _TOP_KEYS)
    if errors:
        raise InvalidInput(errors[:MAX_ERRORS])
    return office_level, steps


#: A step type prepared for validation: the row, the keys a step of it may have, its fields' parser.
_Plan = tuple[StepType, frozenset[str], Callable[[dict[str, Any], WorkingCalendar], dict[str, Any]]]
_Made = TypeVar("_Made")
_PER_KIND: dict[tuple[int, Callable[[Kind], Any]], tuple[Kind, Any]] = {}


def _per_kind(kind: Kind, make: Callable[[Kind], _Made]) -> _Made:
    """`make(kind)`, made once per kind and kept (a batch validates and replays the same few kinds again and
    again); kept by the kind's identity, and made anew for another `Kind` object that reuses its id."""
    key = (id(kind), make)
    cached = _PER_KIND.get(key)
    if cached is None or cached[0] is not kind:
        cached = _PER_KIND[key] = (kind, make(kind))
    made: _Made = cached[1]
    return made


def _plans(kind: Kind) -> dict[str, _Plan]:
    """The kind's step types prepared for validation."""
    return {name: (spec, frozenset(spec.fields) | {"type", "date"}, parser(spec.fields))
            for name, spec in kind.steps.items()}


def _step(kind: Kind, i: int, raw: Any, prior: list[Step], office_level: str, dates: list[date],
          cal: WorkingCalendar, errors: list[FieldError]) -> Step | None:
    path = f"steps.{i}"
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "ожидается объект шага {type, date, …}"))
        return None
    name = raw.get("type", MISSING)
    if name is MISSING or name is None:
        errors.append(FieldError(f"{path}.type", "обязательное поле не заполнено"))
        return None
    spec = kind.steps.get(name) if isinstance(name, str) else None
    if spec is None:
        errors.append(FieldError(f"{path}.type", Message("неизвестный вид шага: %(name)s; допустимые: %(values)s",
                                                         name=repr(str(name)[:60]), values=", ".join(kind.steps))))
        return None
    before = len(errors)
    if i == 0 and name != kind.first:
        errors.append(FieldError(f"{path}.type", Message("первый шаг производства — «%(step)s»", step=kind.first)))
    elif i > 0 and name == kind.first:
        errors.append(FieldError(f"{path}.type", Message("шаг «%(step)s» может быть только первым", step=kind.first)))
    day: date | None = None
    try:
        day = parse_date(raw.get("date", MISSING), "date", cal)
        if dates and day < dates[-1]:
            errors.append(FieldError(f"{path}.date", "даты шагов не могут убывать: шаг датирован раньше "
                                                     "предыдущего"))
        dates.append(day if not dates else max(day, dates[-1]))
    except Bad as exc:
        errors.append(_prefixed(path, exc))
    fields = spec.fields
    parsed: dict[str, Any] = {}
    for fname, fld in fields.items():
        try:
            parsed[fname] = fld.check(raw.get(fname, MISSING), fname, cal)
        except Bad as exc:
            errors.append(_prefixed(path, exc))
    for key in raw:  # unknown keys after the listed fields, as RULES.md's rules report them
        if key not in fields and key != "type" and key != "date":
            errors.append(FieldError(f"{path}.{key}", "неизвестное поле: шаг этого вида его не принимает"))
    if len(errors) > before or day is None:
        return None
    step = Step(i, name, day, parsed)
    if spec.cross_check is not None:
        try:
            spec.cross_check(step, prior, office_level)
        except Unchecked:
            return None
        except Bad as exc:
            errors.append(exc.error)
            return None
    return step


def _loaders(kind: Kind) -> dict[str, tuple[tuple[str, Any], ...]]:
    """Each step type's fields with the function that reads a stored value of them."""
    return {name: tuple((fname, fld.load or fld.check) for fname, fld in spec.fields.items())
            for name, spec in kind.steps.items()}


def stored_steps(kind: Kind, raw_steps: Iterable[Mapping[str, Any]], cal: WorkingCalendar) -> list[Step]:
    """The `Step`s of steps as stored — each validated by `validate` when it was recorded, so built
    without the checks: the same steps `validate` returns for them (a calendar change re-replays
    every stored proceeding its day touches; PROCEEDINGS.md «Calendar changes»)."""
    loaders = _per_kind(kind, _loaders)
    steps: list[Step] = []
    for i, raw in enumerate(raw_steps):
        name = raw["type"]
        steps.append(Step(i, name, stored_date(raw["date"]),
                          {fname: load(raw.get(fname, MISSING), fname, cal) for fname, load in loaders[name]}))
    return steps


def _prefixed(path: str, exc: Bad) -> FieldError:
    return FieldError(f"{path}.{exc.error.field}", exc.error.message)


class Unchecked(Bad):
    """A cross-check that cannot be made: the earlier step it needs is itself bad input (already
    reported), so nothing more is said about this one."""

    def __init__(self) -> None:
        super().__init__("", "")


def earlier_step(step: Step, prior: list[Step], allowed: Iterable[str], what: str) -> Step:
    """The earlier step a `step` field names; it must be of a type it may name."""
    ref = step.f["step"]
    path = f"steps.{step.index}.step"
    allowed = tuple(allowed)
    if not 0 <= ref < step.index:
        raise Bad(path, Message("поле должно указывать номер более раннего шага (%(what)s)", what=Message(what)))
    fast = ref < len(prior) and prior[ref].index == ref
    found = prior[ref] if fast else next((s for s in prior if s.index == ref), None)
    if found is None:
        raise Unchecked  # the named step is bad input itself
    target: Step = found
    if target.type not in allowed:
        raise Bad(path, Message("шаг %(step)s («%(type)s») не может быть указан здесь; допустимы: %(allowed)s",
                                step=ref, type=target.type, allowed=", ".join(allowed)))
    return target


# ------------------------------------------------------------------------------------ replay


def run(kind: Kind, office_level: str, steps: list[Step], cal: WorkingCalendar) -> State:
    """Apply the validated steps in order; stop at the first refused one."""
    state = kind.new_state(office_level)
    specs, seen_add = kind.steps, state.types_seen.add
    for step in steps:
        spec = specs[step.type]
        allowed = spec.allowed_in
        try:
            if allowed is not None and (
                state.status not in allowed or (spec.condition is not None and not spec.condition(state))
            ):
                raise not_allowed(kind, spec, state)
            spec.apply(state, step, cal)
        except Refusal as refusal:
            state.refused = {"step": step.index, "code": refusal.code, "citations": list(refusal.citations),
                             "message": refusal.message}
            break
        seen_add(step.type)
    if kind.finish is not None:
        kind.finish(state, cal)
    return state


def not_allowed(kind: Kind, spec: StepType, state: State) -> Refusal:
    status = kind.statuses.get(state.status or "", "начальное")
    return Refusal("step_not_allowed", spec.citations,
                   Message("Шаг «%(step)s» недопустим в статусе «%(status)s» (%(citations)s).",
                           step=Message(spec.label), status=Message(status), citations=cited(*spec.citations)))


def allowed_next(kind: Kind, state: State) -> list[str]:
    """The step types that may be attempted now (the UI offers only those)."""
    if state.status is None:
        return [kind.first] if not state.types_seen and state.refused is None else []
    return [name for name, condition in _per_kind(kind, _next_table).get(state.status, ())
            if condition is None or condition(state)]


def _next_table(kind: Kind) -> dict[str, tuple[tuple[str, Condition | None], ...]]:
    """The kind's step types by the status they may be attempted in (in the table's order), each with
    its extra condition."""
    return {status: tuple((name, spec.condition) for name, spec in kind.steps.items()
                          if spec.allowed_in is not None and status in spec.allowed_in)
            for status in {s for spec in kind.steps.values() for s in spec.allowed_in or ()}}


def refuse(code: str, citations: tuple[str, ...], message: str) -> Refusal:
    """A refusal whose message ends with its citations; a `Message` (or a fixed text the catalog
    knows) reads in the interface's language on a page."""
    said = message if isinstance(message, Message) else Message(message)
    return Refusal(code, citations, Message("%(message)s (%(citations)s).", message=said, citations=cited(*citations)))
