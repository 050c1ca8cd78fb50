"""Origins and links of acts (issue 9: «The act keeps a link to its origin and the origin shows the
act»), on SQLite and PostgreSQL: `details.origin` validated at drafting, shown both ways, and an
evaluation's protest recorded on the evaluation when the act is issued, in the same transaction
(PROCEEDINGS.md, kind `evaluation`, `protest_issued`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from nadzor.casework.service import check_stored_equals_replay
from tests.support.acts import (
    ALMATY_HEAD,
    check_with_act_decision,
    draft_act,
    frozen_today,
    issue,
    read,
    step,
    studied_evaluation,
)
from tests.support.web import bearer, client_for

__all__ = ["frozen_today"]
PROTEST = {"addressee": "adopting_body", "competent": True}


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def test_an_act_drafted_from_a_checks_act_decision_shows_its_origin_and_the_check_shows_the_act(
        client: TestClient, almaty: dict[str, str]) -> None:
    check = check_with_act_decision(client, almaty)
    act = draft_act(client, almaty, details={"origin": {"kind": "check", "id": check["id"]}})
    assert act["origin"]["kind"] == "check"
    assert act["origin"]["id"] == check["id"]
    assert act["origin"]["number"] == check["number"]
    assert act["origin"]["collection"] == "checks"
    linked = read(client, almaty, "checks", check["id"])["linked_acts"]
    assert [(a["id"], a["number"], a["status"]) for a in linked] == [(act["id"], act["number"], "drafted")]
    direct = draft_act(client, almaty, details={"origin": {"kind": "direct"}})
    assert direct["origin"]["kind"] == "direct"
    assert direct["origin"]["id"] is None
    assert draft_act(client, almaty)["origin"] is None  # not stated


def test_a_check_without_an_act_decision_is_no_origin_I_24(client: TestClient, almaty: dict[str, str]) -> None:
    check = check_with_act_decision(client, almaty, decision="info_letter")
    response = client.post("/api/v1/acts", headers=almaty, json={
        "office_id": check["office_id"], "details": {"origin": {"kind": "check", "id": check["id"]}},
        "step": {"type": "drafted", "date": "2026-10-05", "act_type": "representation",
                 "addressee_central_body": False, "content": []}})
    assert response.status_code == 409
    assert response.json()["code"] == "origin_not_allowed"
    assert response.json()["citations"] == ["I.24"]
    assert client.get("/api/v1/acts", headers=almaty).json()["total"] == 0  # nothing stored


def test_an_origin_that_does_not_exist_or_is_out_of_scope_or_malformed_is_a_field_error(
        client: TestClient, almaty: dict[str, str]) -> None:
    check = check_with_act_decision(client, almaty)
    missing = draft_act(client, almaty, details={"origin": {"kind": "check", "id": 999_999}}, status=422)
    assert [e["field"] for e in missing["errors"]] == ["details.origin.id"]
    wrong_kind = draft_act(client, almaty, details={"origin": {"kind": "analysis", "id": check["id"]}}, status=422)
    assert [e["field"] for e in wrong_kind["errors"]] == ["details.origin.id"]
    karaganda = bearer(client, "karaganda")
    foreign = draft_act(client, karaganda, office="karaganda_region",
                        details={"origin": {"kind": "check", "id": check["id"]}}, status=422)
    assert [e["field"] for e in foreign["errors"]] == ["details.origin.id"]
    bad = draft_act(client, almaty, details={"origin": {"kind": "court", "id": 1}}, status=422)
    assert [e["field"] for e in bad["errors"]] == ["details.origin.kind"]
    extra = draft_act(client, almaty, details={"origin": {"kind": "direct", "id": check["id"]}}, status=422)
    assert [e["field"] for e in extra["errors"]] == ["details.origin.id"]
    area = draft_act(client, almaty, details={"area": "space"}, status=422)
    assert [e["field"] for e in area["errors"]] == ["details.area"]


def test_an_evaluations_protest_is_recorded_on_the_evaluation_when_the_act_is_issued_R_27(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    evaluation = studied_evaluation(client, almaty)
    act = draft_act(client, almaty, act_type="protest",
                    details={"origin": {"kind": "evaluation", "id": evaluation["id"]}, **PROTEST})
    assert read(client, almaty, "evaluations", evaluation["id"])["state"]["status"] == "studied"
    issued = issue(client, almaty, act, day="2026-10-06")
    assert issued["state"]["status"] == "issued"
    after = read(client, almaty, "evaluations", evaluation["id"])
    assert after["state"]["status"] == "protested"
    last = after["steps"][-1]
    assert (last["type"], last["date"], last["addressee"], last["competent"]) == (
        "protest_issued", "2026-10-06", "adopting_body", True)
    assert last["details"]["act_id"] == act["id"]
    assert [a["id"] for a in after["linked_acts"]] == [act["id"]]
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []


def test_a_protest_the_prosecutor_is_not_competent_for_refuses_the_issuing_and_stores_nothing_R_28(
        client: TestClient, almaty: dict[str, str]) -> None:
    evaluation = studied_evaluation(client, almaty)
    act = draft_act(client, almaty, act_type="protest",
                    details={"origin": {"kind": "evaluation", "id": evaluation["id"]},
                             "addressee": "superior_body", "competent": False})
    refused = issue(client, almaty, act, status=409)
    assert refused["code"] == "not_competent"
    assert refused["citations"] == ["R.28"]
    assert read(client, almaty, "acts", act["id"])["version"] == act["version"]
    assert read(client, almaty, "evaluations", evaluation["id"])["version"] == evaluation["version"]
    # the competence stated when issuing (the issuing step's details) prevails over the draft's
    issued = issue(client, almaty, act, details={"competent": True})
    assert issued["state"]["status"] == "issued"
    steps = read(client, almaty, "evaluations", evaluation["id"])["steps"]
    assert (steps[-1]["addressee"], steps[-1]["competent"]) == ("superior_body", True)


def test_a_protest_without_its_addressee_is_a_field_error_on_issuing(
        client: TestClient, almaty: dict[str, str]) -> None:
    evaluation = studied_evaluation(client, almaty)
    act = draft_act(client, almaty, act_type="protest",
                    details={"origin": {"kind": "evaluation", "id": evaluation["id"]}})
    missing = issue(client, almaty, act, status=422)
    assert [e["field"] for e in missing["errors"]] == ["details.addressee"]
    bad = draft_act(client, almaty, act_type="protest", status=422,
                    details={"origin": {"kind": "evaluation", "id": evaluation["id"]}, "addressee": "court"})
    assert [e["field"] for e in bad["errors"]] == ["details.addressee"]


def test_only_a_protest_on_an_evaluation_studied_with_violations_may_take_it_as_origin_R_27(
        client: TestClient, almaty: dict[str, str]) -> None:
    lawful = studied_evaluation(client, almaty, violations=[])
    refused = draft_act(client, almaty, act_type="protest", status=409,
                        details={"origin": {"kind": "evaluation", "id": lawful["id"]}, **PROTEST})
    assert refused["code"] == "origin_not_allowed"
    unlawful = studied_evaluation(client, almaty)
    representation = draft_act(client, almaty, act_type="representation", status=409,
                               details={"origin": {"kind": "evaluation", "id": unlawful["id"]}})
    assert representation["code"] == "origin_not_allowed"
    draft_act(client, almaty, act_type="protest", details={"origin": {"kind": "evaluation", "id": unlawful["id"]},
                                                           **PROTEST})
    second = draft_act(client, almaty, act_type="protest", status=409,
                       details={"origin": {"kind": "evaluation", "id": unlawful["id"]}, **PROTEST})
    assert "уже подготовлен протест" in second["message"]


def test_a_regional_protest_to_a_central_body_reaches_the_evaluation_after_the_gpos_approval_I_60(
        client: TestClient, almaty: dict[str, str]) -> None:
    evaluation = studied_evaluation(client, almaty, office="almaty_city")
    act = draft_act(client, almaty, office="almaty_city", act_type="protest", central=True,
                    details={"origin": {"kind": "evaluation", "id": evaluation["id"]}, **PROTEST})
    act = step(client, almaty, "acts", act, {"type": "sent_to_gpo", "date": "2026-10-05"})
    assert read(client, almaty, "evaluations", evaluation["id"])["state"]["status"] == "studied"
    act = step(client, bearer(client, "genprokuror"), "acts", act, {"type": "gpo_approved", "date": "2026-10-12"})
    issue(client, almaty, act, signer=ALMATY_HEAD, day="2026-10-13")
    after = read(client, almaty, "evaluations", evaluation["id"])
    assert (after["state"]["status"], after["steps"][-1]["date"]) == ("protested", "2026-10-13")


def withdraw(client: TestClient, headers: dict[str, str], collection: str, item: dict[str, Any],
             status: int = 200) -> dict[str, Any]:
    response = client.post(f"/api/v1/{collection}/{item['id']}/withdrawal", headers=headers,
                           json={"version": item["version"], "reason": "ошибочно внесено"})
    assert response.status_code == status, response.text
    return dict(response.json())


def test_withdrawing_the_protests_issuing_withdraws_the_evaluations_protest_step_with_it(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    evaluation = studied_evaluation(client, almaty)
    act = issue(client, almaty, draft_act(client, almaty, act_type="protest", details={
        "origin": {"kind": "evaluation", "id": evaluation["id"]}, **PROTEST}))
    protested = read(client, almaty, "evaluations", evaluation["id"])
    alone = withdraw(client, almaty, "evaluations", protested, status=409)
    assert alone["code"] == "linked_step"
    back = withdraw(client, almaty, "acts", act)
    assert back["state"]["status"] == "drafted"
    after = read(client, almaty, "evaluations", evaluation["id"])
    assert after["state"]["status"] == "studied"
    assert after["steps"][-1]["withdrawn"] is True
    assert "отозвано внесение протеста" in after["steps"][-1]["withdrawn_reason"]
    again = issue(client, almaty, back, day="2026-10-07")
    assert read(client, almaty, "evaluations", evaluation["id"])["steps"][-1]["date"] == "2026-10-07"
    decided = step(client, almaty, "evaluations", read(client, almaty, "evaluations", evaluation["id"]),
                   {"type": "protest_decided", "date": "2026-10-20", "granted": True})
    assert decided["state"]["status"] == "closed"
    refused = withdraw(client, almaty, "acts", again, status=409)  # a later evaluation step stands
    assert refused["code"] == "linked_step"
    assert read(client, almaty, "acts", act["id"])["state"]["status"] == "issued"
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []
