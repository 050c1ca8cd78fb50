"""The regulation as executable decisions (RULES.md): one registry, one `evaluate`.

The package mirrors the regulation: `instruction/` holds the Instruction's chapters, `analysis/`
the Rules of analysis and evaluation; `calendar_rules` the working calendar. Rules are pure: the
working calendar is passed in, or given by the provider installed with `set_calendar_provider`
(the package root `nadzor` installs a lazy one that asks the composition root for the calendar
without storage; the platform's calendar is passed in by its callers). This package imports nothing to find it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from nadzor.domain.calendar import CalendarRangeError, WorkingCalendar
from nadzor.rules import calendar_rules as _calendar_rules  # noqa: F401  (registers rules)
from nadzor.rules.analysis import analysis as _analysis  # noqa: F401
from nadzor.rules.analysis import evaluation as _evaluation  # noqa: F401
from nadzor.rules.base import REGISTRY, FieldError, InvalidInput, Rule, UnknownRule, field_errors
from nadzor.rules.instruction import acts as _acts  # noqa: F401
from nadzor.rules.instruction import checks as _checks  # noqa: F401
from nadzor.rules.instruction import courts as _courts  # noqa: F401
from nadzor.rules.instruction import enforcement as _enforcement  # noqa: F401
from nadzor.rules.limits import ORDER_102

ValidationError = InvalidInput  # the name RULES.md's readers may look for

__all__ = [
    "REGISTRY",
    "InvalidInput",
    "Rule",
    "UnknownRule",
    "ValidationError",
    "calendar_coverage",
    "current_calendar",
    "describe",
    "evaluate",
    "get_rule",
    "list_rules",
    "set_calendar_provider",
]

_provider: Callable[[], WorkingCalendar] | None = None


def set_calendar_provider(provider: Callable[[], WorkingCalendar]) -> None:
    """Install the function that gives the calendar `evaluate` uses when none is passed."""
    global _provider
    _provider = provider


def current_calendar() -> WorkingCalendar:
    if _provider is None:
        raise RuntimeError("no working calendar installed: call nadzor.rules.set_calendar_provider")
    return _provider()


def get_rule(rule_id: str) -> Rule:
    found = REGISTRY.get(rule_id) if isinstance(rule_id, str) else None
    if found is None:
        raise UnknownRule(str(rule_id))
    return found


def evaluate(rule_id: str, input: Any, *, calendar: WorkingCalendar | None = None) -> dict[str, Any]:
    """Evaluate a rule on a JSON-like input: `{"rule", "result", "citations", "explanation",
    "edition"}` — `edition` names the edition applied and whether it was in force on every date
    and moment of the input (`{name, valid_from, valid_to, in_force}`). Bad input raises
    `InvalidInput` (its `errors` list `{field, message}`); never a result."""
    found = get_rule(rule_id)
    cal = calendar if calendar is not None else current_calendar()
    if not isinstance(input, dict):
        raise InvalidInput.one("input", "ожидается объект JSON с полями правила")
    try:
        data = found.input_model.model_validate(input, context={"calendar": cal})
        decision = found.func(data, cal)
    except PydanticValidationError as exc:
        raise InvalidInput(field_errors(exc)) from None
    except CalendarRangeError as exc:
        raise InvalidInput([FieldError("input", str(exc))]) from None
    return {
        "rule": found.id,
        "result": decision.result,
        "citations": list(found.citations),
        "explanation": decision.explanation,
        "edition": ORDER_102.applied(input_dates(data)),
    }


def input_dates(value: Any) -> Iterator[date]:
    """Every date of a validated input, nested models and lists included; a moment counts by
    its own local date (the offset it was given with)."""
    if isinstance(value, datetime):
        yield value.date()
    elif isinstance(value, date):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from input_dates(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from input_dates(item)


def calendar_coverage(cal: WorkingCalendar | None = None) -> dict[str, str]:
    """The days inputs may name: `{"from", "to"}` (2018 through the year after the current one)."""
    cal = cal if cal is not None else current_calendar()
    return {"from": cal.coverage_start.isoformat(), "to": cal.coverage_end.isoformat()}


def describe(found: Rule, coverage: dict[str, str] | None = None) -> dict[str, Any]:
    """The catalogue entry of a rule: id, Russian title, citations, validity, the calendar's
    coverage, schemas."""
    return {
        "id": found.id,
        "title": found.title,
        "citations": list(found.citations),
        "convention": found.convention,
        "valid_from": ORDER_102.valid_from.isoformat(),
        "valid_to": ORDER_102.valid_to.isoformat() if ORDER_102.valid_to else None,
        "edition": ORDER_102.name,
        "calendar_coverage": coverage if coverage is not None else calendar_coverage(),
        "description": found.doc,
        "input_schema": found.input_schema(),
        "output_schema": found.output_schema(),
    }


def list_rules() -> list[dict[str, Any]]:
    coverage = calendar_coverage()
    return [describe(r, coverage) for r in REGISTRY.values()]
