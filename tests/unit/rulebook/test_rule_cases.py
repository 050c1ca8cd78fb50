"""Every legal case of tests/cases, evaluated in Python (each case names its paragraph)."""

from __future__ import annotations

import json

import pytest

from nadzor import rules
from tests.support.cases import Case, comparable, load_cases

CASES = load_cases()


def test_there_are_cases_for_every_rule() -> None:
    covered = {c.rule for c in CASES if c.result is not None}
    assert sorted(set(rules.REGISTRY) - covered) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(case: Case) -> None:
    if case.error is not None:
        with pytest.raises(rules.InvalidInput) as refused:
            rules.evaluate(case.rule, case.input)
        fields = [e.field for e in refused.value.errors]
        assert case.error in fields, f"expected an error naming {case.error!r}, got {refused.value.as_dicts()}"
        return
    output = rules.evaluate(case.rule, case.input)
    result = json.loads(json.dumps(output["result"]))
    assert comparable(case.rule, result) == case.result
    assert output["rule"] == case.rule
    assert output["citations"] == list(rules.REGISTRY[case.rule].citations)
    assert output["explanation"]
