"""Analyses (issue 10) through the API on SQLite and PostgreSQL: plans approved by an allowed signer
(R.11) whose items open their analyses, the directory of organizations (R.13–14), the КУИ register with
its monthly reconciliation (R.19 p. 5, R.20), the periodic obligations and their reports (R.5–9, I.46,
I.64, I.70). The clock is frozen at the demo's today; refused requests change nothing."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nadzor.analyses import api as api_analyses
from nadzor.analyses import service as analyses
from nadzor.analyses.tables import kui_reconciliations
from nadzor.audit import service as audit
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.domain.audit import ACTION_LABELS
from nadzor.infra.context import cli_actor
from nadzor.infra.errors import Conflict, InvalidInput
from nadzor.org.tables import offices
from nadzor.rules.instruction.checks import bin_iin_valid
from tests.support.analyses import CERTIFICATE, RAPPORT
from tests.support.web import bearer, client_for, office_id, person_id

TODAY = date(2026, 11, 25)
ALMATY = "almaty_city"
MEDEU = "almaty_city.medeu_district"
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"  # prosecutor of Almaty city
ALMATY_PROSECUTOR = "Сарсенбаев Ильяс Муратович"
KARAGANDA_HEAD = "Бекмуханов Ерлан Сагинтаевич"


def valid_bin(prefix: str) -> str:
    """A 12-digit BIN with a correct check digit, from an 11-digit prefix."""
    for last in "0123456789":
        if bin_iin_valid(prefix + last):
            return prefix + last
    return valid_bin(str(int(prefix) + 1).zfill(11))


@pytest.fixture
def client(demo: Platform, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(api_analyses, "today", lambda request: TODAY)
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def anyone(client: TestClient, name: str) -> int:
    """A person's id looked up in the widest scope (the Prosecutor General's)."""
    return person_id(client, bearer(client, "genprokuror"), name)


def new_plan(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/analysis-plans", headers=headers,
                           json={"office_id": office_id(client, headers, ALMATY), "year": 2026, **extra})
    assert response.status_code == 201, response.text
    return dict(response.json())


def add_item(client: TestClient, headers: dict[str, str], plan: dict[str, Any], quarter: int,
             topic: str = "Соблюдение законодательства о государственных закупках") -> dict[str, Any]:
    response = client.post(f"/api/v1/analysis-plans/{plan['id']}/items", headers=headers, json={
        "version": plan["version"], "topic": topic, "quarter": quarter,
        "responsible_person_id": person_id(client, headers, ALMATY_PROSECUTOR)})
    assert response.status_code == 201, response.text
    return dict(response.json())


def approve(client: TestClient, headers: dict[str, str], plan: dict[str, Any], who: str = ALMATY_HEAD) -> Any:
    return client.post(f"/api/v1/analysis-plans/{plan['id']}/approval", headers=headers, json={
        "version": plan["version"], "person_id": anyone(client, who), "date": "2026-01-09"})


def open_item(client: TestClient, headers: dict[str, str], plan: dict[str, Any], index: int,
              day: str = "2026-02-02") -> Any:
    item = plan["items"][index]
    return client.post(f"/api/v1/analysis-plans/{plan['id']}/items/{item['id']}/analysis", headers=headers,
                       json={"step": {"date": day, "basis": "monitoring"}})


def record(client: TestClient, headers: dict[str, str], analysis_id: int, step: dict[str, Any],
           details: dict[str, Any] | None = None) -> dict[str, Any]:
    current = client.get(f"/api/v1/analyses/{analysis_id}", headers=headers).json()
    if step["type"] == "ended" and details is None:
        details = CERTIFICATE
    response = client.post(f"/api/v1/analyses/{analysis_id}/steps", headers=headers,
                           json={"version": current["version"], "step": step, "details": details})
    assert response.status_code == 201, response.text
    return dict(response.json())


# ===================================================================================== plans


def test_r11_an_approved_plan_item_opens_its_analysis_via_plan_signed_by_the_approver(
        client: TestClient, almaty: dict[str, str]) -> None:
    plan = add_item(client, almaty, new_plan(client, almaty), 1)
    approved = approve(client, almaty, plan)
    assert approved.status_code == 200, approved.text
    plan = approved.json()
    assert plan["approved"] is True
    assert plan["approver"]["position"] == "regional_prosecutor"
    assert plan["title"] == "План анализов на 2026 год"
    response = open_item(client, almaty, plan, 0)
    assert response.status_code == 201, response.text
    analysis = response.json()
    assert analysis["kind"] == "analysis"
    assert analysis["state"]["status"] == "in_progress"
    assert analysis["steps"][0]["via"] == "plan"
    assert analysis["steps"][0]["signer"] == {"position": "regional_prosecutor"}
    assert analysis["steps"][0]["details"]["plan_item_id"] == plan["items"][0]["id"]
    assert analysis["subject"] == "Соблюдение законодательства о государственных закупках"
    again = open_item(client, almaty, plan, 0)
    assert again.status_code == 409
    assert again.json()["code"] == "item_opened"
    item = client.get(f"/api/v1/analysis-plans/{plan['id']}", headers=almaty).json()["items"][0]
    assert item["analysis_id"] == analysis["id"]
    assert item["status"] == "overdue"  # the first quarter has ended and the analysis is not closed


def test_r11_a_plan_approved_by_a_prosecutor_is_refused_with_409_and_nothing_changes(
        client: TestClient, almaty: dict[str, str]) -> None:
    plan = add_item(client, almaty, new_plan(client, almaty, quarter=4), 4)
    refused = approve(client, almaty, plan, who=ALMATY_PROSECUTOR)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "signer_not_allowed"
    assert refused.json()["citations"] == ["R.11"]
    foreign = approve(client, almaty, plan, who=KARAGANDA_HEAD)
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "person_id"
    after = client.get(f"/api/v1/analysis-plans/{plan['id']}", headers=almaty).json()
    assert after["approved"] is False
    assert after["version"] == plan["version"]
    not_yet = open_item(client, almaty, plan, 0)
    assert not_yet.status_code == 409
    assert not_yet.json()["code"] == "plan_not_approved"


def test_r11_plan_items_are_of_the_plans_office_and_quarter_and_are_added_before_approval_only(
        client: TestClient, almaty: dict[str, str]) -> None:
    plan = new_plan(client, almaty, quarter=2)
    url = f"/api/v1/analysis-plans/{plan['id']}/items"
    foreign = client.post(url, headers=almaty, json={
        "version": plan["version"], "topic": "Тема", "quarter": 2,
        "responsible_person_id": anyone(client, KARAGANDA_HEAD)})
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "responsible_person_id"
    wrong_quarter = client.post(url, headers=almaty, json={
        "version": plan["version"], "topic": "Тема", "quarter": 3,
        "responsible_person_id": person_id(client, almaty, ALMATY_PROSECUTOR)})
    assert wrong_quarter.status_code == 422
    assert wrong_quarter.json()["errors"][0]["field"] == "quarter"
    plan = add_item(client, almaty, plan, 2)
    stale = client.post(url, headers=almaty, json={
        "version": 1, "topic": "Тема", "quarter": 2,
        "responsible_person_id": person_id(client, almaty, ALMATY_PROSECUTOR)})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    plan = approve(client, almaty, plan).json()
    late = client.post(url, headers=almaty, json={
        "version": plan["version"], "topic": "Тема", "quarter": 2,
        "responsible_person_id": person_id(client, almaty, ALMATY_PROSECUTOR)})
    assert late.status_code == 409
    assert late.json()["code"] == "plan_approved"
    early = open_item(client, almaty, plan, 0, day="2026-01-05")
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "step.date"
    forced = client.post(f"/api/v1/analysis-plans/{plan['id']}/items/{plan['items'][0]['id']}/analysis",
                         headers=almaty, json={"step": {"date": "2026-04-01", "basis": "monitoring", "via": "rapport"}})
    assert forced.status_code == 422
    assert forced.json()["errors"][0]["field"] == "step.via"


def test_r11_a_district_plan_approved_by_the_prosecutor_of_the_region_opens_its_analysis(
        client: TestClient) -> None:
    medeu = bearer(client, "medeu")
    plan = client.post("/api/v1/analysis-plans", headers=medeu,
                       json={"office_id": office_id(client, medeu, MEDEU), "year": 2026, "quarter": 4}).json()
    response = client.post(f"/api/v1/analysis-plans/{plan['id']}/items", headers=medeu, json={
        "version": plan["version"], "topic": "Защита прав детей", "quarter": 4,
        "responsible_person_id": person_id(client, medeu, "Токтаров Санжар Ерболович")})
    assert response.status_code == 201, response.text
    plan = approve(client, medeu, response.json())
    assert plan.status_code == 200, plan.text
    opened = open_item(client, medeu, plan.json(), 0, day="2026-10-12")
    assert opened.status_code == 201, opened.text
    assert opened.json()["office_level"] == "district"
    assert opened.json()["steps"][0]["signer"] == {"position": "regional_prosecutor"}


def test_the_plan_counts_items_done_in_progress_overdue_and_planned(
        client: TestClient, almaty: dict[str, str]) -> None:
    plan = new_plan(client, almaty)
    for quarter in (1, 2, 4, 4):
        plan = add_item(client, almaty, plan, quarter)
    plan = approve(client, almaty, plan).json()
    done = open_item(client, almaty, plan, 0).json()
    record(client, almaty, done["id"], {"type": "ended", "date": "2026-02-20"})
    record(client, almaty, done["id"], {"type": "decision", "date": "2026-02-25", "decision": "other"})
    record(client, almaty, done["id"], {"type": "closed", "date": "2026-02-26"})
    assert open_item(client, almaty, plan, 2, day="2026-11-20").status_code == 201
    plan = client.get(f"/api/v1/analysis-plans/{plan['id']}", headers=almaty).json()
    assert [i["status"] for i in plan["items"]] == ["done", "overdue", "in_progress", "planned"]
    assert plan["counts"] == {"planned": 1, "in_progress": 1, "overdue": 1, "done": 1}
    listed = client.get("/api/v1/analysis-plans", headers=almaty, params={"year": 2026}).json()
    assert [p["id"] for p in listed] == [plan["id"]]
    exported = client.get("/api/v1/analysis-plans", headers=almaty, params={"year": 2026, "format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["План", "Прокуратура"]
    assert [r[7] for r in rows[1:]] == ["выполнен", "просрочен", "анализ проводится", "запланирован"]
    assert rows[1][6] == done["number"]


def test_an_item_is_overdue_only_after_the_last_day_of_its_quarter_and_never_once_its_analysis_is_closed() -> None:
    last = date(2026, 12, 31)
    assert analyses.item_status(last, None, last) == "planned"
    assert analyses.item_status(last, "in_progress", last) == "in_progress"
    assert analyses.item_status(last, None, date(2027, 1, 1)) == "overdue"
    assert analyses.item_status(last, "ended", date(2027, 1, 1)) == "overdue"
    assert analyses.item_status(last, "closed", date(2027, 1, 1)) == "done"


def test_a_plan_of_another_office_is_not_found_outside_the_users_scope(
        client: TestClient, almaty: dict[str, str]) -> None:
    plan = new_plan(client, almaty)
    medeu = bearer(client, "medeu")
    assert client.get(f"/api/v1/analysis-plans/{plan['id']}", headers=medeu).status_code == 404
    assert client.get("/api/v1/analysis-plans", headers=medeu).json() == []
    refused = client.post("/api/v1/analysis-plans", headers=medeu,
                          json={"office_id": office_id(client, almaty, ALMATY), "year": 2026})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "office_id"


# ============================================================================= organizations


def test_r13_an_organization_is_entered_with_a_bin_that_passes_its_check_digit(
        client: TestClient, almaty: dict[str, str]) -> None:
    number = valid_bin("94034000032")
    bad = number[:-1] + str((int(number[-1]) + 1) % 10)
    refused = client.post("/api/v1/organizations", headers=almaty,
                          json={"name": "Акимат города Алматы", "bin": bad, "kind": "state_body"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "bin"
    assert client.get("/api/v1/organizations", headers=almaty).json()["total"] == 0
    made = client.post("/api/v1/organizations", headers=almaty, json={
        "name": "Акимат города Алматы", "bin": number, "kind": "state_body", "address": "пл. Республики, 4"})
    assert made.status_code == 201, made.text
    duplicate = client.post("/api/v1/organizations", headers=almaty,
                            json={"name": "Другое", "bin": number, "kind": "quasi_state"})
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "bin"
    client.post("/api/v1/organizations", headers=almaty, json={
        "name": "ТОО «Алматы Су Сервис»", "bin": valid_bin("15054001234"), "kind": "private_business"})
    found = client.get("/api/v1/organizations", headers=almaty, params={"q": "АКИМАТ"}).json()
    assert [o["name"] for o in found["items"]] == ["Акимат города Алматы"]
    by_kind = client.get("/api/v1/organizations", headers=almaty, params={"kind": "private_business"}).json()
    assert [o["kind"] for o in by_kind["items"]] == ["private_business"]
    changed = client.put(f"/api/v1/organizations/{made.json()['id']}", headers=almaty, json={
        "name": "Аппарат акима города Алматы", "bin": number, "kind": "state_body", "version": 1})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    stale = client.put(f"/api/v1/organizations/{made.json()['id']}", headers=almaty, json={
        "name": "Снова", "bin": number, "kind": "state_body", "version": 1})
    assert stale.status_code == 409


def test_r13_an_info_request_names_an_organization_of_the_directory_of_its_addressees_kind(
        demo: Platform) -> None:
    actor = cli_actor()
    with demo.transaction() as session:
        made = analyses.do_create_organization(session, {"name": "АО «Фонд»", "bin": valid_bin("06044000111"),
                                                         "kind": "quasi_state"}, actor=actor)
        step = {"type": "info_requested", "date": "2026-02-03", "addressee": "quasi_state"}
        analyses.check_step_organization(session, "analysis", step, {"organization_id": made["id"]})
        analyses.check_step_organization(session, "analysis", step, None)
        with pytest.raises(InvalidInput) as mismatch:
            analyses.check_step_organization(session, "analysis", {**step, "addressee": "state_body"},
                                             {"organization_id": made["id"]})
        assert mismatch.value.errors[0].field == "details.organization_id"
        with pytest.raises(InvalidInput) as unknown:
            analyses.check_step_organization(session, "analysis", step, {"organization_id": 999_999})
        assert unknown.value.errors[0].field == "details.organization_id"
        with pytest.raises(InvalidInput):
            analyses.check_step_organization(session, "analysis", step, {"organization_id": "1"})


# ============================================================================== КУИ register


def analysis_with_kui_decision(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/analyses", headers=headers, json={
        "office_id": office_id(client, headers, ALMATY), "details": {"topic": "Незаконные свалки", **RAPPORT},
        "step": {"type": "opened", "date": "2026-09-01", "via": "rapport", "basis": "information",
                 "signer_person_id": person_id(client, headers, ALMATY_HEAD)}})
    assert response.status_code == 201, response.text
    item = response.json()
    record(client, headers, item["id"], {"type": "ended", "date": "2026-09-25"})
    return record(client, headers, item["id"], {"type": "decision", "date": "2026-09-28",
                                                "decision": "kui_registration"})


def test_r19_materials_are_registered_in_the_kui_by_the_decision_kui_registration_and_transferred(
        client: TestClient, almaty: dict[str, str]) -> None:
    analysis = analysis_with_kui_decision(client, almaty)
    body = {"proceeding_id": analysis["id"], "step": 2, "number": "КУИ-15", "registered_on": "2026-09-29",
            "summary": "Сведения о загрязнении земель"}
    wrong_step = client.post("/api/v1/kui-materials", headers=almaty, json={**body, "step": 1})
    assert wrong_step.status_code == 422
    assert wrong_step.json()["errors"][0]["field"] == "step"
    too_early = client.post("/api/v1/kui-materials", headers=almaty, json={**body, "registered_on": "2026-09-27"})
    assert too_early.status_code == 422
    assert too_early.json()["errors"][0]["field"] == "registered_on"
    made = client.post("/api/v1/kui-materials", headers=almaty, json=body)
    assert made.status_code == 201, made.text
    material = made.json()
    assert material["source"] == analysis["number"]
    assert material["transferred_on"] is None
    twice = client.post("/api/v1/kui-materials", headers=almaty, json=body)
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "step"
    transfer = {"version": 1, "transferred_to": "Департамент экологии по г. Алматы", "transferred_on": "2026-10-02"}
    moved = client.post(f"/api/v1/kui-materials/{material['id']}/transfer", headers=almaty, json=transfer)
    assert moved.status_code == 200, moved.text
    assert moved.json()["transferred_to"] == "Департамент экологии по г. Алматы"
    again = client.post(f"/api/v1/kui-materials/{material['id']}/transfer", headers=almaty,
                        json={**transfer, "version": 2})
    assert again.status_code == 409
    assert again.json()["code"] == "already_transferred"
    listed = client.get("/api/v1/kui-materials", headers=almaty,
                        params={"year": 2026, "month": 9, "transferred": True}).json()
    assert [m["number"] for m in listed["items"]] == ["КУИ-15"]
    assert client.get("/api/v1/kui-materials", headers=almaty,
                      params={"transferred": False}).json()["total"] == 0
    exported = client.get("/api/v1/kui-materials", headers=almaty, params={"format": "csv", "year": 2026})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "№ КУИ"
    assert rows[1][0] == "КУИ-15"
    assert rows[1][5] == "Департамент экологии по г. Алматы"
    record(client, almaty, analysis["id"], {"type": "decision", "date": "2026-09-30", "decision": "kui_registration"})
    second = client.post("/api/v1/kui-materials", headers=almaty, json={
        **body, "step": 3, "number": "КУИ-9", "registered_on": "2026-10-01"})
    assert second.status_code == 201, second.text
    by_number = client.get("/api/v1/kui-materials", headers=almaty, params={"sort": "number"}).json()
    assert [m["number"] for m in by_number["items"]] == ["КУИ-15", "КУИ-9"]
    newest = client.get("/api/v1/kui-materials", headers=almaty).json()
    assert [m["number"] for m in newest["items"]] == ["КУИ-9", "КУИ-15"]
    bad_sort = client.get("/api/v1/kui-materials", headers=almaty, params={"sort": "summary"})
    assert bad_sort.status_code == 422
    assert bad_sort.json()["errors"][0]["field"] == "sort"
    medeu = bearer(client, "medeu")
    assert client.get(f"/api/v1/kui-materials/{material['id']}", headers=medeu).status_code == 404
    assert client.get("/api/v1/kui-materials", headers=medeu).json()["total"] == 0


def test_r20_the_monthly_reconciliation_is_recorded_once_per_office_and_month_and_missing_ones_show(
        client: TestClient, almaty: dict[str, str]) -> None:
    office = office_id(client, almaty, ALMATY)
    body = {"office_id": office, "year": 2026, "month": 10, "reconciled_with": "ДП г. Алматы",
            "reconciled_by": "Сарсенбаев И. М.", "reconciled_on": "2026-11-03", "discrepancies": ""}
    made = client.post("/api/v1/kui-reconciliations", headers=almaty, json=body)
    assert made.status_code == 201, made.text
    twice = client.post("/api/v1/kui-reconciliations", headers=almaty, json=body)
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "month"
    future = client.post("/api/v1/kui-reconciliations", headers=almaty,
                         json={**body, "month": 11, "reconciled_on": "2026-11-30"})
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "reconciled_on"
    months = client.get("/api/v1/kui-reconciliations", headers=almaty,
                        params={"office_id": office, "year": 2026}).json()
    assert months[9]["record"]["reconciled_with"] == "ДП г. Алматы"
    assert months[8]["missing"] is True
    assert months[10]["missing"] is False  # November has not ended


# ===================================================================== periodic obligations


def test_r5_r9_i70_obligations_follow_the_office_kind_and_level_and_overdue_ones_are_flagged(
        client: TestClient, almaty: dict[str, str]) -> None:
    region = client.get("/api/v1/periodic-obligations", headers=almaty,
                        params={"office_id": office_id(client, almaty, ALMATY), "year": 2026}).json()
    codes = {o["code"] for o in region["obligations"]}
    assert "I70.region_passport" in codes
    passport = [o for o in region["obligations"] if o["code"] == "I70.region_passport"]
    assert [(o["period_start"], o["report_due"]) for o in passport] == [("2026-01-01", "2026-07-07"),
                                                                        ("2026-07-01", "2027-01-07")]
    entrepreneurs = {o["period_start"]: o for o in region["obligations"] if o["code"] == "R5.entrepreneurs"}
    assert entrepreneurs["2026-07-01"]["report_due"] == "2026-10-05"
    assert entrepreneurs["2026-07-01"]["overdue"] is True
    assert entrepreneurs["2026-10-01"]["overdue"] is False
    district = client.get("/api/v1/periodic-obligations", headers=almaty,
                          params={"office_id": office_id(client, almaty, MEDEU), "year": 2026}).json()
    assert "I70.region_passport" not in {o["code"] for o in district["obligations"]}
    gp = bearer(client, "genprokuror")
    military = client.get("/api/v1/periodic-obligations", headers=gp,
                          params={"office_id": office_id(client, gp, "main_military"), "year": 2026}).json()
    assert {o["report_due"][5:] for o in military["obligations"]} == {"06-25", "12-25"}
    assert len(military["obligations"]) == 20
    gpo = client.get("/api/v1/periodic-obligations", headers=gp,
                     params={"office_id": office_id(client, gp, "gpo"), "year": 2026}).json()
    assert gpo["obligations"] == []
    assert gpo["note"]
    bad_year = client.get("/api/v1/periodic-obligations", headers=almaty,
                          params={"office_id": office_id(client, almaty, ALMATY), "year": 2030})
    assert bad_year.status_code == 422
    assert bad_year.json()["errors"][0]["field"] == "year"


def test_a_report_with_its_analysis_fulfils_an_obligation_and_is_corrected_with_its_version(
        client: TestClient, almaty: dict[str, str]) -> None:
    office = office_id(client, almaty, ALMATY)
    analysis = analysis_with_kui_decision(client, almaty)
    url = "/api/v1/periodic-obligations/R5.entrepreneurs/2026-07-01/report"
    future = client.post(url, headers=almaty, json={"office_id": office, "report_date": "2026-12-01"})
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "report_date"
    made = client.post(url, headers=almaty, json={"office_id": office, "report_date": "2026-10-06",
                                                  "analysis_id": analysis["id"]})
    assert made.status_code == 200, made.text
    assert made.json()["overdue"] is False
    assert made.json()["status"] == "reported"
    assert made.json()["report"]["analysis_number"] == analysis["number"]
    no_version = client.post(url, headers=almaty, json={"office_id": office, "report_date": "2026-10-05"})
    assert no_version.status_code == 422
    assert no_version.json()["errors"][0]["field"] == "version"
    fixed = client.post(url, headers=almaty, json={"office_id": office, "report_date": "2026-10-05", "version": 1})
    assert fixed.status_code == 200
    assert fixed.json()["report"] == {"report_date": "2026-10-05", "analysis_id": None, "analysis_number": None,
                                      "recorded_by": "almaty", "version": 2}
    unknown = client.post("/api/v1/periodic-obligations/R5.entrepreneurs/2026-02-01/report", headers=almaty,
                          json={"office_id": office, "report_date": "2026-10-05"})
    assert unknown.status_code == 404
    medeu = client.post("/api/v1/periodic-obligations/I70.region_passport/2026-01-01/report", headers=almaty,
                        json={"office_id": office_id(client, almaty, MEDEU), "report_date": "2026-07-06"})
    assert medeu.status_code == 404


# ================================================================== audit and refused requests


def _audit_actions(demo: Platform) -> list[str]:
    with demo.read_only() as session:
        rows = session.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars()
        return [a for a in rows if not a.startswith(("token.", "user."))]  # signing in to look people up


def test_each_change_writes_one_audit_row_and_a_refused_request_writes_nothing(
        demo: Platform, client: TestClient, almaty: dict[str, str]) -> None:
    before = _audit_actions(demo)
    plan = add_item(client, almaty, new_plan(client, almaty), 3)
    refused = [
        approve(client, almaty, plan, who=ALMATY_PROSECUTOR),
        client.post("/api/v1/organizations", headers=almaty, json={"name": "X", "bin": "000000000001",
                                                                   "kind": "state_body"}),
        client.post("/api/v1/kui-reconciliations", headers=almaty, json={
            "office_id": office_id(client, almaty, ALMATY), "year": 2026, "month": 13, "reconciled_with": "ДП",
            "reconciled_by": "И. М.", "reconciled_on": "2026-11-03"}),
    ]
    assert [r.status_code for r in refused] == [409, 422, 422]
    approve(client, almaty, plan)
    open_item(client, almaty, client.get(f"/api/v1/analysis-plans/{plan['id']}", headers=almaty).json(), 0)
    added = _audit_actions(demo)[len(before):]
    assert added == ["analysis_plan.created", "analysis_plan.item_added", "analysis_plan.approved",
                     "proceeding.opened", "analysis_plan.item_opened"]
    assert all(action in ACTION_LABELS for action in added)
    with demo.read_only() as session:
        assert audit.verify(session) is None


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_concurrent_reconciliations_of_one_month_store_one_and_the_other_is_a_409_conflict(
        demo: Platform) -> None:
    """The uniqueness checked before the insert is raced by a concurrent writer: the unique constraint
    decides, the loser is a conflict (409), not a server error."""
    actor = cli_actor()
    with demo.read_only() as session:
        office = session.execute(select(offices.c.id).where(offices.c.code == ALMATY)).scalar_one()
    body = {"office_id": office, "year": 2026, "month": 10, "reconciled_with": "ДП", "reconciled_by": "И. М.",
            "reconciled_on": "2026-11-03"}
    inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        with demo.transaction() as session:
            analyses.do_record_reconciliation(session, body, actor=actor, today=TODAY)
            inserted.set()
            release.wait(10)

    def second() -> None:
        try:
            with demo.transaction() as session:
                analyses.do_record_reconciliation(session, {**body, "reconciled_by": "другой"}, actor=actor,
                                                  today=TODAY)
        except (Conflict, InvalidInput) as exc:
            outcome["error"] = exc

    one = threading.Thread(target=first)
    one.start()
    assert inserted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(0.5)  # the second insert now waits on the first one's uncommitted row
    release.set()
    one.join(10)
    two.join(10)
    assert isinstance(outcome.get("error"), Conflict)
    with demo.read_only() as session:
        rows = session.execute(select(kui_reconciliations.c.reconciled_by)).scalars().all()
    assert rows == ["И. М."]
