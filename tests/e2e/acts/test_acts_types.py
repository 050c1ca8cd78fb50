"""Act types as administrator-edited data (issue 9: «keep each type's default term as administrator-
edited data with its source (empty until filled) … Never hard-code a term»), on SQLite and PostgreSQL:
seeded empty, edited by an administrator only, audited, and the proposal of an issued act's
response term from that data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor.audit import service as audit
from nadzor.bootstrap import Platform
from nadzor.infra.context import cli_actor
from tests.support.acts import draft_act, frozen_today, issue, read
from tests.support.web import bearer, client_for

__all__ = ["frozen_today"]

TERM = {"days": 30, "unit": "calendar", "source": "Закон «О прокуратуре» (проверено администратором)"}


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def put_type(client: TestClient, headers: dict[str, str], code: str, **changes: Any) -> Any:
    current = client.get(f"/api/v1/act-types/{code}", headers=headers).json()
    body = {"version": current["version"], "name_ru": current["name_ru"], "name_kk": current["name_kk"],
            "legal_source": current["legal_source"], "response_term": current["response_term"]} | changes
    return client.put(f"/api/v1/act-types/{code}", headers=headers, json=body)


def test_the_five_types_of_I_58_are_seeded_with_names_and_source_and_no_response_term(
        client: TestClient, almaty: dict[str, str]) -> None:
    items = client.get("/api/v1/act-types", headers=almaty).json()
    assert [i["code"] for i in items] == ["protest", "representation", "prescription", "resolution", "other"]
    assert [i["name_ru"] for i in items[:4]] == ["Протест", "Представление", "Предписание", "Постановление"]
    assert all(i["name_kk"] and i["legal_source"] for i in items)
    assert all(i["response_term"] is None for i in items)
    assert client.get("/api/v1/act-types/court", headers=almaty).status_code == 404
    assert client.get("/api/v1/act-types").status_code == 401


def test_only_an_administrator_sets_a_types_response_term_and_the_change_is_audited(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    refused = put_type(client, almaty, "representation", response_term=TERM)
    assert refused.status_code == 403
    admin = bearer(client, "admin")
    response = put_type(client, admin, "representation", response_term=TERM)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_term"] == TERM | {"unit_label": "календарных дней"}
    assert body["version"] == 2
    assert body["updated_by"] == "admin"
    with demo.read_only() as session:
        total, rows = audit.access_audit(session, cli_actor(), audit.AuditFilter(action="act_type.updated"))
    assert total == 1
    assert rows[0]["object_id"] == "representation"
    emptied = put_type(client, admin, "representation", response_term=None)
    assert emptied.json()["response_term"] is None


def test_a_bad_act_type_change_is_field_keyed_and_a_stale_one_conflicts(client: TestClient) -> None:
    admin = bearer(client, "admin")
    bad = put_type(client, admin, "protest", response_term={"days": 10, "unit": "weeks", "source": "x"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["response_term.unit"]
    no_source = put_type(client, admin, "protest", response_term={"days": 10, "unit": "working"})
    assert [e["field"] for e in no_source.json()["errors"]] == ["response_term.source"]
    zero = put_type(client, admin, "protest", response_term={"days": 0, "unit": "working", "source": "x"})
    assert [e["field"] for e in zero.json()["errors"]] == ["response_term.days"]
    assert put_type(client, admin, "protest", name_ru="Протест прокурора").status_code == 200
    stale = put_type(client, admin, "protest", version=1, name_ru="Протест")
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"


def test_an_act_issued_without_response_due_is_answered_with_a_proposal_from_its_types_data(
        client: TestClient, almaty: dict[str, str]) -> None:
    act = draft_act(client, almaty)
    issued = issue(client, almaty, act)  # 6 October 2026
    assert issued["proposed_response_due"] is None  # the term is still empty: nothing is invented
    assert issued["act_type"]["code"] == "representation"
    admin = bearer(client, "admin")
    assert put_type(client, admin, "representation", response_term=TERM).status_code == 200
    proposal = read(client, almaty, "acts", act["id"])["proposed_response_due"]
    assert proposal["due"] == "2026-11-05"  # K1: 6 October + 30 calendar days
    assert proposal["source"] == TERM["source"]
    working = TERM | {"days": 10, "unit": "working"}
    assert put_type(client, admin, "representation", response_term=working).status_code == 200
    assert read(client, almaty, "acts", act["id"])["proposed_response_due"]["due"] == "2026-10-20"  # K2


def test_no_proposal_when_the_prosecutor_set_the_response_due(client: TestClient, almaty: dict[str, str]) -> None:
    admin = bearer(client, "admin")
    assert put_type(client, admin, "prescription", response_term=TERM).status_code == 200
    act = draft_act(client, almaty, act_type="prescription")
    assert act["proposed_response_due"] is None  # not issued yet
    issued = issue(client, almaty, act, response_due="2026-11-01")
    assert issued["proposed_response_due"] is None
    assert [d["code"] for d in issued["state"]["deadlines"]].count("response") == 1
