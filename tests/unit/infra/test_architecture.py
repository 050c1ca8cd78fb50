"""The domain stays pure: rules and the calendar import nothing from web, storage or files; only
the unit of work commits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nadzor.contexts import CONTEXTS

SRC = Path(__file__).resolve().parents[3] / "src" / "nadzor"
PURE = [d for d in (SRC / "rules", SRC / "domain", SRC / "proceedings") if d.is_dir()]
#: `zoneinfo` reads the IANA database of the `tzdata` package (the clock's Asia/Almaty); `msgspec`
#: decodes typed records from bytes given to it (issue 8's batch), as pydantic validates; no
#: `importlib`: a pure package receives what it needs (its calendar) instead of importing it by name.
ALLOWED_ROOTS = {
    "__future__", "collections", "dataclasses", "datetime", "functools", "itertools", "math", "operator",
    "re", "sys", "typing", "enum", "numpy", "pydantic", "msgspec", "nadzor", "hashlib", "hmac", "json",
    "zoneinfo",
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
def test_pure_module_imports_nothing_by_name_at_run_time(path: Path) -> None:
    """Issue 7: `nadzor.rules` found its calendar with `importlib.import_module("nadzor.bootstrap")`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "__import__" not in names | attributes, f"{path.name} calls __import__"
    assert "import_module" not in names | attributes, f"{path.name} imports a module by name"
    assert "importlib" not in {name.split(".")[0] for name in imports(path)}, f"{path.name} imports importlib"


def test_a_bare_import_of_the_rules_evaluates_without_importing_the_composition_root() -> None:
    """The package root registers a lazy provider: importing `nadzor.rules` imports no storage, web or
    bootstrap; the first evaluation asks the composition root for the calendar."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from nadzor.rules import evaluate\n"
        "before = sorted(m for m in sys.modules if m.startswith(('nadzor.bootstrap', 'nadzor.infra', "
        "'nadzor.web', 'nadzor.casework', 'nadzor.calendar', 'sqlalchemy', 'fastapi')))\n"
        "assert before == [], before\n"
        "print(evaluate('calendar.working_day', {'date': '2021-07-05'})['result']['working'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


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


#: Issue 7 §3: a unit of work (`Platform.transaction()`) commits or rolls back; handlers, commands
#: and services never do it themselves (a page showing a refused form again raises
#: `routing.ShowAgain`; a failed sign-in is kept by `accounts.signed_in`'s own unit of work).
NO_COMMIT_FILES = sorted(p for p in SRC.rglob("*.py") if "db" not in p.relative_to(SRC).parts[:2])


def transaction_calls(source: str) -> list[str]:
    """Every call of `commit`/`rollback` (as a method, a name or through getattr) in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("commit", "rollback"):
            found.append(f"{name}() at line {node.lineno}")
        if name == "getattr" and any(isinstance(a, ast.Constant) and a.value in ("commit", "rollback")
                                     for a in node.args):
            found.append(f"getattr(…) at line {node.lineno}")
    return found


