"""Property-based API test (issue 6, «What proves it»): schemathesis generates requests — valid
and invalid by the schema — for every operation of the OpenAPI description and sends them to the
in-process app (SQLite demo data, the administrator's bearer token); no answer may be a server
error. Bounded: a few examples per operation, the whole run well under a minute."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlalchemy import create_engine

from nadzor.bootstrap import Platform, create_platform
from nadzor.web.app import create_app
from tests.conftest import Templates, _settings
from tests.support.web import _flatten, bearer, client_for

#: Examples per operation (about 110 operations).
EXAMPLES = 10


def _operations() -> list[tuple[str, str]]:
    """Every operation of the OpenAPI description (read without a database: the description does
    not depend on the data)."""
    settings_ = _settings("sqlite://", Path("/nonexistent"))
    spec: dict[str, Any] = create_app(Platform(settings_, create_engine("sqlite://"))).openapi()
    return sorted((method.upper(), path) for path, ops in spec["paths"].items() for method in ops)


OPERATIONS = _operations()


def _reads_a_body(dependant: Any) -> bool:
    from nadzor.casework.api_attachments import upload_form
    from nadzor.web.routing import json_body, raw_body

    return dependant.call in (json_body, raw_body, upload_form) or any(
        _reads_a_body(d) for d in dependant.dependencies)


def _refs_a_model(node: Any) -> bool:
    """The schema names a model of `components` (a bare `object` is no documentation)."""
    if isinstance(node, dict):
        return "$ref" in node or any(_refs_a_model(v) for v in node.values())
    return isinstance(node, list) and any(_refs_a_model(v) for v in node)


def _untyped(app: Any, spec: dict[str, Any]) -> list[str]:
    """The API operations whose success answer names no model (a file excepted: DOCX, PDF, an attachment,
    CSV), or that read a body they do not document."""
    from fastapi.routing import APIRoute

    found = []
    for route in _flatten(app.routes):
        if not isinstance(route, APIRoute) or not route.path.startswith("/api/v1/"):
            continue
        for method in route.methods:
            operation = spec["paths"][route.path][method.lower()]
            for code, answer in operation["responses"].items():
                content = answer.get("content", {})
                is_file = any(t != "application/json" for t in content)
                if code.startswith("2") and code != "204" and not is_file and not _refs_a_model(content):
                    found.append(f"{method} {route.path}: answer {code}")
            if _reads_a_body(route.dependant) and "requestBody" not in operation:
                found.append(f"{method} {route.path}: request body")
    return sorted(found)


def _typed_operations() -> tuple[list[tuple[str, str]], list[str]]:
    """Every operation of the API (`web/api*.py`) answers with its typed model (issue 7 §2), a file with
    its media type; and the operations that do not."""
    settings_ = _settings("sqlite://", Path("/nonexistent"))
    app = create_app(Platform(settings_, create_engine("sqlite://")))
    spec: dict[str, Any] = app.openapi()
    return [(m, p) for m, p in OPERATIONS if p.startswith("/api/v1/")], _untyped(app, spec)


TYPED_OPERATIONS, UNTYPED = _typed_operations()


@pytest.fixture(scope="module")
def st_platform(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """One copy of the SQLite demo for the whole run (the generated writes land in it)."""
    folder = tmp_path_factory.mktemp("schemathesis")
    path = folder / "nadzor.sqlite3"
    shutil.copy(templates.source("sqlite", "full"), path)
    platform = create_platform(_settings(f"sqlite:///{path}", folder), migrate=False)
    yield platform
    platform.dispose()


@pytest.fixture(scope="module")
def api_schema(st_platform: Platform) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(st_platform))


@pytest.fixture
def admin_headers(st_platform: Platform) -> dict[str, str]:
    """A fresh token per operation (a generated request may revoke or invalidate the last one)."""
    return bearer(client_for(st_platform), "admin")


def test_every_operation_is_exercised() -> None:
    assert len(OPERATIONS) > 30
    assert ("POST", "/api/v1/rules/{rule_id}/evaluate") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_answers_a_server_error(api_schema: Any, admin_headers: dict[str, str], method: str,
                                             path: str) -> None:
    operation = api_schema[path][method]
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=admin_headers)
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_every_api_operation_is_typed() -> None:
    """Issue 7 §2: every operation of /api/v1 documents its answer (and its request body), none is left out."""
    assert len(TYPED_OPERATIONS) > 90
    assert ("POST", "/api/v1/proceedings/{kind}/replay") in TYPED_OPERATIONS
    assert UNTYPED == []


@pytest.mark.parametrize(("method", "path"), TYPED_OPERATIONS, ids=[f"{m} {p}" for m, p in TYPED_OPERATIONS])
def test_every_answer_conforms_to_its_documented_schema(api_schema: Any, admin_headers: dict[str, str],
                                                        method: str, path: str) -> None:
    """Valid requests by the schema: every answer (success or problem) matches the schema the
    operation documents for its status."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(max_examples=EXAMPLES // 2, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=admin_headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


BIG_ID_REQUESTS = [("GET", "/api/v1/people/9223372036854775808"), ("GET", "/api/v1/offices/9223372036854775808"),
                   ("DELETE", "/api/v1/tokens/9223372036854775808"),
                   ("GET", "/api/v1/people?office_id=1180591620717411303424"),
                   ("GET", "/api/v1/zones/route?office_id=40487483378214412288")]


@pytest.mark.parametrize(("method", "url"), BIG_ID_REQUESTS)
def test_finding_7_big_ids_are_not_server_errors(st_platform: Platform, admin_headers: dict[str, str], method: str,
                                                 url: str) -> None:
    """Found by the schemathesis run: ids ≥ 2⁶³ in a path or query answer 422, never 500."""
    from fastapi.testclient import TestClient

    client = TestClient(create_app(st_platform), raise_server_exceptions=False)
    assert client.request(method, url, headers=admin_headers).status_code == 422
