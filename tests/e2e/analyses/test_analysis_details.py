"""What an analysis holds besides its steps, through the API on SQLite and PostgreSQL (issue 10): the
sources checklist (R.12), the certificate with its four parts (R.18), a requirement's and a petition's
details (R.21–23), the check opened from a petition and linked both ways (R.19 p. 4, R.23), the register
of requirements (R.21–22, I.67), XLSX exports, the analysis's documents — from a plan item (R.11) to a
business requirement with its data-bank entry and to a petition that opens a check."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from nadzor.analyses.details import SOURCES
from nadzor.analyses.tables import analysis_sources, check_origins
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.casework.tables import proceeding_steps
from tests.e2e.analyses.test_analyses_api import (
    ALMATY,
    ALMATY_HEAD,
    add_item,
    anyone,
    approve,
    client,  # noqa: F401  (fixture)
    new_plan,
    open_item,
    record,
)
from tests.support.analyses import CERTIFICATE, PETITION, RAPPORT, REQUIREMENT
from tests.support.web import bearer, office_id, person_id


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:  # noqa: F811
    return bearer(client, "almaty")


def opened_analysis(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:  # noqa: F811
    """An analysis of the Almaty office opened from an item of its approved plan (R.11)."""
    plan = approve(client, headers, add_item(client, headers, new_plan(client, headers), 1)).json()
    response = open_item(client, headers, plan, 0)
    assert response.status_code == 201, response.text
    return dict(response.json())


def post_step(client: TestClient, headers: dict[str, str], analysis_id: int, step: dict[str, Any],  # noqa: F811
              details: dict[str, Any] | None = None) -> Any:
    current = client.get(f"/api/v1/analyses/{analysis_id}", headers=headers).json()
    return client.post(f"/api/v1/analyses/{analysis_id}/steps", headers=headers,
                       json={"version": current["version"], "step": step, "details": details})


def checklist(used: set[str], **notes: str) -> list[dict[str, Any]]:
    return [{"code": code, "used": code in used, "note": notes.get(code, "")} for code in SOURCES]


def steps_of(platform: Platform, analysis_id: int) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(proceeding_steps)
                                   .where(proceeding_steps.c.proceeding_id == analysis_id)).scalar_one())


def audit_rows(platform: Platform) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(audit_log)).scalar_one())


# ===================================================================================== R.11


def test_r11_an_analysis_opened_on_a_rapport_states_what_the_rapport_states(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:  # noqa: F811
    head = person_id(client, almaty, ALMATY_HEAD)
    body = {"office_id": office_id(client, almaty, ALMATY),
            "step": {"type": "opened", "date": "2026-09-01", "via": "rapport", "basis": "information",
                     "signer_person_id": head}}
    bare = client.post("/api/v1/analyses", headers=almaty, json=body)
    assert bare.status_code == 422
    assert [e["field"] for e in bare.json()["errors"]] == [
        "details.rapport_date", "details.rapport_author", "details.topic", "details.grounds", "details.period_from",
        "details.period_to", "details.term_days"]
    assert "п. 11 Правил" in bare.json()["errors"][0]["message"]
    for bad, field in (({"term_days": 31}, "term_days"), ({"rapport_date": "2026-09-02"}, "rapport_date"),
                       ({"period_to": "2019-12-31"}, "period_to"), ({"grounds": 5}, "grounds")):
        refused = client.post("/api/v1/analyses", headers=almaty,
                              json=body | {"details": {"topic": "Закупки", **RAPPORT, **bad}})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == f"details.{field}", bad
    group = body | {"step": body["step"] | {"group_leader_person_id": head}, "details": {"topic": "Закупки",
                                                                                         **RAPPORT}}
    refused = client.post("/api/v1/analyses", headers=almaty, json=group)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "details.bodies"
    with demo.read_only() as session:
        assert session.execute(select(func.count()).select_from(proceeding_steps)).scalar_one() == 0
    made = client.post("/api/v1/analyses", headers=almaty, json=group | {"details": group["details"] | {
        "bodies": "ДГД по г. Алматы, управление по надзору за закупками"}})
    assert made.status_code == 201, made.text
    assert made.json()["subject"] == "Закупки" and made.json()["steps"][0]["details"]["term_days"] == 30


# ===================================================================================== R.12


def test_r12_the_sources_checklist_is_validated_stored_audited_corrected_by_version_and_shown(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:  # noqa: F811
    analysis = opened_analysis(client, almaty)
    url = f"/api/v1/analyses/{analysis['id']}/sources"
    empty = client.get(url, headers=almaty).json()
    assert empty["recorded"] is False and [i["code"] for i in empty["items"]] == list(SOURCES)
    before = audit_rows(demo)
    partial = client.put(url, headers=almaty, json={"sources": checklist({"statistics"})[:-1]})
    assert partial.status_code == 422 and partial.json()["errors"][0]["field"] == "sources"
    twice = client.put(url, headers=almaty, json={"sources": [*checklist(set())[:-1], {"code": "media", "used": True}]})
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "sources.11.code"
    other = client.put(url, headers=almaty, json={"sources": checklist({"other"})})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "sources.11.note"
    unknown = client.put(url, headers=almaty, json={"sources": [{"code": "rumours", "used": True},
                                                                *checklist(set())[1:]]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sources.0.code"
    assert audit_rows(demo) == before
    done = client.put(url, headers=almaty, json={"sources": checklist({"statistics", "other"},
                                                                      statistics="форма 1-П за 2025 год",
                                                                      other="опрос предпринимателей")})
    assert done.status_code == 200, done.text
    assert done.json()["version"] == 1
    assert [i["code"] for i in done.json()["used"]] == ["statistics", "other"]
    assert audit_rows(demo) == before + 1
    stale = client.put(url, headers=almaty, json={"sources": checklist(set()), "version": 7})
    assert stale.status_code == 409
    unversioned = client.put(url, headers=almaty, json={"sources": checklist(set())})
    assert unversioned.status_code == 422 and unversioned.json()["errors"][0]["field"] == "version"
    fixed = client.put(url, headers=almaty, json={"sources": checklist({"media"}), "version": 1})
    assert fixed.status_code == 200 and fixed.json()["version"] == 2
    card = client.get(f"/api/v1/analyses/{analysis['id']}", headers=almaty).json()
    assert [i["code"] for i in card["sources"]["used"]] == ["media"]
    medeu = bearer(client, "medeu")
    assert client.get(url, headers=medeu).status_code == 404
    with demo.read_only() as session:
        assert session.execute(select(func.count()).select_from(analysis_sources)).scalar_one() == 1


# ===================================================================================== R.18


def test_r18_an_analysis_ends_only_with_its_certificates_four_parts_and_the_card_shows_them(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:  # noqa: F811
    analysis = opened_analysis(client, almaty)
    ended = {"type": "ended", "date": "2026-02-20"}
    bare = post_step(client, almaty, analysis["id"], ended)
    assert bare.status_code == 409
    assert bare.json()["code"] == "certificate_incomplete" and bare.json()["citations"] == ["R.18"]
    assert "статистика (ч. 2)" in bare.json()["message"]
    without_proposals = post_step(client, almaty, analysis["id"], ended,
                                  {k: v for k, v in CERTIFICATE.items() if k != "proposals"})
    assert without_proposals.status_code == 409 and "(ч. 4)" in without_proposals.json()["message"]
    backwards = post_step(client, almaty, analysis["id"], ended, CERTIFICATE | {"period_to": "2024-01-01"})
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "details.period_to"
    bad_day = post_step(client, almaty, analysis["id"], ended, CERTIFICATE | {"period_from": "2025-02-30"})
    assert bad_day.status_code == 422 and bad_day.json()["errors"][0]["field"] == "details.period_from"
    assert steps_of(demo, analysis["id"]) == 1
    done = post_step(client, almaty, analysis["id"], ended, CERTIFICATE)
    assert done.status_code == 201, done.text
    assert done.json()["state"]["status"] == "ended"
    assert done.json()["certificate"] == {"date": "2026-02-20", **CERTIFICATE}
    closed = post_step(client, almaty, analysis["id"], {"type": "ended", "date": "2026-02-21"})
    assert closed.status_code == 409 and closed.json()["code"] == "step_not_allowed"


# ============================================================ R.21–23, the linked check, I.67


def test_issue_10_from_a_plan_item_to_a_business_requirement_with_its_databank_entry_and_a_petition_that_opens_a_check(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:  # noqa: F811
    analysis = opened_analysis(client, almaty)
    aid = analysis["id"]
    head = anyone(client, ALMATY_HEAD)
    assert client.put(f"/api/v1/analyses/{aid}/sources", headers=almaty,
                      json={"sources": checklist({"statistics", "court_acts"})}).status_code == 200
    record(client, almaty, aid, {"type": "ended", "date": "2026-02-20"}, CERTIFICATE)
    requirement = {"type": "decision", "date": "2026-02-24", "decision": "requirement", "target": "business",
                   "signer_person_id": head, "concrete_harm_fact": True}
    nameless = post_step(client, almaty, aid, requirement, {"justification": "…"})
    assert nameless.status_code == 422
    assert [e["field"] for e in nameless.json()["errors"]] == ["details.authority_name", "details.subject_name"]
    # R.22: the prosecutor of a region sends it notifying the GPO — with the justification
    unjustified = post_step(client, almaty, aid, requirement, {k: v for k, v in REQUIREMENT.items()
                                                                 if k != "justification"})
    assert unjustified.status_code == 422 and unjustified.json()["errors"][0]["field"] == "details.justification"
    foreign = post_step(client, almaty, aid, requirement, REQUIREMENT | {"violations": "…"})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "details.violations"
    item = record(client, almaty, aid, requirement, REQUIREMENT)
    assert item["state"]["notify"] == ["gpo"]
    assert [d["code"] for d in item["deadlines"]] == ["databank_entry"]
    # R.23: the petition states the justification, the signs of violations and the measures taken
    petition = {"type": "decision", "date": "2026-02-25", "decision": "gp_petition", "signer_person_id": head}
    bare = post_step(client, almaty, aid, petition, {"subject_name": "ТОО «Жилстройсервис»"})
    assert bare.status_code == 422
    assert [e["field"] for e in bare.json()["errors"]] == ["details.justification", "details.violations",
                                                           "details.measures"]
    bad_bin = post_step(client, almaty, aid, petition, PETITION | {"subject_bin_iin": "123456789012"})
    assert bad_bin.status_code == 422 and bad_bin.json()["errors"][0]["field"] == "details.subject_bin_iin"
    item = record(client, almaty, aid, petition, PETITION | {"subject_bin_iin": "980400300106"})
    assert item["petitions"] == [{"step": 3, "date": "2026-02-25", **PETITION, "subject_bin_iin": "980400300106",
                                  "check": None}]
    draft = client.get(f"/api/v1/analyses/{aid}/petitions/3/check-draft", headers=almaty).json()
    assert draft | {} == {"analysis_id": aid, "analysis_number": item["number"], "step": 3,
                          "office_id": office_id(client, almaty, ALMATY), "subject_name": PETITION["subject_name"],
                          "bin_iin": "980400300106", "date": "2026-02-25", "subject_kind": "business",
                          "basis": "protect_rights"}
    assert client.get(f"/api/v1/analyses/{aid}/petitions/2/check-draft", headers=almaty).status_code == 404
    opening = {"office_id": draft["office_id"], "details": {"subject_name": draft["subject_name"],
                                                            "subject_bin_iin": draft["bin_iin"],
                                                            "origin_analysis": {"id": aid, "step": 3}},
               "step": {"type": "opened", "date": "2026-02-26", "subject_kind": "business",
                        "basis": "protect_rights", "protected_interest": ["indefinite_circle"]}}
    wrong_step = client.post("/api/v1/checks", headers=almaty,
                             json=opening | {"details": opening["details"] | {"origin_analysis": {"id": aid,
                                                                                                   "step": 2}}})
    assert wrong_step.status_code == 422
    assert wrong_step.json()["errors"][0]["field"] == "details.origin_analysis.step"
    state_body = client.post("/api/v1/checks", headers=almaty, json=opening | {
        "step": opening["step"] | {"subject_kind": "state_body", "control_body_failed": True}})
    assert state_body.status_code == 422 and state_body.json()["errors"][0]["field"] == "step.subject_kind"
    early = client.post("/api/v1/checks", headers=almaty,
                        json=opening | {"step": opening["step"] | {"date": "2026-02-20"}})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "step.date"
    check = client.post("/api/v1/checks", headers=almaty, json=opening)
    assert check.status_code == 201, check.text
    assert check.json()["state"]["status"] == "awaiting_gp_petition"  # the check's business path (I.10)
    assert check.json()["origin_analysis"] == {"id": aid, "step": 3, "number": item["number"],
                                               "subject": item["subject"]}
    again = client.post("/api/v1/checks", headers=almaty, json=opening)
    assert again.status_code == 409 and again.json()["code"] == "petition_linked"
    card = client.get(f"/api/v1/analyses/{aid}", headers=almaty).json()
    assert card["petitions"][0]["check"] == {"id": check.json()["id"], "number": check.json()["number"],
                                             "status": "awaiting_gp_petition", "visible": True}
    withdrawn = client.post(f"/api/v1/analyses/{aid}/withdrawal", headers=almaty,
                            json={"version": card["version"], "reason": "ошибка"})
    assert withdrawn.status_code == 409 and withdrawn.json()["code"] == "petition_linked"
    with demo.read_only() as session:
        assert session.execute(select(check_origins.c.analysis_id, check_origins.c.decision_step)).all() == [(aid, 3)]
    # I.67: the business requirement is entered into the data bank before the analysis closes
    refused = post_step(client, almaty, aid, {"type": "closed", "date": "2026-02-27"})
    assert refused.status_code == 409 and refused.json()["code"] == "open_deadlines"
    record(client, almaty, aid, {"type": "databank_entered", "date": "2026-02-26", "step": 2})
    closed = record(client, almaty, aid, {"type": "closed", "date": "2026-02-27"})
    assert closed["state"]["status"] == "closed" and closed["deadlines"] == []
    late = client.put(f"/api/v1/analyses/{aid}/sources", headers=almaty,
                      json={"sources": checklist(set()), "version": 1})
    assert late.status_code == 409 and late.json()["code"] == "analysis_closed"
    # the documents: the certificate with the sources used, the requirement, the petition
    offered = {d["code"]: d for d in client.get(f"/api/v1/analyses/{aid}/documents", headers=almaty).json()[
        "documents"]}
    assert all(offered[c]["available"] for c in ("analysis_certificate", "analysis_requirement", "analysis_petition"))
    text = docx_text(client.get(f"/api/v1/analyses/{aid}/documents/analysis_certificate", headers=almaty))
    assert "статистические данные" in text and "судебные акты" in text and CERTIFICATE["statistics"] in text
    assert "итоги встреч с населением" not in text
    text = docx_text(client.get(f"/api/v1/analyses/{aid}/documents/analysis_petition", headers=almaty))
    assert PETITION["violations"] in text and "980400300106" in text
    text = docx_text(client.get(f"/api/v1/analyses/{aid}/documents/analysis_requirement", headers=almaty))
    assert REQUIREMENT["authority_name"] in text and REQUIREMENT["justification"] in text


def docx_text(response: Any) -> str:
    from docx import Document

    assert response.status_code == 200, response.text
    return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def test_the_certificate_document_names_the_sources_missing_until_they_are_recorded(
        client: TestClient, almaty: dict[str, str]) -> None:  # noqa: F811
    analysis = opened_analysis(client, almaty)
    record(client, almaty, analysis["id"], {"type": "ended", "date": "2026-02-20"}, CERTIFICATE)
    offered = client.get(f"/api/v1/analyses/{analysis['id']}/documents", headers=almaty).json()["documents"]
    certificate = next(d for d in offered if d["code"] == "analysis_certificate")
    assert certificate["available"] is False and [m["field"] for m in certificate["missing"]] == ["sources"]
    refused = client.get(f"/api/v1/analyses/{analysis['id']}/documents/analysis_certificate", headers=almaty)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "sources"


# ============================================================== the register of requirements


def analysis_with_requirements(client: TestClient, headers: dict[str, str], office: str,  # noqa: F811
                               signer: str) -> dict[str, Any]:
    response = client.post("/api/v1/analyses", headers=headers, json={
        "office_id": office_id(client, headers, office), "details": {"topic": "Закупки", **RAPPORT},
        "step": {"type": "opened", "date": "2026-09-01", "via": "rapport", "basis": "information",
                 "signer_person_id": person_id(client, headers, signer)}})
    assert response.status_code == 201, response.text
    aid = response.json()["id"]
    record(client, headers, aid, {"type": "ended", "date": "2026-09-25"}, CERTIFICATE)
    record(client, headers, aid, {"type": "decision", "date": "2026-09-28", "decision": "requirement",
                                  "target": "state_body", "signer_person_id": person_id(client, headers, signer)},
           REQUIREMENT)
    return record(client, headers, aid, {"type": "decision", "date": "2026-09-29", "decision": "requirement",
                                         "target": "business", "concrete_harm_fact": True,
                                         "signer_person_id": person_id(client, headers, signer)},
                  REQUIREMENT | {"subject_name": "ТОО «Бета»"})


def test_r21_r22_the_register_of_requirements_filters_sorts_pages_exports_and_keeps_to_the_scope(
        client: TestClient, almaty: dict[str, str]) -> None:  # noqa: F811
    first = analysis_with_requirements(client, almaty, ALMATY, ALMATY_HEAD)
    karaganda = bearer(client, "karaganda")
    analysis_with_requirements(client, karaganda, "karaganda_region", "Бекмуханов Ерлан Сагинтаевич")
    url = "/api/v1/analysis-requirements"
    mine = client.get(url, headers=almaty).json()
    assert mine["total"] == 2
    assert [(r["date"], r["target"]) for r in mine["items"]] == [("2026-09-29", "business"),
                                                                 ("2026-09-28", "state_body")]
    business = mine["items"][0]
    assert business["number"] == first["number"] and business["subject_name"] == "ТОО «Бета»"
    assert business["notify"] == ["gpo"] and business["databank"] == {"entered_on": None, "due": "2026-10-02",
                                                                       "overdue": True}
    assert mine["items"][1]["databank"] is None and mine["items"][1]["notify"] == []
    everyone = bearer(client, "genprokuror")
    assert client.get(url, headers=everyone).json()["total"] == 4
    assert client.get(url, headers=everyone, params={"target": "business"}).json()["total"] == 2
    assert client.get(url, headers=everyone, params={"databank": "open"}).json()["total"] == 2
    assert client.get(url, headers=everyone, params={"databank": "entered"}).json()["total"] == 0
    assert client.get(url, headers=everyone, params={"date_from": "2026-09-29"}).json()["total"] == 2
    assert client.get(url, headers=everyone, params={"q": "karaganda"}).json()["total"] == 2
    page = client.get(url, headers=everyone, params={"sort": "number", "limit": 1, "offset": 1}).json()
    assert page["total"] == 4 and len(page["items"]) == 1
    for bad, field in (({"sort": "colour"}, "sort"), ({"target": "x"}, "target"), ({"date_from": "1.1.2026"},
                                                                                     "date_from"),
                       ({"date_from": "2026-10-01", "date_to": "2026-09-01"}, "date_to"),
                       ({"databank": "maybe"}, "databank"), ({"format": "pdf"}, "format")):
        refused = client.get(url, headers=everyone, params=bad)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field, bad
    exported = client.get(url, headers=almaty, params={"format": "csv", "target": "business"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Анализ" and len(rows) == 2
    assert rows[1][2] == "29.09.2026" and rows[1][7] == "Генеральная прокуратура"
    assert rows[1][8] == "не внесено, срок 02.10.2026 (просрочено)"
    book = load_workbook(io.BytesIO(client.get(url, headers=almaty, params={"format": "xlsx"}).content))
    sheet = book.active
    assert sheet is not None and sheet.max_row == 3 and sheet.cell(1, 1).value == "Анализ"


def test_plans_and_the_kui_register_export_as_xlsx(client: TestClient, almaty: dict[str, str]) -> None:  # noqa: F811
    plan = approve(client, almaty, add_item(client, almaty, new_plan(client, almaty), 1)).json()
    response = client.get("/api/v1/analysis-plans", headers=almaty, params={"format": "xlsx", "year": 2026})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:2] == ["План", "Прокуратура"]
    assert sheet.cell(2, 3).value == "09.01.2026" and sheet.cell(2, 5).value == plan["items"][0]["topic"]
    kui = client.get("/api/v1/kui-materials", headers=almaty, params={"format": "xlsx"})
    assert kui.status_code == 200
    sheet = load_workbook(io.BytesIO(kui.content)).active
    assert sheet is not None and sheet.max_row == 1 and sheet.cell(1, 1).value == "№ КУИ"
