"""Kind `analysis` (PROCEEDINGS.md; Rules chapter 2, R.3–R.23, and I.67) through `replay`: every row,
refusal, deadline and input error of the contract, each scenario named by its sentence and paragraph,
and the lives of issue 10 (a plan item to a business requirement with its data-bank entry; a petition
that opens a check).

`replay` reads no clock: the state is a function of the steps and the working calendar alone. Every due
date below was counted by hand on the Kazakhstan calendar (comments) and is also checked against
`rules.evaluate` of the matching RULES.md rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from nadzor import rules
from nadzor.bootstrap import build_calendar
from nadzor.proceedings import replay
from nadzor.rules.base import InvalidInput

CAL = build_calendar()
EXTRA_KEYS = ("start", "last_day", "extension_days", "objections_until", "notify")


def who(position: str, acting_for: str | None = None) -> dict[str, Any]:
    return {"position": position, **({"acting_for": acting_for} if acting_for else {})}


DISTRICT = who("district_prosecutor")
REGIONAL = who("regional_prosecutor")
DEPUTY_REGIONAL = who("deputy_regional_prosecutor")
DEPUTY_DISTRICT = who("deputy_district_prosecutor")
PG = who("prosecutor_general")


def step(type_: str, day: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "date": day, **fields}


def opened(day: str = "2021-11-19", via: str = "rapport", signer: dict[str, Any] = DISTRICT,
           basis: str = "monitoring", **extra: Any) -> dict[str, Any]:
    return step("opened", day, via=via, signer=signer, basis=basis, **extra)


def requirement(day: str, target: str = "business", signer: dict[str, Any] = REGIONAL, **extra: Any) -> dict[str, Any]:
    return step("decision", day, decision="requirement", target=target, signer=signer, **extra)


def business_requirement(day: str, signer: dict[str, Any] = REGIONAL) -> dict[str, Any]:
    return requirement(day, "business", signer, concrete_harm_fact=True)


#: Opened on Friday 2021-11-19: 30 calendar days, the last one Saturday 2021-12-18 — K6 never moves it (R.16).
OPENED = [opened()]
LAST = "2021-12-18"
#: … ended on Tuesday 2021-12-14, in time (the certificate of R.18).
ENDED = [*OPENED, step("ended", "2021-12-14")]
#: … a requirement to check a business on a concrete fact of harm, signed on Wednesday 2021-12-15 by the
#: regional prosecutor (R.22): the data-bank entry is due K2 3 working days later — 16–17 December are
#: Independence Day, 18–19 a weekend: 20 (1), 21 (2), 22 (3) December (I.67).
REQUIRED = [*ENDED, business_requirement("2021-12-15")]
ENTRY_DUE = "2021-12-22"
#: … the certificate sent on 2021-12-14: objections K2 5 working days — 15 (1), [16–19 off], 20, 21, 22, 23 (R.18).
SENT = [*ENDED, step("certificate_sent", "2021-12-14")]
OBJECTIONS_UNTIL = "2021-12-23"
#: A request delivered on Wednesday 2021-12-01: K1 15 calendar days = Thursday 16 December, Independence
#: Day; 17 is one too, 18–19 a weekend — due Monday 2021-12-20 (R.13).
REQUESTED = [*OPENED, step("info_requested", "2021-12-01", addressee="state_body")]
REPLY_DUE = "2021-12-20"


def life(steps: list[dict[str, Any]], office_level: str = "district") -> dict[str, Any]:
    return replay("analysis", {"office_level": office_level, "steps": steps}, calendar=CAL)


def deadline(code: str, due: str, at: int, *cites: str) -> dict[str, Any]:
    return {"code": code, "due": due, "step": at, "citations": list(cites)}


def end_due(due: str = LAST) -> dict[str, Any]:
    return deadline("analysis_end", due, 0, "R.16")


def late(at: int, code: str, due: str) -> dict[str, Any]:
    return {"step": at, "code": code, "due": due}


@dataclass(frozen=True)
class Scenario:
    name: str  # the contract's sentence
    cites: str  # its paragraph
    steps: list[dict[str, Any]]
    expect: dict[str, Any] = field(default_factory=dict)
    refused: tuple[int, str, tuple[str, ...]] | None = None  # (step, code, citations)
    office_level: str = "district"


SCENARIOS = [
    # --- opened (R.3, R.10, R.11, R.16)
    Scenario("a rapport agreed by the district prosecutor opens the analysis: in progress, start, 30 days (K6)",
             "R.11, R.16", OPENED,
             {"status": "in_progress", "start": "2021-11-19", "last_day": LAST, "extension_days": 0,
              "objections_until": None, "notify": [], "deadlines": [end_due()], "late": [],
              "allowed_next": ["info_requested", "visual_inspection", "extended", "ended"]}),
    Scenario("the last day falls on a holiday and is not moved (K6): opened 2022-02-20, day 30 is Nauryz 2022-03-21",
             "R.16", [opened("2022-02-20")], {"last_day": "2022-03-21", "deadlines": [end_due("2022-03-21")]}),
    Scenario("a person acting for the district prosecutor agrees the rapport with the district prosecutor's authority",
             "R.11", [opened(signer=who("prosecutor", "district_prosecutor"))], {"status": "in_progress"}),
    Scenario("a rapport agreed by a deputy district prosecutor is refused; the state before the first step is null",
             "R.11", [opened(signer=DEPUTY_DISTRICT)],
             {"status": None, "start": None, "last_day": None, "extension_days": 0, "objections_until": None,
              "notify": [], "deadlines": [], "late": [], "allowed_next": []},
             (0, "signer_not_allowed", ("R.11",))),
    Scenario("a rapport agreed by the head of an independent GPO unit opens the analysis", "R.11",
             [opened(signer=who("gpo_unit_head"))], {"status": "in_progress"}, office_level="gpo"),
    Scenario("an item of a plan approved by the deputy regional prosecutor opens the analysis", "R.11 (last part)",
             [opened(via="plan", signer=DEPUTY_REGIONAL)], {"status": "in_progress", "last_day": LAST},
             office_level="regional"),
    Scenario("a plan is not approved by a district prosecutor (who may agree a rapport)", "R.11 (last part)",
             [opened(via="plan", signer=DISTRICT)], {"status": None, "last_day": None},
             (0, "signer_not_allowed", ("R.11",))),
    Scenario("a plan is not approved by the head of a GPO unit", "R.11 (last part)",
             [opened(via="plan", signer=who("gpo_unit_head"))], {"status": None},
             (0, "signer_not_allowed", ("R.11",)), office_level="gpo"),
    Scenario("a person acting for the Prosecutor General approves a plan", "R.11 (last part)",
             [opened(via="plan", signer=who("deputy_prosecutor_general", "prosecutor_general"))],
             {"status": "in_progress"}, office_level="gpo"),
    Scenario("a subject-crosscutting group led by the regional prosecutor", "R.3",
             [opened(signer=REGIONAL, group_leader=REGIONAL)], {"status": "in_progress"}, office_level="regional"),
    Scenario("a group led by a person acting for the head of a GPO unit", "R.3",
             [opened(signer=PG, group_leader=who("gpo_unit_deputy_head", "gpo_unit_head"))],
             {"status": "in_progress"}, office_level="gpo"),
    Scenario("a group led by a deputy district prosecutor is refused", "R.3",
             [opened(group_leader=DEPUTY_DISTRICT)], {"status": None}, (0, "signer_not_allowed", ("R.3",))),
    Scenario("the rapport's signer is checked before the group leader (the row's order)", "R.11, R.3",
             [opened(signer=DEPUTY_DISTRICT, group_leader=DEPUTY_DISTRICT)], {"status": None},
             (0, "signer_not_allowed", ("R.11",))),
    Scenario("a null group_leader is an omitted one", "R.3", [opened(group_leader=None)], {"status": "in_progress"}),
    Scenario("a regional office may act on the superior office's instruction", "R.10",
             [opened(signer=REGIONAL, basis="superior_instruction")], {"status": "in_progress"},
             office_level="regional"),
    # --- info_requested (R.13, R.14)
    Scenario("a request to a state body opens the reply, due K1 15 calendar days moved off Independence Day",
             "R.13", REQUESTED, {"status": "in_progress",
                                 "deadlines": [end_due(), deadline("info_reply", REPLY_DUE, 1, "R.13")]}),
    Scenario("an urgent request is answered that very day (immediately), even on a holiday", "R.13",
             [*OPENED, step("info_requested", "2021-12-16", addressee="state_body", urgent=True)],
             {"deadlines": [deadline("info_reply", "2021-12-16", 1, "R.13"), end_due()]}),
    Scenario("a district office may not ask the quasi-state sector without a protected interest", "R.14",
             [*OPENED, step("info_requested", "2021-12-01", addressee="quasi_state")],
             {"status": "in_progress", "deadlines": [end_due()]}, (1, "request_not_allowed", ("R.13", "R.14"))),
    Scenario("a district office asks the quasi-state sector to protect an indefinite circle of persons", "R.14 p. 2",
             [*OPENED, step("info_requested", "2021-12-01", addressee="quasi_state",
                            protected_interest=["indefinite_circle"])],
             {"deadlines": [end_due(), deadline("info_reply", REPLY_DUE, 1, "R.13")]}),
    Scenario("the GPO asks the quasi-state sector without a protected interest", "R.14",
             [opened(signer=PG), step("info_requested", "2021-12-01", addressee="quasi_state")],
             {"deadlines": [end_due(), deadline("info_reply", REPLY_DUE, 1, "R.13")]}, office_level="gpo"),
    Scenario("private business is not asked without a legal basis or a state interest", "R.14",
             [*OPENED, step("info_requested", "2021-12-01", addressee="private_business", protected_interest=[
                 "vulnerable_persons"])], {"status": "in_progress"}, (1, "request_not_allowed", ("R.13", "R.14"))),
    Scenario("a request to private business on a legal basis has the law's own term: no deadline opens", "R.14",
             [*OPENED, step("info_requested", "2021-12-01", addressee="private_business", legal_basis=True)],
             {"deadlines": [end_due()], "allowed_next": ["info_requested", "info_received", "visual_inspection",
                                                         "extended", "ended"]}),
    Scenario("private business is asked to protect the state's interests", "R.14",
             [*OPENED, step("info_requested", "2021-12-01", addressee="private_business", state_interest=True)],
             {"deadlines": [end_due()], "refused": None}),
    Scenario("no information is requested once the analysis has ended", "R.13",
             [*ENDED, step("info_requested", "2021-12-15", addressee="state_body")], {"status": "ended"},
             (2, "step_not_allowed", ("R.13", "R.14"))),
    # --- info_received (R.13)
    Scenario("the reply received on its due day closes it, not late", "R.13",
             [*REQUESTED, step("info_received", REPLY_DUE, step=1)], {"deadlines": [end_due()], "late": []}),
    Scenario("a reply received after its due closes it and is recorded late", "R.13",
             [*REQUESTED, step("info_received", "2021-12-21", step=1)],
             {"deadlines": [end_due()], "late": [late(2, "info_reply", REPLY_DUE)], "refused": None}),
    Scenario("a reply may be received after the analysis has ended", "R.13",
             [*REQUESTED, step("ended", "2021-12-14"), step("info_received", "2021-12-15", step=1)],
             {"status": "ended", "deadlines": [], "late": []}),
    Scenario("a reply already received is not received again", "R.13",
             [*REQUESTED, step("info_received", "2021-12-10", step=1), step("info_received", "2021-12-11", step=1)],
             {"deadlines": [end_due()]}, (3, "step_not_allowed", ("R.13",))),
    Scenario("the reply of private business is received once, never late", "R.14",
             [*OPENED, step("info_requested", "2021-11-22", addressee="private_business", legal_basis=True),
              step("info_received", "2021-12-17", step=1)], {"deadlines": [end_due()], "late": []}),
    # --- visual_inspection (R.3, R.15)
    Scenario("a visual inspection in a place open to visitors is recorded; the status stays", "R.15",
             [*OPENED, step("visual_inspection", "2021-11-25", public_place=True)],
             {"status": "in_progress", "deadlines": [end_due()]}),
    Scenario("a visual inspection of an object not open to visitors is refused (no visiting of subjects)",
             "R.3, R.15", [*OPENED, step("visual_inspection", "2021-11-25", public_place=False)],
             {"status": "in_progress"}, (1, "inspection_not_allowed", ("R.3", "R.15"))),
    Scenario("public_place omitted is false: refused", "R.15",
             [*OPENED, step("visual_inspection", "2021-11-25")], {}, (1, "inspection_not_allowed", ("R.3", "R.15"))),
    Scenario("no visual inspection after the end", "R.15",
             [*ENDED, step("visual_inspection", "2021-12-15", public_place=True)], {"status": "ended"},
             (2, "step_not_allowed", ("R.3", "R.15"))),
    # --- extended (R.16)
    Scenario("the regional prosecutor consents to extend a district office's analysis: the last day moves", "R.16",
             [*OPENED, step("extended", LAST, signer=REGIONAL, days=10)],
             {"extension_days": 10, "last_day": "2021-12-28", "deadlines": [end_due("2021-12-28")]}),
    Scenario("a person acting for the deputy regional prosecutor consents for a district office", "R.16",
             [*OPENED, step("extended", "2021-12-01", signer=who("regional_unit_head", "deputy_regional_prosecutor"),
                            days=30)], {"extension_days": 30, "last_day": "2022-01-17"}),
    Scenario("the district prosecutor does not extend his own analysis", "R.16",
             [*OPENED, step("extended", "2021-12-01", signer=DISTRICT, days=5)],
             {"extension_days": 0, "last_day": LAST}, (1, "signer_not_allowed", ("R.16",))),
    Scenario("a regional office's analysis is extended with a deputy Prosecutor General's consent", "R.16",
             [opened(signer=REGIONAL), step("extended", "2021-12-01", signer=who("deputy_prosecutor_general"), days=5)],
             {"extension_days": 5, "last_day": "2021-12-23"}, office_level="regional"),
    Scenario("the regional prosecutor does not extend a regional office's analysis", "R.16",
             [opened(signer=REGIONAL), step("extended", "2021-12-01", signer=REGIONAL, days=5)],
             {"extension_days": 0}, (1, "signer_not_allowed", ("R.16",)), office_level="regional"),
    Scenario("a GPO analysis is extended with the Prosecutor General's consent", "R.16",
             [opened(signer=PG), step("extended", "2021-12-01", signer=PG, days=1)],
             {"extension_days": 1, "last_day": "2021-12-19"}, office_level="gpo"),
    Scenario("an extension dated after the last day is refused", "R.16",
             [*OPENED, step("extended", "2021-12-19", signer=REGIONAL, days=5)], {"last_day": LAST},
             (1, "term_expired", ("R.16",))),
    Scenario("the signer is checked before the term (the row's order)", "R.16",
             [*OPENED, step("extended", "2021-12-19", signer=DISTRICT, days=5)], {},
             (1, "signer_not_allowed", ("R.16",))),
    Scenario("extensions may add up to exactly 30 days", "R.16",
             [*OPENED, step("extended", "2021-12-01", signer=REGIONAL, days=20),
              step("extended", "2021-12-02", signer=REGIONAL, days=10)],
             {"extension_days": 30, "last_day": "2022-01-17"}),
    Scenario("an extension beyond 30 days in all is refused", "R.16",
             [*OPENED, step("extended", "2021-12-01", signer=REGIONAL, days=20),
              step("extended", "2021-12-02", signer=REGIONAL, days=11)],
             {"extension_days": 20, "last_day": "2022-01-07"}, (2, "extension_exceeded", ("R.16",))),
    Scenario("the term is checked before the total (the row's order)", "R.16",
             [*OPENED, step("extended", "2021-12-01", signer=REGIONAL, days=30),
              step("extended", "2022-01-18", signer=REGIONAL, days=1)], {}, (2, "term_expired", ("R.16",))),
    Scenario("no extension after the end", "R.16",
             [*ENDED, step("extended", "2021-12-15", signer=REGIONAL, days=5)], {"status": "ended"},
             (2, "step_not_allowed", ("R.16",))),
    # --- ended (R.16, R.18)
    Scenario("the analysis ended on its last day closes analysis_end, not late", "R.16",
             [*OPENED, step("ended", LAST)], {"status": "ended", "deadlines": [], "late": [], "last_day": LAST,
                                              "allowed_next": ["certificate_sent", "decision"]}),
    Scenario("an analysis ended after its last day is recorded late", "R.16",
             [*OPENED, step("ended", "2021-12-19")], {"status": "ended", "late": [late(1, "analysis_end", LAST)]}),
    Scenario("ended after the extended last day is late against the extended day", "R.16",
             [*OPENED, step("extended", LAST, signer=REGIONAL, days=10), step("ended", "2021-12-29")],
             {"late": [late(2, "analysis_end", "2021-12-28")]}),
    Scenario("an analysis ends once", "R.16", [*ENDED, step("ended", "2021-12-15")], {"status": "ended"},
             (2, "step_not_allowed", ("R.16", "R.18"))),
    # --- certificate_sent, objection_received (R.18)
    Scenario("the certificate sent opens objections for K2 5 working days across Independence Day", "R.18",
             SENT, {"status": "ended", "objections_until": OBJECTIONS_UNTIL, "deadlines": [],
                    "allowed_next": ["objection_received", "decision"]}),
    Scenario("the Saturday 2022-03-05 was a working day and 7–8 March were not: objections until 2022-03-14",
             "R.18", [opened("2022-02-14"), step("ended", "2022-03-04"), step("certificate_sent", "2022-03-04")],
             {"objections_until": "2022-03-14"}),
    Scenario("the certificate is sent once", "R.18", [*SENT, step("certificate_sent", "2021-12-15")],
             {"objections_until": OBJECTIONS_UNTIL}, (3, "step_not_allowed", ("R.18",))),
    Scenario("no certificate is sent before the end", "R.18", [*OPENED, step("certificate_sent", "2021-12-01")],
             {"status": "in_progress", "objections_until": None}, (1, "step_not_allowed", ("R.18",))),
    Scenario("objections received on their last day are not late", "R.18",
             [*SENT, step("objection_received", OBJECTIONS_UNTIL)], {"late": [], "status": "ended"}),
    Scenario("objections received after their term are recorded late, not refused", "R.18",
             [*SENT, step("objection_received", "2021-12-24")],
             {"late": [late(3, "certificate_objection", OBJECTIONS_UNTIL)], "refused": None}),
    Scenario("no objections before the certificate is sent", "R.18",
             [*ENDED, step("objection_received", "2021-12-15")], {}, (2, "step_not_allowed", ("R.18",))),
    Scenario("objections are received once", "R.18",
             [*SENT, step("objection_received", "2021-12-15"), step("objection_received", "2021-12-16")], {},
             (4, "step_not_allowed", ("R.18",))),
    # --- decision (R.19–R.23, I.67)
    Scenario("a decision to issue an act is recorded; the status stays ended", "R.19",
             [*ENDED, step("decision", "2021-12-15", decision="act")],
             {"status": "ended", "deadlines": [], "notify": [],
              "allowed_next": ["certificate_sent", "decision", "closed"]}),
    Scenario("several decisions may be recorded, and a code may repeat", "R.19",
             [*ENDED, step("decision", "2021-12-15", decision="act"), step("decision", "2021-12-15", decision="act"),
              step("decision", "2021-12-16", decision="kui_registration"), step("closed", "2021-12-16")],
             {"status": "closed"}),
    Scenario("no decision before the analysis has ended", "R.19",
             [*OPENED, step("decision", "2021-12-01", decision="act")], {"status": "in_progress"},
             (1, "step_not_allowed", ("R.19",))),
    Scenario("a business requirement by the regional prosecutor notifies the GPO and opens the data-bank entry "
             "(K2 3 across Independence Day)", "R.22, I.67", REQUIRED,
             {"notify": ["gpo"], "deadlines": [deadline("databank_entry", ENTRY_DUE, 2, "I.67")],
              "allowed_next": ["certificate_sent", "decision", "databank_entered", "closed"]}),
    Scenario("a business requirement without a concrete fact of harm is refused", "R.22",
             [*ENDED, requirement("2021-12-15")], {"deadlines": [], "notify": []},
             (2, "harm_fact_required", ("R.22",))),
    Scenario("the fact of harm is checked before the signer (the row's order)", "R.22",
             [*ENDED, requirement("2021-12-15", signer=DISTRICT, concrete_harm_fact=False)], {},
             (2, "harm_fact_required", ("R.22",))),
    Scenario("a district prosecutor does not sign a business requirement", "R.22",
             [*ENDED, business_requirement("2021-12-15", signer=DISTRICT)], {"deadlines": []},
             (2, "signer_not_allowed", ("R.21", "R.22"))),
    Scenario("the deputy Prosecutor General's business requirement notifies nobody", "R.22",
             [opened(signer=PG), step("ended", "2021-12-14"), business_requirement("2021-12-15", who(
                 "deputy_prosecutor_general"))],
             {"notify": [], "deadlines": [deadline("databank_entry", ENTRY_DUE, 2, "I.67")]}, office_level="gpo"),
    Scenario("a district prosecutor's state-body requirement notifies the regional, Main Military and Main "
             "Transport offices; no data-bank entry", "R.21",
             [*ENDED, requirement("2021-12-15", "state_body", DISTRICT)],
             {"notify": ["regional_office", "main_military", "main_transport"], "deadlines": []}),
    Scenario("a state-body requirement may carry the fact of harm", "R.21",
             [*ENDED, requirement("2021-12-15", "state_body", REGIONAL, concrete_harm_fact=True)],
             {"notify": [], "deadlines": [], "refused": None}),
    Scenario("a deputy district prosecutor does not sign a state-body requirement", "R.21",
             [*ENDED, requirement("2021-12-15", "state_body", DEPUTY_DISTRICT)], {},
             (2, "signer_not_allowed", ("R.21", "R.22"))),
    Scenario("notify is the union of the requirements' lists in order of first appearance", "R.21, R.22",
             [*ENDED, requirement("2021-12-15", "state_body", DISTRICT),
              business_requirement("2021-12-15", who("deputy_regional_prosecutor", "regional_prosecutor")),
              requirement("2021-12-16", "state_body", who("prosecutor", "district_prosecutor"))],
             {"notify": ["regional_office", "main_military", "main_transport", "gpo"]}),
    Scenario("a petition to the Prosecutor General for a business check signed by the regional prosecutor", "R.23",
             [*ENDED, step("decision", "2021-12-15", decision="gp_petition", signer=REGIONAL)],
             {"status": "ended", "deadlines": [], "notify": []}),
    Scenario("a district prosecutor does not sign the petition to the Prosecutor General", "R.23",
             [*ENDED, step("decision", "2021-12-15", decision="gp_petition", signer=DISTRICT)], {},
             (2, "signer_not_allowed", ("R.23",))),
    # --- databank_entered (I.67)
    Scenario("the entry made on its due day closes it, not late", "I.67",
             [*REQUIRED, step("databank_entered", ENTRY_DUE, step=2)], {"deadlines": [], "late": []}),
    Scenario("an entry made after its due is recorded late", "I.67",
             [*REQUIRED, step("databank_entered", "2021-12-23", step=2)],
             {"deadlines": [], "late": [late(3, "databank_entry", ENTRY_DUE)]}),
    Scenario("an entry already made is not made again", "I.67",
             [*REQUIRED, step("databank_entered", "2021-12-16", step=2),
              step("databank_entered", "2021-12-17", step=2)],
             {}, (4, "step_not_allowed", ("I.67",))),
    Scenario("only the named requirement's entry closes", "I.67",
             [*REQUIRED, business_requirement("2021-12-16"), step("databank_entered", "2021-12-17", step=3)],
             {"deadlines": [deadline("databank_entry", ENTRY_DUE, 2, "I.67")]}),
    # --- closed (R.19, I.67)
    Scenario("an analysis without a decision is not closed", "R.19", [*ENDED, step("closed", "2021-12-15")],
             {"status": "ended"}, (2, "step_not_allowed", ("R.19", "I.67"))),
    Scenario("an analysis is not closed while a data-bank entry is open", "I.67",
             [*REQUIRED, step("closed", "2021-12-16")],
             {"status": "ended", "deadlines": [deadline("databank_entry", ENTRY_DUE, 2, "I.67")]},
             (3, "open_deadlines", ("I.67",))),
    Scenario("closing drops the open replies (the duty to answer was the addressee's), not late", "R.19, R.13",
             [*REQUESTED, step("ended", "2021-12-14"), step("decision", "2021-12-14", decision="inform_bodies"),
              step("closed", "2021-12-21")],
             {"status": "closed", "deadlines": [], "late": [], "allowed_next": []}),
    Scenario("nothing follows the closure", "R.19",
             [*REQUESTED, step("ended", "2021-12-14"), step("decision", "2021-12-14", decision="other"),
              step("closed", "2021-12-14"), step("info_received", "2021-12-15", step=1)],
             {"status": "closed"}, (5, "step_not_allowed", ("R.13",))),
    Scenario("the certificate is not sent after the closure", "R.18",
             [*ENDED, step("decision", "2021-12-14", decision="own_check"), step("closed", "2021-12-14"),
              step("certificate_sent", "2021-12-15")], {"status": "closed", "objections_until": None},
             (4, "step_not_allowed", ("R.18",))),
    # --- the general paragraphs
    Scenario("a refused step stops the replay: later steps are not replayed", "PROCEEDINGS.md «Refusal»",
             [*OPENED, step("visual_inspection", "2021-11-25"), step("ended", "2021-11-26")],
             {"status": "in_progress", "deadlines": [end_due()]}, (1, "inspection_not_allowed", ("R.3", "R.15"))),
    Scenario("deadlines are sorted by due, then code, then step", "PROCEEDINGS.md «deadlines»",
             # opened 2021-11-01: last day 2021-11-30; requests of 2021-11-15 are due K1 2021-11-30 too; the
             # urgent request of 2021-11-16 is due that day.
             [opened("2021-11-01"), step("info_requested", "2021-11-15", addressee="state_body"),
              step("info_requested", "2021-11-15", addressee="quasi_state", protected_interest=["vulnerable_persons"]),
              step("info_requested", "2021-11-16", addressee="state_body", urgent=True)],
             {"deadlines": [deadline("info_reply", "2021-11-16", 3, "R.13"), end_due("2021-11-30"),
                            deadline("info_reply", "2021-11-30", 1, "R.13"),
                            deadline("info_reply", "2021-11-30", 2, "R.13")]}),
    Scenario("a lower code sorts before an earlier step with the same due", "PROCEEDINGS.md «deadlines»",
             # the requirement of Monday 2021-12-13 is due K2 3: 14, 15, [16–19 off], 20 December — the reply's
             # day too.
             [*REQUESTED, step("ended", "2021-12-13"), business_requirement("2021-12-13")],
             {"deadlines": [deadline("databank_entry", REPLY_DUE, 3, "I.67"),
                            deadline("info_reply", REPLY_DUE, 1, "R.13")]}),
    Scenario("late lists every late step in step order", "PROCEEDINGS.md «late»",
             [*REQUESTED, step("ended", "2021-12-21"), step("info_received", "2021-12-21", step=1),
              step("certificate_sent", "2021-12-21"), business_requirement("2021-12-21"),
              step("objection_received", "2021-12-29"), step("databank_entered", "2021-12-29", step=5)],
             # ended after 2021-12-18; the reply after 2021-12-20; objections K2 5 from 2021-12-21: 22, 23, 24,
             # 27, 28; the entry K2 3 from 2021-12-21: 22, 23, 24.
             {"late": [late(2, "analysis_end", LAST), late(3, "info_reply", REPLY_DUE),
                       late(6, "certificate_objection", "2021-12-28"), late(7, "databank_entry", "2021-12-24")],
              "objections_until": "2021-12-28"}),
    Scenario("March 2022: replies due after 8 March and after Nauryz, the entry and objections after Nauryz",
             "R.13, R.18, I.67",
             # 2022-02-21 + 15 = 8 March (holiday) → 9 March; 2022-03-06 + 15 = 21 March (Nauryz 21–23) → 24
             # March; the requirement of Thursday 17 March: 18, [19–23 off], 24, 25; the certificate of
             # Tuesday 15 March: 16, 17, 18, 24, 25.
             [opened("2022-02-14"), step("info_requested", "2022-02-21", addressee="state_body"),
              step("info_requested", "2022-03-06", addressee="state_body"), step("ended", "2022-03-15"),
              step("certificate_sent", "2022-03-15"), business_requirement("2022-03-17")],
             {"last_day": "2022-03-15", "objections_until": "2022-03-25", "late": [],
              "deadlines": [deadline("info_reply", "2022-03-09", 1, "R.13"),
                            deadline("info_reply", "2022-03-24", 2, "R.13"),
                            deadline("databank_entry", "2022-03-25", 5, "I.67")]}),
]


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: f"{c.cites}: {c.name}")
def test_scenario(case: Scenario) -> None:
    state = life(case.steps, case.office_level)
    for key, value in case.expect.items():
        assert state[key] == value, key
    if case.refused is None:
        assert state["refused"] is None, state["refused"]
    else:
        at, code, cites = case.refused
        refused = state["refused"]
        assert (refused["step"], refused["code"], tuple(refused["citations"])) == (at, code, cites)
        assert "Правил" in refused["message"] or "Инструкции" in refused["message"]


def test_extra_state_fields_are_present_and_extension_petition_latest_is_absent() -> None:
    """PROCEEDINGS.md, kind `analysis`: `start`, `last_day`, `extension_days`, `objections_until`,
    `notify`; `extension_petition_latest` is absent — in every status and when the first step is refused."""
    states = [life(OPENED), life(SENT), life([*REQUIRED, step("databank_entered", "2021-12-16", step=2),
                                              step("closed", "2021-12-16")]),
              life([opened(signer=DEPUTY_DISTRICT)])]
    assert [s["status"] for s in states] == ["in_progress", "ended", "closed", None]
    for state in states:
        assert state["kind"] == "analysis"
        assert all(key in state for key in EXTRA_KEYS)
        assert "extension_petition_latest" not in state
        assert json_ready(state)


def json_ready(state: dict[str, Any]) -> bool:
    import json

    return json.loads(json.dumps(state)) == state


def test_dues_agree_with_the_rules_of_rules_md() -> None:
    """One implementation of each decision: every due of the scenarios equals the RULES.md rule's."""

    def rule(rule_id: str, **inp: Any) -> Any:
        return rules.evaluate(rule_id, inp, calendar=CAL)["result"]

    assert rule("analysis.last_day", start="2021-11-19")["last_day"] == LAST == life(OPENED)["last_day"]
    extended = life([*OPENED, step("extended", LAST, signer=REGIONAL, days=10)])
    assert rule("analysis.last_day", start="2021-11-19", extension_days=10)["last_day"] == extended["last_day"]
    assert rule("analysis.last_day", start="2022-02-20")["last_day"] == "2022-03-21"
    for delivered, urgent, due in (("2021-12-01", False, REPLY_DUE), ("2021-12-16", True, "2021-12-16"),
                                   ("2022-02-21", False, "2022-03-09"), ("2022-03-06", False, "2022-03-24"),
                                   ("2021-11-15", False, "2021-11-30")):
        assert rule("analysis.info_request_due", delivered=delivered, urgent=urgent)["due"] == due
        state = life([opened(delivered), step("info_requested", delivered, addressee="state_body", urgent=urgent)])
        assert deadline("info_reply", due, 1, "R.13") in state["deadlines"]
    for delivered, due in (("2021-12-14", OBJECTIONS_UNTIL), ("2022-03-04", "2022-03-14"),
                           ("2022-03-15", "2022-03-25"), ("2021-12-21", "2021-12-28")):
        assert rule("analysis.certificate_objection_due", delivered=delivered)["due"] == due
        state = life([opened("2021-11-19" if delivered < "2022" else "2022-02-14"), step("ended", delivered),
                      step("certificate_sent", delivered)])
        assert state["objections_until"] == due
    for sent, due in (("2021-12-15", ENTRY_DUE), ("2021-12-13", REPLY_DUE), ("2022-03-17", "2022-03-25"),
                      ("2021-12-21", "2021-12-24")):
        assert rule("act.databank_entry_due", event_date=sent)["due"] == due
        state = life([opened("2021-11-19" if sent < "2022" else "2022-02-14"), step("ended", sent),
                      business_requirement(sent)])
        assert state["deadlines"] == [deadline("databank_entry", due, 2, "I.67")]


