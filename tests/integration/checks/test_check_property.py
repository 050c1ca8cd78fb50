"""Issue 8 §6, the property test (bounded: 30 examples per backend): for random VALID step sequences of
a check — a walk of `allowed_next` choosing valid fields, signers of the demo staff and non-decreasing
dates, each step kept only if `replay` accepts it — recorded through the service step by step
(`do_open` / `do_record_step`, signers as `signer_person_id`), the stored state equals a fresh
`replay` of the contract steps after every step, and withdrawing the last step returns the previous
state exactly. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nadzor import proceedings as kernel_api
from nadzor.bootstrap import Platform
from nadzor.casework.service import check_stored_equals_replay, do_open, do_record_step, do_withdraw
from nadzor.infra.context import cli_actor
from nadzor.org.service import office_by_code
from nadzor.org.tables import people
from nadzor.proceedings.check import DECISIONS, RECIPIENTS, SUSPENSION_UNTIL
from nadzor.rules.base import InvalidInput
from tests.support.checks import resolution

MEDEU = "almaty_city.medeu_district"
#: Who signs, by the position they sign in (nobody of them acts for anyone in 2022).
SIGNERS = {"district_prosecutor": "Рахимов Азамат Маратович", "regional_prosecutor": "Нурпеисов Канат Жаксылыкович",
           "prosecutor_general": "Асанов Берик Нурланович"}
CERTIFICATE = {"date": "2022-01-01", "place": "г. Алматы", "grounds": "постановление № 17", "subject_name": "ГУ",
               "topic": "права детей", "general_info": "…", "legality_assessment": "…", "causes_analysis": "…",
               "remedy_mechanism": "…", "conclusions": "…", "signatures": ["Рахимов А. М."]}
MAX_STEPS = 14
TRIES = 6  # candidates drawn for a step before the walk stops


def _signers(step_type: str, state: dict[str, Any]) -> list[str]:
    """The positions that may sign `step_type` (the replay check keeps the right one)."""
    return {"gp_petition_sent": ["regional_prosecutor"], "gp_instruction": ["prosecutor_general"],
            "extension_forwarded": ["regional_prosecutor"], "extended": ["prosecutor_general"],
            "extension_rejected": ["regional_prosecutor", "prosecutor_general"]}.get(
        step_type, ["district_prosecutor"])


def _candidate(draw: Any, step_type: str, day: date, state: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """A contract step of `step_type` on `day` (signer as a position) and its details."""
    step: dict[str, Any] = {"type": step_type, "date": day.isoformat()}
    details: dict[str, Any] | None = None
    fields = kernel_api.get_kind("check").steps[step_type].fields
    if "signer" in fields:
        step["signer"] = {"position": draw(st.sampled_from(_signers(step_type, state)))}
    if step_type == "gp_instruction":
        step["granted"] = draw(st.booleans())
    elif step_type == "resolution_signed":
        start = day + timedelta(days=draw(st.integers(0, 3)))
        step |= {"start_date": start.isoformat(),
                 "end_date": (start + timedelta(days=draw(st.integers(0, 29)))).isoformat()}
        details = resolution()
    elif step_type == "registered":
        step["number"] = f"22-{draw(st.integers(1, 9999)):04d}"
    elif step_type in ("delivered", "certificate_delivered"):
        step["acknowledged"] = draw(st.booleans())
        if step_type == "certificate_delivered":
            details = {"certificate": CERTIFICATE}
    elif step_type == "suspended":
        step["ground"] = draw(st.sampled_from(sorted(SUSPENSION_UNTIL)))
    elif step_type == "extension_petitioned":
        step["addressee"] = "regional_prosecutor"  # from a district office (I.16)
    elif step_type == "extended":
        step["days"] = draw(st.integers(1, 30))
    elif step_type == "composition_changed":
        details = {"assignees": [{"name": "Ким Алексей Андреевич", "organization": "ТОО «Аудит-Эксперт»"}]}
    elif step_type == "notice_sent":
        opened = sorted({d["step"] for d in state["deadlines"] if d["code"] == "order_notice"})
        step["step"] = draw(st.sampled_from(opened)) if opened else 0
        step["recipients"] = draw(st.lists(st.sampled_from(RECIPIENTS), min_size=1, max_size=2, unique=True))
    elif step_type == "decision":
        step["decision"] = draw(st.sampled_from(DECISIONS))
        step["protected_interest"] = draw(st.sampled_from([[], ["vulnerable_persons"]]))
    return step, details


def _replay(steps: list[dict[str, Any]], platform: Platform) -> dict[str, Any]:
    return kernel_api.replay("check", {"office_level": "district", "steps": steps}, calendar=platform.calendar())


def _walk(draw: Any, platform: Platform) -> list[tuple[dict[str, Any], Any]]:
    """A valid sequence: each step drawn from `allowed_next`, kept only if `replay` accepts it."""
    day = date(2022, 3, 1) + timedelta(days=draw(st.integers(0, 60)))
    opened = {"type": "opened", "date": day.isoformat(), "subject_kind": draw(st.sampled_from(
        ["state_body", "state_body", "business"])), "basis": "protect_rights",
        "protected_interest": ["vulnerable_persons"], "control_body_failed": True}
    chosen: list[tuple[dict[str, Any], Any]] = [(opened, {"subject_name": "ГУ «Управление образования»"})]
    state = _replay([opened], platform)
    while len(chosen) < MAX_STEPS and state["allowed_next"]:
        for _ in range(TRIES):
            step_type = draw(st.sampled_from(state["allowed_next"]))
            next_day = day + timedelta(days=draw(st.integers(0, 6)))
            step, details = _candidate(draw, step_type, next_day, state)
            try:
                after = _replay([s for s, _ in chosen] + [step], platform)
            except InvalidInput:  # e.g. a resumption dated the day of the suspension: not a valid step
                continue
            if after["refused"] is None:
                chosen.append((step, details))
                state, day = after, next_day
                break
        else:
            break
    return chosen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_issue_8_random_valid_check_lives_are_stored_equal_to_replay_and_withdrawal_restores(
        demo: Platform, data: st.DataObject) -> None:
    walk = _walk(data.draw, demo)
    event(f"reached {_replay([s for s, _ in walk], demo)['status']}")
    actor, calendar, today = cli_actor(), demo.calendar(), date(2022, 12, 31)
    with demo.read_only() as session:
        ids = {name: session.execute(select(people.c.id).where(people.c.full_name == name)).scalar_one()
               for name in SIGNERS.values()}
        office = office_by_code(session, MEDEU)
        assert office is not None

    def posted(step: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in step.items() if k != "signer"}
        if "signer" in step:
            out["signer_person_id"] = ids[SIGNERS[step["signer"]["position"]]]
        return out

    states: list[dict[str, Any]] = []
    item: dict[str, Any] = {}
    for i, (step, details) in enumerate(walk):
        with demo.transaction() as session:
            if i == 0:
                item = do_open(session, "checks", {"office_id": office.id, "step": posted(step), "details": details},
                               actor=actor, calendar=calendar)
            else:
                body: dict[str, Any] = {"version": item["version"], "step": posted(step)}
                if details is not None:
                    body["details"] = details
                item = do_record_step(session, "checks", item["id"], body, actor=actor, calendar=calendar,
                                      today=today)
        expected = _replay([s for s, _ in walk[:i + 1]], demo)
        assert item["state"] == expected, (i, step)
        assert item["steps"][-1]["signer" if "signer" in step else "type"] == step.get("signer", step["type"])
        states.append(item["state"])
    if len(walk) > 1:
        with demo.transaction() as session:
            item = do_withdraw(session, "checks", item["id"], {"version": item["version"], "reason": "ошибка"},
                               actor=actor, calendar=calendar, today=today)
        assert item["state"] == states[-2]
        assert item["steps"][-1]["withdrawn"] is True
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, calendar) == []
