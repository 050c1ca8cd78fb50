"""Kind `check` (PROCEEDINGS.md; Instruction ch. 2): the lives of a check through `replay`, each case
naming its paragraph. Dues are counted by hand on the Kazakhstan calendar (the holidays named in the
case) and, where a RULES.md rule gives the same due, checked against it."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor import rules
from nadzor.proceedings import replay
from nadzor.rules import InvalidInput

DP = {"position": "district_prosecutor"}
RP = {"position": "regional_prosecutor"}
PG = {"position": "prosecutor_general"}


def opened(day: str, **fields: Any) -> dict[str, Any]:
    base = {"type": "opened", "date": day, "subject_kind": "state_body", "basis": "protect_rights",
            "protected_interest": ["vulnerable_persons"], "control_body_failed": True}
    return base | fields


def resolution(day: str, start: str, end: str, signer: dict[str, Any] = DP) -> dict[str, Any]:
    return {"type": "resolution_signed", "date": day, "signer": signer, "start_date": start, "end_date": end}


def started_check(day: str, start: str, end: str) -> list[dict[str, Any]]:
    """Opened, signed, registered and started on `start`."""
    return [opened(day), resolution(day, start, end), {"type": "registered", "date": day, "number": "21-0001"},
            {"type": "started", "date": start}]


def check(steps: list[dict[str, Any]], office_level: str = "district") -> dict[str, Any]:
    return replay("check", {"office_level": office_level, "steps": steps})


def error_fields(steps: list[dict[str, Any]], office_level: str = "district") -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        check(steps, office_level)
    return [e.field for e in caught.value.errors]


# ---------------------------------------------------------------------------------------- lives


def test_a_state_body_check_runs_from_opening_to_closure_I_13_to_I_24() -> None:
    steps = [*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "delivered", "date": "2021-08-03", "acknowledged": True},
             {"type": "ended", "date": "2021-08-31"}]
    state = check(steps)
    # I.23: the certificate within 5 working days after the end: 1, 2, 3, 6, 7 September 2021.
    assert state["status"] == "ended"
    assert state["deadlines"] == [{"code": "certificate_delivery", "due": "2021-09-07", "step": 5,
                                   "citations": ["I.23"]}]
    assert rules.evaluate("check.certificate_delivery_due", {"check_end": "2021-08-31"})["result"]["due"] == \
        "2021-09-07"
    steps += [{"type": "certificate_delivered", "date": "2021-09-03", "acknowledged": True},
              {"type": "decision", "date": "2021-09-13", "decision": "act"},
              {"type": "closed", "date": "2021-09-14"}]
    state = check(steps)
    assert state["status"] == "closed"
    assert state["refused"] is None
    assert state["start"] == "2021-08-03"
    assert state["last_day"] == "2021-09-01"
    assert state["extension_days"] == 0
    assert state["extension_petition_latest"] is None
    assert state["objections_until"] == "2021-09-10"  # I.23: 6–10 September 2021
    assert state["deadlines"] == []
    assert state["late"] == []


def test_while_the_check_runs_its_end_is_an_open_deadline_and_the_petition_latest_day_is_shown_I_16() -> None:
    state = check(started_check("2022-02-01", "2022-02-01", "2022-03-02"))
    assert state["status"] == "in_progress"
    assert state["last_day"] == "2022-03-02"
    assert state["deadlines"] == [{"code": "check_end", "due": "2022-03-02", "step": 3,
                                   "citations": ["I.13", "I.16", "I.17"]}]
    # A district office petitions the regional prosecutor: 7 working days before (K3).
    assert state["extension_petition_latest"] == "2022-02-21"
    assert "extension_petitioned" in state["allowed_next"]


def test_a_business_check_waits_for_the_petition_and_a_late_review_is_recorded_I_10() -> None:
    steps = [opened("2021-11-01", subject_kind="business"),
             {"type": "gp_petition_sent", "date": "2021-11-02", "signer": RP},
             {"type": "gp_petition_received", "date": "2021-11-04"}]
    state = check(steps)
    assert state["status"] == "gp_petition_pending"
    # 10 working days from 4 November 2021 (K2): the 18th.
    assert state["deadlines"] == [{"code": "gp_petition_review", "due": "2021-11-18", "step": 2,
                                   "citations": ["I.10"]}]
    granted = [*steps, {"type": "gp_instruction", "date": "2021-11-22", "granted": True,
                        "signer": {"position": "deputy_prosecutor_general", "acting_for": "prosecutor_general"}}]
    state = check(granted)
    assert state["status"] == "admissible"
    assert state["late"] == [{"step": 3, "code": "gp_petition_review", "due": "2021-11-18"}]
    assert state["deadlines"] == []


def test_a_business_petition_with_information_requested_has_30_calendar_days_and_may_be_denied_I_10() -> None:
    steps = [opened("2021-11-01", subject_kind="business"),
             {"type": "gp_petition_sent", "date": "2021-11-02", "signer": RP},
             {"type": "gp_petition_received", "date": "2021-11-04"},
             {"type": "gp_info_requested", "date": "2021-11-10"}]
    state = check(steps)
    # 4 November + 30 = Saturday 4 December 2021 → Monday the 6th (K1).
    assert state["deadlines"][0]["due"] == "2021-12-06"
    denied = check([*steps, {"type": "gp_instruction", "date": "2021-12-03", "signer": PG, "granted": False}])
    assert denied["status"] == "petition_denied"
    assert denied["late"] == []
    assert denied["allowed_next"] == []


@pytest.mark.parametrize(("step", "signer", "code"), [
    ("gp_petition_sent", {"position": "district_prosecutor"}, "signer_not_allowed"),  # I.10
    ("gp_petition_sent", {"position": "deputy_regional_prosecutor"}, "signer_not_allowed"),  # I.10
])
def test_the_petition_to_the_prosecutor_general_is_signed_only_by_the_listed_positions_I_10(
        step: str, signer: dict[str, Any], code: str) -> None:
    state = check([opened("2021-11-01", subject_kind="business"), {"type": step, "date": "2021-11-02",
                                                                   "signer": signer}])
    assert state["refused"]["code"] == code
    assert state["refused"]["step"] == 1
    assert state["status"] == "awaiting_gp_petition"


def test_the_instruction_on_a_business_comes_from_the_prosecutor_general_or_whoever_acts_for_him_I_10() -> None:
    steps = [opened("2021-11-01", subject_kind="business"),
             {"type": "gp_petition_sent", "date": "2021-11-02", "signer": RP},
             {"type": "gp_petition_received", "date": "2021-11-04"},
             {"type": "gp_instruction", "date": "2021-11-05", "granted": True,
              "signer": {"position": "deputy_prosecutor_general"}}]
    state = check(steps)
    assert state["refused"]["code"] == "signer_not_allowed"
    assert state["status"] == "gp_petition_pending"
    assert [d["code"] for d in state["deadlines"]] == ["gp_petition_review"]


def test_an_instruction_before_the_petition_was_received_is_not_allowed_I_10() -> None:
    state = check([opened("2021-11-01", subject_kind="business"),
                   {"type": "gp_petition_sent", "date": "2021-11-02", "signer": RP},
                   {"type": "gp_instruction", "date": "2021-11-05", "granted": True, "signer": PG}])
    assert state["refused"]["code"] == "step_not_allowed"


def test_a_check_on_a_presidential_instruction_is_admissible_for_any_subject_I_7() -> None:
    for kind in ("business", "other_organization", "state_body"):
        state = check([{"type": "opened", "date": "2021-11-01", "subject_kind": kind,
                        "basis": "president_instruction"}])
        assert state["status"] == "admissible", kind


@pytest.mark.parametrize(("fields", "why"), [
    ({"subject_kind": "other_organization", "basis": "protect_rights"}, "I.7"),
    ({"protected_interest": []}, "I.8"),
    ({"control_body_failed": False}, "I.9"),
])
def test_an_inadmissible_check_is_refused_at_its_opening_with_no_status_I_7_to_I_9(
        fields: dict[str, Any], why: str) -> None:
    state = check([opened("2021-11-01", **fields)])
    assert state["refused"] == {"step": 0, "code": "inadmissible", "citations": state["refused"]["citations"],
                                "message": state["refused"]["message"]}
    assert state["status"] is None
    assert state["allowed_next"] == []


def test_a_suspension_for_expertise_across_independence_day_pauses_the_term_until_resumption_I_17_I_18() -> None:
    steps = [*started_check("2021-12-01", "2021-12-01", "2021-12-30"),
             {"type": "suspended", "date": "2021-12-14", "signer": DP, "ground": "expertise"}]
    state = check(steps)
    assert state["status"] == "suspended"
    assert state["last_day"] is None
    assert state["extension_petition_latest"] is None
    # 3 working days after Tuesday 14 December 2021: the 15th, then 16–17 (Independence Day) and the weekend
    # are not working: the 20th, the 21st.
    assert state["deadlines"] == [{"code": "order_notice", "due": "2021-12-21", "step": 4, "citations": ["I.18"]}]
    assert rules.evaluate("check.order_notice_due", {"issued": "2021-12-14"})["result"]["due"] == "2021-12-21"
    steps += [{"type": "notice_sent", "date": "2021-12-22", "step": 4,
               "recipients": ["legal_statistics_body", "subject"]},
              {"type": "resumed", "date": "2021-12-24", "signer": DP}]
    state = check(steps)
    assert state["status"] == "in_progress"
    # Paused 14…23 December: ten days; the term ends on 30 December + 10.
    assert state["last_day"] == "2022-01-09"
    assert rules.evaluate("check.last_day", {"start": "2021-12-01", "suspensions": [
        {"from": "2021-12-14", "to": "2021-12-24"}]})["result"]["last_day"] == "2022-01-09"
    assert state["late"] == [{"step": 5, "code": "order_notice", "due": "2021-12-21"}]
    assert state["deadlines"] == [
        {"code": "order_notice", "due": "2021-12-29", "step": 6, "citations": ["I.18"]},
        {"code": "check_end", "due": "2022-01-09", "step": 3, "citations": ["I.13", "I.16", "I.17"]},
    ]
    # K3, 7 working days before Sunday 9 January 2022 (3–4 and 7 January not working): 27 December.
    assert state["extension_petition_latest"] == "2021-12-27"


def test_a_notice_reaches_both_recipients_before_the_deadline_closes_I_18() -> None:
    steps = [*started_check("2021-12-01", "2021-12-01", "2021-12-30"),
             {"type": "suspended", "date": "2021-12-14", "signer": DP, "ground": "illness"},
             {"type": "notice_sent", "date": "2021-12-15", "step": 4, "recipients": ["subject"]}]
    assert [d["code"] for d in check(steps)["deadlines"]] == ["order_notice"]
    steps.append({"type": "notice_sent", "date": "2021-12-15", "step": 4, "recipients": ["legal_statistics_body"]})
    assert check(steps)["deadlines"] == []
    steps.append({"type": "notice_sent", "date": "2021-12-20", "step": 4, "recipients": ["subject"]})
    assert check(steps)["refused"]["code"] == "step_not_allowed"


def test_a_suspension_on_a_ground_the_instruction_does_not_name_is_refused_I_17() -> None:
    steps = [*started_check("2021-12-01", "2021-12-01", "2021-12-30"),
             {"type": "suspended", "date": "2021-12-14", "signer": DP, "ground": "vacation"}]
    state = check(steps)
    assert state["refused"]["code"] == "ground_not_allowed"
    assert state["status"] == "in_progress"


def test_a_suspension_after_the_last_day_is_refused_before_its_ground_I_16() -> None:
    steps = [*started_check("2021-12-01", "2021-12-01", "2021-12-30"),
             {"type": "suspended", "date": "2021-12-31", "signer": DP, "ground": "vacation"}]
    assert check(steps)["refused"]["code"] == "term_expired"


def test_an_extension_via_the_regional_prosecutor_adds_days_and_a_notice_I_16_I_18() -> None:
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02"),
             {"type": "extension_petitioned", "date": "2022-02-18", "signer": DP, "addressee": "regional_prosecutor"}]
    state = check(steps)
    assert state["extension_petition_latest"] is None  # a petition is pending
    assert "extension_forwarded" in state["allowed_next"]
    steps += [{"type": "extension_forwarded", "date": "2022-02-22", "signer": RP},
              {"type": "extended", "date": "2022-02-25", "signer": PG, "days": 15}]
    state = check(steps)
    assert state["late"] == []
    assert state["extension_days"] == 15
    assert state["last_day"] == "2022-03-17"
    # 3 working days after Friday 25 February 2022: 28 February, 1 and 2 March.
    assert state["deadlines"][0] == {"code": "order_notice", "due": "2022-03-02", "step": 6, "citations": ["I.18"]}


def test_a_late_petition_and_a_late_forwarding_are_recorded_not_refused_I_16() -> None:
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02"),
             {"type": "extension_petitioned", "date": "2022-02-22", "signer": DP, "addressee": "regional_prosecutor"},
             {"type": "extension_forwarded", "date": "2022-02-24", "signer": RP}]
    state = check(steps)
    # K3 from Wednesday 2 March 2022: 7 working days back is 21 February, 5 is 23 February.
    assert state["late"] == [{"step": 4, "code": "extension_petition", "due": "2022-02-21"},
                             {"step": 5, "code": "extension_petition", "due": "2022-02-23"}]
    assert rules.evaluate("check.extension_petition_due", {"last_day": "2022-03-02",
                                                           "addressee": "regional_prosecutor"})["result"]["due"] == \
        "2022-02-21"


def test_an_extension_refused_by_the_regional_prosecutor_ends_the_petition_I_16() -> None:
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02"),
             {"type": "extension_petitioned", "date": "2022-02-18", "signer": DP, "addressee": "regional_prosecutor"},
             {"type": "extension_rejected", "date": "2022-02-21", "signer": PG}]
    assert check(steps)["refused"]["code"] == "signer_not_allowed"  # it is pending with the regional prosecutor
    steps[-1]["signer"] = RP
    state = check(steps)
    assert state["refused"] is None
    assert state["extension_days"] == 0
    assert state["extension_petition_latest"] == "2022-02-21"


def test_an_extension_beyond_30_days_in_all_is_refused_I_16() -> None:
    petition = [{"type": "extension_petitioned", "date": "2022-02-10", "signer": DP,
                 "addressee": "regional_prosecutor"},
                {"type": "extension_forwarded", "date": "2022-02-11", "signer": RP}]
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02"), *petition,
             {"type": "extended", "date": "2022-02-14", "signer": PG, "days": 20}]
    steps += [{"type": "extension_petitioned", "date": "2022-02-15", "signer": DP,
               "addressee": "regional_prosecutor"},
              {"type": "extension_forwarded", "date": "2022-02-16", "signer": RP},
              {"type": "extended", "date": "2022-02-17", "signer": PG, "days": 11}]
    state = check(steps)
    assert state["refused"]["code"] == "extension_exceeded"
    assert state["refused"]["step"] == 9
    assert state["extension_days"] == 20
    steps[-1]["days"] = 10
    state = check([*steps, {"type": "extension_petitioned", "date": "2022-02-18", "signer": DP,
                            "addressee": "regional_prosecutor"}])
    assert state["extension_days"] == 30
    assert state["refused"]["code"] == "extension_exceeded"  # nothing left to petition for
    assert state["extension_petition_latest"] is None


def test_a_district_office_petitions_only_the_regional_prosecutor_I_16() -> None:
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02"),
             {"type": "extension_petitioned", "date": "2022-02-10", "signer": DP, "addressee": "prosecutor_general"}]
    assert check(steps)["refused"]["code"] == "wrong_addressee"


def test_a_regional_office_petitions_the_prosecutor_general_itself_5_working_days_before_I_16() -> None:
    steps = [*started_check("2022-02-01", "2022-02-01", "2022-03-02")]
    steps[1]["signer"] = RP
    assert check(steps, "regional")["extension_petition_latest"] == "2022-02-23"
    steps.append({"type": "extension_petitioned", "date": "2022-02-10", "signer": RP,
                  "addressee": "prosecutor_general"})
    state = check(steps, "regional")
    assert state["refused"] is None
    assert "extended" in state["allowed_next"]


@pytest.mark.parametrize(("signer", "allowed"), [
    ({"position": "deputy_district_prosecutor"}, False),
    ({"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}, True),
    ({"position": "prosecutor"}, False),
    ({"position": "deputy_regional_prosecutor"}, True),
])
def test_the_resolution_is_signed_by_the_positions_of_I_13_or_whoever_acts_for_them(
        signer: dict[str, Any], allowed: bool) -> None:
    state = check([opened("2021-08-02"), resolution("2021-08-02", "2021-08-03", "2021-09-01", signer)])
    if allowed:
        assert state["status"] == "resolution_signed"
    else:
        assert state["refused"]["code"] == "signer_not_allowed"
        assert state["refused"]["citations"] == ["I.13"]
        assert state["status"] == "admissible"


def test_a_resolution_longer_than_30_days_is_refused_I_16() -> None:
    state = check([opened("2021-08-02"), resolution("2021-08-02", "2021-08-03", "2021-09-02")])
    assert state["refused"]["code"] == "term_too_long"


def test_a_check_in_the_general_regime_cannot_start_unregistered_I_14() -> None:
    steps = [opened("2021-08-02"), resolution("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "started", "date": "2021-08-03"}]
    assert check(steps)["refused"]["code"] == "not_registered"


def test_a_check_of_administrative_offence_proceedings_needs_no_registration_I_11_I_14() -> None:
    steps = [opened("2021-08-02", basis="admin_offence_proceedings", regime="admin_offence"),
             resolution("2021-08-02", "2021-08-03", "2021-09-01"), {"type": "started", "date": "2021-08-03"}]
    assert check(steps)["status"] == "in_progress"


def test_a_check_starts_within_the_resolutions_term_I_13() -> None:
    steps = [*started_check("2021-08-02", "2021-08-04", "2021-09-01")]
    steps[-1]["date"] = "2021-08-03"
    assert check(steps)["refused"]["code"] == "outside_resolution_term"


def test_a_late_certificate_and_late_objections_are_recorded_I_23() -> None:
    steps = [*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "ended", "date": "2021-08-31"},
             {"type": "certificate_delivered", "date": "2021-09-08", "acknowledged": False},
             {"type": "objection_received", "date": "2021-09-20"}]
    state = check(steps)
    assert state["objections_until"] == "2021-09-15"
    assert state["late"] == [{"step": 5, "code": "certificate_delivery", "due": "2021-09-07"},
                             {"step": 6, "code": "certificate_objection", "due": "2021-09-15"}]
    assert rules.evaluate("check.certificate_objection_due", {"delivered": "2021-09-08"})["result"]["due"] == \
        "2021-09-15"


def test_a_check_ended_after_its_last_day_is_late_I_16() -> None:
    state = check([*started_check("2021-08-02", "2021-08-03", "2021-09-01"), {"type": "ended", "date": "2021-09-03"}])
    assert state["late"] == [{"step": 4, "code": "check_end", "due": "2021-09-01"}]


def test_a_lawsuit_needs_a_protected_interest_and_closure_needs_a_decision_I_24_I_25() -> None:
    steps = [*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "ended", "date": "2021-08-31"},
             {"type": "certificate_delivered", "date": "2021-09-03"}]
    assert check([*steps, {"type": "closed", "date": "2021-09-06"}])["refused"]["code"] == "step_not_allowed"
    assert check([*steps, {"type": "decision", "date": "2021-09-06", "decision": "lawsuit"}])["refused"]["code"] \
        == "lawsuit_not_allowed"
    state = check([*steps, {"type": "decision", "date": "2021-09-06", "decision": "lawsuit",
                            "protected_interest": ["indefinite_circle"]}, {"type": "closed", "date": "2021-09-06"}])
    assert state["status"] == "closed"


def test_a_check_with_an_unsent_notice_cannot_close_I_18() -> None:
    steps = [*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "composition_changed", "date": "2021-08-10",
              "signer": {"position": "prosecutor", "acting_for": "district_prosecutor"}},
             {"type": "ended", "date": "2021-08-31"}, {"type": "certificate_delivered", "date": "2021-09-03"},
             {"type": "decision", "date": "2021-09-06", "decision": "meeting"},
             {"type": "closed", "date": "2021-09-06"}]
    state = check(steps)
    assert state["refused"]["code"] == "open_deadlines"
    assert state["status"] == "certificate_delivered"
    assert [d["code"] for d in state["deadlines"]] == ["order_notice"]


def test_the_composition_is_changed_by_the_prosecutor_who_ordered_the_check_I_15() -> None:
    steps = [*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
             {"type": "composition_changed", "date": "2021-08-10", "signer": RP}]
    assert check(steps)["refused"]["code"] == "signer_not_allowed"


def test_step_not_allowed_names_the_paragraph_in_russian() -> None:
    state = check([opened("2021-08-02"), {"type": "started", "date": "2021-08-03"}])
    refused = state["refused"]
    assert refused["code"] == "step_not_allowed"
    assert refused["step"] == 1
    assert "Инструкции" in refused["message"]


# -------------------------------------------------------------------------------- input errors


@pytest.mark.parametrize(("steps", "field"), [
    ([{"type": "resolution_signed", "date": "2021-08-02"}], "steps.0.type"),
    ([opened("2021-08-02"), opened("2021-08-03")], "steps.1.type"),
    ([opened("2021-08-02"), {"type": "registered", "date": "2021-08-01", "number": "1"}], "steps.1.date"),
    ([opened("2021-08-02"), resolution("2021-08-02", "2021-08-01", "2021-08-20")], "steps.1.start_date"),
    ([opened("2021-08-02"), resolution("2021-08-02", "2021-08-10", "2021-08-09")], "steps.1.end_date"),
    ([opened("2021-08-02", regime="enforcement")], "steps.0.regime"),
    ([opened("2021-08-02"), resolution("2021-08-02", "2021-08-03", "2021-09-01",
                                       {"position": "chief"})], "steps.1.signer.position"),
    ([opened("2021-08-02"), {"type": "registered", "date": "2021-08-02", "number": ""}], "steps.1.number"),
    ([opened("2021-08-02"), {"type": "registered", "date": "2021-08-02", "number": "1", "note": "x"}],
     "steps.1.note"),
    ([opened("2021-08-02", subject_kind="bank")], "steps.0.subject_kind"),
    ([opened("2017-08-02")], "steps.0.date"),
    ([opened("2021-02-30")], "steps.0.date"),
    ([{"type": "reopened", "date": "2021-08-02"}], "steps.0.type"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "notice_sent", "date": "2021-08-04", "step": 3, "recipients": ["subject"]}], "steps.4.step"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "notice_sent", "date": "2021-08-04", "step": 9, "recipients": ["subject"]}], "steps.4.step"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "suspended", "date": "2021-08-04", "signer": DP, "ground": "illness"},
      {"type": "notice_sent", "date": "2021-08-04", "step": 4, "recipients": []}], "steps.5.recipients"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "suspended", "date": "2021-08-04", "signer": DP, "ground": "illness"},
      {"type": "notice_sent", "date": "2021-08-04", "step": 4, "recipients": ["subject", "subject"]}],
     "steps.5.recipients.1"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "suspended", "date": "2021-08-04", "signer": DP, "ground": "illness"},
      {"type": "resumed", "date": "2021-08-04", "signer": DP}], "steps.5.date"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "extended", "date": "2021-08-04", "signer": PG, "days": 31}], "steps.4.days"),
    ([*started_check("2021-08-02", "2021-08-03", "2021-09-01"),
      {"type": "extended", "date": "2021-08-04", "signer": PG, "days": 0}], "steps.4.days"),
])
def test_bad_input_is_an_error_naming_the_field_never_a_state(steps: list[dict[str, Any]], field: str) -> None:
    assert field in error_fields(steps)


def test_an_input_error_after_a_refused_step_wins_over_the_refusal() -> None:
    steps = [opened("2021-08-02"), {"type": "started", "date": "2021-08-03"},
             {"type": "registered", "date": "2021-08-04", "number": 7}]
    assert error_fields(steps) == ["steps.2.number"]


@pytest.mark.parametrize(("data", "field"), [
    ({"steps": []}, "office_level"),
    ({"office_level": "oblast", "steps": []}, "office_level"),
    ({"office_level": "district", "steps": {}}, "steps"),
    ({"office_level": "district", "steps": [], "extra": 1}, "extra"),
    ({"office_level": "district", "steps": [42]}, "steps.0"),
])
def test_the_input_object_itself_is_checked(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        replay("check", data)
    assert field in [e.field for e in caught.value.errors]


def test_an_unknown_kind_is_an_error_naming_kind() -> None:
    with pytest.raises(InvalidInput) as caught:
        replay("court_case", {"office_level": "district", "steps": []})
    assert caught.value.errors[0].field == "kind"


def test_an_empty_proceeding_offers_only_its_first_step() -> None:
    state = check([])
    assert state["status"] is None
    assert state["refused"] is None
    assert state["allowed_next"] == ["opened"]
