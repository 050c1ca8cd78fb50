"""Validation of a proceeding's input (PROCEEDINGS.md «Input, errors and the state»).

Hand-written field checkers, not pydantic models: `replay --batch` validates 100,000 proceedings of a
dozen steps each in seconds. Every checker takes the raw JSON value and its dotted path and returns the
parsed value or raises `Bad` naming that path; the conventions are those of RULES.md — unknown keys
are errors, booleans and lists may be omitted, a field marked `?` may be null (= omitted), codes only
from their list, dates ISO and within the calendar's covered years.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nadzor.domain.calendar import WorkingCalendar
from nadzor.rules.base import FieldError, Message, Position, out_of_calendar
from nadzor.rules.bounds import int_problem, text_problem

#: The positions of RULES.md's signer vocabulary.
POSITIONS: frozenset[str] = frozenset(Position.__args__)  # type: ignore[attr-defined]

_POSITIONS_LISTED = ", ".join(Position.__args__)  # type: ignore[attr-defined]

MISSING: Any = object()  # a key absent from its object


class Bad(Exception):
    """One input error: the field's dotted path and a Russian message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.error = FieldError(field, message)


REQUIRED = "обязательное поле не заполнено"

#: A checker: (raw value or MISSING, the field's name, calendar) -> parsed value; its `Bad` names the
#: field relative to the step (`signer.position`), and the kernel prefixes the step's path.
Checker = Callable[[Any, str, WorkingCalendar], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a step: its checker, and whether it may be omitted (`?`, or a boolean or list).

    `load`, where given, parses a value the checker accepted when the step was recorded — the same
    result, without the checks (a calendar change re-replays every stored proceeding it touches)."""

    check: Checker
    optional: bool = False
    default: Any = None
    load: Checker | None = None
    #: What the field is — a tuple naming the checker and its parameters — for the short ways `parser`
    #: writes inline and for the typed decoder of `replay --batch` (`proceedings.typed`); None: both hand
    #: the value to `check` itself.
    shape: tuple[Any, ...] | None = None


def _require(value: Any, path: str) -> None:
    if value is MISSING or value is None:
        raise Bad(path, REQUIRED)


def flag(*, nullable: bool = False) -> Field:
    """A boolean: may be omitted (false); null only where the contract marks it `?`."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> bool:
        if value is MISSING or (value is None and nullable):
            return False
        if value is True or value is False:
            return bool(value)
        raise Bad(path, "ожидается логическое значение true или false")

    return Field(check, optional=True, default=False, load=_load_flag, shape=("flag",))


def _load_flag(value: Any, path: str, cal: WorkingCalendar) -> bool:
    return value is True


def _load_as_is(value: Any, path: str, cal: WorkingCalendar) -> Any:
    """A stored string, number or step index is what its checker returned; omitted (or null where
    allowed): None."""
    return None if value is MISSING else value


def _load_list(value: Any, path: str, cal: WorkingCalendar) -> Any:
    return [] if value is MISSING or value is None else value


def code(codes: Collection[str], *, optional: bool = False) -> Field:
    """One code of a closed list."""
    allowed = frozenset(codes)
    listed = ", ".join(codes)

    def check(value: Any, path: str, cal: WorkingCalendar) -> str | None:
        if type(value) is str and value in allowed:
            return value
        if optional and (value is MISSING or value is None):
            return None
        _require(value, path)
        if not isinstance(value, str):
            raise Bad(path, "ожидается строка")
        if value not in allowed:
            raise Bad(path, Message("недопустимое значение; допустимые: %(values)s", values=listed))
        return value

    return Field(check, optional=optional, load=_load_as_is, shape=("code", tuple(codes), optional))


def codes(allowed_codes: Sequence[str], *, nullable: bool = False, nonempty: bool = False,
          distinct: bool = False, limit: int = 64) -> Field:
    """A list of codes of a closed list (omitted: empty, unless it must be non-empty)."""
    allowed = frozenset(allowed_codes)
    listed = ", ".join(allowed_codes)

    def check(value: Any, path: str, cal: WorkingCalendar) -> list[str]:
        if nonempty and (value is MISSING or value is None):
            raise Bad(path, REQUIRED)  # a list that must not be empty is a required field
        if value is MISSING or (value is None and nullable):
            value = []
        if not isinstance(value, list):
            raise Bad(path, "ожидается список")
        if len(value) > limit:
            raise Bad(path, Message("допускается не больше %(n)s элемент(ов)", n=limit))
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise Bad(f"{path}.{i}", "ожидается строка")
            if item not in allowed:
                raise Bad(f"{path}.{i}", Message("недопустимое значение; допустимые: %(values)s", values=listed))
            if distinct and item in value[:i]:
                raise Bad(f"{path}.{i}", "значение повторяется")
        if nonempty and not value:
            raise Bad(path, Message("нужно не меньше %(n)s элемент(ов)", n=1))
        return value

    return Field(check, optional=not nonempty, default=(), load=_load_list,
                 shape=("codes", tuple(allowed_codes), nonempty, distinct, limit))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DATES: dict[str, date] = {}  # parsed ISO strings (a batch names the same days again and again)


def parse_date(value: Any, path: str, cal: WorkingCalendar) -> date:
    """An ISO `YYYY-MM-DD` date that exists and lies in the calendar's covered years."""
    day = _DATES.get(value) if isinstance(value, str) else None
    if day is None:
        _require(value, path)
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise Bad(path, "ожидается дата в формате ГГГГ-ММ-ДД")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise Bad(path, Message("такой даты не существует: %(value)s", value=value)) from None
        if len(_DATES) < 100_000:
            _DATES[value] = day
    if not cal.coverage_start <= day <= cal.coverage_end:
        raise Bad(path, out_of_calendar(value, cal.coverage_start, cal.coverage_end))
    return day


def stored_date(value: str) -> date:
    """An ISO date `parse_date` accepted when its step was recorded."""
    day = _DATES.get(value)
    if day is None:
        day = date.fromisoformat(value)
        if len(_DATES) < 100_000:
            _DATES[value] = day
    return day


def _load_date(value: Any, path: str, cal: WorkingCalendar) -> date | None:
    return None if value is MISSING or value is None else stored_date(value)


def a_date(*, optional: bool = False) -> Field:
    def check(value: Any, path: str, cal: WorkingCalendar) -> date | None:
        if optional and (value is MISSING or value is None):
            return None
        return parse_date(value, path, cal)

    return Field(check, optional=optional, load=_load_date, shape=("date", optional))


def integer(low: int, high: int | None = None, *, optional: bool = False) -> Field:
    """An integer (not a boolean, not a float) within [low, high]."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> int | None:
        if optional and (value is MISSING or value is None):
            return None
        _require(value, path)
        if not isinstance(value, int) or isinstance(value, bool):
            raise Bad(path, "ожидается целое число")
        if problem := int_problem(value):
            raise Bad(path, problem)
        if value < low:
            raise Bad(path, Message("значение должно быть не меньше %(n)s", n=low))
        if high is not None and value > high:
            raise Bad(path, Message("значение должно быть не больше %(n)s", n=high))
        return value

    bounded = high is not None and int_problem(low) is None and int_problem(high) is None
    return Field(check, optional=optional, load=_load_as_is, shape=("int", low, high, optional) if bounded else None)


def amount(*, optional: bool = False) -> Field:
    """A non-negative number (tenge)."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> float | int | None:
        if optional and (value is MISSING or value is None):
            return None
        _require(value, path)
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            raise Bad(path, "ожидается число")
        if value < 0 or value in (float("inf"),):
            raise Bad(path, Message("значение должно быть не меньше %(n)s", n=0) if value < 0
                      else "ожидается конечное число")
        if type(value) is int and (problem := int_problem(value)):
            raise Bad(path, problem)
        return value

    return Field(check, optional=optional, load=_load_as_is)


def text(*, nonempty: bool = True, max_length: int | None = 200) -> Field:
    """A string: non-empty (PROCEEDINGS.md «non-empty string»: any character counts) unless
    `nonempty=False`, at most `max_length` characters where the field has a bound, and storable."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> str:
        _require(value, path)
        if not isinstance(value, str):
            raise Bad(path, "ожидается строка")
        if nonempty and not value:
            raise Bad(path, "значение не может быть пустым")
        if max_length is not None and len(value) > max_length:
            raise Bad(path, Message("не длиннее %(n)s символов", n=max_length))
        if problem := text_problem(value):
            raise Bad(path, problem)
        return value

    return Field(check, load=_load_as_is, shape=("text", nonempty, max_length))


def step_ref() -> Field:
    """The index of an earlier step (which types it may name is checked by the kind)."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> int:
        _require(value, path)
        if not isinstance(value, int) or isinstance(value, bool):
            raise Bad(path, "ожидается номер шага (целое число)")
        return value

    return Field(check, load=_load_as_is, shape=("ref",))


def _position(value: Any, path: str) -> str:
    _require(value, path)
    if not isinstance(value, str):
        raise Bad(path, "ожидается строка")
    if value not in POSITIONS:
        raise Bad(path, Message("недопустимое значение; допустимые: %(values)s", values=_POSITIONS_LISTED))
    return value


@dataclass(frozen=True, slots=True)
class StepSigner:
    """A step's signer (RULES.md «Signer»): a person acting for a position has exactly its authority."""

    position: str
    acting_for: str | None = None
    participated: bool = False

    @property
    def effective(self) -> str:
        return self.acting_for or self.position

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"position": self.position}
        if self.acting_for:
            out["acting_for"] = self.acting_for
        return out


