"""The short ways of validation (issue 10: `replay --batch` ≥ 10,000 proceedings per second) answer
exactly as the checks: a value once accepted does not let a look-alike through."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nadzor.proceedings.fields import MISSING, Bad, code, signer
from nadzor.rules import current_calendar


def test_issue_10_signer_accepted_once_does_not_accept_participated_one() -> None:
    cal = current_calendar()
    check = signer().check
    assert check({"position": "prosecutor", "participated": True}, "signer", cal).participated is True
    assert check({"position": "prosecutor", "participated": False}, "signer", cal).participated is False
    for bad in (1, 0, "true"):
        with pytest.raises(Bad) as caught:
            check({"position": "prosecutor", "participated": bad}, "signer", cal)
        assert caught.value.error.field == "signer.participated"


@pytest.mark.parametrize("value", [{"position": "prosecutor", "extra": 1}, {"position": "nobody"},
                                   {"position": "prosecutor", "acting_for": "nobody"}, ["prosecutor"]])
def test_issue_10_signer_after_a_cached_one_still_checked(value: Any) -> None:
    cal = current_calendar()
    check = signer().check
    check({"position": "prosecutor"}, "signer", cal)
    with pytest.raises(Bad):
        check(value, "signer", cal)


def test_issue_10_code_short_way_keeps_the_checks() -> None:
    cal = current_calendar()
    check = code(("a", "b"), optional=True).check
    assert check("a", "f", cal) == "a"
    assert check(MISSING, "f", cal) is None and check(None, "f", cal) is None
    with pytest.raises(Bad):
        check("c", "f", cal)
    with pytest.raises(Bad):
        check(["a"], "f", cal)


def _one_by_one(fields: Any, item: dict[str, Any], cal: Any) -> dict[str, Any]:
    return {name: fld.check(item.get(name, MISSING), name, cal) for name, fld in fields.items()}


_POOL: list[Any] = [None, True, False, 0, 1, -1, 5, 30, 31, 2**63, 1.5, "", " ", "x", "2021-08-02", "2017-12-31",
                    "2031-01-01", "2021-02-30", "21-08-02", [], ["subject"], ["subject", "subject"], {},
                    {"position": "prosecutor"}, {"position": ["x"]}, "district_prosecutor", "state_body",
                    "protect_rights", "expertise", "regional_prosecutor", "legal_statistics_body", "act", "protest"]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_issue_8_a_step_types_parser_answers_as_its_checkers_one_by_one(data: st.DataObject) -> None:
    """`fields.parser` writes the short ways inline: for any values, the same parsed fields, or the
    same first error, as the checkers called one by one in the fields' order."""
    from nadzor.proceedings.fields import parser
    from nadzor.proceedings.kernel import KINDS

    cal = current_calendar()
    kind = data.draw(st.sampled_from(sorted(KINDS)))
    spec = KINDS[kind].steps[data.draw(st.sampled_from(sorted(KINDS[kind].steps)))]
    item = {name: data.draw(st.sampled_from(_POOL)) for name in spec.fields
            if data.draw(st.booleans())}
    try:
        expected: Any = _one_by_one(spec.fields, item, cal)
    except Bad as exc:
        expected = exc.error
    try:
        got: Any = parser(spec.fields)(item, cal)
    except Bad as exc:
        got = exc.error
    assert got == expected
