"""Updates through the API on SQLite and PostgreSQL (issue 6, findings 9 and 17): a partial
account update keeps what it does not name, the last administrator stays, and an update that
changes nothing writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from tests.support.web import bearer, client_for, web_login


def audit_rows(platform: Platform) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(audit_log)).scalar_one())


def account(client: TestClient, admin: dict[str, str], login: str) -> dict[str, Any]:
    found: dict[str, Any] = next(u for u in client.get("/api/v1/users", headers=admin).json() if u["login"] == login)
    return found


def test_finding_9_a_partial_user_update_keeps_the_fields_it_does_not_name(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    before = account(client, admin, "genprokuror")
    assert before["person_id"] is not None
    granted = client.put(f"/api/v1/users/{before['id']}", json={"is_admin": True, "version": before["version"]},
                         headers=admin)
    assert granted.status_code == 200, granted.text
    partial = {"language": "kk", "version": granted.json()["version"]}
    response = client.put(f"/api/v1/users/{before['id']}", json=partial, headers=admin)
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["language"] == "kk"
    assert (after["person_id"], after["is_admin"], after["active"]) == (before["person_id"], True, True)
    unlinked = client.put(f"/api/v1/users/{before['id']}", json={"person_id": None, "version": after["version"]},
                          headers=admin)
    assert unlinked.status_code == 200 and unlinked.json()["person_id"] is None
    assert unlinked.json()["language"] == "kk"


@pytest.mark.parametrize(("change", "field"), [({"is_admin": False}, "is_admin"), ({"active": False}, "active")])
def test_finding_9_the_last_active_administrator_cannot_be_demoted_or_switched_off(
        demo: Platform, change: dict[str, bool], field: str) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    me = account(client, admin, "admin")
    rows = audit_rows(demo)
    refused = client.put(f"/api/v1/users/{me['id']}", json={**change, "version": me["version"]}, headers=admin)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == field
    assert "последняя действующая учётная запись администратора" in refused.json()["errors"][0]["message"]
    assert account(client, admin, "admin") == me and audit_rows(demo) == rows
    other = account(client, admin, "karaganda")
    assert client.put(f"/api/v1/users/{other['id']}", json={"is_admin": True, "version": other["version"]},
                      headers=admin).status_code == 200
    allowed = client.put(f"/api/v1/users/{me['id']}", json={**change, "version": me["version"]}, headers=admin)
    assert allowed.status_code == 200 and allowed.json()[field] is False


def _same(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: item[k] for k in keys} | {"version": item["version"]}


NO_OPS = [
    ("/api/v1/offices", ("code", "parent_code", "level", "kind", "name_ru", "name_kk", "city", "valid_from",
                         "valid_to", "former_names")),
    ("/api/v1/people", ("full_name", "position", "office_id", "email", "active")),
    ("/api/v1/acting", ("person_id", "acting_for", "office_id", "date_from", "date_to", "basis")),
    ("/api/v1/zones", ("person_id", "zone_office_id", "areas", "date_from", "date_to")),
    ("/api/v1/users", ("person_id", "is_admin", "active", "language")),
]


@pytest.mark.parametrize(("path", "keys"), NO_OPS, ids=[p.rsplit("/", 1)[1] for p, _k in NO_OPS])
def test_finding_17_an_update_with_the_same_values_changes_and_writes_nothing(
        demo: Platform, path: str, keys: tuple[str, ...]) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    items = client.get(path, headers=admin).json()
    item = next(i for i in items if i.get("parent_code") or "parent_code" not in keys)
    if "parent_code" in keys and item["parent_code"] is None:
        pytest.fail("the sample office needs a parent")
    rows = audit_rows(demo)
    for _ in range(2):  # the same request twice: both answer the record as it is
        response = client.put(f"{path}/{item['id']}", json=_same(item, keys), headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["version"] == item["version"]
    assert audit_rows(demo) == rows
    assert next(i for i in client.get(path, headers=admin).json() if i["id"] == item["id"]) == item
    stale = client.put(f"{path}/{item['id']}", json=_same(item, keys) | {"version": item["version"] - 1},
                       headers=admin)
    assert stale.status_code == 409


def test_finding_17_the_same_calendar_day_again_writes_nothing(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    body = {"day": "2021-07-05", "working": False, "name": "Перенос", "resolution_number": "1",
            "resolution_date": "2021-01-01"}
    first = client.post("/api/v1/calendar-days", json=body, headers=admin).json()
    rows = audit_rows(demo)
    again = client.post("/api/v1/calendar-days", json={**body, "version": first["version"]}, headers=admin)
    assert again.status_code == 200 and again.json() == first
    assert audit_rows(demo) == rows


def test_finding_9_the_account_form_still_unlinks_a_person_when_it_is_emptied(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    user = account(client, admin, "medeu")
    csrf = web_login(client, "admin")
    form = {"csrf_token": csrf, "person_id": "", "language": "ru", "active": "on", "version": str(user["version"])}
    assert client.post(f"/users/{user['id']}/edit", data=form).status_code == 303
    after = account(client, admin, "medeu")
    assert after["person_id"] is None and after["active"] is True and after["version"] == user["version"] + 1
