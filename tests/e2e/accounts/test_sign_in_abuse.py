"""Sign-in under abuse, on SQLite and PostgreSQL (issue 6, findings 4, 5 and 6): bounded logins,
compact audit rows, throttling by address with 429 and no log growth, the same work on every
path, a per-account back-off that an attacker cannot turn into a lockout, and unlocking."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from nadzor.accounts.service import Passwords
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.web.app import create_app
from tests.e2e.infra.test_cli_platform import nadzor
from tests.support.web import PASSWORDS, bearer, client_for, web_login

TOKEN = "/api/v1/auth/token"


def from_address(platform: Platform, address: str) -> TestClient:
    return TestClient(create_app(platform), follow_redirects=False, client=(address, 40000))


def audit_rows(platform: Platform) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(audit_log)).scalar_one())


def last_rows(platform: Platform, action: str) -> list[dict[str, Any]]:
    with platform.read_only() as session:
        rows = session.execute(select(audit_log).where(audit_log.c.action == action)
                               .order_by(audit_log.c.seq)).mappings()
        return [dict(r) for r in rows]


def sign_in(client: TestClient, login: str, password: str) -> Any:
    return client.post(TOKEN, json={"login": login, "password": password})


@pytest.mark.parametrize("login", ["a" * 81, "a" * 100_000, "админ", "a b", "ab"])
def test_finding_4_a_login_no_account_can_have_is_a_422_before_any_database_work(demo: Platform, login: str) -> None:
    client = client_for(demo)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(demo.engine, "before_cursor_execute", count)
    try:
        response = sign_in(client, login, "whatever-password")
    finally:
        event.remove(demo.engine, "before_cursor_execute", count)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["login"]
    assert statements == []


def test_finding_4_an_overlong_login_or_password_in_the_sign_in_form_is_a_422(demo: Platform) -> None:
    client = client_for(demo)
    before = audit_rows(demo)
    for login, password in (("x" * 5000, "whatever-password"), ("admin", "p" * 201)):
        page = client.get("/login")
        token = page.cookies.get("nadzor_login_csrf")
        response = client.post("/login", data={"login": login, "password": password, "login_csrf": token})
        assert response.status_code == 422
        assert "x" * 81 not in response.text
    assert audit_rows(demo) == before


def test_finding_4_failed_sign_ins_are_audited_compactly_without_the_login_twice(demo: Platform) -> None:
    client = client_for(demo)
    assert sign_in(client, "no.such.user", "whatever-password").status_code == 401
    assert sign_in(client, "medeu", "wrong-password").status_code == 401
    unknown, known = last_rows(demo, "user.login_failed")
    assert unknown["actor"] == "anonymous" and "no.such.user" not in unknown["after"]
    after = json.loads(unknown["after"])
    assert after["reason"] == "unknown_login" and len(after["login_digest"]) == 16
    assert known["actor"] == "medeu" and "medeu" not in known["after"] + known["before"]
    assert json.loads(known["after"])["reason"] == "wrong_password"
    assert max(len(r["after"]) for r in (unknown, known)) < 200


def test_finding_4_an_address_is_throttled_with_429_and_the_log_stops_growing(demo: Platform) -> None:
    attacker, other = from_address(demo, "203.0.113.7"), from_address(demo, "198.51.100.2")
    for i in range(20):
        assert sign_in(attacker, f"guess{i:03d}", "whatever-password").status_code == 401
    rows = audit_rows(demo)
    for i in range(40):
        throttled = sign_in(attacker, f"more{i:03d}", "whatever-password")
        assert throttled.status_code == 429
    assert throttled.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(throttled.headers["retry-after"]) <= 15 * 60
    assert audit_rows(demo) == rows
    assert sign_in(attacker, "admin", PASSWORDS["admin"]).status_code == 429
    assert sign_in(other, "admin", PASSWORDS["admin"]).status_code == 200


def test_finding_4_one_login_from_one_address_is_throttled_after_five_failures(demo: Platform) -> None:
    attacker = from_address(demo, "203.0.113.8")
    for login in ("medeu", "nobody.here"):  # the same for a known and an unknown login
        for _ in range(5):
            assert sign_in(attacker, login, "wrong-password").status_code == 401
        assert sign_in(attacker, login, "wrong-password").status_code == 429
    assert sign_in(attacker, "temirtau", PASSWORDS["temirtau"]).status_code == 200


def test_finding_6_an_attacker_cannot_keep_an_account_locked(demo: Platform) -> None:
    attacker, owner, third = (from_address(demo, a) for a in ("203.0.113.9", "10.1.1.1", "192.0.2.44"))
    for _ in range(5):
        assert sign_in(attacker, "admin", "wrong-password").status_code == 401
    assert len(last_rows(demo, "user.locked")) == 1
    assert sign_in(attacker, "admin", PASSWORDS["admin"]).status_code == 429
    # During the back-off every other address gets one attempt, and the right password passes.
    assert sign_in(third, "admin", "wrong-password").status_code == 401
    assert sign_in(third, "admin", "wrong-password").status_code == 429
    assert sign_in(owner, "admin", PASSWORDS["admin"]).status_code == 200
    assert len(last_rows(demo, "user.locked")) == 1
    users = client_for(demo).get("/api/v1/users", headers=bearer(owner, "admin")).json()
    assert next(u for u in users if u["login"] == "admin")["locked_until"] is None


def test_finding_6_an_administrator_unlocks_an_account_over_the_api(demo: Platform) -> None:
    user = from_address(demo, "10.2.2.2")
    for _ in range(5):
        assert sign_in(user, "medeu", "wrong-password").status_code == 401
    assert sign_in(user, "medeu", PASSWORDS["medeu"]).status_code == 429
    admin_client = from_address(demo, "10.3.3.3")
    admin = bearer(admin_client, "admin")
    medeu = next(u for u in admin_client.get("/api/v1/users", headers=admin).json() if u["login"] == "medeu")
    assert medeu["locked_until"] is not None
    done = admin_client.post(f"/api/v1/users/{medeu['id']}/unlock", headers=admin)
    assert done.status_code == 200 and done.json()["locked_until"] is None
    (row,) = last_rows(demo, "user.unlocked")
    assert row["actor"] == "admin" and row["object_id"] == str(medeu["id"])
    assert sign_in(user, "medeu", PASSWORDS["medeu"]).status_code == 200
    again = admin_client.post(f"/api/v1/users/{medeu['id']}/unlock", headers=admin)
    assert again.status_code == 200 and len(last_rows(demo, "user.unlocked")) == 1


def test_finding_6_nadzor_users_unlock_ends_the_back_off_of_a_running_server(demo: Platform) -> None:
    user = from_address(demo, "10.4.4.4")
    for _ in range(5):
        assert sign_in(user, "medeu", "wrong-password").status_code == 401
    assert sign_in(user, "medeu", PASSWORDS["medeu"]).status_code == 429
    done = nadzor(demo, "users", "unlock", "medeu")
    assert done.returncode == 0, done.stderr
    assert len(last_rows(demo, "user.unlocked")) == 1
    assert sign_in(user, "medeu", PASSWORDS["medeu"]).status_code == 200
    missing = nadzor(demo, "users", "unlock", "nobody.here")
    assert missing.returncode == 2 and "login:" in missing.stderr


class CountingPasswords(Passwords):
    def __init__(self) -> None:
        super().__init__("fast")
        self.verified: list[str] = []

    def verify(self, stored: str, password: str) -> bool:
        self.verified.append(stored)
        return super().verify(stored, password)


def _params(argon2_hash: str) -> str:
    return argon2_hash.rsplit("$", 2)[0]  # $argon2id$v=19$m=…,t=…,p=…


@pytest.mark.parametrize("profile", ["fast", "strong"])
def test_finding_5_the_decoy_hash_has_the_parameters_of_real_hashes(profile: str) -> None:
    passwords = Passwords(profile)
    assert _params(passwords.decoy_hash) == _params(passwords.hash("a real password"))


def test_finding_5_every_sign_in_path_verifies_exactly_one_hash(demo: Platform) -> None:
    counting = CountingPasswords()
    demo.passwords = counting
    attacker, owner = from_address(demo, "203.0.113.10"), from_address(demo, "10.5.5.5")
    admin = bearer(owner, "admin")
    medeu = next(u for u in owner.get("/api/v1/users", headers=admin).json() if u["login"] == "medeu")
    assert owner.put(f"/api/v1/users/{medeu['id']}", json={"active": False, "version": medeu["version"]},
                     headers=admin).status_code == 200
    paths = [
        (attacker, "nobody.here", "wrong-password", 401),   # unknown login
        (attacker, "medeu", PASSWORDS["medeu"], 401),       # inactive account
        (attacker, "temirtau", "wrong-password", 401),      # wrong password
        (owner, "almaty", PASSWORDS["almaty"], 200),        # right password
    ]
    paths += [(attacker, "karaganda", "wrong-password", 401)] * 5
    paths += [(attacker, "karaganda", "wrong-password", 429)]  # this address and login throttled
    for client, login, password, status in paths:
        counting.verified.clear()
        assert sign_in(client, login, password).status_code == status, login
        assert len(counting.verified) == 1, (login, status)


def test_finding_6_the_users_page_has_an_unlock_button(demo: Platform) -> None:
    user = from_address(demo, "10.6.6.6")
    for _ in range(5):
        assert sign_in(user, "medeu", "wrong-password").status_code == 401
    admin = from_address(demo, "10.7.7.7")
    csrf = web_login(admin, "admin")
    page = admin.get("/users")
    action = re.search(r'action="(/users/(\d+)/unlock)"', page.text)
    assert action is not None and "вход замедлен до" in page.text
    assert admin.post(action.group(1), data={"csrf_token": csrf}).status_code == 303
    assert 'action="/users/' + action.group(2) + '/unlock"' not in admin.get("/users").text
    assert sign_in(user, "medeu", PASSWORDS["medeu"]).status_code == 200
