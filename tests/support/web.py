"""Driving the app in tests: a client per platform, sign-in by token and by the web form."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from nadzor.web.app import create_app

PASSWORDS = {
    "admin": "admin-demo-2026",
    "genprokuror": "genprokuror-demo-2026",
    "karaganda": "karaganda-demo-2026",
    "temirtau": "temirtau-demo-2026",
    "almaty": "almaty-demo-2026",
    "medeu": "medeu-demo-2026",
}


def client_for(platform: Platform) -> TestClient:
    return TestClient(create_app(platform), follow_redirects=False)


def bearer(client: TestClient, login: str, password: str | None = None) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"login": login, "password": password or PASSWORDS[login]})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['token']}"}


def web_login(client: TestClient, login: str, password: str | None = None) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post("/login", data={"login": login, "password": password or PASSWORDS[login],
                                           "login_csrf": token.group(1), "next": "/"})
    assert response.status_code == 303, response.text
    home = client.get("/")
    assert home.status_code == 200
    csrf = re.search(r'X-CSRF-Token": "([^"]+)"', home.text)
    assert csrf is not None
    return csrf.group(1)


def office_id(client: TestClient, headers: dict[str, str], code: str) -> int:
    offices: list[dict[str, Any]] = client.get("/api/v1/offices", headers=headers).json()
    return next(o["id"] for o in offices if o["code"] == code)


def person_id(client: TestClient, headers: dict[str, str], name: str) -> int:
    people: list[dict[str, Any]] = client.get("/api/v1/people", headers=headers).json()
    return next(p["id"] for p in people if p["full_name"] == name)


def _flatten(routes: list[Any]) -> list[Any]:
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out.extend(_flatten(inner.routes) if inner is not None else [route])
    return out


def our_routes(client: TestClient) -> list[APIRoute]:
    """Every API route and page of the app that Nadzor itself declares (not FastAPI's docs)."""
    return [r for r in _flatten(client.app.routes) if isinstance(r, APIRoute)  # type: ignore[attr-defined]
            and r.endpoint.__module__.startswith("nadzor.")]
