"""What a check holds, validated at entry (issue 8 §2; checks/details.py), through the API on
SQLite and PostgreSQL: the subject with its BIN/IIN check digit, a complete resolution (I.13) with the
mandatory subject matter of I.22 added, the assignees (of the office's staff, or specialists), a
composition change replacing them, I.15 — only the assignees (the office's head, a superior head or
an administrator) record the conduct steps — and the card showing all of it. Every refusal stores
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from nadzor.casework.importing import do_import
from nadzor.casework.service import check_stored_equals_replay
from nadzor.infra.context import cli_actor
from nadzor.infra.errors import InvalidInput
from tests.e2e.casework.test_proceedings_api import HEAD, MEDEU, opened_check
from tests.support.checks import BAD_BIN, BIN, SPECIALIST, resolution
from tests.support.web import bearer, client_for, office_id, person_id, web_login

PROSECUTOR = "Токтаров Санжар Ерболович"  # a prosecutor of Medeu: the demo account "medeu"
DEPUTY = "Есимова Алия Нурлановна"  # deputy prosecutor of Medeu
SIGNED = {"type": "resolution_signed", "date": "2021-09-01", "start_date": "2021-09-02", "end_date": "2021-09-30"}


@pytest.fixture
def client(demo: Platform) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def open_check(client: TestClient, headers: dict[str, str], details: dict[str, Any] | None = None) -> Any:
    return client.post("/api/v1/checks", headers=headers, json={
        "office_id": office_id(client, headers, MEDEU), "step": opened_check("2021-09-01"),
        "details": {"subject_name": "ГУ «Управление образования»"} if details is None else details})


def post_step(client: TestClient, headers: dict[str, str], item: dict[str, Any], step: dict[str, Any],
              details: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"version": item["version"], "step": step}
    if details is not None:
        body["details"] = details
    return client.post(f"/api/v1/checks/{item['id']}/steps", headers=headers, json=body)


def fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def signed(client: TestClient, headers: dict[str, str], assignees: list[Any]) -> dict[str, Any]:
    item = open_check(client, headers).json()
    head = person_id(client, headers, HEAD)
    response = post_step(client, headers, item, SIGNED | {"signer_person_id": head}, resolution(assignees))
    assert response.status_code == 201, response.text
    response = post_step(client, headers, response.json(), {"type": "registered", "date": "2021-09-01",
                                                            "number": "21-09-0001"})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_gaps8_finding_the_subject_is_checked_when_a_check_is_opened(client: TestClient,
                                                                   almaty: dict[str, str]) -> None:
    before = client.get("/api/v1/checks", headers=almaty).json()["total"]
    missing = open_check(client, almaty, {"subject_location": "г. Алматы"})
    assert missing.status_code == 422 and fields(missing) == ["details.subject_name"]
    assert fields(open_check(client, almaty, {"subject_name": "x" * 501})) == ["details.subject_name"]
    assert fields(open_check(client, almaty, {"subject_name": "ГУ", "subject_bin_iin": BAD_BIN})) == [
        "details.subject_bin_iin"]
    assert fields(open_check(client, almaty, {"subject_name": "ГУ", "bin_iin": "12345"})) == ["details.bin_iin"]
    assert fields(open_check(client, almaty, {"subject_name": "ГУ", "protected_interests": 5})) == [
        "details.protected_interests"]
    assert client.get("/api/v1/checks", headers=almaty).json()["total"] == before  # nothing stored
    made = open_check(client, almaty, {"subject_name": " ГУ «Школа № 5» ", "bin_iin": BIN,
                                       "protected_interests": "права детей"})
    assert made.status_code == 201, made.text
    item = made.json()
    assert item["steps"][0]["details"] == {"subject_name": "ГУ «Школа № 5»", "subject_bin_iin": BIN,
                                           "protected_interests": "права детей"}
    assert item["subject_details"]["subject_bin_iin"] == BIN and item["subject"] == "ГУ «Школа № 5»"


def test_gaps8_finding_an_incomplete_resolution_is_422_naming_each_missing_part_I_13(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty).json()
    head = person_id(client, almaty, HEAD)
    step = SIGNED | {"signer_person_id": head}
    bare = post_step(client, almaty, item, step)
    assert bare.status_code == 422
    assert sorted(fields(bare)) == ["details.assignees", "details.number", "details.period_from",
                                    "details.period_to", "details.subject_bin_iin", "details.subject_location",
                                    "details.subject_rights_duties", "details.topic"]
    topic_only = post_step(client, almaty, item, step, {"topic": "соблюдение прав детей"})
    assert "details.topic" not in fields(topic_only) and "details.number" in fields(topic_only)
    backwards = post_step(client, almaty, item, step, resolution(period_from="2021-01-01", period_to="2020-01-01"))
    assert fields(backwards) == ["details.period_to"]
    bad_bin = post_step(client, almaty, item, step, resolution(subject_bin_iin=BAD_BIN))
    assert fields(bad_bin) == ["details.subject_bin_iin"]
    after = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert after["version"] == 1 and len(after["steps"]) == 1  # nothing stored


def test_gaps8_finding_a_refusal_by_the_law_still_answers_409_before_the_details(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty).json()
    stranger = post_step(client, almaty, item, SIGNED | {"signer_person_id": person_id(client, almaty, DEPUTY),
                                                        "date": "2021-09-01"})  # the deputy acts for no one then
    assert stranger.status_code == 409 and stranger.json()["code"] == "signer_not_allowed"


def test_gaps8_finding_assignees_are_the_offices_staff_or_specialists(client: TestClient,
                                                                     almaty: dict[str, str]) -> None:
    item = open_check(client, almaty).json()
    head = person_id(client, almaty, HEAD)
    city_head = person_id(client, almaty, "Нурпеисов Канат Жаксылыкович")  # of Almaty city, not of Medeu
    step = SIGNED | {"signer_person_id": head}
    wrong = post_step(client, almaty, item, step, resolution([city_head, {"name": "Ким", "organization": ""},
                                                              "Иванов", 999_999, head, head]))
    assert fields(wrong) == ["details.assignees.0", "details.assignees.1.organization", "details.assignees.2",
                             "details.assignees.3", "details.assignees.5"]
    empty = post_step(client, almaty, item, step, resolution([]))
    assert fields(empty) == ["details.assignees"]
    made = post_step(client, almaty, item, step, resolution([person_id(client, almaty, PROSECUTOR), SPECIALIST]))
    assert made.status_code == 201, made.text
    stored = made.json()["steps"][1]["details"]
    assert stored["assignees"] == [{"person_id": person_id(client, almaty, PROSECUTOR), "name": PROSECUTOR,
                                    "position": "prosecutor"}, SPECIALIST]


def test_gaps8_finding_the_subject_matter_of_I_22_is_added_automatically(client: TestClient,
                                                                        almaty: dict[str, str]) -> None:
    head = person_id(client, almaty, HEAD)
    plain = open_check(client, almaty).json()
    made = post_step(client, almaty, plain, SIGNED | {"signer_person_id": head}, resolution())
    assert made.json()["resolution"]["subject_matter"] == ["anti_corruption", "legal_acts_legality"]
    flagged = open_check(client, almaty).json()
    made = post_step(client, almaty, flagged, SIGNED | {"signer_person_id": head},
                     resolution(subject_has_admin_powers=True, subject_is_prevention_subject=True))
    assert made.json()["resolution"]["subject_matter"] == ["anti_corruption", "legal_acts_legality",
                                                           "offence_prevention", "admin_offences"]
    wrong = post_step(client, almaty, open_check(client, almaty).json(), SIGNED | {"signer_person_id": head},
                      resolution(subject_matter=["gardening"]))
    assert fields(wrong) == ["details.subject_matter"]


def test_gaps8_finding_only_the_assignees_record_the_conduct_steps_I_15(client: TestClient,
                                                                       almaty: dict[str, str]) -> None:
    medeu = bearer(client, "medeu")  # Токтаров, a prosecutor of Medeu
    deputy = person_id(client, almaty, DEPUTY)
    item = signed(client, almaty, [deputy])
    refused = post_step(client, medeu, item, {"type": "started", "date": "2021-09-02"})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "not_assignee" and refused.json()["citations"] == ["I.15"]
    assert client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()["version"] == item["version"]
    mine = signed(client, almaty, [person_id(client, almaty, PROSECUTOR), SPECIALIST])
    started = post_step(client, medeu, mine, {"type": "started", "date": "2021-09-02"})
    assert started.status_code == 201, started.text
    # a composition change replaces the assignees: the prosecutor no longer conducts it
    head = person_id(client, almaty, HEAD)
    changed = post_step(client, almaty, started.json(), {"type": "composition_changed", "date": "2021-09-03",
                                                         "signer_person_id": head})
    assert changed.status_code == 422 and fields(changed) == ["details.assignees"]
    changed = post_step(client, almaty, started.json(), {"type": "composition_changed", "date": "2021-09-03",
                                                         "signer_person_id": head}, {"assignees": [deputy]})
    assert changed.status_code == 201, changed.text
    assert [a["name"] for a in changed.json()["assignees"]] == [DEPUTY]
    late = post_step(client, medeu, changed.json(), {"type": "delivered", "date": "2021-09-03"})
    assert late.status_code == 403 and late.json()["code"] == "not_assignee"
    # the head of the office above (Almaty city) and an administrator may
    assert post_step(client, almaty, changed.json(), {"type": "delivered", "date": "2021-09-03"}).status_code == 201
    current = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    admin = bearer(client, "admin")
    assert post_step(client, admin, current, {"type": "started", "date": "2021-09-02"}).status_code == 201
    karaganda = bearer(client, "karaganda")  # a head, but of another region: the check is not in scope
    assert post_step(client, karaganda, current, {"type": "ended", "date": "2021-09-03"}).status_code == 404


def test_gaps8_finding_the_card_shows_the_assignees_and_the_resolution(client: TestClient,
                                                                      almaty: dict[str, str]) -> None:
    item = signed(client, almaty, [person_id(client, almaty, PROSECUTOR), SPECIALIST])
    card = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert [a["name"] for a in card["assignees"]] == [PROSECUTOR, SPECIALIST["name"]]
    assert card["resolution"]["topic"] == resolution()["topic"]
    assert card["resolution"]["number"] == "17" and card["resolution"]["period_from"] == "2020-01-01"
    assert card["resolution"]["start_date"] == "2021-09-02" and card["resolution"]["signer"] == {
        "position": "district_prosecutor"}
    assert card["registration"] == {"number": "21-09-0001", "date": "2021-09-01"}
    assert card["subject_details"]["subject_name"] == "ГУ «Управление образования»"
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ProceedingOut"]["properties"]
    assert {"assignees", "resolution", "registration"} <= set(schema)
    page = client.get(f"/checks/{item['id']}", headers=almaty)
    assert page.status_code == 200 and PROSECUTOR in page.text


def test_gaps8_finding_the_import_applies_the_same_checks(demo: Platform) -> None:
    line: dict[str, Any] = {
        "office_code": MEDEU, "details": {"subject_name": "ГУ «Отдел образования»"},
        "steps": [opened_check("2021-12-01"), SIGNED | {"date": "2021-12-01", "start_date": "2021-12-01",
                                                        "end_date": "2021-12-30",
                                                        "signer": {"position": "district_prosecutor"}}],
        "step_details": [None, resolution(topic="")]}
    with pytest.raises(InvalidInput) as caught, demo.transaction() as session:
        do_import(session, "checks", [(1, line)], actor=cli_actor(), calendar=demo.calendar())
    assert [e.field for e in caught.value.errors] == ["lines.1.step_details.1.prosecutor_name",
                                                      "lines.1.step_details.1.topic"]
    line["step_details"] = [None, resolution(prosecutor_name="Рахимов Азамат Маратович")]
    no_subject = line | {"details": {"subject_location": "г. Алматы"}}
    with pytest.raises(InvalidInput) as caught, demo.transaction() as session:
        do_import(session, "checks", [(1, no_subject)], actor=cli_actor(), calendar=demo.calendar())
    assert [e.field for e in caught.value.errors] == ["lines.1.details.subject_name"]
    with demo.transaction() as session:
        done = do_import(session, "checks", [(1, line)], actor=cli_actor(), calendar=demo.calendar())
    assert done["imported"] == 1
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []


def test_gaps8_finding_the_step_form_of_one_not_entrusted_answers_403_with_the_paragraph(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = signed(client, almaty, [person_id(client, almaty, DEPUTY)])
    csrf = web_login(client, "medeu")
    page = client.post(f"/checks/{item['id']}/steps", data={"csrf_token": csrf, "version": str(item["version"]),
                                                           "step_type": "started", "date": "2021-09-02"})
    assert page.status_code == 403
    assert 'id="refusal"' in page.text and "п. 15 Инструкции" in page.text
    assert client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()["version"] == item["version"]
