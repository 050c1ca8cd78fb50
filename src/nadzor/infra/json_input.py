"""JSON from outside (request bodies, uploaded files, form fields) read with the bounds storage
and the rules rely on: nesting at most MAX_DEPTH levels (a deeper document is refused instead of
exhausting the interpreter's recursion), integers within signed 64 bits (what both databases
store), text without NUL characters or unpaired UTF-16 surrogates (neither can be stored or sent
back as UTF-8), no NaN or Infinity. A refusal is `InvalidInput` naming the field's dotted path."""

from __future__ import annotations

import json
from typing import Any

from nadzor.infra.errors import FieldError, InvalidInput, Message
from nadzor.rules.bounds import int_problem, text_problem

MAX_DEPTH = 32


def printable(text: str) -> str:
    """A text safe to send back in an error (unpaired surrogates written as escapes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _join(path: str, key: str | int) -> str:
    part = printable(str(key))
    return part if path == "input" else f"{path}.{part}"


def _too_deep() -> Message:
    return Message("слишком глубокая вложенность (не более %(n)s уровней)", n=MAX_DEPTH)


def check(value: Any, root: str = "input") -> None:
    """Refuse nesting deeper than MAX_DEPTH, out-of-range integers and unstorable text anywhere
    in `value` (keys included); the first problem found is reported with its path."""
    stack: list[tuple[Any, str, int]] = [(value, root, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise InvalidInput.one(path, _too_deep())
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = []
            for key, child in pairs:
                if isinstance(key, str) and (problem := text_problem(key)):
                    raise InvalidInput.one(_join(path, key), Message("имя поля: %(problem)s", problem=problem))
                children.append((child, _join(path, key), depth + 1))
            stack.extend(reversed(children))
        elif isinstance(item, str):
            if problem := text_problem(item):
                raise InvalidInput.one(path, problem)
        elif isinstance(item, int) and not isinstance(item, bool) and (problem := int_problem(item)):
            raise InvalidInput.one(path, problem)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} не является числом JSON")


def loads(raw: bytes | str, root: str = "input") -> Any:
    """Parse and `check` a JSON document; malformed or unacceptable input is `InvalidInput`."""
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise InvalidInput([FieldError(root, _too_deep())]) from None
    except ValueError as exc:  # undecodable bytes, bad JSON, numbers too long to convert, NaN
        raise InvalidInput([FieldError(root, Message("некорректный JSON: %(error)s", error=printable(str(exc))))]) \
            from None
    check(value, root)
    return value
