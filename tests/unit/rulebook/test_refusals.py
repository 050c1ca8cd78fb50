"""RULES.md: bad input is never answered with a result; Python raises one validation error type
carrying `errors: [{field, message}]`."""

from __future__ import annotations

import pytest

from nadzor import rules


def test_the_error_carries_plain_field_message_dicts() -> None:
    with pytest.raises(rules.ValidationError) as refused:
        rules.evaluate("check.last_day", {"start": "2021-08-02", "extension_days": 31, "x": 1})
    errors = refused.value.errors
    assert [e["field"] for e in errors] == ["extension_days", "x"]
    assert all(set(e) == {"field", "message"} and e["message"] for e in errors)


def test_an_unknown_rule_is_the_same_error_type_naming_rule() -> None:
    with pytest.raises(rules.InvalidInput) as refused:
        rules.evaluate("check.no_such_rule", {})
    assert refused.value.errors == [{"field": "rule", "message": refused.value.errors[0]["message"]}]


@pytest.mark.parametrize("data", [None, [], "text", 5])
def test_an_input_that_is_not_an_object_is_refused(data: object) -> None:
    with pytest.raises(rules.InvalidInput) as refused:
        rules.evaluate("calendar.working_day", data)
    assert refused.value.errors[0]["field"] == "input"
