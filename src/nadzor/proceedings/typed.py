"""The typed short way of `replay --batch` (issue 8): a batch line read and checked by one typed decoder.

`msgspec` decodes a line `{"kind", "input"}` straight into typed records — one per step type of every
kind, made here from the kinds' own fields (`Field.shape`) — and so checks in one pass, in C, what the
field checkers of `fields` check one by one: the keys, the codes of their lists, the booleans, the
bounded integers and the dates. What it cannot say (a date within the calendar's covered years, the
order of the steps, the kinds' cross-checks, the fields without a shape) is checked here after it, by
the same checkers and cross-checks `validate` calls.

The short way only ever takes a line `validate` accepts, with the same steps: a line it does not take
whole — any input error, anything unusual — is answered `None`, and the caller reads that line the
long way (`kernel.validate`), which alone decides what is wrong and says it. So the answers, and every
error message, are those of `replay`; `tests/unit/proceedings/test_typed.py` compares the two ways.

Pure like the kernel: it imports the kinds' definitions and the calendar it is given, nothing else.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

import msgspec

from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings.fields import MISSING, Bad, Field, StepSigner
from nadzor.proceedings.kernel import KINDS, MAX_STEPS, OFFICE_LEVELS, Kind, Step, Unchecked
from nadzor.rules.base import Position
from nadzor.rules.bounds import text_problem

#: What a line's state is made from: the kind, its office level and its validated steps.
Read = tuple[Kind, str, list[Step]]


class _Aside(Exception):
    """The short way does not take this line: the long way reads it."""


_ASIDE = _Aside()


class _Signer(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A signer as posted (RULES.md «Signer»); `participated: null`, which `signer()` reads as false, is
    left to the long way."""

    position: Position
    acting_for: Position | None = None
    participated: bool = False


_SIGNERS: dict[_Signer, StepSigner] = {}


def _signer(value: _Signer) -> StepSigner:
    found = _SIGNERS.get(value)
    if found is None:
        found = StepSigner(value.position, value.acting_for, value.participated)
        if len(_SIGNERS) < 10_000:
            _SIGNERS[value] = found
    return found


def _annotation(fld: Field) -> tuple[Any, Any]:
    """The field's type for the decoder and its default (`msgspec.NODEFAULT`: required). A field
    without a shape is decoded as any JSON value (absent: MISSING) and given to its checker."""
    shape = fld.shape
    if shape is None:
        return Any, MISSING
    what = shape[0]
    if what == "flag":  # null, read as false by a nullable flag, goes the long way
        return bool, False
    if what == "code":
        _, values, optional = shape
        listed = Literal[values]  # type: ignore[valid-type]
        return (listed | None, None) if optional else (listed, msgspec.NODEFAULT)
    if what == "codes":
        _, values, nonempty, _distinct, limit = shape
        typed = Annotated[list[Literal[values]], msgspec.Meta(min_length=1 if nonempty else 0,  # type: ignore[valid-type]
                                                               max_length=limit)]
        return typed, msgspec.NODEFAULT if nonempty else msgspec.field(default_factory=list)
    if what == "date":
        return (date | None, None) if shape[1] else (date, msgspec.NODEFAULT)
    if what == "int":
        _, low, high, optional = shape
        bounded = Annotated[int, msgspec.Meta(ge=low, le=high)]
        return (bounded | None, None) if optional else (bounded, msgspec.NODEFAULT)
    if what == "ref":
        return int, msgspec.NODEFAULT
    if what == "text":  # a NUL, which the decoder reads, is left to the check after it
        _, nonempty, longest = shape
        return Annotated[str, msgspec.Meta(min_length=1 if nonempty else 0, max_length=longest)], msgspec.NODEFAULT
    if what == "signer":
        return (_Signer | None, None) if shape[1] else (_Signer, msgspec.NODEFAULT)
    raise ValueError(f"unknown field shape {what!r}")


#: The check written inline after the decoder for each shape: `v` is the decoded value; a value that
#: fails it sends the line the long way.
_AFTER = {
    "date": "if not start <= v{i} <= end: raise ASIDE",
    "date?": "if v{i} is not None and not start <= v{i} <= end: raise ASIDE",
    "codes+distinct": "if len(set(v{i})) != len(v{i}): raise ASIDE",
    "text": "if TEXT_PROBLEM(v{i}) is not None: raise ASIDE",
    "signer": "v{i} = SIGNERS.get(v{i}) or SIGNER(v{i})",
    "signer?": "if v{i} is not None: v{i} = SIGNERS.get(v{i}) or SIGNER(v{i})",
    # A float goes the long way: the standard reader's float is the one `replay` answers with (an integer
    # the decoder reads exactly, whatever its length).
    "any": "if type(v{i}) is float: raise ASIDE\nv{i} = {check}(v{i}, {name!r}, cal)",
}


def _after(fld: Field) -> str | None:
    shape = fld.shape
    if shape is None:
        return "any"
    what = shape[0]
    if what == "date":
        return "date?" if shape[1] else "date"
    if what == "codes":
        return "codes+distinct" if shape[3] else None
    if what == "signer":
        return "signer?" if shape[1] else "signer"
    if what == "text":
        return "text"
    return None


