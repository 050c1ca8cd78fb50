"""Control views of acts (issue 9), on SQLite and PostgreSQL: the totals of execution per office
subtree and period (I.59), the queue of data-bank entries (I.67) and the I.64 register with the
quarter's table for the analysis of causes (JSON, CSV and the page)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from tests.support.acts import ALMATY_HEAD, draft_act, frozen_today, issue, step
from tests.support.web import bearer, client_for, office_id, web_login

__all__ = ["frozen_today"]


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


@pytest.fixture
def acts(client: TestClient, almaty: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Medeu: a representation executed in October 2026 and one revoked after a suspension; Almaty
    city: a protest of July invalidated by a court in October; Karaganda city: an amended act."""
    executed = issue(client, almaty, draft_act(client, almaty))
    for posted in ({"type": "execution_recorded", "date": "2026-10-15", "damage_recovered": 1000,
                    "persons_liable": 1},
                   {"type": "liability_initiated", "date": "2026-10-16", "article": "665"},
                   {"type": "execution_recorded", "date": "2026-11-02", "damage_recovered": 500}):
        executed = step(client, almaty, "acts", executed, posted)
    revoked = issue(client, almaty, draft_act(client, almaty, act_type="prescription"))
    revoked = step(client, almaty, "acts", revoked, {"type": "superior_decision", "date": "2026-10-08",
                                                     "decision": "suspend"})
    revoked = step(client, almaty, "acts", revoked, {"type": "superior_decision", "date": "2026-10-09",
                                                     "decision": "revoke", "transfer": True})
    protest = issue(client, almaty, draft_act(client, almaty, office="almaty_city", act_type="protest",
                                              day="2026-07-09"), signer=ALMATY_HEAD, day="2026-07-10")
    protest = step(client, almaty, "acts", protest, {"type": "court_invalidated", "date": "2026-10-20"})
    karaganda = bearer(client, "karaganda")
    amended = issue(client, karaganda, draft_act(client, karaganda, office="karaganda_region.karaganda_city"),
                    signer="Мусин Айдар Кайратович")
    amended = step(client, karaganda, "acts", amended, {"type": "superior_decision", "date": "2026-10-08",
                                                        "decision": "amend"})
    return {"executed": executed, "revoked": revoked, "protest": protest, "amended": amended}


