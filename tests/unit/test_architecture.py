"""The domain stays pure: rules and the calendar import nothing from web, storage or files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "nadzor"
PURE = [SRC / "rules", SRC / "domain", SRC / "proceedings"]
ALLOWED_ROOTS = {
    "__future__", "collections", "dataclasses", "datetime", "functools", "importlib", "itertools", "math",
    "re", "sys", "typing", "enum", "numpy", "pydantic", "nadzor", "hashlib", "json",
}
ALLOWED_NADZOR = ("nadzor.rules", "nadzor.domain", "nadzor.proceedings")


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


PURE_FILES = sorted(p for d in PURE for p in d.rglob("*.py"))


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_pure_module_imports_nothing_from_web_storage_or_files(path: Path) -> None:
    for name in imports(path):
        root = name.split(".")[0]
        assert root in ALLOWED_ROOTS, f"{path.name} imports {name}"
        if root == "nadzor":
            assert name.startswith(ALLOWED_NADZOR), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_pure_module_opens_no_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert "open" not in calls


def test_every_rule_cites_its_paragraph_in_metadata_and_docstring() -> None:
    from nadzor import rules

    for rule in rules.REGISTRY.values():
        if rule.id.startswith("calendar."):
            continue
        assert rule.citations, rule.id
        assert any(c in rule.doc for c in rule.citations), rule.id
