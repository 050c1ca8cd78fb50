"""`stored_steps` builds from stored steps exactly the `Step`s `validate` makes of them (issue 10:
a calendar change re-replays stored proceedings without validating their steps again)."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor.proceedings import KINDS
from nadzor.proceedings.kernel import stored_steps, validate
from nadzor.rules import current_calendar
from tests.support.lives import posted_lives


@pytest.mark.parametrize(("kind", "steps"), posted_lives())
def test_issue_10_stored_steps_equal_validated_steps(kind: str, steps: list[dict[str, Any]]) -> None:
    cal = current_calendar()
    _, validated = validate(KINDS[kind], {"office_level": "district", "steps": steps}, cal)
    built = stored_steps(KINDS[kind], steps, cal)
    assert [(s.index, s.type, s.date, s.f) for s in built] == [(s.index, s.type, s.date, s.f) for s in validated]


def test_issue_10_stored_steps_fill_omitted_and_null_fields_as_validation_does() -> None:
    """Omitted booleans, lists, optional codes and dates, nulls where allowed, a signer's flags."""
    cal = current_calendar()
    steps = [{"type": "opened", "date": "2022-03-01", "subject_kind": "state_body", "basis": "protect_rights",
              "protected_interest": None, "control_body_failed": None, "regime": None},
             {"type": "resolution_signed", "date": "2022-03-01",
              "signer": {"position": "district_prosecutor", "acting_for": None, "participated": False},
              "start_date": "2022-03-02", "end_date": "2022-03-20"}]
    _, validated = validate(KINDS["check"], {"office_level": "district", "steps": steps}, cal)
    built = stored_steps(KINDS["check"], steps, cal)
    assert [s.f for s in built] == [s.f for s in validated]
    assert built[0].f["protected_interest"] == [] and built[0].f["exceptions"] == []
    assert built[0].f["regime"] is None and built[0].f["control_body_failed"] is False
