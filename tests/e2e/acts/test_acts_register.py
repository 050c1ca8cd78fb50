"""The acts register's own filters (issue 9 «Registers»: type, addressee, signer, origin) through the API,
the page, its CSV export and the CLI; the act types' administration pages (I.58); the R.26 study and the
R.28 transfer entered on the evaluation's card — on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nadzor.bootstrap import Platform
from tests.support.acts import (
    ALMATY_HEAD,
    MEDEU_HEAD,
    check_with_act_decision,
    draft_act,
    frozen_today,
    issue,
    read,
    studied_evaluation,
)
from tests.support.web import bearer, client_for, office_id, person_id, web_login

__all__ = ["frozen_today"]


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


@pytest.fixture
def acts(client: TestClient, almaty: dict[str, str]) -> dict[str, dict[str, Any]]:
    """A Medeu representation from a check, signed by the district prosecutor; a direct Medeu
    prescription, drafted only; an Almaty city protest signed by the city prosecutor."""
    check = check_with_act_decision(client, almaty)
    from_check = issue(client, almaty, draft_act(client, almaty, details={
        "addressee_name": "Акимат Медеуского района", "origin": {"kind": "check", "id": check["id"]}}))
    direct = draft_act(client, almaty, act_type="prescription",
                       details={"addressee_name": "ТОО «Жилстрой»", "origin": {"kind": "direct"}})
    protest = issue(client, almaty, draft_act(client, almaty, office="almaty_city", act_type="protest",
                                              details={"addressee_name": "Маслихат города Алматы"}),
                    signer=ALMATY_HEAD)
    return {"check": check, "from_check": from_check, "direct": direct, "protest": protest}


def _numbers(client: TestClient, headers: dict[str, str], **params: Any) -> set[str]:
    response = client.get("/api/v1/acts", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return {i["number"] for i in response.json()["items"]}


def test_the_acts_register_filters_by_type_addressee_signer_and_origin_through_the_api(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    numbers = {k: v["number"] for k, v in acts.items()}
    assert _numbers(client, almaty, act_type="protest") == {numbers["protest"]}
    assert _numbers(client, almaty, act_type="prescription") == {numbers["direct"]}
    assert _numbers(client, almaty, addressee="жилстрой") == {numbers["direct"]}
    medeu_head = person_id(client, almaty, MEDEU_HEAD)
    assert _numbers(client, almaty, signer_person_id=medeu_head) == {numbers["from_check"]}
    assert _numbers(client, almaty, origin_kind="check") == {numbers["from_check"]}
    assert _numbers(client, almaty, origin_kind="direct") == {numbers["direct"]}
    assert _numbers(client, almaty, origin_kind="none") == {numbers["protest"]}
    assert _numbers(client, almaty, origin_number=acts["check"]["number"][-6:]) == {numbers["from_check"]}
    assert _numbers(client, almaty, act_type="representation", origin_kind="direct") == set()
    bad = client.get("/api/v1/acts", headers=almaty, params={"act_type": "warning"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "act_type"
    bad = client.get("/api/v1/acts", headers=almaty, params={"origin_kind": "court"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "origin_kind"


def test_the_acts_register_page_offers_the_filters_and_its_export_honours_them(
        client: TestClient, acts: dict[str, dict[str, Any]]) -> None:
    web_login(client, "almaty")
    page = client.get("/acts", params={"act_type": "protest"})
    assert page.status_code == 200
    for control in ('name="act_type"', 'name="signer"', 'name="origin_kind"', 'name="origin_number"', "Адресат"):
        assert control in page.text
    assert acts["protest"]["number"] in page.text and acts["direct"]["number"] not in page.text
    exported = client.get("/acts/export", params={"format": "csv", "origin_kind": "check"})
    assert exported.status_code == 200
    assert acts["from_check"]["number"] in exported.text and acts["protest"]["number"] not in exported.text
    xlsx = client.get("/acts/export", params={"format": "xlsx", "act_type": "prescription"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    wrong = client.get("/acts", params={"act_type": "warning", "signer": "x"})
    assert wrong.status_code == 422
    assert 'href="#f-act_type"' in wrong.text and 'href="#f-signer"' in wrong.text
    checks = client.get("/checks", params={"act_type": "protest"})
    assert checks.status_code == 200 and 'name="act_type"' not in checks.text


def test_the_cli_lists_acts_by_type_origin_and_addressee(demo: Platform, client: TestClient,
                                                       acts: dict[str, dict[str, Any]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from nadzor.entrypoints.cli import app

    monkeypatch.setattr("nadzor.entrypoints.common.open_platform", lambda: demo)
    runner = CliRunner()
    result = runner.invoke(app, ["acts", "list", "--origin", "direct", "--json", "--today", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert acts["direct"]["number"] in result.output and acts["protest"]["number"] not in result.output
    result = runner.invoke(app, ["acts", "list", "--act-type", "protest", "--addressee", "маслихат", "--json",
                                 "--today", "2026-11-25"])
    assert result.exit_code == 0 and acts["protest"]["number"] in result.output
    result = runner.invoke(app, ["checks", "list", "--origin", "direct"])
    assert result.exit_code == 2 and "origin" in result.output


def test_an_administrator_edits_an_act_type_and_confirms_emptying_its_term(client: TestClient) -> None:
    csrf = web_login(client, "admin")
    listing = client.get("/act-types")
    assert listing.status_code == 200 and "Наразылық" in listing.text and "не задан" in listing.text
    form = client.get("/act-types/protest/edit")
    version = re.search(r'name="version" value="(\d+)"', form.text)
    assert version is not None
    posted = {"csrf_token": csrf, "version": version.group(1), "name_ru": "Протест", "name_kk": "Наразылық",
              "legal_source": "Закон «О прокуратуре»", "term_days": "10", "term_unit": "working",
              "term_source": "ст. 25 Закона «О прокуратуре»"}
    assert client.post("/act-types/protest/edit", data=posted).status_code == 303
    assert "10 рабочих дней" in client.get("/act-types").text
    empty = posted | {"version": str(int(version.group(1)) + 1), "term_days": "", "term_source": "", "name_kk": ""}
    refused = client.post("/act-types/protest/edit", data=empty)
    assert refused.status_code == 422
    assert 'href="#type-confirm"' in refused.text
    unnamed = client.post("/act-types/protest/edit", data=empty | {"confirm": "1"})
    assert unnamed.status_code == 422 and 'href="#type-name_kk"' in unnamed.text
    assert "10 рабочих дней" in client.get("/act-types").text  # nothing changed by a refused request
    done = client.post("/act-types/protest/edit", data=empty | {"name_kk": "Наразылық", "confirm": "1"})
    assert done.status_code == 303
    assert "10 рабочих дней" not in client.get("/act-types").text
    audit = client.get("/api/v1/audit", headers=bearer(client, "admin"), params={"action": "act_type.updated"})
    assert audit.status_code == 200 and audit.json()["total"] == 2


def test_a_prosecutor_reads_the_act_types_but_may_not_edit_them(client: TestClient) -> None:
    web_login(client, "almaty")
    assert client.get("/act-types").status_code == 200
    assert client.get("/act-types/protest/edit").status_code == 403


def test_the_R_26_study_is_entered_on_the_evaluations_card_item_by_item(
        client: TestClient, almaty: dict[str, str]) -> None:
    evaluation = studied_evaluation(client, almaty, violations=[])
    # a fresh one, received but not studied
    response = client.post("/api/v1/evaluations", headers=almaty, json={
        "office_id": office_id(client, almaty, "almaty_city.medeu_district"), "details": {"act_title": "Решение"},
        "step": {"type": "opened", "date": "2026-09-01", "context": "analysis", "act_kind": "individual"}})
    item = response.json()
    item = client.post(f"/api/v1/evaluations/{item['id']}/steps", headers=almaty, json={
        "version": item["version"], "step": {"type": "act_received", "date": "2026-09-02"}}).json()
    csrf = web_login(client, "almaty")
    form = {"csrf_token": csrf, "version": str(item["version"]), "step_type": "studied", "date": "2026-09-05",
            "details.checklist.competence.finding": "violates", "details.checklist.competence.note": "",
            "details.checklist.conformity.finding": "conforms"}
    refused = client.post(f"/evaluations/{item['id']}/steps", data=form)
    assert refused.status_code == 422
    assert "опишите выявленное нарушение" in refused.text
    assert read(client, almaty, "evaluations", item["id"])["state"]["status"] == "studying"
    form |= {"details.checklist.competence.note": "акт принят вне компетенции акимата",
             "details.checklist.contradiction.finding": "conforms",
             "details.checklist.registration.finding": "not_applicable",
             "details.checklist.publication.finding": "not_applicable"}
    assert client.post(f"/evaluations/{item['id']}/steps", data=form).status_code == 303
    stored = read(client, almaty, "evaluations", item["id"])
    assert stored["state"]["violations"] == ["competence"]
    assert stored["steps"][-1]["details"]["checklist"][0] == {
        "item": "competence", "finding": "violates", "note": "акт принят вне компетенции акимата"}
    card = client.get(f"/evaluations/{item['id']}")
    assert "акт принят вне компетенции акимата" in card.text and "не применимо" in card.text
    audit = client.get("/api/v1/audit", headers=bearer(client, "admin"),
                       params={"action": "proceeding.step_recorded"}).json()
    assert any("акт принят вне компетенции акимата" in row["after"] for row in audit["rows"])
    assert "Заключение по результатам изучения акта" in card.text
    # the transfer (R.28) to an office chosen from the tree
    target = office_id(client, almaty, "almaty_city")
    moved = client.post(f"/evaluations/{item['id']}/steps", data={
        "csrf_token": csrf, "version": str(stored["version"]), "step_type": "transferred", "date": "2026-09-06",
        "details.target_office_id": str(target)})
    assert moved.status_code == 303, moved.text
    stored = read(client, almaty, "evaluations", item["id"])
    assert stored["state"]["status"] == "transferred"
    assert stored["steps"][-1]["details"]["transfer_to"] == "Прокуратура города Алматы"
    assert evaluation["state"]["status"] == "studied"


def test_an_administrator_adds_a_type_of_other_act_that_acts_and_the_register_use_then_removes_an_unused_one(
        client: TestClient, almaty: dict[str, str]) -> None:
    admin = bearer(client, "admin")
    body = {"code": "instruction", "name_ru": "Указание", "name_kk": "Нұсқау", "legal_source": "Закон «О прокуратуре»",
            "response_term": {"days": 5, "unit": "working", "source": "ст. 25 Закона"}}
    assert client.post("/api/v1/act-types", headers=almaty, json=body).status_code == 403
    created = client.post("/api/v1/act-types", headers=admin, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["kernel_type"] == "other" and created.json()["builtin"] is False
    assert client.post("/api/v1/act-types", headers=admin, json=body).status_code == 422  # the code is taken
    wrong = client.post("/api/v1/acts", headers=almaty, json={
        "office_id": office_id(client, almaty, "almaty_city.medeu_district"),
        "details": {"addressee_name": "Акимат", "act_type": "instruction"},
        "step": {"type": "drafted", "date": "2026-10-05", "act_type": "representation",
                 "addressee_central_body": False, "content": ["legal_essence"]}})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "details.act_type"
    act = draft_act(client, almaty, act_type="other", details={"act_type": "instruction"})
    act = issue(client, almaty, act)
    card = read(client, almaty, "acts", act["id"])
    assert card["act_type"]["name_ru"] == "Указание"
    assert card["proposed_response_due"]["days"] == 5
    assert _numbers(client, almaty, act_type="instruction") == {act["number"]}
    assert _numbers(client, almaty, act_type="other") == {act["number"]}
    version = created.json()["version"]
    in_use = client.delete("/api/v1/act-types/instruction", headers=admin, params={"version": version})
    assert in_use.status_code == 409 and in_use.json()["code"] == "act_type_in_use"
    builtin = client.delete("/api/v1/act-types/protest", headers=admin, params={"version": 1})
    assert builtin.status_code == 409 and builtin.json()["code"] == "act_type_builtin"

    csrf = web_login(client, "admin")
    bad = client.post("/act-types/new", data={"csrf_token": csrf, "code": "Требование", "name_ru": "Требование",
                                              "name_kk": "Талап", "legal_source": "Закон", "term_unit": "calendar"})
    assert bad.status_code == 422 and 'href="#type-code"' in bad.text
    made = client.post("/act-types/new", data={"csrf_token": csrf, "code": "demand", "name_ru": "Требование",
                                               "name_kk": "Талап", "legal_source": "Закон", "term_unit": "calendar"})
    assert made.status_code == 303
    listing = client.get("/act-types")
    assert "Требование" in listing.text and 'action="/act-types/demand/delete"' in listing.text
    assert 'action="/act-types/protest/delete"' not in listing.text
    unconfirmed = client.post("/act-types/demand/delete", data={"csrf_token": csrf, "version": "1"})
    assert unconfirmed.status_code == 422 and "Требование" in client.get("/act-types").text
    done = client.post("/act-types/demand/delete", data={"csrf_token": csrf, "version": "1", "confirm": "1"})
    assert done.status_code == 303 and "Требование" not in client.get("/act-types").text
    refused = client.post("/act-types/instruction/delete", data={"csrf_token": csrf, "version": str(version),
                                                                  "confirm": "1"})
    assert refused.status_code == 409 and "указан в 1" in refused.text
    audit = client.get("/api/v1/audit", headers=admin, params={"action": "act_type.deleted"}).json()
    assert audit["total"] == 1


def test_the_control_pages_show_the_totals_of_execution_and_the_databank_queue_I_59_I_67(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    web_login(client, "almaty")
    register = client.get("/acts")
    assert 'href="/acts/totals"' in register.text and 'href="/databank-queue"' in register.text
    totals = client.get("/acts/totals", params={"start": "2026-01-01", "end": "2026-11-25"})
    assert totals.status_code == 200
    assert "Итого" in totals.text and "Медеуского" in totals.text
    bad = client.get("/acts/totals", params={"start": "2026-12-01", "end": "2026-01-01"})
    assert bad.status_code == 422 and "конец периода раньше его начала" in bad.text
    queue = client.get("/databank-queue")
    assert queue.status_code == 200
    assert acts["from_check"]["number"] in queue.text and acts["protest"]["number"] in queue.text
    assert "просрочено" in queue.text  # issued in October, three working days long past by 25.11.2026


def test_a_new_evaluation_identifies_the_act_under_evaluation_on_its_form_R_24(
        client: TestClient, almaty: dict[str, str]) -> None:
    csrf = web_login(client, "almaty")
    form = {"csrf_token": csrf, "office_id": str(office_id(client, almaty, "almaty_city.medeu_district")),
            "subject_name": "Решение о ставках платы", "date": "2026-09-01", "context": "analysis",
            "act_kind": "normative", "details.act_number": "45", "details.act_date": "2026-06-30"}
    missing = client.post("/evaluations/new", data=form)
    assert missing.status_code == 422 and 'href="#opened-details-adopting_body"' in missing.text
    made = client.post("/evaluations/new", data=form | {"details.adopting_body": "Маслихат города Алматы"})
    assert made.status_code == 303, made.text
    item = read(client, almaty, "evaluations", int(made.headers["location"].rsplit("/", 1)[1]))
    assert item["steps"][0]["details"] == {"subject_name": "Решение о ставках платы",
                                           "act_title": "Решение о ставках платы", "act_number": "45",
                                           "act_date": "2026-06-30", "adopting_body": "Маслихат города Алматы"}


def test_a_response_file_is_attached_to_its_step_on_the_acts_card_I_63(
        client: TestClient, almaty: dict[str, str], acts: dict[str, dict[str, Any]]) -> None:
    csrf = web_login(client, "almaty")
    act = acts["from_check"]
    text = "Ответ акимата: нарушения устранены, виновные привлечены к ответственности.".encode()
    done = client.post(f"/acts/{act['id']}/attachments", data={"csrf_token": csrf, "step": "1", "note": "ответ"},
                       files={"file": ("ответ.txt", text, "text/plain")})
    assert done.status_code == 303, done.text
    card = client.get(f"/acts/{act['id']}")
    assert "ответ.txt" in card.text and "шаг № 2" in card.text
    empty = client.post(f"/acts/{act['id']}/attachments", data={"csrf_token": csrf},
                        files={"file": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422 and 'id="attach-file-error"' in empty.text
    forged = client.post(f"/acts/{act['id']}/attachments", data={"csrf_token": "x"},
                         files={"file": ("a.txt", b"abc", "text/plain")})
    assert forged.status_code == 403
    assert len(read(client, almaty, "acts", act["id"])["attachments"]) == 1
