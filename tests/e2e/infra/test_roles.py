"""Roles (issue 7 §4), on SQLite and PostgreSQL: the auditor's role granted and revoked by an
administrator (API, page, command line), audited and shown in the users list; the head of an office
known from today's authority (acting included); the zone prosecutor of I.68 who sees and reviews the
acts of their zone and not those of others; the office tree cached per version, seen anew by every
process after an office change and never from a rolled-back one."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from nadzor.bootstrap import Platform, create_platform
from nadzor.infra.context import cli_actor
from nadzor.org import service as org
from tests.e2e.infra.test_cli_platform import nadzor
from tests.support.acts import draft_act, frozen_today, issue, read, step, user_for
from tests.support.web import bearer, client_for, office_id, person_id, web_login

__all__ = ["frozen_today"]

TEMIRTAU = "karaganda_region.temirtau_city"
KARAGANDA_CITY = "karaganda_region.karaganda_city"
ZONE_PROSECUTOR = "Смагулов Данияр Асхатович"  # Karaganda region; zone Temirtau, civil and admin. offences (demo)


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


def _user(client: TestClient, admin: dict[str, str], login: str) -> dict[str, object]:
    users = client.get("/api/v1/users", headers=admin).json()
    return dict(next(u for u in users if u["login"] == login))


def test_an_administrator_grants_and_revokes_the_auditor_role_with_audit(client: TestClient) -> None:
    admin = bearer(client, "admin")
    medeu = _user(client, admin, "medeu")
    assert medeu["roles"] == ["user"] and medeu["is_auditor"] is False
    granted = client.put(f"/api/v1/users/{medeu['id']}", headers=admin,
                         json={"is_auditor": True, "version": medeu["version"]})
    assert granted.status_code == 200, granted.text
    assert granted.json()["roles"] == ["auditor"]
    rows = client.get("/api/v1/audit", params={"object_type": "user", "object_id": str(medeu["id"]),
                                               "action": "user.updated"}, headers=admin).json()["rows"]
    assert json.loads(rows[0]["before"])["is_auditor"] is False and json.loads(rows[0]["after"])["is_auditor"] is True
    auditor = bearer(client, "medeu")
    assert client.get("/api/v1/me", headers=auditor).json()["roles"] == ["auditor"]
    assert client.get("/api/v1/audit", headers=auditor).status_code == 200
    refused = client.post("/api/v1/checks", headers=auditor, json={"office_id": 1, "step": {}})
    assert refused.status_code == 403 and "аудитор" in refused.json()["detail"]
    revoked = client.put(f"/api/v1/users/{medeu['id']}", headers=admin,
                         json={"is_auditor": False, "version": granted.json()["version"]})
    assert revoked.json()["roles"] == ["user"]
    assert client.get("/api/v1/audit", headers=auditor).status_code == 403


def test_the_users_page_shows_and_sets_the_auditor_role(client: TestClient) -> None:
    admin = bearer(client, "admin")
    almaty = _user(client, admin, "almaty")
    csrf = web_login(client, "admin")
    form = client.get(f"/users/{almaty['id']}/edit")
    assert 'name="is_auditor"' in form.text
    saved = client.post(f"/users/{almaty['id']}/edit", data={
        "csrf_token": csrf, "version": str(almaty["version"]), "is_auditor": "on", "active": "on", "language": "ru",
        "person_id": str(almaty["person_id"])})
    assert saved.status_code == 303, saved.text
    link = f'<a href="/users/{almaty["id"]}">almaty</a>'
    row = next(line for line in client.get("/users").text.split("<tr>") if link in line)
    assert "аудитор" in row
    assert _user(client, admin, "almaty")["roles"] == ["auditor"]


def test_the_last_administrator_still_cannot_be_removed(client: TestClient) -> None:
    admin = bearer(client, "admin")
    me = _user(client, admin, "admin")
    auditor_too = client.put(f"/api/v1/users/{me['id']}", headers=admin, json={"is_auditor": True,
                                                                               "version": me["version"]})
    assert auditor_too.json()["roles"] == ["administrator", "auditor"]
    demoted = client.put(f"/api/v1/users/{me['id']}", headers=admin,
                         json={"is_admin": False, "version": auditor_too.json()["version"]})
    assert demoted.status_code == 422 and demoted.json()["errors"][0]["field"] == "is_admin"


def test_the_command_line_grants_and_revokes_a_role(demo: Platform) -> None:
    granted = nadzor(demo, "users", "grant", "karaganda", "auditor")
    assert granted.returncode == 0, granted.stderr
    client = client_for(demo)
    admin = bearer(client, "admin")
    assert _user(client, admin, "karaganda")["roles"] == ["auditor"]
    revoked = nadzor(demo, "users", "revoke", "karaganda", "auditor")
    assert revoked.returncode == 0, revoked.stderr
    assert _user(client, admin, "karaganda")["roles"] == ["user"]
    last = nadzor(demo, "users", "revoke", "admin", "administrator")
    assert last.returncode == 2 and "is_admin:" in last.stderr
    unknown = nadzor(demo, "users", "grant", "karaganda", "superuser")
    assert unknown.returncode == 2 and "role:" in unknown.stderr
    actions = [r["action"] for r in client.get("/api/v1/audit", params={"object_type": "user", "limit": 1000},
                                               headers=admin).json()["rows"]]
    assert actions.count("user.updated") == 2


def test_the_head_of_an_office_is_known_from_todays_authority_acting_included(client: TestClient) -> None:
    """The Temirtau deputy acts for the head around the demo's today: they are the office's head."""
    temirtau = client.get("/api/v1/me", headers=bearer(client, "temirtau")).json()
    assert set(temirtau["roles"]) == {"user", "head"}
    assert client.get("/api/v1/me", headers=bearer(client, "admin")).json()["roles"] == ["administrator", "user"]
    gp = client.get("/api/v1/me", headers=bearer(client, "genprokuror")).json()
    assert set(gp["roles"]) == {"user", "head", "gpo_staff"}


def test_a_zone_prosecutor_sees_and_reviews_the_acts_of_their_zone_and_not_others(client: TestClient) -> None:
    karaganda, medeu = bearer(client, "karaganda"), bearer(client, "medeu")
    zone = user_for(client, ZONE_PROSECUTOR, "smagulov")
    assert set(client.get("/api/v1/me", headers=zone).json()["roles"]) == {"user", "zone_prosecutor"}
    in_zone = issue(client, karaganda, draft_act(client, karaganda, office=TEMIRTAU, details={"area": "civil"}),
                    signer="Калиев Нурлан Бакытович")
    outside_zone = issue(client, karaganda, draft_act(client, karaganda, office=KARAGANDA_CITY,
                                                      details={"area": "civil"}), signer="Мусин Айдар Кайратович")
    other_region = issue(client, medeu, draft_act(client, medeu))
    # Sees the zone's acts and their deadlines; another region's act does not exist for them.
    card = read(client, zone, "acts", in_zone["id"])
    assert card["deadlines"] and card["superior_reviewer"]["full_name"] == ZONE_PROSECUTOR
    register = client.get("/api/v1/acts", headers=zone).json()
    numbers = {item["number"] for item in register["items"]}
    assert in_zone["number"] in numbers and other_region["number"] not in numbers
    assert client.get(f"/api/v1/acts/{other_region['id']}", headers=zone).status_code == 404
    decision = {"type": "superior_decision", "date": "2026-10-08", "decision": "keep"}
    assert client.post(f"/api/v1/acts/{other_region['id']}/steps", headers=zone,
                       json={"version": other_region["version"], "step": decision}).status_code == 404
    # Reviews the zone's act (I.62, I.68); not the act of an office outside their zone.
    refused = step(client, zone, "acts", outside_zone, decision, status=403)
    assert refused["code"] == "not_superior_reviewer"
    reviewed = step(client, zone, "acts", in_zone, decision)
    assert reviewed["steps"][-1]["author"] == "smagulov"


# ------------------------------------------------------------------------- the cached office tree


def _office_reads(platform: Platform) -> list[str]:
    """Statements reading the whole office table, recorded on `platform`'s engine."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        flat = " ".join(statement.split()).lower()
        if "from offices" in flat and "where" not in flat:
            seen.append(flat)

    event.listen(platform.engine, "before_cursor_execute", listen)
    return seen


