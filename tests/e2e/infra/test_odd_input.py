"""Findings 1, 3 and 7 of issue 6 through HTTP, on SQLite and PostgreSQL: handlers run off the
event loop; a lock wait that runs out answers 503 (Retry-After) and stores nothing; bodies over
the limit answer 413; deep JSON, integers beyond 64 bits (body, path, query), NUL characters,
lone surrogates and a number where a date is due answer 422 problem+json naming the field — the
same on both databases; a 500 carries the security headers."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.infra.context import Permission
from nadzor.infra.db import engine as db_engine
from nadzor.web import middleware
from nadzor.web.app import create_app
from nadzor.web.routing import JSON, RAW, endpoint
from tests.conftest import PG_ADMIN
from tests.support.web import bearer, client_for, our_routes, web_login

BIG = 2**63
PROBLEM = "application/problem+json"
HEADERS = ("x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy")


def _takes_json(route: APIRoute) -> bool:
    original = inspect.unwrap(route.endpoint)
    return any(p.default is JSON or p.default is RAW for p in inspect.signature(original).parameters.values())


def _audit_rows(platform: Platform) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _refused(response: Any, field: str) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    return str(errors[0]["message"])


# ------------------------------------------------------------------------- finding 1: threads


def test_finding_1_every_handler_is_a_plain_def_run_in_the_thread_pool(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    routes = our_routes(client)
    assert len(routes) > 60
    assert [r.path for r in routes if inspect.iscoroutinefunction(inspect.unwrap(r.endpoint))] == []
    assert [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)] == []


def test_finding_1_an_async_handler_is_refused_when_declared() -> None:
    from fastapi import APIRouter

    async def handler() -> None:
        return None

    with pytest.raises(TypeError, match="plain def"):
        endpoint(APIRouter(), "GET", "/x", Permission.PUBLIC)(handler)


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch, demo: Platform) -> Iterator[Platform]:
    """The demo platform with lock waits of half a second (new connections pick it up)."""
    monkeypatch.setattr(db_engine, "LOCK_WAIT", 0.5)
    demo.engine.dispose()
    yield demo


@pytest.fixture
def writers_blocked(short_waits: Platform, backend: str) -> Iterator[None]:
    """Another writer holds the lock every write needs (SQLite: the writer lock; PostgreSQL: the
    audit chain's advisory lock, from another connection)."""
    if backend == "sqlite":
        lock = db_engine.writer_lock(short_waits.engine)
        assert lock is not None
        with lock:
            yield
        return
    name = short_waits.settings.database_url.rsplit("/", 1)[1]
    params = dict(p.split("=", 1) for p in PG_ADMIN.split()) | {"dbname": name}
    with psycopg.connect(" ".join(f"{k}={v}" for k, v in params.items()), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(6021102)")
        yield


def test_finding_1_and_2_a_lock_wait_that_runs_out_is_503_with_retry_after(short_waits: Platform,
                                                                           request: pytest.FixtureRequest) -> None:
    client = client_for(short_waits)
    admin = bearer(client, "admin")
    before = _audit_rows(short_waits)
    request.getfixturevalue("writers_blocked")
    response = client.post("/api/v1/tokens", json={"name": "blocked", "days": 1}, headers=admin)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers["retry-after"] == "2"
    assert response.json()["errors"][0]["field"] == "server"
    assert client.get("/api/v1/health").status_code == 200
    assert _audit_rows(short_waits) == before


# ------------------------------------------------------------------------- finding 3: limits


def test_finding_3_a_body_over_the_limit_is_413_problem_json(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    big = b'{"start": "2021-08-02", "pad": "' + b"x" * middleware.BODY_LIMIT + b'"}'
    declared = client.post("/api/v1/rules/check.last_day/evaluate", content=big,
                           headers={"content-type": "application/json"})
    streamed = client.post("/api/v1/rules/check.last_day/evaluate", content=iter([big[:1000], big[1000:]]),
                           headers={"content-type": "application/json"})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["errors"][0]["field"] == "body"
        assert all(h in response.headers for h in HEADERS)


def test_finding_3_the_office_import_takes_larger_files(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    admin = bearer(client, "admin")
    body = b"[" + b" " * (2 * middleware.BODY_LIMIT) + b"1]"
    response = client.post("/api/v1/offices/import", content=body,
                           headers={**admin, "content-type": "application/json"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"].startswith("offices.0")


def test_finding_3_many_errors_are_listed_once_and_capped(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    items = [{"from": "2021-08-01", "to": "2021-08-04"}] * 200
    response = client.post("/api/v1/rules/check.last_day/evaluate", json={"start": "2021-08-02", "suspensions": items})
    body = response.json()
    assert response.status_code == 422 and len(body["errors"]) == 50
    assert len({(e["field"], e["message"]) for e in body["errors"]}) == 50
    assert "приостановление" not in body["detail"] and "200" in body["detail"]
    assert len(response.content) < 20_000


# ------------------------------------------------------------------------- finding 7: odd input


def test_finding_7_deep_json_is_422_on_every_json_endpoint(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    deep = b"[" * 100_000
    checked = []
    for route in our_routes(client):
        if not route.path.startswith("/api/") or not _takes_json(route):
            continue
        # a known rule and kind: an unknown one is 404 before the body is read
        url = re.sub(r"\{(\w+)\}", lambda m: {"rule_id": "check.last_day", "kind": "check"}.get(m.group(1), "1"),
                     route.path)
        for method in route.methods:
            headers = {"content-type": "application/json"}
            if route.permission != Permission.PUBLIC:  # type: ignore[attr-defined]
                headers |= admin
            response = client.request(method, url, content=deep, headers=headers)
            message = _refused(response, "input")
            assert message.startswith("слишком глубокая вложенность"), f"{method} {url}"
            checked.append(f"{method} {route.path}")
    assert len(checked) >= 16, checked
    assert "POST /api/v1/auth/token" in checked and "POST /api/v1/rules/{rule_id}/evaluate" in checked


def test_finding_7_ids_beyond_64_bits_are_422_in_path_query_and_body(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    before = _audit_rows(demo)
    _refused(client.get(f"/api/v1/people/{BIG}", headers=admin), "person_id")
    _refused(client.get(f"/api/v1/offices/{BIG}", headers=admin), "office_id")
    _refused(client.delete(f"/api/v1/tokens/{2 * BIG}", headers=admin), "token_id")
    _refused(client.get(f"/api/v1/people/{-BIG - 1}", headers=admin), "person_id")
    _refused(client.get("/api/v1/people", params={"office_id": BIG}, headers=admin), "office_id")
    _refused(client.delete("/api/v1/acting/1", params={"version": BIG}, headers=admin), "version")
    _refused(client.post("/api/v1/people", json={"full_name": "Тест", "position": "prosecutor", "office_id": BIG},
                         headers=admin), "office_id")
    _refused(client.put("/api/v1/offices/1", json={"version": BIG}, headers=admin), "version")
    page = client.get(f"/people/{BIG}", headers=admin)
    assert page.status_code == 422 and "Сотрудник:" in page.text and "person_id" not in page.text
    assert _audit_rows(demo) == before


def test_finding_7_nul_characters_are_422_in_json_query_and_forms(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    before = _audit_rows(demo)
    message = _refused(client.post("/api/v1/people", json={"full_name": "Ли\x00", "position": "prosecutor",
                                                           "office_id": 1}, headers=admin), "full_name")
    assert "NUL" in message
    _refused(client.get("/api/v1/audit", params={"actor_login": "ad\x00min"}, headers=admin), "actor_login")
    _refused(client.post("/api/v1/auth/token", json={"login": "admin\x00", "password": "x"}), "login")
    csrf = web_login(client, "admin")
    form = client.post("/people/new", data={"full_name": "Ли\x00", "position": "prosecutor", "office_id": "1",
                                            "csrf_token": csrf})
    assert form.status_code == 422 and "Фамилия, имя, отчество:" in form.text and "full_name" not in form.text
    assert _audit_rows(demo) == before + 1  # the form's sign-in only


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        ("/api/v1/auth/token", '{"login": "\\ud800", "password": "x"}', "login"),
        ("/api/v1/auth/token", '{"login": "admin", "password": "\\ud800"}', "password"),
        ("/api/v1/offices", '{"code": "x", "parent_code": "\\ud800", "level": "district", "kind": "territorial", '
                            '"name_ru": "X", "city": "X"}', "parent_code"),
        ("/api/v1/rules/check.last_day/evaluate", '{"start": "\\udc00"}', "start"),
    ],
)
def test_finding_7_lone_surrogates_are_422_naming_the_field(demo: Platform, path: str, raw: str, field: str) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    before = _audit_rows(demo)
    response = client.post(path, content=raw.encode(), headers={**admin, "content-type": "application/json"})
    assert "суррогат" in _refused(response, field)
    assert _audit_rows(demo) == before


def test_finding_7_a_number_as_the_date_of_a_sign_check_is_422(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    response = client.post("/api/v1/people/1/sign-check", json={"rule": "check.last_day", "on": 20210810},
                           headers=admin)
    assert _refused(response, "on") == "ожидается дата ГГГГ-ММ-ДД (строка)"


def test_finding_7_deep_json_in_a_form_field_is_refused_not_a_crash(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    form = client.post("/offices/new", data={"code": "deep.one", "level": "district", "kind": "territorial",
                                             "name_ru": "X", "city": "X", "parent_code": "karaganda_region",
                                             "former_names": "[" * 100_000, "csrf_token": csrf})
    assert form.status_code == 422 and "former_names" in form.text


def test_finding_7_an_unhandled_error_is_500_with_the_security_headers(sqlite_demo: Platform) -> None:
    app = create_app(sqlite_demo)

    def boom() -> None:
        raise RuntimeError("internal detail")

    app.add_api_route("/api/v1/boom", boom)
    app.add_api_route("/boom", boom)
    client = TestClient(app, raise_server_exceptions=False)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.headers["content-type"].startswith(PROBLEM)
    assert "internal detail" not in api.text
    page = client.get("/boom")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    for response in (api, page):
        assert all(h in response.headers for h in HEADERS), response.headers


def test_finding_7_odd_numbers_in_forms_and_pages_are_refused_or_bounded(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    for version in ("9" * 5000, "²", str(BIG)):
        response = client.post("/acting/1/delete", data={"csrf_token": csrf, "version": version})
        assert response.status_code == 422 and "Версия записи:" in response.text, version
    token = client.post("/account/tokens", data={"csrf_token": csrf, "name": "x", "days": "9" * 5000})
    assert token.status_code == 422
    assert client.get("/audit", params={"page_no": 2**62}).status_code == 200
