"""Issue 7 §7, what made the API slow and must not come back (the figures: `bench/api.py`): an
anonymous caller opens no database connection; the rule catalogue is built once and answered as
ready bytes, with Russian titles in its schemas; only pure-ASGI middleware."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from starlette.middleware.base import BaseHTTPMiddleware

from nadzor import rules
from nadzor.bootstrap import Platform
from nadzor.rulebook import catalogue as rule_catalogue
from nadzor.web.app import create_app
from tests.support.web import bearer, client_for


def _checkouts(platform: Platform) -> list[int]:
    seen: list[int] = []
    event.listen(platform.engine, "checkout", lambda *_args: seen.append(1))
    return seen


def test_an_anonymous_evaluation_and_the_catalogue_open_no_database_connection(
        demo: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CALENDAR_RECHECK", 3600.0)  # the cached calendar is not re-checked meanwhile
    client = client_for(demo)
    demo.calendar()
    seen = _checkouts(demo)
    for _ in range(3):
        answer = client.post("/api/v1/rules/calendar.add_working_days/evaluate",
                             json={"from": "2026-11-13", "days": 10})
        assert answer.status_code == 200 and answer.json()["result"] == {"date": "2026-11-27"}
        assert client.get("/api/v1/rules").status_code == 200
        assert client.get("/api/v1/rules/check.last_day").status_code == 200
    assert seen == []
    headers = bearer(client, "karaganda")  # a signed-in caller is looked up in the database
    assert client.get("/api/v1/people", headers=headers).status_code == 200
    assert seen


def test_the_catalogue_is_built_once_per_calendar_coverage(demo: Platform) -> None:
    client = client_for(demo)
    rule_catalogue._built.cache_clear()
    first = client.get("/api/v1/rules")
    for _ in range(3):
        assert client.get("/api/v1/rules").content == first.content
    one = client.get("/api/v1/rules/check.last_day").json()
    assert rule_catalogue._built.cache_info().misses == 1
    assert len(first.json()) == len(rules.REGISTRY)
    assert one == next(r for r in first.json() if r["id"] == "check.last_day")


def _titles(schema: Any) -> list[str]:
    found: list[str] = []
    if isinstance(schema, dict):
        if isinstance(schema.get("title"), str):
            found.append(schema["title"])
        for value in schema.values():
            found += _titles(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _titles(value)
    return found


def test_every_rule_schema_is_titled_in_russian(demo: Platform) -> None:
    """Issue 7 §2: titles and descriptions people read, never the English field keys pydantic derives."""
    entry = client_for(demo).get("/api/v1/rules/check.last_day").json()
    properties = entry["input_schema"]["properties"]
    assert properties["start"]["title"] == "Дата начала"
    assert properties["extension_days"]["description"] == "От 0 до 30"
    assert entry["input_schema"]["$defs"]["Suspension"]["title"] == "Период приостановления"
    assert entry["output_schema"]["properties"]["last_day"]["title"] == "Последний день"
    for item in client_for(demo).get("/api/v1/rules").json():
        for schema in (item["input_schema"], item["output_schema"]):
            for title in _titles(schema):
                assert any("а" <= c.lower() <= "я" or c in "ёЁ" for c in title), (item["id"], title)


def test_the_middleware_is_pure_asgi(demo: Platform) -> None:
    app = create_app(demo)
    assert app.user_middleware
    for middleware in app.user_middleware:
        assert not (isinstance(middleware.cls, type) and issubclass(middleware.cls, BaseHTTPMiddleware))
