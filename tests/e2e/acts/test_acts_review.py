"""Who records an act's steps (issue 9), on SQLite and PostgreSQL: the GPO's approval or refusal
only by a user of the GPO (I.60); the superior's decision and review of the response only by the
prosecutor of the superior office assigned to the issuing office's zone (I.62, I.63, I.68) or by
that office's head — and the whole life check → act → response → closed through the API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from nadzor.casework.service import check_stored_equals_replay
from tests.support.acts import (
    ALMATY_HEAD,
    ALMATY_ZONE,
    check_with_act_decision,
    draft_act,
    frozen_today,
    issue,
    read,
    step,
    user_for,
)
from tests.support.web import bearer, client_for

__all__ = ["frozen_today"]


@pytest.fixture
def client(demo: Platform, frozen_today: date) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def test_the_gpos_approval_is_recorded_only_by_a_user_of_the_gpo_I_60(
        client: TestClient, almaty: dict[str, str]) -> None:
    act = draft_act(client, almaty, office="almaty_city", central=True)
    act = step(client, almaty, "acts", act, {"type": "sent_to_gpo", "date": "2026-10-05"})
    for posted in ({"type": "gpo_approved", "date": "2026-10-12"}, {"type": "gpo_declined", "date": "2026-10-12"}):
        refused = step(client, almaty, "acts", act, posted, status=403)
        assert refused["code"] == "gpo_only"
        assert refused["citations"] == ["I.60"]
    assert read(client, almaty, "acts", act["id"])["version"] == act["version"]
    approved = step(client, bearer(client, "genprokuror"), "acts", act, {"type": "gpo_approved", "date": "2026-10-12"})
    assert approved["state"]["status"] == "approved"


def test_the_superior_decision_is_refused_to_the_issuing_office_I_62(
        client: TestClient, almaty: dict[str, str]) -> None:
    medeu = bearer(client, "medeu")
    act = issue(client, medeu, draft_act(client, medeu))
    refused = step(client, medeu, "acts", act, {"type": "superior_decision", "date": "2026-10-08",
                                                "decision": "keep"}, status=403)
    assert refused["code"] == "not_superior_reviewer"
    assert refused["citations"] == ["I.62", "I.63", "I.68"]
    gpo = bearer(client, "genprokuror")  # the GPO sees the act, but is not the superior of a district office
    assert step(client, gpo, "acts", act, {"type": "superior_decision", "date": "2026-10-08", "decision": "keep"},
                status=403)["code"] == "not_superior_reviewer"


def test_the_act_shows_its_routed_reviewer_and_the_zone_prosecutor_records_the_decision_I_68(
        client: TestClient, almaty: dict[str, str]) -> None:
    act = issue(client, almaty, draft_act(client, almaty))
    reviewer = act["superior_reviewer"]
    assert (reviewer["full_name"], reviewer["position"], reviewer["via"]) == (ALMATY_ZONE, "prosecutor", "zone")
    assert reviewer["office_name"] == "Прокуратура города Алматы"
    zone = user_for(client, ALMATY_ZONE, "sarsenbaev")
    kept = step(client, zone, "acts", act, {"type": "superior_decision", "date": "2026-10-08", "decision": "keep"})
    assert kept["state"]["status"] == "issued"
    assert "superior_review" not in [d["code"] for d in kept["state"]["deadlines"]]


def test_a_prosecutor_of_the_superior_office_not_assigned_to_the_zone_may_not_review(
        client: TestClient, almaty: dict[str, str]) -> None:
    act = issue(client, almaty, draft_act(client, almaty))
    other = user_for(client, "Байжанов Нуржан Оралович", "baizhanov")  # zone Bostandyk, not Medeu
    refused = step(client, other, "acts", act, {"type": "superior_decision", "date": "2026-10-08",
                                                "decision": "suspend"}, status=403)
    assert refused["code"] == "not_superior_reviewer"


def test_without_a_zone_assignment_the_head_of_the_superior_office_is_the_reviewer(
        client: TestClient, almaty: dict[str, str]) -> None:
    act = issue(client, almaty, draft_act(client, almaty, office="almaty_city"), signer=ALMATY_HEAD)
    # the GPO's zone Almaty covers only civil and administrative cases: for «all», the GPO's head
    assert (act["superior_reviewer"]["full_name"], act["superior_reviewer"]["via"]) == (
        "Асанов Берик Нурланович", "head")
    civil = issue(client, almaty, draft_act(client, almaty, office="almaty_city", details={"area": "civil"}),
                  signer=ALMATY_HEAD)
    assert (civil["superior_reviewer"]["full_name"], civil["superior_reviewer"]["via"]) == (
        "Абдрахманова Салтанат Маратовна", "zone")
    kept = step(client, bearer(client, "genprokuror"), "acts", act, {"type": "superior_decision",
                                                                     "date": "2026-10-08", "decision": "keep"})
    assert kept["state"]["status"] == "issued"


def test_the_head_of_the_superior_office_records_the_decision_beside_the_zone_prosecutor(
        client: TestClient) -> None:
    karaganda = bearer(client, "karaganda")
    act = issue(client, karaganda, draft_act(client, karaganda, office="karaganda_region.karaganda_city"),
                signer="Мусин Айдар Кайратович")
    assert act["superior_reviewer"]["full_name"] == "Ли Елена Викторовна"
    amended = step(client, karaganda, "acts", act, {"type": "superior_decision", "date": "2026-10-08",
                                                    "decision": "amend"})
    assert amended["state"]["register_i64"] is True
    gpo = bearer(client, "genprokuror")
    gpo_act = issue(client, gpo, draft_act(client, gpo, office="gpo"), signer="Асанов Берик Нурланович")
    assert gpo_act["superior_reviewer"] is None  # no superior review of the GPO's acts (I.62)


def test_a_check_leads_to_an_act_answered_reviewed_executed_and_closed(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    check = check_with_act_decision(client, almaty)
    zone = user_for(client, ALMATY_ZONE, "sarsenbaev")
    act = draft_act(client, almaty, details={"origin": {"kind": "check", "id": check["id"]}})
    act = issue(client, almaty, act, response_due="2026-11-05")
    for headers, posted in (
        (almaty, {"type": "databank_entered", "date": "2026-10-07", "step": 1}),
        (zone, {"type": "superior_decision", "date": "2026-10-08", "decision": "keep"}),
        (almaty, {"type": "execution_recorded", "date": "2026-10-15", "damage_recovered": 150000.5,
                  "persons_liable": 2}),
        (almaty, {"type": "liability_initiated", "date": "2026-10-16", "article": "664"}),
        (almaty, {"type": "response_received", "date": "2026-10-20", "final": True}),
        (almaty, {"type": "databank_entered", "date": "2026-10-21", "step": 6}),
        (zone, {"type": "response_reviewed", "date": "2026-10-22", "agree": True}),
        (almaty, {"type": "closed", "date": "2026-10-23"}),
    ):
        act = step(client, headers, "acts", act, posted)
    assert act["state"]["status"] == "closed"
    assert (act["state"]["damage_recovered"], act["state"]["persons_liable"]) == (150000.5, 2)
    assert act["state"]["late"] == []
    assert act["origin"]["id"] == check["id"]
    assert read(client, almaty, "checks", check["id"])["linked_acts"][0]["status"] == "closed"
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []


def test_the_response_review_is_refused_to_the_issuing_office_I_63(
        client: TestClient, almaty: dict[str, str]) -> None:
    medeu = bearer(client, "medeu")
    act = issue(client, medeu, draft_act(client, medeu))
    act = step(client, medeu, "acts", act, {"type": "response_received", "date": "2026-10-20", "final": True})
    refused = step(client, medeu, "acts", act, {"type": "response_reviewed", "date": "2026-10-21", "agree": False},
                   status=403)
    assert refused["code"] == "not_superior_reviewer"
    head = step(client, almaty, "acts", act, {"type": "response_reviewed", "date": "2026-10-21", "agree": False})
    assert head["state"]["status"] == "response_not_accepted"  # the head of the superior office (user «almaty»)