def test_signer_lists_agree_with_the_rules_of_rules_md() -> None:
    """The rapport approvers (R.11), the requirement signers (R.21–22) and the petition signers (R.23, I.10)
    are the rules' lists: `opened`/`decision` accept exactly whom the rules allow."""
    positions = ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "gpo_unit_deputy_head",
                 "regional_prosecutor", "deputy_regional_prosecutor", "regional_unit_head", "district_prosecutor",
                 "deputy_district_prosecutor", "prosecutor")
    for position in positions:
        signer = who("prosecutor", position)
        allowed = rules.evaluate("analysis.rapport_approver", {"signer": signer}, calendar=CAL)["result"]["allowed"]
        assert (life([opened(signer=signer)])["refused"] is None) is allowed, position
        petition = rules.evaluate("check.business_petition_signer", {"signer": signer}, calendar=CAL)["result"]
        state = life([*ENDED, step("decision", "2021-12-15", decision="gp_petition", signer=signer)])
        assert (state["refused"] is None) is petition["allowed"], position
        for target in ("state_body", "business"):
            expected = rules.evaluate("analysis.requirement_signer", {"signer": signer, "target": target,
                                                                      "concrete_harm_fact": True},
                                      calendar=CAL)["result"]
            state = life([*ENDED, requirement("2021-12-15", target, signer, concrete_harm_fact=True)])
            assert (state["refused"] is None) is expected["allowed"], (position, target)
            assert state["notify"] == expected["notify"]


