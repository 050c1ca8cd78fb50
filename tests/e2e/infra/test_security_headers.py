"""Response headers (issue 6, finding 16): nothing personal is cached, HSTS and Secure cookies in
production, and a policy on the API documentation that allows only what it needs, from here."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace

import pytest

from nadzor.bootstrap import Platform
from tests.support.web import bearer, client_for, web_login


def test_finding_16_answers_are_not_cached_except_static_assets(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    token = bearer(client, "admin")
    web_login(client, "admin")
    for path, headers in (("/api/v1/me", token), ("/api/v1/users", token), ("/api/v1/health", {}), ("/", {}),
                          ("/users", {}), ("/login", {}), ("/docs", {}), ("/openapi.json", {})):
        response = client.get(path, headers=headers)
        assert response.headers.get("cache-control") == "no-store", path
    asset = client.get("/static/app.css")
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("cache-control", "")
    refused = client_for(sqlite_demo).get("/api/v1/me")
    assert refused.status_code == 401 and refused.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("environment", ["production", "development"])
def test_finding_16_hsts_and_a_secure_language_cookie_in_production(sqlite_demo: Platform, environment: str) -> None:
    sqlite_demo.settings = replace(sqlite_demo.settings, environment=environment)
    client = client_for(sqlite_demo)
    response = client.get("/lang/kk")
    cookie = response.headers["set-cookie"]
    hsts = client.get("/api/v1/health").headers.get("strict-transport-security", "")
    if environment == "production":
        assert "Secure" in cookie and hsts.startswith("max-age=") and int(hsts[8:].split(";")[0]) >= 31536000
    else:
        assert "Secure" not in cookie and hsts == ""


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_finding_16_the_api_documentation_has_its_own_policy(sqlite_demo: Platform, path: str) -> None:
    response = client_for(sqlite_demo).get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert not re.search(r"https?:", response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    for inline in re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    for src in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert src.startswith("/"), src