def test_a_non_admin_request_reads_the_office_tree_once_per_version(demo: Platform) -> None:
    client = client_for(demo)
    headers = bearer(client, "karaganda")
    client.get("/api/v1/people", headers=headers)  # warms the cache
    reads = _office_reads(demo)
    for _ in range(3):
        assert client.get("/api/v1/people", headers=headers).status_code == 200
    assert reads == []
    admin = bearer(client, "admin")
    parent = client.get(f"/api/v1/offices/{office_id(client, admin, TEMIRTAU)}", headers=admin).json()
    changed = client.put(f"/api/v1/offices/{parent['id']}", headers=admin,
                         json={**{k: parent[k] for k in ("code", "parent_code", "level", "kind", "name_kk", "city",
                                                         "valid_from", "valid_to", "former_names", "version")},
                               "name_ru": "Прокуратура города Темиртау (переименована)"})
    assert changed.status_code == 200, changed.text
    reads.clear()
    client.get("/api/v1/people", headers=headers)
    client.get("/api/v1/people", headers=headers)
    assert len(reads) == 1  # read once for the new version, then kept


def test_an_office_added_by_another_process_is_in_scope_at_once_and_a_rolled_back_one_never(
        demo: Platform) -> None:
    client = client_for(demo)
    karaganda = bearer(client, "karaganda")
    before = {p["full_name"] for p in client.get("/api/v1/people", headers=karaganda).json()}
    # This process: an office created and rolled back leaves no trace in the cache.
    with pytest.raises(RuntimeError), demo.transaction() as session:
        org.do_create_office(session, {"code": "karaganda_region.ghost", "parent_code": "karaganda_region",
                                       "level": "district", "kind": "territorial", "name_ru": "Призрак",
                                       "city": "Караганда"}, actor=cli_actor())
        assert any(o.code == "karaganda_region.ghost" for o in org.cached_tree(session).by_id.values())
        raise RuntimeError("rolled back")
    # Another process (its own engine on the same database) adds an office and a person in it.
    other = create_platform(demo.settings, migrate=False)
    try:
        with other.transaction() as session:
            office = org.do_create_office(session, {
                "code": "karaganda_region.new_district", "parent_code": "karaganda_region", "level": "district",
                "kind": "territorial", "name_ru": "Прокуратура нового района", "city": "Караганда"},
                actor=cli_actor())
            org.do_create_person(session, {"full_name": "Новиков Пётр Ильич", "position": "district_prosecutor",
                                           "office_id": office.id}, actor=cli_actor())
    finally:
        other.dispose()
    after = {p["full_name"] for p in client.get("/api/v1/people", headers=karaganda).json()}
    assert after - before == {"Новиков Пётр Ильич"}
    with demo.read_only() as session:
        codes = {o.code for o in org.cached_tree(session).by_id.values()}
    assert "karaganda_region.new_district" in codes and "karaganda_region.ghost" not in codes


