"""The platform through HTTP, on SQLite and PostgreSQL: every endpoint states and enforces its
permission, sign-in and lockout, CSRF, calendar administration seen by the rules at once,
conflicts and refusals keyed by field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from nadzor import rules
from nadzor.bootstrap import Platform
from nadzor.infra.context import ADMIN_ONLY, Permission
from tests.support.web import bearer, client_for, office_id, our_routes, person_id, web_login

SAMPLE_PARAMS = {"rule_id": "check.last_day", "day": "2021-07-05", "section": "checks", "code": "ru"}


def _url(route: APIRoute) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PARAMS.get(m.group(1), "1"), route.path)


def _call(client: TestClient, method: str, url: str, **kwargs: Any):
    return client.request(method, url, **kwargs)


def test_every_endpoint_and_page_states_its_permission(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    routes = our_routes(client)
    assert len(routes) > 60
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if not isinstance(getattr(r, "permission", None),
                                                                                 Permission)]
    assert missing == []
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("x-permission"), f"{method} {path}"


def test_every_protected_endpoint_refuses_a_visitor_who_has_not_signed_in(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    for route in our_routes(client):
        if route.permission == Permission.PUBLIC:  # type: ignore[attr-defined]
            continue
        for method in route.methods:
            response = _call(client, method, _url(route), json={})
            where = f"{method} {route.path}"
            if route.path.startswith("/api/"):
                assert response.status_code == 401, where
                assert response.headers["content-type"].startswith("application/problem+json"), where
            elif method == "GET":
                assert response.status_code == 303 and response.headers["location"].startswith("/login"), where
            else:
                assert response.status_code == 401, where


def test_every_administrators_endpoint_refuses_a_prosecutor(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    api_headers = bearer(client, "karaganda")
    csrf = web_login(client, "karaganda")
    checked = 0
    for route in our_routes(client):
        if route.permission not in ADMIN_ONLY:  # type: ignore[attr-defined]
            continue
        for method in route.methods:
            url = _url(route)
            if route.path.startswith("/api/"):
                response = _call(client, method, url, json={}, headers=api_headers)
            else:
                response = _call(client, method, url, data={"csrf_token": csrf})
            assert response.status_code == 403, f"{method} {route.path}: {response.status_code}"
            checked += 1
    assert checked > 25


def test_five_failed_sign_ins_start_the_accounts_back_off_and_throttle_the_address(demo: Platform) -> None:
    client = client_for(demo)
    for _ in range(5):
        response = client.post("/api/v1/auth/token", json={"login": "medeu", "password": "wrong-password"})
        assert response.status_code == 401
    throttled = client.post("/api/v1/auth/token", json={"login": "medeu", "password": "medeu-demo-2026"})
    assert throttled.status_code == 429
    assert "повторите через" in throttled.json()["detail"] and int(throttled.headers["retry-after"]) > 0
    admin = bearer(client, "admin")
    rows = client.get("/api/v1/audit", params={"action": "user.locked"}, headers=admin).json()
    assert rows["total"] == 1
    failures = client.get("/api/v1/audit", params={"action": "user.login_failed"}, headers=admin).json()
    assert failures["total"] == 5


def test_a_cookie_session_change_without_the_csrf_token_is_refused(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    form = {"full_name": "Жанибеков Ерлан", "position": "prosecutor", "office_id": "1", "active": "on"}
    refused = client.post("/people/new", data=form)
    assert refused.status_code == 403
    accepted = client.post("/people/new", data={**form, "csrf_token": csrf})
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/people/")
    page = client.get(accepted.headers["location"])
    assert "Жанибеков Ерлан" in page.text


def test_the_session_cookie_is_httponly_and_samesite(demo: Platform) -> None:
    client = client_for(demo)
    page = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post("/login", data={"login": "admin", "password": "admin-demo-2026",
                                           "login_csrf": token.group(1)})
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "nadzor_session" in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_logout_ends_the_session(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "medeu")
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/").status_code == 303


def test_a_calendar_day_set_by_an_administrator_changes_deadlines_at_once(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    data = {"check_end": "2021-07-28"}
    before = client.post("/api/v1/rules/check.certificate_delivery_due/evaluate", json=data).json()
    assert before["result"] == {"due": "2021-08-04"}
    day = {"day": "2021-08-02", "working": False, "name": "Перенос выходного дня", "resolution_number": "501",
           "resolution_date": "2021-07-20"}
    created = client.post("/api/v1/calendar-days", json=day, headers=admin)
    assert created.status_code == 200, created.text
    after = client.post("/api/v1/rules/check.certificate_delivery_due/evaluate", json=data).json()
    assert after["result"] == {"due": "2021-08-05"}
    # The app passes its platform's calendar to the rules; it installs nothing process-wide: the rules
    # without storage and an app on another installation built after it keep their own calendar.
    assert rules.evaluate("check.certificate_delivery_due", data)["result"] == {"due": "2021-08-04"}
    other = client_for(Platform(demo.settings, create_engine("sqlite://")))
    assert other.get("/api/v1/health").status_code == 200
    assert client.post("/api/v1/rules/check.certificate_delivery_due/evaluate", json=data).json() == after
    lookup = client.get("/api/v1/calendar/2021-08-02").json()
    assert lookup["working"] is False and lookup["source"] == "постановление Правительства РК от 20.07.2021 № 501"
    rows = client.get("/api/v1/audit", params={"object_type": "calendar_day"}, headers=admin).json()
    assert rows["total"] == 1 and rows["rows"][0]["action"] == "calendar.day_set"
    removed = client.delete("/api/v1/calendar-days/2021-08-02", params={"version": 1}, headers=admin)
    assert removed.status_code == 204
    again = client.post("/api/v1/rules/check.certificate_delivery_due/evaluate", json=data).json()
    assert again["result"] == {"due": "2021-08-04"}


def test_a_stale_version_is_a_409_conflict_and_nothing_is_overwritten(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    pid = person_id(client, admin, "Ли Елена Викторовна")
    person = client.get(f"/api/v1/people/{pid}", headers=admin).json()
    body = {k: person[k] for k in ("full_name", "position", "office_id", "email", "active", "version")}
    first = client.put(f"/api/v1/people/{pid}", json={**body, "email": "li@prokuratura.kz"}, headers=admin)
    assert first.status_code == 200 and first.json()["version"] == person["version"] + 1
    second = client.put(f"/api/v1/people/{pid}", json={**body, "email": "other@prokuratura.kz"}, headers=admin)
    assert second.status_code == 409
    assert second.json()["errors"][0]["field"] == "version"
    assert client.get(f"/api/v1/people/{pid}", headers=admin).json()["email"] == "li@prokuratura.kz"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": "Х", "position": "boss", "office_id": 1}, "position"),
        ({"full_name": "Х", "position": "prosecutor", "office_id": "one"}, "office_id"),
        ({"full_name": "Х", "position": "prosecutor", "office_id": 1, "rank": 2}, "rank"),
        ({"position": "prosecutor", "office_id": 1}, "full_name"),
        ({"full_name": "Х", "position": "prosecutor", "office_id": 99999}, "office_id"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(demo: Platform, body: dict[str, Any],
                                                                    field: str) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    before = len(client.get("/api/v1/people", headers=admin).json())
    audit_before = client.get("/api/v1/audit", headers=admin).json()["total"]
    response = client.post("/api/v1/people", json=body, headers=admin)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert len(client.get("/api/v1/people", headers=admin).json()) == before
    assert client.get("/api/v1/audit", headers=admin).json()["total"] == audit_before


def test_the_same_refusal_reads_the_same_in_a_form(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    page = client.post("/people/new", data={"full_name": "", "position": "regional_prosecutor", "office_id": "1",
                                            "csrf_token": csrf})
    assert page.status_code == 422
    api_client = client_for(demo)
    api = api_client.post("/api/v1/people", json={"full_name": "", "position": "regional_prosecutor",
                                                  "office_id": 1}, headers=bearer(api_client, "admin"))
    for error in api.json()["errors"]:
        assert error["message"] in page.text


def test_authority_and_routing_through_the_api(demo: Platform) -> None:
    client = client_for(demo)
    headers = bearer(client, "almaty")
    pid = person_id(client, headers, "Есимова Алия Нурлановна")
    authority = client.get(f"/api/v1/people/{pid}/authority", params={"on": "2021-08-10"}, headers=headers).json()
    assert authority["signers"][1] == {"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}
    check = client.post(f"/api/v1/people/{pid}/sign-check", headers=headers,
                        json={"rule": "court.appeal_signer", "on": "2021-09-01",
                              "input": {"case_type": "administrative"}})
    assert check.status_code == 200 and check.json()["result"] == {"allowed": False}
    route = client.get("/api/v1/zones/route", headers=headers,
                       params={"office_id": office_id(client, headers, "almaty_city.medeu_district"), "area": "civil",
                               "on": "2026-06-01"}).json()
    assert route["person"]["full_name"] == "Сарсенбаев Ильяс Муратович"


def test_offices_export_and_import_over_http(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    exported = client.get("/api/v1/offices/export", params={"format": "csv"}, headers=admin)
    assert exported.status_code == 200 and exported.text.startswith("code,parent_code,level")
    renamed = exported.text.replace("Прокуратура города Кентау,", "Прокуратура города Кентау (переименована),")
    imported = client.post("/api/v1/offices/import", content=renamed.encode(), headers={**admin,
                                                                                          "content-type": "text/csv"})
    assert imported.status_code == 200, imported.text
    assert imported.json()["updated"] == 1
    as_json = client.get("/api/v1/offices/export", params={"format": "json"}, headers=admin).json()
    assert any(o["name_ru"] == "Прокуратура города Кентау (переименована)" for o in as_json)


def test_the_audit_chain_is_intact_after_a_day_of_work(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    client.post("/api/v1/people", json={"full_name": "Аудитов Иван", "position": "prosecutor", "office_id": 1},
                headers=admin)
    verdict = client.get("/api/v1/audit/verify", headers=admin).json()
    assert verdict == {"intact": True, "first_bad_seq": None, "message": "цепочка журнала аудита не нарушена"}


def test_each_calendar_change_is_seen_even_when_an_override_replaces_a_removed_one(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")

    def day_off(day: str) -> None:
        body = {"day": day, "working": False, "name": "Перенос", "resolution_number": "7",
                "resolution_date": "2021-06-01"}
        assert client.post("/api/v1/calendar-days", json=body, headers=admin).status_code == 200

    def working(day: str) -> bool:
        answer = client.post("/api/v1/rules/calendar.working_day/evaluate", json={"date": day}).json()
        return bool(answer["result"]["working"])

    day_off("2021-07-08")
    assert working("2021-07-08") is False
    assert client.delete("/api/v1/calendar-days/2021-07-08", params={"version": 1}, headers=admin).status_code == 204
    day_off("2021-07-09")
    assert (working("2021-07-08"), working("2021-07-09")) == (True, False)


def test_zone_routing_outside_the_callers_scope_is_not_found(demo: Platform) -> None:
    client = client_for(demo)
    district = bearer(client, "temirtau")
    region = office_id(client, bearer(client, "admin"), "karaganda_region")
    response = client.get("/api/v1/zones/route", params={"office_id": region, "area": "all"}, headers=district)
    assert response.status_code == 404


def test_a_new_password_ends_the_accounts_sessions_and_tokens(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    medeu = bearer(client, "medeu")
    assert client.get("/api/v1/me", headers=medeu).status_code == 200
    user = next(u for u in client.get("/api/v1/users", headers=admin).json() if u["login"] == "medeu")
    body = {"person_id": user["person_id"], "is_admin": False, "active": True, "language": "ru",
            "password": "a-brand-new-password", "version": user["version"]}
    assert client.put(f"/api/v1/users/{user['id']}", json=body, headers=admin).status_code == 200
    assert client.get("/api/v1/me", headers=medeu).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(client, "medeu", "a-brand-new-password")).status_code == 200


def test_bad_values_in_delete_forms_are_refused_naming_the_field(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    bad_day = client.post("/calendar/days/not-a-date/delete", data={"csrf_token": csrf, "version": "1"})
    assert bad_day.status_code == 422 and "Дата: ожидается дата" in bad_day.text
    bad_version = client.post("/acting/1/delete", data={"csrf_token": csrf, "version": "abc"})
    assert bad_version.status_code == 422 and "Версия записи: ожидается целое число" in bad_version.text


def test_a_number_too_long_for_json_is_a_422_not_a_crash(demo: Platform) -> None:
    client = client_for(demo)
    body = '{"start": "2021-07-01", "extension_days": ' + "1" * 5000 + "}"
    response = client.post("/api/v1/rules/check.last_day/evaluate", content=body.encode(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "input"


#: What an auditor may post although they change nothing of the records (issue 7 §4): their own
#: session and tokens, and calculations that store nothing.
AUDITOR_MAY_POST = {
    "/api/v1/tokens", "/api/v1/tokens/{token_id}", "/logout", "/account/tokens", "/account/tokens/{token_id}/revoke",
    "/api/v1/people/{person_id}/sign-check", "/api/v1/proceedings/{kind}/replay",
    "/account/password",  # one's own password (issue 7 §6): an auditor keeps their own account
}


def test_an_auditor_reads_the_audit_trail_and_is_refused_every_change(sqlite_demo: Platform) -> None:
    """Issue 7 §4: the auditor's role is read-only audit — every endpoint and page that changes anything
    refuses them (403), the audit trail and its check answer them."""
    client = client_for(sqlite_demo)
    admin = bearer(client, "admin")
    created = client.post("/api/v1/users", headers=admin, json={
        "login": "auditor1", "password": "auditor-secret-2026", "is_auditor": True,
        "person_id": person_id(client, admin, "Нурпеисов Канат Жаксылыкович")})
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["auditor"]
    api_headers = bearer(client, "auditor1", "auditor-secret-2026")
    csrf = web_login(client, "auditor1", "auditor-secret-2026")
    assert client.get("/api/v1/audit", headers=api_headers).json()["total"] > 0
    assert client.get("/api/v1/audit/verify", headers=api_headers).json()["intact"] is True
    assert client.get("/audit").status_code == 200
    assert 'href="/audit"' in client.get("/").text and 'href="/users"' not in client.get("/").text
    refused = passed = 0
    for route in our_routes(client):
        allowed = route.permission in {Permission.PUBLIC, Permission.SIGNED_IN,  # type: ignore[attr-defined]
                                       Permission.VIEW_AUDIT}
        for method in route.methods:
            if allowed:
                if method != "GET" and route.permission != Permission.PUBLIC:  # type: ignore[attr-defined]
                    assert route.path in AUDITOR_MAY_POST, f"{method} {route.path} is open to an auditor"
                    passed += 1
                continue
            url = _url(route)
            if route.path.startswith("/api/"):
                response = _call(client, method, url, json={}, headers=api_headers)
            else:
                response = _call(client, method, url, data={"csrf_token": csrf})
            assert response.status_code == 403, f"{method} {route.path}: {response.status_code}"
            refused += 1
    assert refused > 80 and passed == len(AUDITOR_MAY_POST)
    # Nothing was written on the auditor's behalf but their sign-ins and tokens.
    rows = client.get("/api/v1/audit", params={"actor_login": "auditor1", "limit": 1000}, headers=admin).json()
    assert {r["action"] for r in rows["rows"]} <= {"user.logged_in", "token.created"}


def test_the_openapi_description_states_each_permission_in_russian(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    spec = client.get("/openapi.json").json()
    steps = spec["paths"]["/api/v1/checks/{proceeding_id}/steps"]["post"]
    assert steps["x-permission"] == "record"
    assert "Право доступа: сотрудник прокуратуры: ведение производств" in steps["description"]
    assert "аудитор" in spec["paths"]["/api/v1/audit"]["get"]["description"]
