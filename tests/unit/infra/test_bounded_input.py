"""Findings 3 and 7 of issue 6 in the pure layers: the overlap check is one sweep, rule lists are
bounded by their schema, an error list names each error once and stops at MAX_ERRORS, and JSON
from outside is refused (not crashed on) when it is too deep, holds integers beyond 64 bits or
text that cannot be stored."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest

from nadzor import rules
from nadzor.infra import json_input
from nadzor.rules.base import MAX_ERRORS, MAX_ITEMS, FieldError, InvalidInput
from nadzor.rules.instruction.checks import Suspension, check_suspensions

START = date(2021, 8, 2)


def _suspension(first: date, last: date | None) -> Suspension:
    return Suspension.model_validate({"from": first.isoformat(), "to": last.isoformat() if last else None})


def _errors(start: date, items: list[Suspension]) -> list[dict[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        check_suspensions(start, items)
    return caught.value.as_dicts()


def test_finding_3_overlap_reports_the_later_starting_suspension_naming_the_other() -> None:
    later = _suspension(date(2021, 8, 10), date(2021, 8, 12))
    earlier = _suspension(date(2021, 8, 3), date(2021, 8, 11))
    assert _errors(START, [later, earlier]) == [
        {"field": "suspensions.0.from", "message": "приостановление пересекается с приостановлением 1"}]


def test_finding_3_touching_suspensions_do_not_overlap_and_an_open_last_one_covers_the_rest() -> None:
    a = _suspension(date(2021, 8, 3), date(2021, 8, 5))
    b = _suspension(date(2021, 8, 5), date(2021, 8, 7))
    check_suspensions(START, [a, b])
    open_first = _suspension(date(2021, 8, 3), None)
    assert _errors(START, [_suspension(date(2021, 8, 9), date(2021, 8, 10)), open_first]) == [
        {"field": "suspensions.0.from", "message": "приостановление пересекается с приостановлением 1"}]


def test_finding_3_overlap_check_is_a_sweep_not_a_check_of_every_pair() -> None:
    """100,000 disjoint suspensions in reverse order (the old check compared every pair: minutes)."""
    items = [_suspension(START + timedelta(days=2 * i + 1), START + timedelta(days=2 * i + 2))
             for i in reversed(range(100_000))]
    started = time.perf_counter()
    check_suspensions(START, items)
    assert time.perf_counter() - started < 2.0


def test_finding_3_every_overlap_found_in_input_order() -> None:
    same = [_suspension(date(2021, 8, 3), date(2021, 8, 4)) for _ in range(3)]
    assert [e["field"] for e in _errors(START, same)] == ["suspensions.1.from", "suspensions.2.from"]


def test_finding_3_suspension_lists_are_bounded_by_the_schema() -> None:
    items = [{"from": "2021-08-03", "to": "2021-08-04"}] * (MAX_ITEMS + 1)
    with pytest.raises(InvalidInput) as caught:
        rules.evaluate("check.last_day", {"start": "2021-08-02", "suspensions": items})
    assert caught.value.as_dicts() == [
        {"field": "suspensions", "message": f"допускается не больше {MAX_ITEMS} элемент(ов)"}]
    schema = rules.get_rule("check.last_day").input_schema()
    assert schema["properties"]["suspensions"]["maxItems"] == MAX_ITEMS


def _lists(schema: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if schema.get("type") == "array":
        found.append((path, schema))
    for key, value in schema.items():
        if isinstance(value, dict):
            found += _lists(value, f"{path}.{key}")
        elif isinstance(value, list):
            found += [x for i, v in enumerate(value) if isinstance(v, dict) for x in _lists(v, f"{path}.{key}.{i}")]
    return found


@pytest.mark.parametrize("rule_id", sorted(rules.REGISTRY))
def test_finding_3_every_list_in_every_rule_input_is_bounded(rule_id: str) -> None:
    for path, schema in _lists(rules.get_rule(rule_id).input_schema()):
        assert schema.get("maxItems", MAX_ITEMS + 1) <= MAX_ITEMS, f"{rule_id}{path}"


def test_finding_3_an_error_list_names_each_error_once_and_stops_at_the_cap() -> None:
    errors = [FieldError(f"suspensions.{i}.from", "плохо") for i in range(MAX_ERRORS + 30)]
    caught = InvalidInput(errors + errors)
    assert len(caught.errors) == MAX_ERRORS and caught.omitted == 30
    assert len({(e.field, e.message) for e in caught.errors}) == MAX_ERRORS
    assert caught.errors[0].field == "suspensions.0.from"
    assert str(caught).endswith("… и ещё 30")


def test_finding_3_many_bad_suspensions_answer_a_bounded_error_list() -> None:
    items = [{"from": "2021-08-01", "to": "2021-08-04"}] * MAX_ITEMS
    with pytest.raises(InvalidInput) as caught:
        rules.evaluate("check.last_day", {"start": "2021-08-02", "suspensions": items})
    assert len(caught.value.errors) == MAX_ERRORS and caught.value.omitted == MAX_ITEMS - MAX_ERRORS


# ---------------------------------------------------------------------------- finding 7: JSON


@pytest.mark.parametrize("raw", ["[" * 100_000, "{\"a\":" * 100_000, "[" * 33 + "]" * 33])
def test_finding_7_deep_json_is_refused_not_a_recursion_error(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        json_input.loads(raw)
    assert caught.value.errors[0].message.startswith("слишком глубокая вложенность")


def test_finding_7_json_nested_to_the_limit_is_accepted() -> None:
    depth = json_input.MAX_DEPTH
    assert json_input.loads("[" * depth + "]" * depth) is not None


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"office_id": 9223372036854775808}', "office_id"),
        ('{"a": [1, -9223372036854775809]}', "a.1"),
        ('{"full_name": "a\\u0000b"}', "full_name"),
        ('{"login": "\\ud800"}', "login"),
        ('{"x": {"y": ["ok", "\\udfff"]}}', "x.y.1"),
        ('{"a\\u0000": 1}', "a\x00"),
        ('{"\\ud800": 1}', "\\ud800"),
    ],
)
def test_finding_7_unstorable_values_are_refused_naming_the_field(raw: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        json_input.loads(raw)
    assert caught.value.errors[0].field == field
    caught.value.errors[0].field.encode("utf-8")  # an answer can always be encoded


def test_finding_7_the_largest_64_bit_integers_are_accepted() -> None:
    assert json_input.loads("[9223372036854775807, -9223372036854775808]") == [2**63 - 1, -(2**63)]


@pytest.mark.parametrize("raw", ["NaN", "[Infinity]", '{"a": -Infinity}'])
def test_finding_7_nan_and_infinity_are_not_json_numbers(raw: str) -> None:
    with pytest.raises(InvalidInput):
        json_input.loads(raw)