_SIGNER_KEYS = frozenset({"position", "acting_for", "participated"})


def signer(*, optional: bool = False) -> Field:
    """`{position, acting_for?, participated?}` (RULES.md «Signer»)."""

    def check(value: Any, path: str, cal: WorkingCalendar) -> StepSigner | None:
        if type(value) is dict and _SIGNER_KEYS.issuperset(value):
            position, acting, participated = value.get("position"), value.get("acting_for"), value.get("participated")
            if (type(position) is str and (acting is None or type(acting) is str)  # a list is no key
                    and (participated is None or participated is True or participated is False)):  # never 1 == True
                found = _VALID_SIGNERS.get((position, acting, participated))
                if found is not None:
                    return found
        if optional and (value is MISSING or value is None):
            return None
        _require(value, path)
        if not isinstance(value, dict):
            raise Bad(path, "ожидается объект {position, acting_for?}")
        position = _position(value.get("position", MISSING), f"{path}.position")
        acting = value.get("acting_for")
        if acting is not None:
            acting = _position(acting, f"{path}.acting_for")
        participated = value.get("participated")
        if participated is not None and participated is not True and participated is not False:
            raise Bad(f"{path}.participated", "ожидается логическое значение true или false")
        for key in value:  # unknown keys after the listed ones, as RULES.md's rules report them
            if key not in _SIGNER_KEYS:
                raise Bad(f"{path}.{key}", "неизвестное поле: правило его не принимает")
        found = StepSigner(position, acting, bool(participated))
        if len(_VALID_SIGNERS) < 10_000:
            _VALID_SIGNERS[(value.get("position"), value.get("acting_for"), value.get("participated"))] = found
        return found

    return Field(check, optional=optional, load=_load_signer, shape=("signer", optional))


