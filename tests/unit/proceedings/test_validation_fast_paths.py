"""The short ways of validation (issue 10: `replay --batch` ≥ 10,000 proceedings per second) answer
exactly as the checks: a value once accepted does not let a look-alike through."""

from __future__ import annotations

from typing import Any

import pytest

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
