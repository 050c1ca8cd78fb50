"""An independent review of `replay` against PROCEEDINGS.md, sentence by sentence: each case below
is a divergence the review found (and fixed), named by the sentence or paragraph it covers."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor import rules
from nadzor.proceedings import replay
from nadzor.rules import InvalidInput

DP = {"position": "district_prosecutor"}
REQUIRED = "обязательное поле не заполнено"


def opened(day: str = "2021-08-02", **fields: Any) -> dict[str, Any]:
    base = {"type": "opened", "date": day, "subject_kind": "state_body", "basis": "protect_rights",
            "protected_interest": ["vulnerable_persons"], "control_body_failed": True}
    return base | fields


def suspended_check() -> list[dict[str, Any]]:
    return [opened(), {"type": "resolution_signed", "date": "2021-08-02", "signer": DP, "start_date": "2021-08-03",
                       "end_date": "2021-09-01"},
            {"type": "registered", "date": "2021-08-02", "number": "21-0001"},
            {"type": "started", "date": "2021-08-03"},
            {"type": "suspended", "date": "2021-08-10", "signer": DP, "ground": "illness"}]


def errors_of(kind: str, data: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        replay(kind, data)
    return [(e.field, e.message) for e in caught.value.errors]


# «Bad input is an input error exactly as RULES.md says» and «the first one is what the CLI/batch
# prints»: RULES.md's rules report the listed fields first, in their order, and unknown keys after
# them (a missing `start` before an unknown `zz`); a step, its signer and the input object itself
# report in the same order, so the first error printed is the same kind of error a rule prints.
ORDER_CASES = [
    pytest.param("check", {"office_level": "district", "steps": [
        {"zz": 1, "type": "opened", "date": "2021-08-02", "basis": "protect_rights"}]},
        ["steps.0.subject_kind", "steps.0.zz"], id="finding_1_a_steps_missing_field_before_its_unknown_key"),
    pytest.param("check", {"office_level": "district", "steps": [
        *suspended_check()[:1],
        {"type": "resolution_signed", "date": "2021-08-02", "signer": {"zz": 1, "position": "mayor"},
         "start_date": "2021-08-03", "end_date": "2021-09-01"}]},
        ["steps.1.signer.position"], id="finding_1_b_signers_position_before_its_unknown_key"),
    pytest.param("check", {"zz": 1, "office_level": "city", "steps": [opened(basis="none")]},
        ["office_level", "steps.0.basis", "zz"], id="finding_1_c_the_inputs_unknown_key_after_its_fields"),
    pytest.param("act", {"office_level": "regional", "steps": [
        {"type": "drafted", "date": "2021-08-02", "extra": True, "act_type": "letter"}]},
        ["steps.0.act_type", "steps.0.extra"], id="finding_1_d_act_code_outside_its_list_before_unknown_key"),
    pytest.param("analysis", {"office_level": "district", "steps": [
        {"type": "opened", "date": "2021-08-02", "via": "rapport", "signer": {"position": "district_prosecutor",
                                                                            "acting": "x"},
         "basis": "monitoring"}]},
        ["steps.0.signer.acting"], id="finding_1_e_a_signers_unknown_key_is_still_an_error"),
]


@pytest.mark.parametrize(("kind", "data", "fields"), ORDER_CASES)
def test_finding_1_errors_come_in_the_order_rules_report_them_listed_fields_then_unknown_keys(
        kind: str, data: dict[str, Any], fields: list[str]) -> None:
    assert [field for field, _ in errors_of(kind, data)] == fields


def test_finding_1_a_rule_itself_reports_the_listed_field_before_the_unknown_key() -> None:
    """The convention followed: RULES.md's own validation (pydantic) order."""
    with pytest.raises(InvalidInput) as caught:
        rules.evaluate("check.last_day", {"zz": 1, "start": "bad"})
    assert [e.field for e in caught.value.errors] == ["start", "zz"]


# «`recipients` (non-empty list …)» with «unknown or missing field»: a list that must not be empty is
# not one that «may be omitted» — omitted (or null) it is a missing field, reported as such.
@pytest.mark.parametrize("recipients", [pytest.param(None, id="null"), pytest.param("omitted", id="omitted")])
def test_finding_2_omitted_recipients_of_a_notice_are_a_missing_field(recipients: Any) -> None:
    notice: dict[str, Any] = {"type": "notice_sent", "date": "2021-08-11", "step": 4}
    if recipients != "omitted":
        notice["recipients"] = recipients
    assert errors_of("check", {"office_level": "district", "steps": [*suspended_check(), notice]}) == [
        ("steps.5.recipients", REQUIRED)]