def test_totals_of_execution_count_the_steps_of_the_period_in_the_offices_subtree_I_59(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    october = client.get("/api/v1/acts/totals", headers=almaty,
                         params={"office_id": office_id(client, almaty, "almaty_city"), "from": "2026-10-01",
                                 "to": "2026-10-31"}).json()
    assert october["issued"] == 2  # the representation and the prescription; the July protest is outside
    assert october["issued_by_type"] == {"protest": 0, "representation": 1, "prescription": 1, "resolution": 0,
                                         "other": 0}
    assert (october["damage_recovered"], october["persons_liable"]) == (1000, 1)
    assert october["liability_proceedings"] == {"664": 0, "665": 1}
    assert [o["office_name"] for o in october["offices"]] == ["Прокуратура Медеуского района города Алматы"]
    year = client.get("/api/v1/acts/totals", headers=almaty, params={"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert year["issued"] == 3
    assert year["damage_recovered"] == 1500
    everyone = client.get("/api/v1/acts/totals", headers=bearer(client, "admin"),
                          params={"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert everyone["issued"] == 4  # Karaganda's too
    medeu_only = client.get("/api/v1/acts/totals", headers=almaty, params={
        "office_id": office_id(client, almaty, "almaty_city.medeu_district"), "from": "2026-07-01"}).json()
    assert (medeu_only["issued"], medeu_only["to"]) == (2, "2026-11-25")  # to: today


def test_totals_refuse_a_bad_period_and_an_office_out_of_scope(
        client: TestClient, almaty: dict[str, str]) -> None:
    bad = client.get("/api/v1/acts/totals", headers=almaty, params={"from": "2026-13-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "from"
    backwards = client.get("/api/v1/acts/totals", headers=almaty, params={"from": "2026-10-01", "to": "2026-09-01"})
    assert backwards.json()["errors"][0]["field"] == "to"
    karaganda = office_id(client, bearer(client, "admin"), "karaganda_region")
    foreign = client.get("/api/v1/acts/totals", headers=almaty, params={"office_id": karaganda})
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "office_id"


def test_the_databank_queue_lists_every_open_entry_in_scope_with_its_due_and_overdue_flag_I_67(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    queue = client.get("/api/v1/databank-queue", headers=almaty).json()
    numbers = {i["number"] for i in queue["items"]}
    assert numbers == {acts["executed"]["number"], acts["revoked"]["number"], acts["protest"]["number"]}
    first = queue["items"][0]
    assert (first["number"], first["due"], first["step_type"]) == (acts["protest"]["number"], "2026-07-15", "issued")
    assert first["overdue"] is True  # today is 25 November 2026
    assert queue["overdue"] == queue["total"] == 3
    executed = acts["executed"]
    entered = step(client, almaty, "acts", executed, {"type": "databank_entered", "date": "2026-11-25", "step": 1})
    assert entered["state"]["late"][0]["code"] == "databank_entry"
    after = client.get("/api/v1/databank-queue", headers=almaty).json()
    assert executed["number"] not in {i["number"] for i in after["items"]}
    medeu = client.get("/api/v1/databank-queue", headers=bearer(client, "medeu")).json()
    assert {i["number"] for i in medeu["items"]} == {acts["revoked"]["number"]}


def test_the_I_64_register_lists_the_quarters_decisions_per_territorial_office_with_the_report_due(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    data = client.get("/api/v1/acts/register-i64", headers=almaty, params={"year": 2026, "quarter": 4}).json()
    assert data["obligation"] == {"code": "I64.invalidated_acts", "citation": "I.64", "period_start": "2026-10-01",
                                  "period_end": "2026-12-31", "report_due": "2027-01-05"}
    events = [(r["number"], r["event"], r["event_date"]) for r in data["rows"]]
    assert events == [(acts["revoked"]["number"], "suspend", "2026-10-08"),
                      (acts["revoked"]["number"], "revoke", "2026-10-09"),
                      (acts["protest"]["number"], "invalidated", "2026-10-20")]
    assert data["rows"][1]["transfer"] is True
    assert data["rows"][2]["issued_on"] == "2026-07-10"
    table = {r["office_name"]: r for r in data["table"]}
    assert table["Прокуратура Медеуского района города Алматы"] | {"office_id": 0} == {
        "office_id": 0, "office_name": "Прокуратура Медеуского района города Алматы", "acts": 1, "revoke": 1,
        "amend": 0, "suspend": 1, "invalidated": 0}
    assert data["totals"] == {"acts": 2, "revoke": 1, "amend": 0, "suspend": 1, "invalidated": 1}
    third = client.get("/api/v1/acts/register-i64", headers=almaty, params={"year": 2026, "quarter": 3}).json()
    assert (third["rows"], third["obligation"]["report_due"]) == ([], "2026-10-05")
    everyone = client.get("/api/v1/acts/register-i64", headers=bearer(client, "admin"),
                          params={"year": 2026, "quarter": 4}).json()
    assert everyone["totals"]["amend"] == 1  # Karaganda city


def test_the_I_64_register_exports_csv_and_refuses_a_bad_quarter(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    response = client.get("/api/v1/acts/register-i64", headers=almaty,
                          params={"year": 2026, "quarter": 4, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert "2027-01-05" in rows[0][0]
    assert rows[1][:3] == ["Прокуратура", "Номер акта", "Вид акта"]
    assert [r[5] for r in rows[2:5]] == ["приостановлен вышестоящим прокурором", "отозван вышестоящим прокурором",
                                         "признан незаконным судом"]
    assert rows[-1] == ["Итого", "2", "1", "0", "1", "1"]
    for params, field in (({"quarter": 5}, "quarter"), ({"year": 2030, "quarter": 1}, "year"),
                          ({"format": "xml"}, "format")):
        bad = client.get("/api/v1/acts/register-i64", headers=almaty, params=params)
        assert bad.status_code == 422, params
        assert bad.json()["errors"][0]["field"] == field


def test_the_I_64_register_page_shows_and_exports_the_quarters_table(
        client: TestClient, acts: dict[str, dict[str, Any]]) -> None:
    web_login(client, "almaty")
    page = client.get("/acts/register-i64", params={"year": "2026", "quarter": "4"})
    assert page.status_code == 200
    assert acts["revoked"]["number"] in page.text
    assert "05.01.2027" in page.text
    assert "format=csv" in page.text
    exported = client.get("/acts/register-i64", params={"year": "2026", "quarter": "4", "format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert acts["protest"]["number"] in exported.content.decode("utf-8-sig")
    bad = client.get("/acts/register-i64", params={"quarter": "x"})
    assert bad.status_code == 422
    assert "quarter" in bad.text
