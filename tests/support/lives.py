"""The demo's lives of every kind as posted steps (signers as objects, dates from 1 March 2022): valid
inputs for the tests that compare two ways of reading the same steps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nadzor.demo import (
    _ACT_LIVES,
    _ANALYSIS_LIVES,
    _CHECK_LIVES,
    _EVALUATION_LIVES,
    _act_life,
    _analysis_life,
    _check_life,
    _evaluation_life,
)

SIGNERS = {"H": {"position": "district_prosecutor"},
           "R": {"position": "regional_prosecutor", "acting_for": "prosecutor_general"},
           "G": {"position": "prosecutor_general"},
           "S": {"position": "prosecutor", "participated": True}}
FIRST = date(2022, 3, 1)


def day(n: int) -> str:
    return (FIRST + timedelta(days=n)).isoformat()


def posted(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: SIGNERS[v] if k in ("signer", "group_leader") and isinstance(v, str) else v for k, v in s.items()}
            for s in steps]


def posted_lives() -> list[tuple[str, list[dict[str, Any]]]]:
    """(kind, steps) for every demo life of every kind."""
    lives = [("check", _check_life(name, day)) for name, _ in _CHECK_LIVES]
    lives += [("act", _act_life(name, day, where == "R")) for name, _, where in _ACT_LIVES]
    lives += [("evaluation", _evaluation_life(name, day)) for name, _ in _EVALUATION_LIVES]
    lives += [("analysis", _analysis_life(name, day)) for name, _ in _ANALYSIS_LIVES]
    return [(kind, posted(steps)) for kind, steps in lives]