#: Signers already checked, by their (position, acting_for, participated) as posted: a batch names the
#: same few again and again. Only values the checks accepted are keys (strings, None, booleans).
_VALID_SIGNERS: dict[tuple[Any, Any, Any], StepSigner] = {}


_SIGNERS: dict[tuple[Any, Any, Any], StepSigner] = {}  # the few signers a register names, made once


def _load_signer(value: Any, path: str, cal: WorkingCalendar) -> StepSigner | None:
    if value is MISSING or value is None:
        return None
    key = (value["position"], value.get("acting_for"), value.get("participated") is True)
    found = _SIGNERS.get(key)
    if found is None:
        found = StepSigner(*key)
        if len(_SIGNERS) < 10_000:
            _SIGNERS[key] = found
    return found


# ---------------------------------------------------------------------------- the short ways

#: The inline test of each short way: the value `v` that passes it is what the field's checker returns
#: for it (a date: the day `_DATES` already holds, within the calendar's covered years); any other value
#: goes to the checker, which parses it or names what is wrong.
_QUICK = {
    "code": "if type(v{i}) is not str or v{i} not in Q{i}[1]: v{i} = C{i}(v{i}, {name!r}, cal)",
    "flag": "if v{i} is not True and v{i} is not False: v{i} = C{i}(v{i}, {name!r}, cal)",
    "int": "if type(v{i}) is not int or not Q{i}[1] <= v{i} <= Q{i}[2]: v{i} = C{i}(v{i}, {name!r}, cal)",
    "ref": "if type(v{i}) is not int: v{i} = C{i}(v{i}, {name!r}, cal)",
    "date": ("d = DATES.get(v{i}) if type(v{i}) is str else None\n"
             "    v{i} = d if d is not None and cal.coverage_start <= d <= cal.coverage_end "
             "else C{i}(v{i}, {name!r}, cal)"),
}


def parser(fields: Mapping[str, Field]) -> Callable[[dict[str, Any], WorkingCalendar], dict[str, Any]]:
    """One function that checks a step's `fields` in their order — `{name: check(value)}`, the first
    `Bad` raised — as the checkers do one by one, with the common values (a code of the list, a
    boolean, a step number, a bounded integer, a known date) accepted inline without a call: a batch
    validates the same dozen step types a million times."""
    names = list(fields)
    namespace: dict[str, Any] = {"MISSING": MISSING, "DATES": _DATES}
    lines = ["def parse(item, cal):"]
    for i, name in enumerate(names):
        fld = fields[name]
        shape = fld.shape
        # a code's list as a set, for the inline test; an integer's bounds where they are (Q[1], Q[2])
        namespace[f"C{i}"], namespace[f"Q{i}"] = fld.check, (
            (shape[0], frozenset(shape[1])) if shape is not None and shape[0] == "code" else shape)
        lines.append(f"    v{i} = item.get({name!r}, MISSING)")
        short = _QUICK.get(shape[0]) if shape is not None else None
        lines.append("    " + (short or "v{i} = C{i}(v{i}, {name!r}, cal)").format(i=i, name=name))
    lines.append("    return {" + ", ".join(f"{name!r}: v{i}" for i, name in enumerate(names)) + "}")
    exec("\n".join(lines), namespace)  # noqa: S102  (source made above from the field names alone)
    parse: Callable[[dict[str, Any], WorkingCalendar], dict[str, Any]] = namespace["parse"]
    return parse
