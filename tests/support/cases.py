"""Loads the legal test cases kept as data in tests/cases (see its README)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
#: Results compared only on these keys (RULES.md: calendar.working_day's `name` is free text).
COMPARED_KEYS = {"calendar.working_day": ("working",)}


@dataclass(frozen=True)
class Case:
    file: str
    rule: str
    name: str
    input: Any
    result: dict[str, Any] | None
    error: str | None

    @property
    def id(self) -> str:
        return f"{self.rule}: {self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in doc["cases"]:
            rule = raw.get("rule", doc.get("rule"))
            cases.append(Case(
                file=str(path.relative_to(CASES_DIR)),
                rule=rule,
                name=raw["name"],
                input=raw.get("input"),
                result=raw.get("result"),
                error=raw.get("error"),
            ))
    return cases


def comparable(rule: str, result: dict[str, Any]) -> dict[str, Any]:
    keys = COMPARED_KEYS.get(rule)
    return {k: result[k] for k in keys} if keys else result
