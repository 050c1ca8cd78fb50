"""Driving acts of supervision through the API in tests: the demo people, a frozen today, and the
steps of a check, an evaluation and an act."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.checks import resolution
from tests.support.web import bearer, office_id, person_id

TODAY = date(2026, 11, 25)
MEDEU = "almaty_city.medeu_district"
ALMATY = "almaty_city"
KARAGANDA = "karaganda_region"
MEDEU_HEAD = "Рахимов Азамат Маратович"  # district prosecutor of Medeu
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"  # prosecutor of Almaty city
ALMATY_ZONE = "Сарсенбаев Ильяс Муратович"  # prosecutor of Almaty city, zone Medeu, all areas (demo)
CONTENT = ["legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"]


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Tests never read the real date: today in Almaty is TODAY."""
    monkeypatch.setattr("nadzor.web.security.today", lambda request: TODAY)
    monkeypatch.setattr("nadzor.casework.api.today", lambda request: TODAY)
    return TODAY


def user_for(client: TestClient, person_name: str, login: str) -> dict[str, str]:
    """A user account for a demo person who has none, signed in."""
    admin = bearer(client, "admin")
    response = client.post("/api/v1/users", headers=admin, json={
        "login": login, "password": f"{login}-secret-2026", "person_id": person_id(client, admin, person_name)})
    assert response.status_code == 201, response.text
    return bearer(client, login, f"{login}-secret-2026")


def post(client: TestClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    return client.post(path, headers=headers, json=body)


def step(client: TestClient, headers: dict[str, str], collection: str, item: dict[str, Any],
         posted: dict[str, Any], details: dict[str, Any] | None = None, status: int = 201) -> dict[str, Any]:
    """Record a step and expect `status`; the answer's body."""
    body: dict[str, Any] = {"version": item["version"], "step": posted}
    if details is not None:
        body["details"] = details
    response = client.post(f"/api/v1/{collection}/{item['id']}/steps", headers=headers, json=body)
    assert response.status_code == status, (posted, response.text)
    return dict(response.json())


def read(client: TestClient, headers: dict[str, str], collection: str, item_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/{collection}/{item_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def check_with_act_decision(client: TestClient, headers: dict[str, str], *, decision: str = "act") -> dict[str, Any]:
    """A Medeu check of September 2026 run to its decision (I.6–I.24)."""
    head = person_id(client, headers, MEDEU_HEAD)
    response = post(client, headers, "/api/v1/checks", {
        "office_id": office_id(client, headers, MEDEU), "details": {"subject_name": "Акимат Медеуского района"},
        "step": {"type": "opened", "date": "2026-09-01", "subject_kind": "state_body", "basis": "protect_rights",
                 "protected_interest": ["vulnerable_persons"], "control_body_failed": True}})
    assert response.status_code == 201, response.text
    item = dict(response.json())
    certificate = {"date": "2026-10-01", "place": "г. Алматы", "grounds": "постановление № 1",
                   "subject_name": "Акимат", "topic": "соблюдение прав детей", "general_info": "…",
                   "legality_assessment": "…", "causes_analysis": "…", "remedy_mechanism": "…",
                   "conclusions": "…", "signatures": ["Рахимов А. М."]}
    for posted, details in (
        ({"type": "resolution_signed", "date": "2026-09-01", "signer_person_id": head, "start_date": "2026-09-02",
          "end_date": "2026-09-30"}, resolution([person_id(client, headers, "Токтаров Санжар Ерболович")])),
        ({"type": "registered", "date": "2026-09-01", "number": "26-1"}, None),
        ({"type": "started", "date": "2026-09-02"}, None),
        ({"type": "ended", "date": "2026-09-29"}, None),
        ({"type": "certificate_delivered", "date": "2026-10-01", "acknowledged": True}, {"certificate": certificate}),
        ({"type": "decision", "date": "2026-10-02", "decision": decision}, None),
    ):
        item = step(client, headers, "checks", item, posted, details)
    return item


def studied_evaluation(client: TestClient, headers: dict[str, str], *, violations: list[str] | None = None,
                       office: str = MEDEU) -> dict[str, Any]:
    """An evaluation of a normative act, received and studied (R.24–R.26)."""
    response = post(client, headers, "/api/v1/evaluations", {
        "office_id": office_id(client, headers, office), "details": {"act_title": "Решение маслихата № 12"},
        "step": {"type": "opened", "date": "2026-09-01", "context": "analysis", "act_kind": "normative"}})
    assert response.status_code == 201, response.text
    item = dict(response.json())
    item = step(client, headers, "evaluations", item, {"type": "act_received", "date": "2026-09-02"})
    found = ["conformity"] if violations is None else violations
    return step(client, headers, "evaluations", item, {"type": "studied", "date": "2026-09-10", "violations": found},
                {"checklist": checklist(found)})


def checklist(violations: list[str]) -> list[dict[str, str]]:
    """The R.26 study: each item answered, the violated ones with a note."""
    items = ("competence", "conformity", "contradiction", "registration", "publication")
    return [{"item": item, "finding": "violates" if item in violations else "conforms",
             "note": "противоречит статье 10 Закона" if item in violations else ""} for item in items]


def draft_act(client: TestClient, headers: dict[str, str], *, office: str = MEDEU, act_type: str = "representation",
              day: str = "2026-10-05", central: bool = False, details: dict[str, Any] | None = None,
              status: int = 201) -> dict[str, Any]:
    response = post(client, headers, "/api/v1/acts", {
        "office_id": office_id(client, headers, office), "details": {"addressee_name": "Акимат", **(details or {})},
        "step": {"type": "drafted", "date": day, "act_type": act_type, "addressee_central_body": central,
                 "content": CONTENT}})
    assert response.status_code == status, response.text
    return dict(response.json())


def issue(client: TestClient, headers: dict[str, str], item: dict[str, Any], *, signer: str = MEDEU_HEAD,
          day: str = "2026-10-06", response_due: str | None = None, details: dict[str, Any] | None = None,
          status: int = 201) -> dict[str, Any]:
    posted: dict[str, Any] = {"type": "issued", "date": day, "signer_person_id": person_id(client, headers, signer)}
    if response_due is not None:
        posted["response_due"] = response_due
    return step(client, headers, "acts", item, posted, details, status)