@pytest.mark.parametrize("path", NO_COMMIT_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_handlers_commands_and_services_never_commit_or_roll_back(path: Path) -> None:
    assert transaction_calls(path.read_text(encoding="utf-8")) == []


def test_the_commit_check_sees_every_form_of_the_call() -> None:
    source = "session.commit()\nsession.rollback()\ncommit()\ngetattr(s, 'rollback')()\nsession.flush()\n"
    assert transaction_calls(source) == ["commit() at line 1", "rollback() at line 2", "commit() at line 3",
                                         "getattr(…) at line 4"]


#: Issue 7 §1: a package per context. Its storage and service modules (tables, service, details, …)
#: know nothing of HTTP, HTML or the command line; its adapters (`api*`, `pages*`, `cli*` and the
#: presentation helpers beside them) translate requests into those calls. `infra` (the database, the
#: unit of work, errors, the actor and its policy, files, documents) serves every context and imports
#: none of them; nothing imports the entry points or the composition root but the entry points.
ADAPTER_PREFIXES = ("api", "schemas", "pages", "cli", "view", "labels", "forms", "catalogue")
WEB = ("nadzor.web", "nadzor.entrypoints", "fastapi", "starlette", "jinja2", "typer", "uvicorn")
CONTEXT_FILES = sorted(p for c in CONTEXTS for p in (SRC / c).glob("*.py"))
SERVICE_FILES = [p for p in CONTEXT_FILES if not p.stem.startswith(ADAPTER_PREFIXES)]


def test_every_context_is_a_package_with_its_service_and_tables() -> None:
    for context in CONTEXTS:
        package = SRC / context
        assert (package / "__init__.py").is_file(), context
        assert any(package.glob("*.py")), context
    for context in ("org", "accounts", "calendar", "audit", "casework", "checks", "acts", "analyses"):
        assert (SRC / context / "tables.py").is_file(), context


@pytest.mark.parametrize("path", SERVICE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_a_contexts_services_and_tables_know_nothing_of_http_html_or_the_command_line(path: Path) -> None:
    for name in imports(path):
        assert not name.startswith(WEB), f"{path.relative_to(SRC)} imports {name}"
        assert not name.startswith("nadzor.bootstrap"), f"{path.relative_to(SRC)} imports {name}"


@pytest.mark.parametrize("path", sorted((SRC / "infra").rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_infra_serves_the_contexts_and_imports_none_of_them(path: Path) -> None:
    if "migrations" in path.parts:  # Alembic's environment takes the whole schema (nadzor.schema)
        return
    for name in imports(path):
        assert not name.startswith(tuple(f"nadzor.{c}" for c in CONTEXTS)), f"{path.relative_to(SRC)} imports {name}"
        assert not name.startswith(("nadzor.web", "nadzor.entrypoints", "nadzor.bootstrap", "nadzor.schema")), name


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_entry_points_import_the_entry_points(path: Path) -> None:
    """A context's command-line sub-app takes the CLI's shared helpers (`entrypoints.common`), as its
    pages take `nadzor.web`'s; nothing else imports an entry point."""
    if path.relative_to(SRC).parts[0] == "entrypoints":
        return
    for name in imports(path):
        if path.stem.startswith("cli") and name in ("nadzor.entrypoints", "nadzor.entrypoints.common"):
            continue
        assert not name.startswith("nadzor.entrypoints"), f"{path.relative_to(SRC)} imports {name}"


#: The web platform serves the contexts: its kits (routing, templating, forms, lists, schemas, the
#: api and pages kits) import none of them. The composition does — the app includes every router,
#: the start page summarises the user's office and the rules' sections — and `security.py` takes the
#: caller from the accounts.
WEB_COMPOSITION = {"app.py", "home.py", "security.py"}


@pytest.mark.parametrize("path", sorted(p for p in (SRC / "web").glob("*.py") if p.name not in WEB_COMPOSITION),
                         ids=lambda p: str(p.relative_to(SRC)))
def test_the_web_platform_imports_no_context(path: Path) -> None:
    for name in imports(path):
        assert not name.startswith(tuple(f"nadzor.{c}" for c in CONTEXTS)), f"{path.relative_to(SRC)} imports {name}"


def test_the_contexts_are_listed_once_and_all_of_them() -> None:
    """`nadzor.contexts.CONTEXTS` is the one list: every package with a service or tables is in it, and every
    context's tables are on the metadata Alembic compares (`schema.TABLE_MODULES`)."""
    from nadzor.schema import TABLE_MODULES

    packages = {p.parent.name for p in SRC.glob("*/*.py") if p.stem in ("service", "tables")}
    assert packages <= set(CONTEXTS)
    with_tables = {c for c in CONTEXTS if (SRC / c / "tables.py").is_file()}
    assert {m.__name__.split(".")[1] for m in TABLE_MODULES} == with_tables
