"""Kind `evaluation` (PROCEEDINGS.md; Rules chapter 3, R.24–R.32) through `replay`: every row, refusal,
deadline and input error of the contract, each scenario named by its sentence and paragraph.

`replay` reads no clock: the state is a function of the steps and the working calendar alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from nadzor import rules
from nadzor.proceedings import replay
from nadzor.rules.base import InvalidInput

ABSENT_KEYS = ("start", "last_day", "extension_days", "extension_petition_latest", "objections_until")


def step(type_: str, day: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "date": day, **fields}


def opened(day: str = "2021-12-01", context: str = "complaint", act_kind: str = "normative",
           **flags: Any) -> dict[str, Any]:
    return step("opened", day, context=context, act_kind=act_kind, **flags)


REGIONAL = {"position": "regional_prosecutor"}
ACTING_REGIONAL = {"position": "deputy_regional_prosecutor", "acting_for": "regional_prosecutor"}

#: Opened, the act requested, received in time and studied with violations (R.25, R.26).
STUDIED = [
    opened(),
    step("act_requested", "2021-12-01"),
    step("act_received", "2021-12-10"),
    step("studied", "2021-12-13", violations=["conformity", "competence"]),
]
STUDIED_LAWFUL = [*STUDIED[:3], step("studied", "2021-12-13", violations=[])]
#: … and protested to the adopting body (R.27–R.29).
PROTESTED = [*STUDIED, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=True)]
#: … the normative act suspended by the regional prosecutor: published that very day (R.30).
SUSPENDED = [*PROTESTED, step("act_suspended", "2021-12-14", signer=REGIONAL, irreversible_consequences=True)]


def life(steps: list[dict[str, Any]], office_level: str = "regional") -> dict[str, Any]:
    return replay("evaluation", {"office_level": office_level, "steps": steps})


@dataclass(frozen=True)
class Scenario:
    name: str  # the contract's sentence
    cites: str  # its paragraph
    steps: list[dict[str, Any]]
    expect: dict[str, Any] = field(default_factory=dict)
    refused: tuple[int, str, tuple[str, ...]] | None = None  # (step, code, citations)


SCENARIOS = [
    # --- opened (R.24, R.32)
    Scenario("an act of a state body is opened for evaluation", "R.24",
             [opened()], {"status": "opened", "deadlines": [], "late": [], "violations": [], "suspended_act": False,
                          "allowed_next": ["act_requested", "act_received"]}),
    Scenario("a court act is evaluated in the order of the procedural codes", "R.32",
             [opened(act_kind="court_act")], {"status": None, "deadlines": [], "allowed_next": []},
             (0, "court_act_procedure", ("R.32",))),
    Scenario("court_act is refused before excluded_by_law (the row's order)", "R.32",
             [opened(act_kind="court_act", excluded_by_law=True, by_other_organization=True)], {"status": None},
             (0, "court_act_procedure", ("R.32",))),
    Scenario("an act named in p. 2 of art. 24 of the Law is not supervised", "R.24 p. 1",
             [opened(act_kind="individual", excluded_by_law=True)], {"status": None},
             (0, "not_supervised", ("R.24",))),
    Scenario("another organization's act that is neither public nor for an indefinite circle is not supervised",
             "R.24 p. 2", [opened(act_kind="decision", by_other_organization=True)], {"status": None},
             (0, "not_supervised", ("R.24",))),
    Scenario("another organization's public act is supervised", "R.24 p. 2",
             [opened(act_kind="decision", by_other_organization=True, public_or_indefinite=True)],
             {"status": "opened"}),
    Scenario("flags marked ? may be null (= omitted)", "R.24",
             [opened(by_other_organization=None, public_or_indefinite=None, excluded_by_law=None)],
             {"status": "opened"}),
    Scenario("a public act of an indefinite circle without by_other_organization is a state body's act", "R.24",
             [opened(public_or_indefinite=True)], {"status": "opened"}),
    # --- act_requested, act_received (R.25)
    Scenario("the request opens act_provision, K1 15 calendar days off Independence Day 16–17.12.2021", "R.25",
             STUDIED[:2], {"status": "opened", "deadlines": [
                 {"code": "act_provision", "due": "2021-12-20", "step": 1, "citations": ["R.25"]}],
                 "allowed_next": ["act_received"]}),
    Scenario("the act is requested once", "R.25",
             [*STUDIED[:2], step("act_requested", "2021-12-02")], {"status": "opened"},
             (2, "step_not_allowed", ("R.25",))),
    Scenario("an act already at hand is received without a request", "R.25",
             [opened(), step("act_received", "2021-12-01")], {"status": "studying", "deadlines": [], "late": []}),
    Scenario("the act received on its due day is not late", "R.25",
             [*STUDIED[:2], step("act_received", "2021-12-20")], {"status": "studying", "deadlines": [], "late": []}),
    Scenario("the act received after its due is late (recorded, not refused)", "R.25",
             [*STUDIED[:2], step("act_received", "2021-12-21")],
             {"status": "studying", "deadlines": [], "refused": None,
              "late": [{"step": 2, "code": "act_provision", "due": "2021-12-20"}]}),
    Scenario("an immediate request (during a check) is due that very day; next day is late", "R.25",
             [opened(context="check"), step("act_requested", "2022-03-06"), step("act_received", "2022-03-07")],
             {"late": [{"step": 2, "code": "act_provision", "due": "2022-03-06"}]}),
    Scenario("no request after the act was received", "R.25",
             [*STUDIED[:3], step("act_requested", "2021-12-11")], {"status": "studying"},
             (3, "step_not_allowed", ("R.25",))),
    Scenario("the act is received once", "R.25",
             [*STUDIED[:3], step("act_received", "2021-12-11")], {"status": "studying"},
             (3, "step_not_allowed", ("R.25",))),
    # --- studied (R.26)
    Scenario("the study records the violations in the order given", "R.26",
             STUDIED, {"status": "studied", "violations": ["conformity", "competence"],
                       "allowed_next": ["found_lawful", "protest_issued", "transferred"]}),
    Scenario("a study without violations offers no transfer", "R.28",
             STUDIED_LAWFUL,
             {"status": "studied", "violations": [], "allowed_next": ["found_lawful", "protest_issued"]}),
    Scenario("violations may be omitted (an empty list)", "R.26",
             [*STUDIED[:3], step("studied", "2021-12-13")], {"status": "studied", "violations": []}),
    Scenario("the act is studied only once received", "R.26",
             [opened(), step("studied", "2021-12-13", violations=["registration"])], {"status": "opened"},
             (1, "step_not_allowed", ("R.26",))),
    # --- found_lawful
    Scenario("a lawful act closes the evaluation", "R.26",
             [*STUDIED_LAWFUL, step("found_lawful", "2021-12-14")], {"status": "closed", "allowed_next": []}),
    Scenario("an act with violations recorded cannot be found lawful", "R.27",
             [*STUDIED, step("found_lawful", "2021-12-14")], {"status": "studied"},
             (4, "violations_found", ("R.27",))),
    # --- protest_issued (R.27–R.29)
    Scenario("an unlawful act is protested", "R.27–R.29",
             PROTESTED, {"status": "protested", "allowed_next": ["act_suspended", "protest_decided"]}),
    Scenario("a protest to the superior body", "R.28",
             [*STUDIED, step("protest_issued", "2021-12-14", addressee="superior_body", competent=True)],
             {"status": "protested"}),
    Scenario("no protest without violations", "R.27",
             [*STUDIED_LAWFUL, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=True)],
             {"status": "studied"}, (4, "no_violations", ("R.27",))),
    Scenario("no violations is refused before not competent (the row's order)", "R.27",
             [*STUDIED_LAWFUL, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=False)],
             {"status": "studied"}, (4, "no_violations", ("R.27",))),
    Scenario("a prosecutor without the power to protest transfers instead", "R.28",
             [*STUDIED, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=False)],
             {"status": "studied"}, (4, "not_competent", ("R.28",))),
    Scenario("an omitted competent is false", "R.28",
             [*STUDIED, step("protest_issued", "2021-12-14", addressee="adopting_body")],
             {"status": "studied"}, (4, "not_competent", ("R.28",))),
    Scenario("a protest only once the act is studied", "R.27",
             [*STUDIED[:3], step("protest_issued", "2021-12-14", addressee="adopting_body", competent=True)],
             {"status": "studying"}, (3, "step_not_allowed", ("R.27", "R.28", "R.29"))),
    # --- transferred (R.28)
    Scenario("the materials go to the competent prosecutor (final)", "R.28",
             [*STUDIED, step("transferred", "2021-12-14")], {"status": "transferred", "allowed_next": []}),
    Scenario("no transfer without violations", "R.28",
             [*STUDIED_LAWFUL, step("transferred", "2021-12-14")], {"status": "studied"},
             (4, "step_not_allowed", ("R.28",))),
    # --- act_suspended, published (R.30)
    Scenario("a suspended normative act is published that very day", "R.30",
             SUSPENDED, {"status": "protested", "suspended_act": True, "deadlines": [
                 {"code": "publication", "due": "2021-12-14", "step": 5, "citations": ["R.30"]}],
                 "allowed_next": ["published", "protest_decided"]}),
    Scenario("a suspended individual act needs no publication", "R.30",
             [opened(act_kind="individual"), *SUSPENDED[1:]], {"suspended_act": True, "deadlines": []}),
    Scenario("one acting for the regional prosecutor suspends", "R.30",
             [*PROTESTED, step("act_suspended", "2021-12-14", signer=ACTING_REGIONAL, irreversible_consequences=True)],
             {"suspended_act": True}),
    Scenario("a deputy regional prosecutor not acting for the prosecutor may not suspend", "R.30",
             [*PROTESTED, step("act_suspended", "2021-12-14", signer={"position": "deputy_regional_prosecutor"},
                               irreversible_consequences=True)],
             {"status": "protested", "suspended_act": False, "deadlines": []}, (5, "signer_not_allowed", ("R.30",))),
    Scenario("no suspension without irreversible consequences", "R.30",
             [*PROTESTED, step("act_suspended", "2021-12-14", signer=REGIONAL, irreversible_consequences=False)],
             {"suspended_act": False}, (5, "signer_not_allowed", ("R.30",))),
    Scenario("the act is suspended once", "R.30",
             [*SUSPENDED, step("act_suspended", "2021-12-15", signer=REGIONAL, irreversible_consequences=True)],
             {"suspended_act": True}, (6, "step_not_allowed", ("R.30",))),
    Scenario("the act is suspended only until the protest is decided", "R.30",
             [*STUDIED, step("act_suspended", "2021-12-14", signer=REGIONAL, irreversible_consequences=True)],
             {"status": "studied"}, (4, "step_not_allowed", ("R.30",))),
    Scenario("publication the same day closes it", "R.30",
             [*SUSPENDED, step("published", "2021-12-14")], {"deadlines": [], "late": [],
                                                              "allowed_next": ["protest_decided"]}),
    Scenario("publication a day later is late", "R.30",
             [*SUSPENDED, step("published", "2021-12-15")],
             {"deadlines": [], "late": [{"step": 6, "code": "publication", "due": "2021-12-14"}]}),
    Scenario("nothing to publish: step_not_allowed", "R.30",
             [*PROTESTED, step("published", "2021-12-14")], {"status": "protested"},
             (5, "step_not_allowed", ("R.30",))),
    Scenario("published once", "R.30",
             [*SUSPENDED, step("published", "2021-12-14"), step("published", "2021-12-15")], {"late": []},
             (7, "step_not_allowed", ("R.30",))),
    Scenario("a publication still open survives the granted protest and may follow in any status", "R.30",
             [*SUSPENDED, step("protest_decided", "2021-12-15", granted=True), step("published", "2021-12-16")],
             {"status": "closed", "deadlines": [],
              "late": [{"step": 7, "code": "publication", "due": "2021-12-14"}]}),
    Scenario("the open publication is listed in a final status, not dropped", "R.30",
             [*SUSPENDED, step("protest_decided", "2021-12-15", granted=True)],
             {"status": "closed", "allowed_next": ["published"], "deadlines": [
                 {"code": "publication", "due": "2021-12-14", "step": 5, "citations": ["R.30"]}]}),
    # --- protest_decided, court_application (R.31)
    Scenario("a granted protest closes the evaluation", "R.29",
             [*PROTESTED, step("protest_decided", "2021-12-20", granted=True)], {"status": "closed",
                                                                                 "allowed_next": []}),
    Scenario("a rejected protest", "R.31",
             [*PROTESTED, step("protest_decided", "2021-12-20", granted=False)],
             {"status": "protest_rejected", "allowed_next": ["court_application"]}),
    Scenario("an omitted granted is a rejection", "R.31",
             [*PROTESTED, step("protest_decided", "2021-12-20")], {"status": "protest_rejected"}),
    Scenario("the prosecutor applies to court after the rejection (final here)", "R.31",
             [*PROTESTED, step("protest_decided", "2021-12-20"), step("court_application", "2021-12-21")],
             {"status": "in_court", "allowed_next": []}),
    Scenario("no court application while the protest is pending", "R.31",
             [*PROTESTED, step("court_application", "2021-12-21")], {"status": "protested"},
             (5, "step_not_allowed", ("R.31",))),
    Scenario("the protest is decided once", "R.31",
             [*PROTESTED, step("protest_decided", "2021-12-20"), step("protest_decided", "2021-12-21", granted=True)],
             {"status": "protest_rejected"}, (6, "step_not_allowed", ("R.29", "R.31"))),
    # --- final statuses
    Scenario("nothing follows a closed evaluation", "R.26",
             [*STUDIED_LAWFUL, step("found_lawful", "2021-12-14"), step("transferred", "2021-12-15")],
             {"status": "closed"}, (5, "step_not_allowed", ("R.28",))),
    Scenario("nothing follows a transfer", "R.28",
             [*STUDIED, step("transferred", "2021-12-14"),
              step("protest_issued", "2021-12-15", addressee="adopting_body", competent=True)],
             {"status": "transferred"}, (5, "step_not_allowed", ("R.27", "R.28", "R.29"))),
    Scenario("nothing follows the court application", "R.31",
             [*PROTESTED, step("protest_decided", "2021-12-20"), step("court_application", "2021-12-21"),
              step("court_application", "2021-12-22")], {"status": "in_court"}, (7, "step_not_allowed", ("R.31",))),
    # --- refusal stops the replay
    Scenario("later steps are not replayed after a refusal", "R.27",
             [*STUDIED_LAWFUL, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=True),
              step("found_lawful", "2021-12-15")],
             {"status": "studied", "allowed_next": ["found_lawful", "protest_issued"]},
             (4, "no_violations", ("R.27",))),
    # --- the lives of issue 9
    Scenario("issue 9: protest, suspension by an acting regional prosecutor, immediate publication, granted",
             "R.25–R.30",
             [opened(context="gp_instruction"), step("act_requested", "2022-03-04"),
              step("act_received", "2022-03-04"),
              step("studied", "2022-03-09", violations=["contradiction", "publication"]),
              step("protest_issued", "2022-03-10", addressee="superior_body", competent=True),
              step("act_suspended", "2022-03-11", signer=ACTING_REGIONAL, irreversible_consequences=True),
              step("published", "2022-03-11"),
              step("protest_decided", "2022-03-24", granted=True)],
             {"status": "closed", "violations": ["contradiction", "publication"], "suspended_act": True,
              "deadlines": [], "late": [], "allowed_next": []}),
    Scenario("issue 9: no competence to protest → transfer", "R.28",
             [opened(context="district_instruction", act_kind="individual"), step("act_requested", "2022-03-07"),
              step("act_received", "2022-03-25"), step("studied", "2022-03-28", violations=["competence"]),
              step("transferred", "2022-03-29")],
             {"status": "transferred", "violations": ["competence"],
              "late": [{"step": 2, "code": "act_provision", "due": "2022-03-24"}]}),
    Scenario("issue 9: protest rejected → application to court", "R.31",
             [opened(context="analysis", act_kind="decision"), step("act_requested", "2022-02-21"),
              step("act_received", "2022-03-09"), step("studied", "2022-03-10", violations=["conformity"]),
              step("protest_issued", "2022-03-11", addressee="adopting_body", competent=True),
              step("protest_decided", "2022-03-25", granted=False), step("court_application", "2022-03-28")],
             {"status": "in_court", "late": [], "deadlines": [], "suspended_act": False}),
]


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: f"{c.cites}: {c.name}")
def test_scenario(case: Scenario) -> None:
    state = life(case.steps)
    assert state["kind"] == "evaluation"
    for key, expected in case.expect.items():
        assert state[key] == expected, key
    if case.refused is None:
        assert state["refused"] is None
    else:
        index, refusal, citations = case.refused
        assert state["refused"] is not None, "expected a refusal"
        assert (state["refused"]["step"], state["refused"]["code"], tuple(state["refused"]["citations"])) == \
            (index, refusal, citations)
        assert "Правил" in state["refused"]["message"], "the message names the paragraph"


def test_the_extra_state_fields_are_present_and_the_term_keys_absent() -> None:
    """PROCEEDINGS.md: `violations` and `suspended_act`; `start`, `last_day`, `extension_days`,
    `extension_petition_latest` and `objections_until` are absent for this kind — also when refused."""
    for steps in (SUSPENDED, [opened(act_kind="court_act")]):
        state = life(steps)
        assert {"kind", "status", "refused", "deadlines", "late", "violations", "suspended_act"} <= set(state)
        assert not set(ABSENT_KEYS) & set(state)


def test_the_violations_are_a_copy_kept_in_input_order() -> None:
    """R.26: the list recorded by `studied`, in the order given."""
    steps = [*STUDIED[:3], step("studied", "2021-12-13",
                                violations=["publication", "registration", "contradiction", "conformity",
                                            "competence"])]
    assert life(steps)["violations"] == ["publication", "registration", "contradiction", "conformity", "competence"]


# -------------------------------------------------------------- deadlines agree with the rules

PROVISION_CASES = [
    # (requested, context, due by hand)
    ("2021-12-01", "complaint", "2021-12-20"),  # 16.12 and 17.12 Independence Day, 18–19 weekend
    ("2021-12-02", "analysis", "2021-12-20"),  # 17.12
    ("2022-02-21", "regional_instruction", "2022-03-09"),  # 8 March
    ("2022-03-06", "district_instruction", "2022-03-24"),  # Nauryz 21–23 March
    ("2022-03-03", "analysis", "2022-03-18"),  # a working Friday: not moved
    ("2022-03-06", "urgent", "2022-03-06"),  # immediately, even on a Sunday
    ("2021-12-16", "president_instruction", "2021-12-16"),
    ("2022-03-21", "gp_instruction", "2022-03-21"),
    ("2022-03-08", "deputy_gp_instruction", "2022-03-08"),
    ("2021-12-01", "check", "2021-12-01"),
]


@pytest.mark.parametrize(("requested", "context", "due"), PROVISION_CASES)
def test_act_provision_is_due_as_evaluation_act_provision_due(requested: str, context: str, due: str) -> None:
    """R.25: 15 calendar days (K1) for an analysis, a complaint, a regional or district instruction;
    immediately otherwise — the same due as the rule `evaluation.act_provision_due`."""
    state = life([opened(day=requested, context=context), step("act_requested", requested)])
    rule = rules.evaluate("evaluation.act_provision_due", {"requested": requested, "context": context})["result"]
    assert rule["due"] == due
    assert state["deadlines"] == [{"code": "act_provision", "due": due, "step": 1, "citations": ["R.25"]}]


SIGNERS = [
    {"position": "prosecutor_general"},
    {"position": "deputy_prosecutor_general"},
    {"position": "regional_prosecutor"},
    {"position": "deputy_regional_prosecutor"},
    {"position": "deputy_regional_prosecutor", "acting_for": "regional_prosecutor"},
    {"position": "prosecutor", "acting_for": "deputy_prosecutor_general"},
    {"position": "regional_prosecutor", "acting_for": "district_prosecutor"},
    {"position": "district_prosecutor"},
    {"position": "gpo_unit_head"},
]


@pytest.mark.parametrize("who", SIGNERS, ids=lambda s: "/".join(s.values()))
@pytest.mark.parametrize("irreversible", [True, False])
@pytest.mark.parametrize("act_kind", ["normative", "individual", "decision"])
def test_suspension_follows_evaluation_suspension_signer(who: dict[str, str], irreversible: bool,
                                                         act_kind: str) -> None:
    """R.30: `act_suspended` is refused (`signer_not_allowed`) exactly when the rule
    `evaluation.suspension_signer` does not allow it, and opens `publication` exactly when the rule
    says `publish_immediately` (a normative act)."""
    rule = rules.evaluate("evaluation.suspension_signer", {
        "signer": who, "irreversible_consequences": irreversible, "normative_act": act_kind == "normative"})["result"]
    state = life([opened(act_kind=act_kind), *PROTESTED[1:],
                  step("act_suspended", "2021-12-14", signer=who, irreversible_consequences=irreversible)])
    assert (state["refused"] is None) == rule["allowed"]
    assert state["suspended_act"] == rule["allowed"]
    if not rule["allowed"]:
        assert state["refused"]["code"] == "signer_not_allowed"
    published = [d["due"] for d in state["deadlines"] if d["code"] == "publication"]
    assert published == (["2021-12-14"] if rule["publish_immediately"] else [])


# ------------------------------------------------------------------------------- input errors

INPUT_ERRORS = [
    ("an unknown step type", [opened(), step("act_lost", "2021-12-02")], "steps.1.type"),
    ("an unknown field", [opened(basis="complaint")], "steps.0.basis"),
    ("an unknown field on a step without fields", [opened(), step("act_received", "2021-12-02", signer=REGIONAL)],
     "steps.1.signer"),
    ("a missing context", [step("opened", "2021-12-01", act_kind="normative")], "steps.0.context"),
    ("a missing act_kind", [step("opened", "2021-12-01", context="check")], "steps.0.act_kind"),
    ("a missing addressee", [*STUDIED, step("protest_issued", "2021-12-14", competent=True)],
     "steps.4.addressee"),
    ("a missing signer", [*PROTESTED, step("act_suspended", "2021-12-14", irreversible_consequences=True)],
     "steps.5.signer"),
    ("a missing date", [opened(), {"type": "act_received"}], "steps.1.date"),
    ("a missing type", [opened(), {"date": "2021-12-02"}], "steps.1.type"),
    ("a context outside its list", [opened(context="prosecutor_instruction")], "steps.0.context"),
    ("an act_kind outside its list", [opened(act_kind="law")], "steps.0.act_kind"),
    ("a violation outside its list",
     [*STUDIED[:3], step("studied", "2021-12-13", violations=["conformity", "morality"])], "steps.3.violations.1"),
    ("an addressee outside its list",
     [*STUDIED, step("protest_issued", "2021-12-14", addressee="court", competent=True)], "steps.4.addressee"),
    ("a signer position outside its list",
     [*PROTESTED, step("act_suspended", "2021-12-14", signer={"position": "mayor"}, irreversible_consequences=True)],
     "steps.5.signer.position"),
    ("an unknown key of the signer",
     [*PROTESTED, step("act_suspended", "2021-12-14", signer={"position": "regional_prosecutor", "name": "X"},
                       irreversible_consequences=True)], "steps.5.signer.name"),
    ("a flag of the wrong type", [*STUDIED, step("protest_issued", "2021-12-14", addressee="adopting_body",
                                                 competent="yes")], "steps.4.competent"),
    ("null for a flag not marked ?", [*PROTESTED, step("protest_decided", "2021-12-20", granted=None)],
     "steps.5.granted"),
    ("a ? flag of the wrong type", [opened(excluded_by_law=1)], "steps.0.excluded_by_law"),
    ("violations not a list", [*STUDIED[:3], step("studied", "2021-12-13", violations="conformity")],
     "steps.3.violations"),
    ("violations null (not marked ?)", [*STUDIED[:3], step("studied", "2021-12-13", violations=None)],
     "steps.3.violations"),
    ("an impossible date", [opened(), step("act_received", "2021-02-30")], "steps.1.date"),
    ("a date not in ISO form", [opened(), step("act_received", "02.12.2021")], "steps.1.date"),
    ("a date outside the calendar's covered years", [opened(day="2017-12-01")], "steps.0.date"),
    ("a decreasing date", [opened(), step("act_received", "2021-11-30")], "steps.1.date"),
    ("a first step of the wrong type", [step("act_received", "2021-12-01")], "steps.0.type"),
    ("a second first step", [opened(), opened(day="2021-12-02")], "steps.1.type"),
    ("a step that is not an object", [opened(), "act_received"], "steps.1"),
]


@pytest.mark.parametrize(("name", "steps", "path"), INPUT_ERRORS, ids=[c[0] for c in INPUT_ERRORS])
def test_bad_input_is_an_input_error_naming_the_field(name: str, steps: list[Any], path: str) -> None:
    """PROCEEDINGS.md «Input, errors and the state»: bad input is never a state; the field is named by
    its dotted path."""
    with pytest.raises(InvalidInput) as refused:
        life(steps)
    assert [e["field"] for e in refused.value.errors] == [path]
    assert all(e["message"] for e in refused.value.errors)


def test_an_input_error_after_a_refused_step_wins_over_the_refusal() -> None:
    """PROCEEDINGS.md: the whole input is validated before anything is replayed."""
    steps = [*STUDIED_LAWFUL, step("protest_issued", "2021-12-14", addressee="adopting_body", competent=True),
             step("found_lawful", "2021-12-15", reason="x")]
    with pytest.raises(InvalidInput) as refused:
        life(steps)
    assert [e["field"] for e in refused.value.errors] == ["steps.5.reason"]


def test_an_input_error_on_a_refused_first_step_wins() -> None:
    with pytest.raises(InvalidInput) as refused:
        life([opened(act_kind="court_act", by_other_organization="no")])
    assert [e["field"] for e in refused.value.errors] == ["steps.0.by_other_organization"]


@pytest.mark.parametrize(("data", "path"), [
    ({"office_level": "county", "steps": [opened()]}, "office_level"),
    ({"office_level": "regional", "steps": [opened()], "kind": "evaluation"}, "kind"),
    ({"office_level": "regional", "steps": "opened"}, "steps"),
])
def test_bad_top_level_input_names_its_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        replay("evaluation", data)
    assert [e["field"] for e in refused.value.errors] == [path]


def test_every_error_of_the_input_is_reported_in_input_order() -> None:
    steps = [opened(context="x"), step("act_received", "2021-12-02", extra=1),
             step("studied", "2021-12-03", violations=["ethics"])]
    with pytest.raises(InvalidInput) as refused:
        life(steps)
    assert [e["field"] for e in refused.value.errors] == ["steps.0.context", "steps.1.extra", "steps.2.violations.0"]


@pytest.mark.parametrize("office_level", ["gpo", "regional", "district"])
def test_the_office_level_does_not_change_an_evaluation(office_level: str) -> None:
    """Chapter 3 of the Rules sets no rule by office level: every level replays alike."""
    assert life(SUSPENDED, office_level) == life(SUSPENDED, "regional")


def test_the_state_is_json_ready() -> None:
    import json

    state = life([*SUSPENDED, step("published", "2021-12-15")])
    assert json.loads(json.dumps(state)) == state