def test_info_requests_agree_with_the_rule_of_rules_md() -> None:
    """R.13–14: `info_requested` is refused exactly when `analysis.info_request_allowed` says no, with the
    office level as `requester_level`."""
    variants: list[dict[str, Any]] = [{}, {"protected_interest": ["irreversible_consequences"]},
                                      {"legal_basis": True}, {"state_interest": True}]
    for level in ("gpo", "regional", "district"):
        for addressee in ("state_body", "quasi_state", "private_business"):
            for extra in variants:
                expected = rules.evaluate("analysis.info_request_allowed", {
                    "requester_level": level, "addressee": addressee, **extra}, calendar=CAL)["result"]["allowed"]
                state = life([opened(signer=PG), step("info_requested", "2021-12-01", addressee=addressee, **extra)],
                             level)
                assert (state["refused"] is None) is expected, (level, addressee, extra)
                if not expected:
                    assert state["refused"]["code"] == "request_not_allowed"


# ----------------------------------------------------------------------------- input errors


@dataclass(frozen=True)
class BadInput:
    name: str
    input: Any
    field: str


def steps_input(*steps: dict[str, Any], office_level: str = "district") -> dict[str, Any]:
    return {"office_level": office_level, "steps": list(steps)}


BAD_INPUTS = [
    BadInput("superior_instruction on a gpo office (R.10: the GPO has no superior office)",
             steps_input(opened(signer=PG, basis="superior_instruction"), office_level="gpo"), "steps.0.basis"),
    BadInput("an unknown step type", steps_input(opened(), step("suspended", "2021-11-20")), "steps.1.type"),
    BadInput("an unknown field", steps_input(opened(), step("ended", "2021-11-20", signer=DISTRICT)),
             "steps.1.signer"),
    BadInput("a missing field (via)", steps_input({"type": "opened", "date": "2021-11-19", "signer": DISTRICT,
                                                   "basis": "monitoring"}), "steps.0.via"),
    BadInput("a missing signer of the opening", steps_input({"type": "opened", "date": "2021-11-19", "via": "plan",
                                                            "basis": "monitoring"}), "steps.0.signer"),
    BadInput("a wrong type (days as a string)",
             steps_input(opened(), step("extended", "2021-11-20", signer=REGIONAL, days="10")), "steps.1.days"),
    BadInput("a code outside its list (basis)", steps_input(opened(basis="rumour")), "steps.0.basis"),
    BadInput("a code outside its list (addressee)",
             steps_input(opened(), step("info_requested", "2021-11-20", addressee="citizen")), "steps.1.addressee"),
    BadInput("a code outside its list (protected_interest item)",
             steps_input(opened(), step("info_requested", "2021-11-20", addressee="quasi_state",
                                        protected_interest=["everyone"])), "steps.1.protected_interest.0"),
    BadInput("a wrong signer position", steps_input(opened(signer={"position": "mayor"})), "steps.0.signer.position"),
    BadInput("a wrong group leader position", steps_input(opened(group_leader={"position": "chief"})),
             "steps.0.group_leader.position"),
    BadInput("an impossible date", steps_input(opened(), step("ended", "2021-11-31")), "steps.1.date"),
    BadInput("a decreasing date", steps_input(opened(), step("ended", "2021-11-18")), "steps.1.date"),
    BadInput("a date outside the calendar's covered years", steps_input(opened("2031-01-06")), "steps.0.date"),
    BadInput("a first step of the wrong type", steps_input(step("ended", "2021-11-20")), "steps.0.type"),
    BadInput("a second first step", steps_input(opened(), opened("2021-11-20")), "steps.1.type"),
    BadInput("days below 1", steps_input(opened(), step("extended", "2021-11-20", signer=REGIONAL, days=0)),
             "steps.1.days"),
    BadInput("days above 30", steps_input(opened(), step("extended", "2021-11-20", signer=REGIONAL, days=31)),
             "steps.1.days"),
    BadInput("public_place not a boolean",
             steps_input(opened(), step("visual_inspection", "2021-11-20", public_place="yes")),
             "steps.1.public_place"),
    BadInput("target on a decision that does not take it",
             steps_input(*ENDED, step("decision", "2021-12-15", decision="act", target="business")),
             "steps.2.target"),
    BadInput("signer on a decision that does not take it",
             steps_input(*ENDED, step("decision", "2021-12-15", decision="own_check", signer=REGIONAL)),
             "steps.2.signer"),
    BadInput("concrete_harm_fact on a decision that does not take it",
             steps_input(*ENDED, step("decision", "2021-12-15", decision="gp_petition", signer=REGIONAL,
                                      concrete_harm_fact=True)), "steps.2.concrete_harm_fact"),
    BadInput("target on a petition to the Prosecutor General",
             steps_input(*ENDED, step("decision", "2021-12-15", decision="gp_petition", signer=REGIONAL,
                                      target="business")), "steps.2.target"),
    BadInput("a requirement without its target", steps_input(*ENDED, step(
        "decision", "2021-12-15", decision="requirement", signer=REGIONAL)), "steps.2.target"),
    BadInput("a requirement without its signer", steps_input(*ENDED, step(
        "decision", "2021-12-15", decision="requirement", target="state_body")), "steps.2.signer"),
    BadInput("a petition without its signer", steps_input(*ENDED, step("decision", "2021-12-15",
                                                                       decision="gp_petition")), "steps.2.signer"),
    BadInput("a target outside its list", steps_input(*ENDED, requirement("2021-12-15", "citizen")),
             "steps.2.target"),
    BadInput("info_received naming a step that is not a request",
             steps_input(*OPENED, step("visual_inspection", "2021-11-20", public_place=True),
                         step("info_received", "2021-11-21", step=1)), "steps.2.step"),
    BadInput("info_received naming a later step",
             steps_input(*REQUESTED, step("info_received", "2021-12-02", step=3),
                         step("info_requested", "2021-12-02", addressee="state_body")), "steps.2.step"),
    BadInput("info_received naming itself", steps_input(*REQUESTED, step("info_received", "2021-12-02", step=2)),
             "steps.2.step"),
    BadInput("databank_entered naming a state-body requirement",
             steps_input(*ENDED, requirement("2021-12-15", "state_body"), step("databank_entered", "2021-12-16",
                                                                               step=2)), "steps.3.step"),
    BadInput("databank_entered naming another decision",
             steps_input(*ENDED, step("decision", "2021-12-15", decision="act"),
                         step("databank_entered", "2021-12-16", step=2)), "steps.3.step"),
    BadInput("databank_entered naming a request", steps_input(*REQUESTED, step("ended", "2021-12-14"),
                                                              step("databank_entered", "2021-12-16", step=1)),
             "steps.3.step"),
    BadInput("a step number that is not an integer", steps_input(*REQUESTED, step("info_received", "2021-12-02",
                                                                                  step="1")), "steps.2.step"),
    BadInput("an unknown office level", steps_input(opened(), office_level="city"), "office_level"),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_is_an_error_naming_its_field(case: BadInput) -> None:
    with pytest.raises(InvalidInput) as refused:
        replay("analysis", case.input, calendar=CAL)
    fields = [e.field for e in refused.value.errors]
    assert case.field in fields, refused.value.as_dicts()


def test_an_input_error_after_a_refused_step_wins_over_the_refusal() -> None:
    """PROCEEDINGS.md «Bad input»: the whole input is validated before anything is replayed."""
    steps = [*OPENED, step("visual_inspection", "2021-11-25"), step("extended", "2021-11-26", signer=REGIONAL,
                                                                    days=31)]
    assert life(steps[:2])["refused"]["code"] == "inspection_not_allowed"
    with pytest.raises(InvalidInput) as refused:
        life(steps)
    assert [e.field for e in refused.value.errors] == ["steps.2.days"]


# ------------------------------------------------------------------------------ lives of issue 10


def test_issue_10_an_analysis_from_a_plan_item_to_a_business_requirement_with_its_databank_entry() -> None:
    """Issue 10: a regional office's analysis from an item of the plan approved by the regional prosecutor
    (R.11), with requests (R.13–14), a visual inspection (R.15), an extension (R.16), the certificate
    (R.18), a requirement to check a business (R.22: the GPO notified) and its data-bank entry (I.67)."""
    steps = [
        opened("2022-02-14", via="plan", signer=REGIONAL, basis="gp_instruction"),
        step("info_requested", "2022-02-21", addressee="state_body"),  # due 9 March (8 March a holiday)
        step("info_requested", "2022-02-22", addressee="quasi_state", urgent=True,  # due that day
             protected_interest=["irreversible_consequences"]),
        step("info_received", "2022-02-22", step=2),
        step("visual_inspection", "2022-02-25", public_place=True),
        step("extended", "2022-03-10", signer=who("deputy_prosecutor_general"), days=10),  # to 2022-03-25
        step("info_received", "2022-03-10", step=1),  # late: due 2022-03-09
        step("ended", "2022-03-24"),
        step("certificate_sent", "2022-03-24"),  # objections: 25, 28, 29, 30, 31 March
        business_requirement("2022-03-25"),  # entry: 28, 29, 30 March
        step("databank_entered", "2022-03-30", step=9),
        step("closed", "2022-03-31"),
    ]
    state = life(steps, "regional")
    assert state["status"] == "closed" and state["refused"] is None
    assert (state["start"], state["last_day"], state["extension_days"]) == ("2022-02-14", "2022-03-25", 10)
    assert state["objections_until"] == "2022-03-31"
    assert state["notify"] == ["gpo"]
    assert state["deadlines"] == []
    assert state["late"] == [late(6, "info_reply", "2022-03-09")]
    partway = life(steps[:10], "regional")
    assert partway["deadlines"] == [deadline("databank_entry", "2022-03-30", 9, "I.67")]
    assert "databank_entered" in partway["allowed_next"]


def test_issue_10_an_analysis_leading_to_a_petition_that_opens_a_check() -> None:
    """Issue 10: the analysis decides on a petition to the Prosecutor General for a check of a business
    (R.19 p. 4, R.23); the check of that business starts on its business path (I.10) and the same signer
    signs its petition — one list of signers for both kinds."""
    analysis = life([opened(signer=REGIONAL), step("ended", "2021-12-14"),
                     step("decision", "2021-12-15", decision="gp_petition", signer=REGIONAL),
                     step("closed", "2021-12-15")], "regional")
    assert (analysis["status"], analysis["refused"]) == ("closed", None)
    check = replay("check", {"office_level": "regional", "steps": [
        step("opened", "2021-12-16", subject_kind="business", basis="protect_rights"),
        step("gp_petition_sent", "2021-12-16", signer=REGIONAL),
    ]}, calendar=CAL)
    assert (check["status"], check["refused"]) == ("gp_petition_pending", None)
    refused = life([opened(signer=REGIONAL), step("ended", "2021-12-14"),
                    step("decision", "2021-12-15", decision="gp_petition", signer=DEPUTY_REGIONAL)], "regional")
    assert refused["refused"]["code"] == "signer_not_allowed"
