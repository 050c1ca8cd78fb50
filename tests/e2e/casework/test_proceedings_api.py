"""Stored proceedings through the API on SQLite and PostgreSQL (PROCEEDINGS.md «Stored proceedings»):
the REST shape of every collection, signers resolved from people and their acting assignments, 409 for
a refused step or a stale version with nothing stored, 422 named relative to the posted step, withdrawal,
scope, and the stored state always equal to a fresh `replay`."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor import proceedings
from nadzor.bootstrap import Platform
from nadzor.casework.service import check_stored_equals_replay
from nadzor.rules import InvalidInput
from tests.support.analyses import RAPPORT
from tests.support.checks import resolution
from tests.support.web import bearer, client_for, office_id, person_id

MEDEU = "almaty_city.medeu_district"
HEAD = "Рахимов Азамат Маратович"  # district prosecutor of Medeu
DEPUTY = "Есимова Алия Нурлановна"  # deputy; acted for the head 02.08–20.08.2021 (demo data)
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"  # prosecutor of Almaty city
KARAGANDA_HEAD = "Бекмуханов Ерлан Сагинтаевич"


@pytest.fixture
def client(demo: Platform) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def opened_check(day: str = "2021-08-02") -> dict[str, Any]:
    return {"type": "opened", "date": day, "subject_kind": "state_body", "basis": "protect_rights",
            "protected_interest": ["vulnerable_persons"], "control_body_failed": True}


def open_check(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/checks", headers=headers, json={
        "office_id": office_id(client, headers, MEDEU), "step": opened_check(),
        "details": {"subject_name": "Управление образования г. Алматы"}})
    assert response.status_code == 201, response.text
    return dict(response.json())


def record(client: TestClient, headers: dict[str, str], item: dict[str, Any], step: dict[str, Any],
           details: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"version": item["version"], "step": step}
    if details is None and step.get("type") == "resolution_signed":
        details = resolution()  # what the resolution states (I.13), checked at entry
    if details is not None:
        body["details"] = details
    return client.post(f"/api/v1/checks/{item['id']}/steps", headers=headers, json=body)


def test_a_check_is_opened_with_its_first_step_and_its_state_is_the_replay_state(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    assert item["version"] == 1
    assert item["state"] == proceedings.replay("check", {"office_level": "district", "steps": [opened_check()]},
                                               calendar=client.app.state.platform.calendar())  # type: ignore[attr-defined]
    assert item["state"]["status"] == "admissible"
    assert item["steps"][0]["index"] == 0
    assert item["steps"][0]["withdrawn"] is False
    assert item["subject"] == "Управление образования г. Алматы"
    assert client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()["state"] == item["state"]


def test_a_signer_is_resolved_from_the_persons_acting_assignment_on_the_steps_date_and_frozen(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    deputy = person_id(client, almaty, DEPUTY)
    response = record(client, almaty, item, {"type": "resolution_signed", "date": "2021-08-02",
                                             "signer_person_id": deputy, "start_date": "2021-08-03",
                                             "end_date": "2021-09-01"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 2
    assert body["state"]["status"] == "resolution_signed"
    assert body["steps"][1]["signer"] == {"position": "deputy_district_prosecutor",
                                          "acting_for": "district_prosecutor"}
    assert "signer_person_id" not in body["steps"][1]


def test_a_refused_step_answers_409_with_its_code_and_stores_nothing(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    deputy = person_id(client, almaty, DEPUTY)  # no longer acting on 25 August 2021
    response = record(client, almaty, item, {"type": "resolution_signed", "date": "2021-08-25",
                                             "signer_person_id": deputy, "start_date": "2021-08-26",
                                             "end_date": "2021-09-20"})
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "signer_not_allowed"
    assert body["citations"] == ["I.13"]
    assert "Инструкции" in body["message"]
    after = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert after["version"] == 1
    assert len(after["steps"]) == 1


def test_an_input_error_is_named_relative_to_the_posted_step(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    response = record(client, almaty, item, {"type": "resolution_signed", "date": "2021-08-02",
                                             "signer_person_id": head, "start_date": "2021-08-01",
                                             "end_date": "2021-08-20"})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["step.start_date"]
    unknown = record(client, almaty, item, {"type": "registered", "date": "2021-08-02", "number": "1",
                                            "signer_person_id": 999_999})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "step.signer_person_id"


def test_a_person_outside_the_callers_scope_cannot_sign(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    admin = bearer(client, "admin")
    stranger = person_id(client, admin, KARAGANDA_HEAD)
    response = record(client, almaty, item, {"type": "resolution_signed", "date": "2021-08-02",
                                             "signer_person_id": stranger, "start_date": "2021-08-03",
                                             "end_date": "2021-09-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "step.signer_person_id"


def test_a_stale_version_answers_409_version_conflict(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    step = {"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
            "start_date": "2021-08-03", "end_date": "2021-09-01"}
    assert record(client, almaty, item, step).status_code == 201
    stale = record(client, almaty, item, {"type": "registered", "date": "2021-08-02", "number": "7"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"


def test_the_last_step_is_withdrawn_with_a_reason_and_left_out_of_replay(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    signed = record(client, almaty, item, {"type": "resolution_signed", "date": "2021-08-02",
                                           "signer_person_id": head, "start_date": "2021-08-03",
                                           "end_date": "2021-09-01"}).json()
    response = client.post(f"/api/v1/checks/{item['id']}/withdrawal", headers=almaty,
                           json={"version": signed["version"], "reason": "ошибочно указана дата"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == item["state"]
    assert [s["withdrawn"] for s in body["steps"]] == [False, True]
    assert body["steps"][1]["withdrawn_reason"] == "ошибочно указана дата"
    first_only = client.post(f"/api/v1/checks/{item['id']}/withdrawal", headers=almaty,
                             json={"version": body["version"], "reason": "нельзя"})
    assert first_only.status_code == 409
    again = record(client, almaty, body, {"type": "resolution_signed", "date": "2021-08-02",
                                          "signer_person_id": head, "start_date": "2021-08-04",
                                          "end_date": "2021-09-02"})
    assert again.status_code == 201
    assert again.json()["state"]["status"] == "resolution_signed"


def test_a_check_runs_to_closure_through_the_api_and_stays_equal_to_replay(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    certificate = {"date": "2021-09-03", "place": "г. Алматы", "grounds": "постановление № 1",
                   "subject_name": "Управление образования", "topic": "соблюдение прав детей",
                   "general_info": "…", "legality_assessment": "…", "causes_analysis": "…",
                   "remedy_mechanism": "…", "conclusions": "…", "signatures": ["Рахимов А. М."]}
    for step, details in (
        ({"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head, "start_date": "2021-08-03",
          "end_date": "2021-09-01"}, None),
        ({"type": "registered", "date": "2021-08-02", "number": "21-1"}, None),
        ({"type": "started", "date": "2021-08-03"}, None),
        ({"type": "ended", "date": "2021-08-31"}, None),
        ({"type": "certificate_delivered", "date": "2021-09-03", "acknowledged": True}, {"certificate": certificate}),
        ({"type": "decision", "date": "2021-09-06", "decision": "act"}, None),
        ({"type": "closed", "date": "2021-09-06"}, None),
    ):
        response = record(client, almaty, item, step, details)
        assert response.status_code == 201, (step, response.text)
        item = response.json()
    assert item["state"]["status"] == "closed"
    assert item["state"]["objections_until"] == "2021-09-10"
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []


def test_an_incomplete_certificate_is_not_delivered_I_23(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    for step in ({"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                  "start_date": "2021-08-03", "end_date": "2021-09-01"},
                 {"type": "registered", "date": "2021-08-02", "number": "21-1"},
                 {"type": "started", "date": "2021-08-03"}, {"type": "ended", "date": "2021-08-31"}):
        item = record(client, almaty, item, step).json()
    response = record(client, almaty, item, {"type": "certificate_delivered", "date": "2021-09-03"},
                      {"certificate": {"date": "2021-09-03", "place": "г. Алматы"}})
    assert response.status_code == 409
    assert response.json()["code"] == "certificate_incomplete"
    assert "выводы и предложения" in response.json()["message"]  # the missing parts named in Russian
    assert "conclusions" not in response.json()["message"]


def test_a_proceeding_outside_the_callers_scope_is_not_found(client: TestClient, almaty: dict[str, str]) -> None:
    karaganda = bearer(client, "karaganda")
    before = {who: client.get("/api/v1/checks", headers=headers).json()["total"]
              for who, headers in (("karaganda", karaganda), ("almaty", almaty))}  # the demo checks
    item = open_check(client, almaty)
    assert client.get(f"/api/v1/checks/{item['id']}", headers=karaganda).status_code == 404
    assert client.get(f"/api/v1/acts/{item['id']}", headers=almaty).status_code == 404  # another collection
    register = client.get("/api/v1/checks", headers=karaganda).json()
    assert register["total"] == before["karaganda"]
    assert item["id"] not in [i["id"] for i in register["items"]]
    assert client.get("/api/v1/checks", headers=almaty).json()["total"] == before["almaty"] + 1


def test_every_collection_takes_its_kinds_first_step(client: TestClient, almaty: dict[str, str]) -> None:
    office = office_id(client, almaty, MEDEU)
    head = person_id(client, almaty, HEAD)
    firsts = {
        "acts": {"type": "drafted", "date": "2021-09-07", "act_type": "representation",
                 "addressee_central_body": False, "content": ["legal_essence"]},
        "evaluations": {"type": "opened", "date": "2021-09-07", "context": "analysis", "act_kind": "individual"},
        "analyses": {"type": "opened", "date": "2021-09-07", "via": "rapport", "signer_person_id": head,
                     "basis": "monitoring"},
    }
    for collection, step in firsts.items():
        details = {"topic": "Закупки", **RAPPORT} if collection == "analyses" else None  # R.11
        response = client.post(f"/api/v1/{collection}", headers=almaty,
                               json={"office_id": office, "step": step, "details": details})
        assert response.status_code == 201, (collection, response.text)
        assert response.json()["state"]["refused"] is None


def test_the_replay_endpoint_answers_as_python_does_and_needs_sign_in(
        client: TestClient, almaty: dict[str, str]) -> None:
    data = {"office_level": "district", "steps": [opened_check(), {"type": "started", "date": "2021-08-03"}]}
    response = client.post("/api/v1/proceedings/check/replay", headers=almaty, json=data)
    assert response.status_code == 200
    assert response.json() == proceedings.replay("check", data)
    assert response.json()["refused"]["code"] == "step_not_allowed"
    assert client.post("/api/v1/proceedings/check/replay", json=data).status_code == 401
    unknown = client.post("/api/v1/proceedings/court/replay", headers=almaty, json=data)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "kind"
    bad = client.post("/api/v1/proceedings/check/replay", headers=almaty, json={"office_level": "x", "steps": []})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "office_level"


def test_the_cli_batch_answers_every_line_as_python_does() -> None:
    items = [("check", {"office_level": "district", "steps": [opened_check()]}),
             ("act", {"office_level": "regional", "steps": [
                 {"type": "drafted", "date": "2021-09-07", "act_type": "protest", "addressee_central_body": True,
                  "content": []}, {"type": "issued", "date": "2021-09-08", "signer": {"position": "prosecutor"}}]}),
             ("evaluation", {"office_level": "gpo", "steps": [
                 {"type": "opened", "date": "2021-09-07", "context": "check", "act_kind": "court_act"}]}),
             ("analysis", {"office_level": "district", "steps": [{"type": "opened", "date": "2021-09-07"}]}),
             ("court", {"office_level": "district", "steps": []})]
    lines = "".join(json.dumps({"kind": k, "input": i}) + "\n" for k, i in items)
    done = subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", "proceedings", "replay", "--batch", "-"],
                          input=lines, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2, done.stderr
    outputs = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(outputs) == len(items)
    for (kind, data), got in zip(items, outputs, strict=True):
        try:
            expected: dict[str, Any] = proceedings.replay(kind, data)
        except InvalidInput as exc:
            expected = {"error": exc.errors[0].as_dict()}
        assert got == expected, kind
    assert outputs[-1]["error"]["field"] == "kind"


def test_a_calendar_change_restates_the_proceedings_whose_span_holds_the_day(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = open_check(client, almaty)
    head = person_id(client, almaty, HEAD)
    for step in ({"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                  "start_date": "2021-08-03", "end_date": "2021-09-01"},
                 {"type": "registered", "date": "2021-08-02", "number": "21-1"},
                 {"type": "started", "date": "2021-08-03"}, {"type": "ended", "date": "2021-08-31"}):
        item = record(client, almaty, item, step).json()
    assert item["state"]["deadlines"][0]["due"] == "2021-09-07"  # I.23: 1, 2, 3, 6, 7 September
    admin = bearer(client, "admin")
    day_off = {"day": "2021-09-02", "working": False, "name": "Перенос выходного дня",
               "resolution_number": "777", "resolution_date": "2021-08-20"}
    response = client.post("/api/v1/calendar-days", headers=admin, json=day_off)
    assert response.status_code == 200, response.text
    assert response.json()["proceedings_moved"] == 1
    moved = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert moved["state"]["deadlines"][0]["due"] == "2021-09-08"
    assert moved["version"] == item["version"] + 1
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []
    unrelated = client.post("/api/v1/calendar-days", headers=admin, json=day_off | {"day": "2021-12-29"})
    assert unrelated.json()["proceedings_moved"] == 0
    version = client.get("/api/v1/calendar-days", headers=admin).json()
    current = next(d["version"] for d in version if d["day"] == "2021-09-02")
    assert client.delete(f"/api/v1/calendar-days/2021-09-02?version={current}", headers=admin).status_code == 204
    back = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert back["state"]["deadlines"][0]["due"] == "2021-09-07"


def test_an_unknown_kind_or_rule_is_404_whatever_the_body(client: TestClient, almaty: dict[str, str]) -> None:
    """PROCEEDINGS.md «an unknown kind answers 404», RULES.md «404 for an unknown rule»: before the
    body is read, so an empty or malformed body does not turn it into 422."""
    for path in ("/api/v1/proceedings/court/replay", "/api/v1/rules/nope/evaluate"):
        for content in (b"", b"{bad"):
            response = client.post(path, headers={**almaty, "Content-Type": "application/json"}, content=content)
            assert response.status_code == 404, (path, content, response.text)
    assert client.post("/api/v1/proceedings/check/replay", headers=almaty, content=b"{bad").status_code == 422


def test_the_batch_goes_on_after_a_line_whose_signer_is_of_the_wrong_type() -> None:
    """PROCEEDINGS.md: «the batch goes on» — a value of the wrong type anywhere is that line's error."""
    bad = {"office_level": "district", "steps": [opened_check(), {
        "type": "resolution_signed", "date": "2021-08-02", "signer": {"position": ["x"]},
        "start_date": "2021-08-03", "end_date": "2021-09-01"}]}
    good = {"office_level": "district", "steps": [opened_check()]}
    lines = "".join(json.dumps({"kind": "check", "input": i}) + "\n" for i in (bad, good))
    done = subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", "proceedings", "replay", "--batch", "-"],
                          input=lines, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["error"]["field"] == "steps.1.signer.position"
    assert second == proceedings.replay("check", good)


def test_the_batch_reads_an_integer_beyond_64_bits_as_python_does() -> None:
    """PROCEEDINGS.md «identical results»: a batch line's numbers read as the standard `json` reads them
    (an integer of 20 digits stays an integer: orjson alone would read it as a float)."""
    text = ('{"kind": "check", "input": {"office_level": "district", "steps": [' + json.dumps(opened_check())
            + ', {"type": "extended", "date": "2021-08-03", "signer": {"position": "prosecutor_general"}, '
              '"days": 123456789012345678901}]}}\n')
    done = subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", "proceedings", "replay", "--batch", "-"],
                          input=text, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2, done.stderr
    item = json.loads(text)
    with pytest.raises(InvalidInput) as caught:
        proceedings.replay(item["kind"], item["input"])
    assert json.loads(done.stdout) == {"error": caught.value.errors[0].as_dict()}
    assert caught.value.errors[0].field == "steps.1.days"
    assert caught.value.errors[0].message.startswith("число вне допустимого диапазона")