def test_finding_2_an_empty_recipients_list_is_still_refused_as_input() -> None:
    notice = {"type": "notice_sent", "date": "2021-08-11", "step": 4, "recipients": []}
    fields = [f for f, _ in errors_of("check", {"office_level": "district", "steps": [*suspended_check(), notice]})]
    assert fields == ["steps.5.recipients"]


# «The whole input is validated … an input error anywhere»: «a decreasing date» is an error against the
# step before it even when that step is bad input for another reason; and a `step` field that names
# an earlier step of a type it may name is not an error because that step has an error of its own.
def test_finding_3_a_date_before_a_bad_steps_date_is_still_a_decreasing_date() -> None:
    bad_suspension = {"type": "suspended", "date": "2021-08-12", "signer": DP, "ground": 5}
    resumed = {"type": "resumed", "date": "2021-08-11", "signer": DP}
    assert [f for f, _ in errors_of("check", {"office_level": "district",
                                              "steps": [*suspended_check(), bad_suspension, resumed]})] == [
        "steps.5.ground", "steps.6.date"]


def test_finding_4_a_step_field_naming_a_bad_step_of_an_allowed_type_adds_no_error() -> None:
    steps = suspended_check()
    steps[4] = steps[4] | {"ground": 5}
    notice = {"type": "notice_sent", "date": "2021-08-11", "step": 4, "recipients": ["subject"]}
    assert [f for f, _ in errors_of("check", {"office_level": "district", "steps": [*steps, notice]})] == [
        "steps.4.ground"]


@pytest.mark.parametrize("ref", [-1, 5, 6])
def test_finding_4_a_step_field_naming_no_earlier_step_is_still_an_error(ref: int) -> None:
    notice = {"type": "notice_sent", "date": "2021-08-11", "step": ref, "recipients": ["subject"]}
    assert [f for f, _ in errors_of("check", {"office_level": "district",
                                              "steps": [*suspended_check(), notice]})] == ["steps.5.step"]


# A second review (issue 8, stop 14): «Bad input is an input error … never a state», from every interface
# alike, for values of the wrong type where a signer's position is read.
@pytest.mark.parametrize("signer", [{"position": ["x"]}, {"position": {"a": 1}},
                                    {"position": "district_prosecutor", "acting_for": ["x"]}])
def test_review2_a_signer_position_of_the_wrong_type_is_an_input_error_not_a_crash(signer: Any) -> None:
    steps = [opened(), {"type": "resolution_signed", "date": "2021-08-02", "signer": signer,
                        "start_date": "2021-08-03", "end_date": "2021-09-01"}]
    (field, _message), = errors_of("check", {"office_level": "district", "steps": steps})
    assert field.startswith("steps.1.signer.")


# «Interfaces (identical results from all of them)»: what the HTTP body refuses (an integer beyond 64
# bits, a NUL character) `replay` refuses too, on the same field with the same message.
def test_review2_replay_refuses_what_no_interface_can_store() -> None:
    from nadzor.rules.bounds import int_problem, text_problem

    steps = [*suspended_check()[:2], {"type": "registered", "date": "2021-08-02", "number": "21\x000"}]
    assert errors_of("check", {"office_level": "district", "steps": steps}) == [
        ("steps.2.number", text_problem("\x00"))]
    act = [{"type": "drafted", "date": "2021-09-07", "act_type": "protest", "content": []},
           {"type": "issued", "date": "2021-09-08", "signer": {"position": "prosecutor"}},
           {"type": "execution_recorded", "date": "2021-09-09", "damage_recovered": 2**63}]
    assert errors_of("act", {"office_level": "district", "steps": act}) == [
        ("steps.2.damage_recovered", int_problem(2**63))]


# «`registered` — `number` (non-empty string)»: any character makes it non-empty; `suspended` on any other
# ground is refused by `check.suspension_ground` (`ground_not_allowed`), however long the ground.
def test_review2_a_non_empty_number_and_a_long_ground_are_not_input_errors() -> None:
    steps = suspended_check()
    steps[2] = {"type": "registered", "date": "2021-08-02", "number": " "}
    steps[4] = {**steps[4], "ground": "г" * 300}
    state = replay("check", {"office_level": "district", "steps": steps})
    assert state["refused"]["code"] == "ground_not_allowed" and state["refused"]["step"] == 4


# RULES.md: the calendar covers «through the year after the current one», and the rules follow it.
def test_review2_periodic_obligations_take_every_covered_year() -> None:
    cal = rules.current_calendar()
    last = cal.coverage_end.year
    assert rules.evaluate("analysis.periodic_obligations", {"office_kind": "territorial", "year": last})["result"]
    with pytest.raises(InvalidInput) as caught:
        rules.evaluate("analysis.periodic_obligations", {"office_kind": "territorial", "year": last + 1})
    assert caught.value.errors[0].field == "year"