def test_an_auditor_reads_a_card_and_the_register_without_the_forms_that_change(client: TestClient) -> None:
    medeu = bearer(client, "medeu")
    opened = client.post("/api/v1/checks", headers=medeu, json={
        "office_id": office_id(client, medeu, "almaty_city.medeu_district"),
        "details": {"subject_name": "Акимат Медеуского района"},
        "step": {"type": "opened", "date": "2026-09-01", "subject_kind": "state_body", "basis": "protect_rights",
                 "protected_interest": ["vulnerable_persons"], "control_body_failed": True}})
    assert opened.status_code == 201, opened.text
    check = opened.json()["id"]
    admin = bearer(client, "admin")
    created = client.post("/api/v1/users", headers=admin, json={
        "login": "esimova", "password": "esimova-secret-2026", "is_auditor": True,
        "person_id": person_id(client, admin, "Есимова Алия Нурлановна")})
    assert created.status_code == 201, created.text
    for login, password, may_record in (("medeu", None, True), ("esimova", "esimova-secret-2026", False)):
        client.cookies.clear()
        web_login(client, login, password)
        card = client.get(f"/checks/{check}")
        assert card.status_code == 200 and "Акимат Медеуского района" in card.text
        assert (f'action="/checks/{check}/steps"' in card.text) is may_record, login
        assert ('href="/checks/new"' in client.get("/checks").text) is may_record, login
