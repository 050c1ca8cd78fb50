"""Kind `act` of PROCEEDINGS.md (Instruction chapter 4, I.58–I.67) through `replay`: every row of the
table, every refusal, every deadline (dues counted by hand across public holidays and checked against
the `act.*` rules of RULES.md), the input errors, lateness, the deadlines dropped on final statuses,
the extra state fields and the keys absent for this kind; the lives named in issue 9.

Calendar facts used below (Kazakhstan): 16–17 Dec 2021 Independence Day; 1–2 Jan 2022 fall on a
weekend, 3–4 Jan off; 7 Jan Orthodox Christmas; Saturday 5 Mar 2022 a working day, 7–8 Mar off;
21–23 Mar 2022 Nauryz.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from nadzor import rules
from nadzor.proceedings import KINDS, replay

FULL = ["legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"]
REGIONAL_PROSECUTOR = {"position": "regional_prosecutor"}


def drafted(date: str = "2022-03-01", **fields: Any) -> dict[str, Any]:
    step = {"type": "drafted", "date": date, "act_type": "representation", "addressee_central_body": False,
            "content": list(FULL)}
    step.update(fields)
    return step


def issued(date: str, **fields: Any) -> dict[str, Any]:
    return {"type": "issued", "date": date, "signer": REGIONAL_PROSECUTOR, **fields}


def step(type_: str, date: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "date": date, **fields}


def life(*steps: dict[str, Any], office_level: str = "regional") -> dict[str, Any]:
    return {"office_level": office_level, "steps": list(steps)}


def dl(code: str, due: str, at: int) -> dict[str, Any]:
    cites = {"gpo_approval": ["I.60"], "superior_review": ["I.62"], "databank_entry": ["I.67"],
             "response": ["I.59"], "response_review": ["I.63"]}[code]
    return {"code": code, "due": due, "step": at, "citations": cites}


def late(at: int, code: str, due: str) -> dict[str, Any]:
    return {"step": at, "code": code, "due": due}


# Hand-counted dues (K2, the event day never counts):
#  issued Fri 2022-03-04 → databank_entry 3 working days: Sat 5 Mar (working), [6, 7, 8 off], 9, 10 → 2022-03-10;
#                          superior_review 5: 5, 9, 10, 11, 14 → 2022-03-14.
#  final response Fri 2022-03-18 → response_review 5: [19–20 weekend, 21–23 Nauryz] 24, 25, 28, 29, 30 → 2022-03-30;
#                                  databank_entry 3: 24, 25, 28 → 2022-03-28.
#  sent_to_gpo Fri 2021-12-10 → gpo_approval 10: 13, 14, 15, [16–17 Independence Day] 20, 21, 22, 23, 24, 27, 28
#                               → 2021-12-28.
#  issued Wed 2021-12-29 → databank_entry 3: 30, 31, [1–4 Jan] 5 → 2022-01-05; superior_review 5: …, 5, 6,
#                          [7 Jan Christmas] 10 → 2022-01-10.
ISSUED = "2022-03-04"
ISSUED_DATABANK, ISSUED_REVIEW = "2022-03-10", "2022-03-14"
FINAL = "2022-03-18"
FINAL_REVIEW, FINAL_DATABANK = "2022-03-30", "2022-03-28"
SENT, SENT_DUE = "2021-12-10", "2021-12-28"
WINTER_ISSUED, WINTER_DATABANK, WINTER_REVIEW = "2021-12-29", "2022-01-05", "2022-01-10"

#: an issued act (regional office) whose data-bank entry is made and final response accepted.
ACCEPTED = (
    drafted(), issued(ISSUED), step("databank_entered", "2022-03-09", step=1),
    step("superior_decision", "2022-03-11", decision="keep"),
    step("response_received", FINAL, final=True), step("databank_entered", "2022-03-24", step=4),
    step("response_reviewed", "2022-03-25", agree=True),
)


@dataclass(frozen=True)
class Case:
    name: str
    cite: str
    input: dict[str, Any]
    status: str | None
    refused: tuple[int, str] | None = None
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    late: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    # ---- drafted, via the GPO (I.58, I.60)
    Case("a draft is drafted and goes through the GPO only from a regional office to a central body", "I.60",
         life(drafted(addressee_central_body=True)), "drafted", extra={"via_gpo": True}),
    Case("a regional act to a body that is not central does not go through the GPO", "I.60",
         life(drafted()), "drafted", extra={"via_gpo": False}),
    Case("issue 9: main-office exception — the Main Military prosecutor's act to a central body is issued "
         "directly", "I.60",
         life(drafted(addressee_central_body=True, main_office="military"), issued(ISSUED)), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)],
         extra={"via_gpo": False}),
    Case("the Main Transport prosecutor's act is not sent to the GPO either", "I.60",
         life(drafted(addressee_central_body=True, main_office="transport"), step("sent_to_gpo", "2022-03-02")),
         "drafted", refused=(1, "step_not_allowed"), extra={"via_gpo": False}),
    Case("a district act to a central body does not go through the GPO", "I.60",
         life(drafted(addressee_central_body=True), office_level="district"), "drafted",
         extra={"via_gpo": False}),
    Case("the GPO's own act to a central body is not approved by itself", "I.60",
         life(drafted(addressee_central_body=True), office_level="gpo"), "drafted", extra={"via_gpo": False}),
    Case("sent_to_gpo only when the act goes via the GPO", "I.60",
         life(drafted(), step("sent_to_gpo", "2022-03-02")), "drafted", refused=(1, "step_not_allowed")),
    Case("issue 9: via the GPO — sent, approved in time, issued; the GPO's deadline is 10 working days "
         "across Independence Day", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT),
              step("gpo_approved", SENT_DUE), issued(WINTER_ISSUED)),
         "issued", deadlines=[dl("databank_entry", WINTER_DATABANK, 3), dl("superior_review", WINTER_REVIEW, 3)],
         extra={"via_gpo": True}),
    Case("while awaiting the GPO the approval deadline is open", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT)),
         "awaiting_gpo", deadlines=[dl("gpo_approval", SENT_DUE, 1)]),
    Case("issue 9: late approval — the GPO approves after 10 working days: recorded late, not refused", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT),
              step("gpo_approved", "2021-12-29")),
         "approved", late=[late(2, "gpo_approval", SENT_DUE)]),
    Case("the GPO declines: not issued (final), late if after its term", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT),
              step("gpo_declined", "2022-01-05")),
         "not_issued", late=[late(2, "gpo_approval", SENT_DUE)]),
    Case("nothing may follow the GPO's refusal", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT),
              step("gpo_declined", "2021-12-20"), issued("2021-12-21")),
         "not_issued", refused=(3, "step_not_allowed")),
    Case("gpo_approved only while awaiting the GPO", "I.60",
         life(drafted(), step("gpo_approved", "2022-03-02")), "drafted", refused=(1, "step_not_allowed")),
    Case("gpo_declined only while awaiting the GPO", "I.60",
         life(drafted(), issued(ISSUED), step("gpo_declined", "2022-03-05")), "issued",
         refused=(2, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("an act going via the GPO is not issued from the draft: gpo_approval_required", "I.60",
         life(drafted(addressee_central_body=True), issued(ISSUED)), "drafted",
         refused=(1, "gpo_approval_required"), extra={"via_gpo": True}),
    Case("approval is checked before the content: both missing → gpo_approval_required", "I.60",
         life(drafted(addressee_central_body=True, content=[]), issued(ISSUED)), "drafted",
         refused=(1, "gpo_approval_required")),
    Case("an act awaiting the GPO is not issued", "I.60",
         life(drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT),
              issued("2021-12-13")), "awaiting_gpo", refused=(2, "step_not_allowed"),
         deadlines=[dl("gpo_approval", SENT_DUE, 1)]),
    # ---- issued: content (I.58) and deadlines (I.62, I.67)
    Case("issue 9: content incomplete — an act without its legal essence is not issued", "I.58",
         life(drafted(content=FULL[1:]), issued(ISSUED)), "drafted", refused=(1, "content_incomplete")),
    Case("restoration is required when rights were violated", "I.58",
         life(drafted(rights_violated=True), issued(ISSUED)), "drafted", refused=(1, "content_incomplete")),
    Case("compensation is required when damage was caused", "I.58",
         life(drafted(damage_caused=True, content=[*FULL, "restoration"]), issued(ISSUED)), "drafted",
         refused=(1, "content_incomplete")),
    Case("with restoration and compensation stated the act with violated rights and damage is issued", "I.58",
         life(drafted(rights_violated=True, damage_caused=True, content=[*FULL, "compensation", "restoration"]),
              issued(ISSUED)), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("an act issued with a response term opens the response deadline on that date", "I.59",
         life(drafted(), issued(ISSUED, response_due="2022-04-04")), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                    dl("response", "2022-04-04", 1)]),
    Case("issue 9: GPO acts without superior review — only the data-bank entry (and response) open", "I.62",
         life(drafted(), issued(ISSUED, response_due=ISSUED), office_level="gpo"), "issued",
         deadlines=[dl("response", ISSUED, 1), dl("databank_entry", ISSUED_DATABANK, 1)]),
    Case("deadlines are sorted by due, then code, then step: same due → databank_entry before response", "I.67",
         life(drafted(), issued(ISSUED, response_due=ISSUED_DATABANK),
              step("response_received", ISSUED, final=False)), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("databank_entry", ISSUED_DATABANK, 2),
                    dl("response", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("an issued act is not issued again", "I.58",
         life(drafted(), issued(ISSUED), issued(ISSUED)), "issued", refused=(2, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    # ---- databank_entered (I.67)
    Case("the data-bank entry made on its last day is not late", "I.67",
         life(drafted(), issued(ISSUED), step("databank_entered", ISSUED_DATABANK, step=1)), "issued",
         deadlines=[dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("the data-bank entry made after 3 working days is late", "I.67",
         life(drafted(), issued(ISSUED), step("databank_entered", "2022-03-11", step=1)), "issued",
         deadlines=[dl("superior_review", ISSUED_REVIEW, 1)], late=[late(2, "databank_entry", ISSUED_DATABANK)]),
    Case("an entry already made is not made again", "I.67",
         life(drafted(), issued(ISSUED), step("databank_entered", "2022-03-09", step=1),
              step("databank_entered", "2022-03-09", step=1)), "issued", refused=(3, "step_not_allowed"),
         deadlines=[dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("a response's entry is its own, 3 working days across Nauryz", "I.67",
         life(drafted(), issued(ISSUED), step("databank_entered", "2022-03-09", step=1),
              step("response_received", FINAL, final=False), step("databank_entered", "2022-03-29", step=3)),
         "issued", deadlines=[dl("superior_review", ISSUED_REVIEW, 1)],
         late=[late(4, "databank_entry", FINAL_DATABANK)]),
    # ---- superior_decision (I.62)
    Case("the superior keeps the act within 5 working days: the review closes, nothing in the register", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", ISSUED_REVIEW, decision="keep")), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)], extra={"register_i64": False}),
    Case("a keep after the review's term is late", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-15", decision="keep")), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)], late=[late(2, "superior_review", ISSUED_REVIEW)]),
    Case("an amendment closes the review and enters the I.64 register", "I.64",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="amend")), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)], extra={"register_i64": True}),
    Case("a suspension by letter does not close the review; it enters the register", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="suspend")),
         "superior_suspended",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)],
         extra={"register_i64": True}),
    Case("a keep after a suspension returns the act to its status before the suspension", "I.62",
         life(*ACCEPTED[:2], step("response_received", FINAL, final=True),
              step("superior_decision", FINAL, decision="suspend"),
              step("superior_decision", "2022-03-24", decision="keep")),
         "answered", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("databank_entry", FINAL_DATABANK, 2),
                                dl("response_review", FINAL_REVIEW, 2)],
         late=[late(4, "superior_review", ISSUED_REVIEW)], extra={"register_i64": True}),
    Case("an act suspended by the superior is not suspended again", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="suspend"),
              step("superior_decision", "2022-03-10", decision="suspend")),
         "superior_suspended", refused=(3, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("issue 9: superior suspend-then-revoke — the revoke after the review's due is late; response and "
         "review dropped, the data-bank entry stays", "I.62",
         life(drafted(), issued(ISSUED, response_due="2022-04-04"),
              step("superior_decision", "2022-03-09", decision="suspend"),
              step("superior_decision", "2022-03-15", decision="revoke", transfer=True)),
         "revoked", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)],
         late=[late(3, "superior_review", ISSUED_REVIEW)], extra={"register_i64": True}),
    Case("the data-bank entry is still made after revocation", "I.67",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="revoke"),
              step("databank_entered", "2022-03-10", step=1)), "revoked"),
    Case("a revoked act takes no further decision", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="revoke"),
              step("superior_decision", "2022-03-10", decision="keep")), "revoked",
         refused=(3, "step_not_allowed"), deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)]),
    Case("a GPO act has no superior decision", "I.62",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="keep"),
              office_level="gpo"), "issued", refused=(2, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)]),
    Case("no superior decision on a draft", "I.62",
         life(drafted(), step("superior_decision", "2022-03-09", decision="keep")), "drafted",
         refused=(1, "step_not_allowed")),
    # ---- responses (I.63)
    Case("a final response closes the response term, opens its review and its data-bank entry", "I.63",
         life(drafted(), issued(ISSUED, response_due="2022-04-04"), step("response_received", FINAL, final=True)),
         "answered", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                                dl("databank_entry", FINAL_DATABANK, 2), dl("response_review", FINAL_REVIEW, 2)]),
    Case("an interim response keeps the status and the response term open", "I.63",
         life(drafted(), issued(ISSUED, response_due="2022-04-04"), step("response_received", FINAL)),
         "issued", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                              dl("databank_entry", FINAL_DATABANK, 2), dl("response", "2022-04-04", 1)]),
    Case("a final response after the response term is late", "I.59",
         life(drafted(), issued(ISSUED, response_due="2022-03-17"), step("response_received", FINAL, final=True)),
         "answered", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                                dl("databank_entry", FINAL_DATABANK, 2), dl("response_review", FINAL_REVIEW, 2)],
         late=[late(2, "response", "2022-03-17")]),
    Case("a final response to a GPO act opens no review of it", "I.63",
         life(drafted(), issued(ISSUED), step("response_received", FINAL, final=True), office_level="gpo"),
         "answered", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("databank_entry", FINAL_DATABANK, 2)]),
    Case("issue 9: response not accepted then accepted — the new final response is reviewed again", "I.63",
         life(drafted(), issued(ISSUED), step("response_received", FINAL, final=True),
              step("response_reviewed", "2022-03-31", agree=False),
              step("response_received", "2022-04-15", final=True),
              step("response_reviewed", "2022-04-18", agree=True)),
         "accepted", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                                dl("databank_entry", FINAL_DATABANK, 2), dl("databank_entry", "2022-04-20", 4)],
         late=[late(3, "response_review", FINAL_REVIEW)]),
    Case("after a response is not accepted a new final response is awaited", "I.63",
         life(drafted(), issued(ISSUED), step("response_received", FINAL, final=True),
              step("response_reviewed", "2022-03-24", agree=False)), "response_not_accepted",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1),
                    dl("databank_entry", FINAL_DATABANK, 2)]),
    Case("a GPO act's response is reviewed without a deadline", "I.63",
         life(drafted(), issued(ISSUED), step("response_received", FINAL, final=True),
              step("response_reviewed", "2022-04-29", agree=True), office_level="gpo"),
         "accepted", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("databank_entry", FINAL_DATABANK, 2)]),
    Case("no response review before a final response", "I.63",
         life(drafted(), issued(ISSUED), step("response_reviewed", "2022-03-09", agree=True)), "issued",
         refused=(2, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("no response to an accepted answer", "I.63",
         life(*ACCEPTED, step("response_received", "2022-03-28", final=True)), "accepted",
         refused=(7, "step_not_allowed")),
    # ---- execution (I.59)
    Case("execution adds up damage recovered and persons held liable", "I.59",
         life(drafted(), issued(ISSUED), step("execution_recorded", "2022-03-09", damage_recovered=1500.5),
              step("execution_recorded", "2022-03-10", damage_recovered=2000, persons_liable=2),
              step("execution_recorded", "2022-03-11", persons_liable=1)),
         "issued", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)],
         extra={"damage_recovered": 3500.5, "persons_liable": 3}),
    Case("execution is recorded on an accepted answer", "I.59",
         life(*ACCEPTED, step("execution_recorded", "2022-03-28", persons_liable=4)), "accepted",
         extra={"persons_liable": 4, "damage_recovered": 0}),
    Case("no execution of a draft", "I.59",
         life(drafted(), step("execution_recorded", "2022-03-09", persons_liable=1)), "drafted",
         refused=(1, "step_not_allowed"), extra={"persons_liable": 0}),
    Case("no execution recorded while the superior suspends the act", "I.59",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="suspend"),
              step("execution_recorded", "2022-03-10", persons_liable=1)), "superior_suspended",
         refused=(3, "step_not_allowed"), extra={"persons_liable": 0},
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("liability under КоАП 664–665 for non-consideration is recorded", "I.59",
         life(drafted(), issued(ISSUED), step("liability_initiated", "2022-03-09", article="664")), "issued",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("no liability for non-consideration once the answer is accepted", "I.59",
         life(*ACCEPTED, step("liability_initiated", "2022-03-28", article="665")), "accepted",
         refused=(7, "step_not_allowed")),
    # ---- court_invalidated (I.64)
    Case("a court's invalidation is final: response and reviews dropped, the data-bank entries stay", "I.64",
         life(drafted(), issued(ISSUED, response_due="2022-04-04"), step("response_received", FINAL, final=True),
              step("court_invalidated", "2022-04-29")),
         "invalidated", deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("databank_entry", FINAL_DATABANK, 2)],
         extra={"register_i64": True}),
    Case("a suspended act may be invalidated by a court", "I.64",
         life(drafted(), issued(ISSUED), step("superior_decision", "2022-03-09", decision="suspend"),
              step("court_invalidated", "2022-03-10")), "invalidated",
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1)], extra={"register_i64": True}),
    Case("a draft is not invalidated by a court", "I.64",
         life(drafted(), step("court_invalidated", "2022-03-10")), "drafted", refused=(1, "step_not_allowed"),
         extra={"register_i64": False}),
    # ---- closed
    Case("an accepted act with every entry made and reviewed closes", "I.59",
         life(*ACCEPTED, step("closed", "2022-03-28")), "closed", extra={"register_i64": False}),
    Case("not closed while a data-bank entry is open", "I.67",
         life(*ACCEPTED[:5], step("response_reviewed", "2022-03-25", agree=True), step("closed", "2022-03-28")),
         "accepted", refused=(6, "open_deadlines"), deadlines=[dl("databank_entry", FINAL_DATABANK, 4)]),
    Case("not closed while the superior review is open", "I.62",
         life(drafted(), issued(ISSUED), step("databank_entered", "2022-03-09", step=1),
              step("response_received", FINAL, final=True), step("databank_entered", "2022-03-24", step=3),
              step("response_reviewed", "2022-03-25", agree=True), step("closed", "2022-03-28")),
         "accepted", refused=(6, "open_deadlines"), deadlines=[dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("a GPO act closes without a superior review", "I.62",
         life(drafted(), issued(ISSUED), step("databank_entered", "2022-03-09", step=1),
              step("response_received", FINAL, final=True), step("databank_entered", "2022-03-24", step=3),
              step("response_reviewed", "2022-03-25", agree=True), step("closed", "2022-03-28"),
              office_level="gpo"), "closed"),
    Case("only an accepted act closes", "I.59",
         life(drafted(), issued(ISSUED), step("closed", "2022-03-28")), "issued", refused=(2, "step_not_allowed"),
         deadlines=[dl("databank_entry", ISSUED_DATABANK, 1), dl("superior_review", ISSUED_REVIEW, 1)]),
    Case("nothing follows the closing, not even a data-bank entry", "I.67",
         life(*ACCEPTED, step("closed", "2022-03-28"), step("databank_entered", "2022-03-28", step=4)), "closed",
         refused=(8, "step_not_allowed")),
    Case("refused at a step: later steps are not replayed", "I.58",
         life(drafted(content=[]), issued(ISSUED), step("databank_entered", "2022-03-09", step=1)), "drafted",
         refused=(1, "content_incomplete")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.cite} {c.name}")
def test_act_life(case: Case) -> None:
    state = replay("act", case.input)
    assert state["kind"] == "act"
    assert state["status"] == case.status
    if case.refused is None:
        assert state["refused"] is None
    else:
        refused = state["refused"]
        assert (refused["step"], refused["code"]) == case.refused, refused
        assert refused["citations"] and refused["message"]
    assert state["deadlines"] == case.deadlines
    assert state["late"] == case.late
    for key, value in case.extra.items():
        assert state[key] == value, key


def test_every_step_type_and_refusal_code_of_the_kind_has_a_case() -> None:
    types = {s["type"] for c in CASES for s in c.input["steps"]}
    assert types == set(KINDS["act"].steps)
    codes = {c.refused[1] for c in CASES if c.refused is not None}
    assert codes == {"step_not_allowed", "gpo_approval_required", "content_incomplete", "open_deadlines"}


@pytest.mark.parametrize("missing", [*FULL, "restoration", "compensation"])
def test_content_lacking_any_mandatory_part_is_incomplete_per_i58(missing: str) -> None:
    content = [p for p in [*FULL, "restoration", "compensation"] if p != missing]
    state = replay("act", life(drafted(content=content, rights_violated=True, damage_caused=True), issued(ISSUED)))
    assert state["refused"]["code"] == "content_incomplete"
    assert state["refused"]["citations"] == ["I.58"]
    assert "п. 58 Инструкции" in state["refused"]["message"]


def test_restoration_and_compensation_are_not_required_without_violated_rights_or_damage_i58() -> None:
    state = replay("act", life(drafted(rights_violated=None, damage_caused=False), issued(ISSUED)))
    assert state["status"] == "issued"


def test_refusals_cite_their_paragraph_in_russian_i60_i67() -> None:
    via = replay("act", life(drafted(addressee_central_body=True), issued(ISSUED)))["refused"]
    assert via["citations"] == ["I.60"] and "п. 60 Инструкции" in via["message"]
    bank = replay("act", life(*ACCEPTED[:5], step("response_reviewed", "2022-03-25", agree=True),
                              step("closed", "2022-03-28")))["refused"]
    assert bank["citations"] == ["I.67"] and "п. 67 Инструкции" in bank["message"]
    both = replay("act", life(drafted(), issued(ISSUED), step("response_received", FINAL, final=True),
                              step("response_reviewed", "2022-03-25", agree=True), step("closed", "2022-03-28")))
    assert both["refused"]["code"] == "open_deadlines"
    assert both["refused"]["citations"] == ["I.62", "I.67"]


@pytest.mark.parametrize(("office_level", "central", "main_office", "issuer"), [
    ("regional", True, None, "regional_prosecutor"),
    ("regional", False, None, "regional_prosecutor"),
    ("regional", True, "military", "main_military"),
    ("regional", True, "transport", "main_transport"),
    ("gpo", True, None, "gpo"),
])
def test_via_gpo_is_the_rule_act_via_gpo_i60(office_level: str, central: bool, main_office: str | None,
                                            issuer: str) -> None:
    state = replay("act", life(drafted(addressee_central_body=central, main_office=main_office),
                               office_level=office_level))
    expected = rules.evaluate("act.via_gpo", {"issuer": issuer, "addressee_central_body": central})
    assert state["via_gpo"] is expected["result"]["via_gpo"]


@pytest.mark.parametrize(("rule_id", "key", "event", "due", "steps", "code", "at"), [
    ("act.gpo_approval_due", "received", SENT, SENT_DUE,
     [drafted("2021-12-09", addressee_central_body=True), step("sent_to_gpo", SENT)], "gpo_approval", 1),
    ("act.superior_review_due", "issued", ISSUED, ISSUED_REVIEW, [drafted(), issued(ISSUED)], "superior_review", 1),
    ("act.superior_review_due", "issued", WINTER_ISSUED, WINTER_REVIEW,
     [drafted("2021-12-20"), issued(WINTER_ISSUED)], "superior_review", 1),
    ("act.databank_entry_due", "event_date", ISSUED, ISSUED_DATABANK, [drafted(), issued(ISSUED)],
     "databank_entry", 1),
    ("act.databank_entry_due", "event_date", WINTER_ISSUED, WINTER_DATABANK,
     [drafted("2021-12-20"), issued(WINTER_ISSUED)], "databank_entry", 1),
    ("act.databank_entry_due", "event_date", FINAL, FINAL_DATABANK,
     [drafted(), issued(ISSUED), step("response_received", FINAL)], "databank_entry", 2),
    ("act.response_review_due", "final_response_received", FINAL, FINAL_REVIEW,
     [drafted(), issued(ISSUED), step("response_received", FINAL, final=True)], "response_review", 2),
])
def test_dues_are_counted_by_hand_and_equal_the_rules_k2(rule_id: str, key: str, event: str, due: str,
                                                         steps: list[dict[str, Any]], code: str, at: int) -> None:
    """I.60, I.62, I.63, I.67: K2 working days across Independence Day, New Year, Christmas, 8 March
    (with the working Saturday 5 March 2022) and Nauryz."""
    assert rules.evaluate(rule_id, {key: event})["result"]["due"] == due
    state = replay("act", life(*steps))
    assert {"code": code, "due": due, "step": at} in [
        {k: d[k] for k in ("code", "due", "step")} for d in state["deadlines"]]


def test_the_extra_state_fields_and_the_keys_absent_for_an_act() -> None:
    state = replay("act", life(drafted()))
    assert state["via_gpo"] is False and state["register_i64"] is False
    assert state["damage_recovered"] == 0 and state["persons_liable"] == 0
    for absent in ("start", "last_day", "extension_days", "extension_petition_latest", "objections_until"):
        assert absent not in state
    assert state["allowed_next"] == ["issued"]


def test_allowed_next_follows_the_table() -> None:
    assert replay("act", life(drafted(addressee_central_body=True)))["allowed_next"] == ["sent_to_gpo", "issued"]
    suspended = replay("act", life(drafted(), issued(ISSUED), step("superior_decision", ISSUED, decision="suspend")))
    assert suspended["allowed_next"] == ["databank_entered", "superior_decision", "court_invalidated"]
    assert replay("act", life(*ACCEPTED, step("closed", "2022-03-28")))["allowed_next"] == []
    revoked = life(drafted(), issued(ISSUED), step("superior_decision", ISSUED, decision="revoke"))
    assert replay("act", revoked)["allowed_next"] == ["databank_entered"]
    revoked["steps"].append(step("databank_entered", ISSUED, step=1))
    assert replay("act", revoked)["allowed_next"] == []
    assert replay("act", life(drafted(), issued(ISSUED), office_level="gpo"))["allowed_next"] == [
        "databank_entered", "response_received", "execution_recorded", "liability_initiated", "court_invalidated"]


ERRORS = [
    ("an unknown step type", life(drafted(), step("withdrawn", ISSUED)), "steps.1.type"),
    ("an unknown field", life(drafted(addressee="ministry")), "steps.0.addressee"),
    ("a missing act type", life({k: v for k, v in drafted().items() if k != "act_type"}), "steps.0.act_type"),
    ("a missing signer", life(drafted(), step("issued", ISSUED)), "steps.1.signer"),
    ("a signer without position", life(drafted(), step("issued", ISSUED, signer={})), "steps.1.signer.position"),
    ("a wrong type", life(drafted(addressee_central_body="yes")), "steps.0.addressee_central_body"),
    ("an act type outside its list", life(drafted(act_type="warning")), "steps.0.act_type"),
    ("a content part outside its list", life(drafted(content=["legal_essence", "moral"])), "steps.0.content.1"),
    ("a main office outside its list", life(drafted(main_office="naval")), "steps.0.main_office"),
    ("a decision outside its list", life(drafted(), issued(ISSUED), step("superior_decision", ISSUED,
                                                                         decision="cancel")),
     "steps.2.decision"),
    ("an article outside КоАП 664–665", life(drafted(), issued(ISSUED), step("liability_initiated", ISSUED,
                                                                              article="666")),
     "steps.2.article"),
    ("an impossible date", life(drafted(), issued("2022-02-30")), "steps.1.date"),
    ("a date outside the calendar's years", life(drafted("2017-12-29")), "steps.0.date"),
    ("a decreasing date", life(drafted(), issued(ISSUED), step("response_received", "2022-03-03")),
     "steps.2.date"),
    ("a first step of the wrong type", life(issued(ISSUED)), "steps.0.type"),
    ("a second drafted step", life(drafted(), drafted()), "steps.1.type"),
    ("a response_due before the step's date", life(drafted(), issued(ISSUED, response_due="2022-03-03")),
     "steps.1.response_due"),
    ("a negative amount", life(drafted(), issued(ISSUED), step("execution_recorded", ISSUED, damage_recovered=-1)),
     "steps.2.damage_recovered"),
    ("a negative count", life(drafted(), issued(ISSUED), step("execution_recorded", ISSUED, persons_liable=-1)),
     "steps.2.persons_liable"),
    ("a fractional count", life(drafted(), issued(ISSUED), step("execution_recorded", ISSUED, persons_liable=1.5)),
     "steps.2.persons_liable"),
    ("a transfer with a decision other than revoke",
     life(drafted(), issued(ISSUED), step("superior_decision", ISSUED, decision="keep", transfer=True)),
     "steps.2.transfer"),
    ("a data-bank entry naming the draft", life(drafted(), issued(ISSUED), step("databank_entered", ISSUED, step=0)),
     "steps.2.step"),
    ("a data-bank entry naming itself", life(drafted(), issued(ISSUED), step("databank_entered", ISSUED, step=2)),
     "steps.2.step"),
    ("a data-bank entry naming a later step",
     life(drafted(), issued(ISSUED), step("databank_entered", ISSUED, step=3), step("response_received", ISSUED)),
     "steps.2.step"),
    ("a data-bank entry naming a superior decision",
     life(drafted(), issued(ISSUED), step("superior_decision", ISSUED, decision="keep"),
          step("databank_entered", ISSUED, step=2)), "steps.3.step"),
    ("an unknown office level", life(drafted(), office_level="city"), "office_level"),
]


@pytest.mark.parametrize(("name", "data", "field_path"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_is_an_input_error_never_a_state(name: str, data: dict[str, Any], field_path: str) -> None:
    with pytest.raises(rules.InvalidInput) as refused:
        replay("act", data)
    assert field_path in [e.field for e in refused.value.errors], refused.value.as_dicts()


def test_an_input_error_after_a_refused_step_wins_over_the_refusal() -> None:
    """PROCEEDINGS.md: the whole input is validated before anything is replayed."""
    data = life(drafted(addressee_central_body=True), issued(ISSUED),
                step("execution_recorded", ISSUED, damage_recovered=-5))
    with pytest.raises(rules.InvalidInput) as refused:
        replay("act", data)
    assert [e.field for e in refused.value.errors] == ["steps.2.damage_recovered"]


def test_a_named_entry_no_longer_open_is_a_refusal_not_an_input_error_i67() -> None:
    state = replay("act", life(drafted(), issued(ISSUED), step("databank_entered", ISSUED, step=1),
                               step("databank_entered", ISSUED, step=1)))
    assert state["refused"]["code"] == "step_not_allowed" and state["refused"]["step"] == 3