def _reader(kind: Kind, records: Mapping[str, type]) -> Callable[[Any, WorkingCalendar, str], list[Step]]:
    """One function that takes a kind's decoded steps to the `Step`s `validate` makes of them — the same
    dates and fields, in the same order, each step cross-checked as `validate` does — or raises `_Aside`:
    one block per step type, chosen by the decoded record's type (a batch reads a million steps)."""
    namespace: dict[str, Any] = {"ASIDE": _ASIDE, "SIGNER": _signer, "SIGNERS": _SIGNERS, "STEP": Step,
                                 "TEXT_PROBLEM": text_problem, "DATE_MIN": date.min}
    lines = ["def read(decoded, cal, office_level):",
             "    start, end = cal.coverage_start, cal.coverage_end",
             "    steps = []",
             "    last = DATE_MIN",
             "    for i, s in enumerate(decoded):",
             "        t = type(s)"]
    for k, (name, spec) in enumerate(kind.steps.items()):
        namespace[f"R{k}"], namespace[f"N{k}"], namespace[f"X{k}"] = records[name], name, spec.cross_check
        lines.append(f"        {'if' if k == 0 else 'elif'} t is R{k}:")
        body = ["if i: raise ASIDE" if name == kind.first else "if not i: raise ASIDE",
                "day = s.date", "if day < last or not start <= day <= end: raise ASIDE"]
        for i, (fname, fld) in enumerate(spec.fields.items()):
            namespace[f"C{k}_{i}"] = fld.check
            body.append(f"v{i} = s.{fname}")
            after = _after(fld)
            if after is not None:
                body += _AFTER[after].format(i=i, name=fname, check=f"C{k}_{i}").split("\n")
        body.append(f"step = STEP(i, N{k}, day, {{" + ", ".join(f"{fname!r}: v{i}" for i, fname in
                                                                 enumerate(spec.fields)) + "})")
        if spec.cross_check is not None:
            body.append(f"X{k}(step, steps, office_level)")
        lines += ["            " + line for line in body]
    lines += ["        else:", "            raise ASIDE",  # a record of another kind: never decoded here
              "        last = day", "        steps.append(step)", "    return steps"]
    exec("\n".join(lines), namespace)  # noqa: S102  (source made above from the kind's names alone)
    read: Callable[[Any, WorkingCalendar, str], list[Step]] = namespace["read"]
    return read


def _one_of(types: list[type]) -> Any:
    """The union of `types` (records told apart by their tag)."""
    return functools.reduce(operator.or_, types)


class _Decoder:
    """The decoder of lines of every kind registered, and how each decoded step becomes a `Step`."""

    def __init__(self, kinds: Mapping[str, Kind]) -> None:
        self.kinds = dict(kinds)
        #: A decoded line's record type -> its kind and the kind's reader of decoded steps.
        self.kind_of: dict[type, tuple[Kind, Callable[[Any, WorkingCalendar, str], list[Step]]]] = {}
        lines = []
        for kind in self.kinds.values():
            records: dict[str, type] = {}
            for name, spec in kind.steps.items():
                if "type" in spec.fields or "date" in spec.fields:
                    raise ValueError(f"{kind.name}.{name}: a field may not be named type or date")
                fields: list[Any] = [("date", date)]
                for fname, fld in spec.fields.items():
                    typed, default = _annotation(fld)
                    fields.append((fname, typed) if default is msgspec.NODEFAULT else (fname, typed, default))
                records[name] = msgspec.defstruct(f"{kind.name}_{name}", fields, tag_field="type", tag=name,
                                                  forbid_unknown_fields=True, kw_only=True, gc=False)
            steps: Any = Annotated[list[_one_of(list(records.values()))],  # type: ignore[misc]
                                   msgspec.Meta(max_length=MAX_STEPS)]
            given = msgspec.defstruct(f"{kind.name}_input", [
                ("office_level", Literal[OFFICE_LEVELS]),
                ("steps", steps, msgspec.field(default_factory=list))], forbid_unknown_fields=True, kw_only=True,
                gc=False)
            line = msgspec.defstruct(f"{kind.name}_line", [("input", given)], tag_field="kind", tag=kind.name,
                                     forbid_unknown_fields=True, kw_only=True, gc=False)
            lines.append(line)
            self.kind_of[line] = (kind, _reader(kind, records))
        self.decode = msgspec.json.Decoder(_one_of(lines)).decode

    def read(self, raw: bytes, cal: WorkingCalendar) -> Read | None:
        """The kind, office level and steps of a batch line that `validate` accepts whole; None for any
        other line (the long way reads it)."""
        try:
            line = self.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            return None
        kind, reader = self.kind_of[type(line)]
        given = line.input
        try:
            return kind, given.office_level, reader(given.steps, cal, given.office_level)
        except (_Aside, Bad, Unchecked):
            return None


_DECODERS: dict[tuple[int, ...], _Decoder] = {}


def decoder() -> _Decoder:
    """The decoder of the kinds registered now (made once: a batch reads a million lines with it)."""
    key = tuple(id(kind) for kind in KINDS.values())
    found = _DECODERS.get(key)
    if found is None or any(kept is not kind  # the same objects, not an id reused by a new one
                            for kept, kind in zip(found.kinds.values(), KINDS.values(), strict=True)):
        found = _DECODERS[key] = _Decoder(KINDS)
    return found
