"""`casework.importing.do_import` on SQLite and PostgreSQL (issue 8 §5 `checks import`): whole
proceedings stored equal to replay with one audit row each; all or nothing — the first bad line raises
`lines.<n>.<field>` and the transaction keeps nothing; signers as frozen positions or as people; the
storage's own checks; only an administrator imports."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.casework.importing import do_import, parse_lines
from nadzor.casework.service import check_stored_equals_replay
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps, proceedings
from nadzor.infra.context import Actor, cli_actor
from nadzor.infra.errors import Forbidden, InvalidInput
from nadzor.org.tables import people
from tests.support.checks import resolution

MEDEU = "almaty_city.medeu_district"
DP = {"position": "district_prosecutor"}


def check_line(**changes: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"office_code": MEDEU, "details": {"subject_name": "ГУ «Отдел образования»"}, "steps": [
        {"type": "opened", "date": "2021-12-01", "subject_kind": "state_body", "basis": "protect_rights",
         "protected_interest": ["vulnerable_persons"], "control_body_failed": True},
        {"type": "resolution_signed", "date": "2021-12-01", "signer": DP, "start_date": "2021-12-01",
         "end_date": "2021-12-30"},
        {"type": "registered", "date": "2021-12-01", "number": "21-0001"},
        {"type": "started", "date": "2021-12-01"},
        {"type": "suspended", "date": "2021-12-14", "signer": DP, "ground": "expertise"}],
        "step_details": [None, resolution(prosecutor_name="Рахимов Азамат Маратович")]}
    return line | changes


def counts(platform: Platform) -> tuple[int, ...]:
    with platform.read_only() as session:
        return tuple(int(session.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (proceedings, proceeding_steps, proceeding_deadlines, audit_log))


def run(platform: Platform, collection: str, *lines: Any, actor: Actor | None = None) -> dict[str, Any]:
    with platform.transaction() as session:
        return do_import(session, collection, list(enumerate(lines, start=1)), actor=actor or cli_actor(),
                         calendar=platform.calendar())


def first_error(platform: Platform, collection: str, *lines: Any) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        run(platform, collection, *lines)
    error = caught.value.errors[0]
    return error.field, error.message


def test_imported_proceedings_are_stored_equal_to_replay_with_one_audit_row_each(demo: Platform) -> None:
    before = counts(demo)
    summary = run(demo, "checks", check_line(), check_line(steps=check_line()["steps"][:2]))
    assert summary["imported"] == 2
    assert all(n.startswith(f"{MEDEU}/П-2021-") for n in summary["numbers"])
    after = counts(demo)
    assert after[0] == before[0] + 2 and after[1] == before[1] + 7 and after[3] == before[3] + 2
    assert after[2] == before[2] + 1  # the suspended one's order notice (I.18); a signed one has none
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []
        row = session.execute(select(proceedings).where(proceedings.c.id == summary["ids"][0])).one()
    assert row.status == "suspended" and row.subject == "ГУ «Отдел образования»" and row.version == 5
    assert row.state["deadlines"] == [{"code": "order_notice", "due": "2021-12-21", "step": 4,
                                       "citations": ["I.18"]}]


def test_a_bad_line_stores_nothing_and_is_named_by_its_line_and_field(demo: Platform) -> None:
    before = counts(demo)
    bad = check_line()
    bad["steps"][2]["number"] = 17
    assert first_error(demo, "checks", check_line(), bad)[0] == "lines.2.steps.2.number"
    assert counts(demo) == before
    unknown = check_line(extra=True)
    assert first_error(demo, "checks", unknown)[0] == "lines.1.extra"
    assert first_error(demo, "checks", check_line(office_code="atlantis"))[0] == "lines.1.office_code"
    assert first_error(demo, "checks", check_line(steps=[]))[0] == "lines.1.steps"
    assert counts(demo) == before


def test_a_refused_step_is_an_error_naming_its_line_and_step(demo: Platform) -> None:
    before = counts(demo)
    late = check_line()
    late["steps"][4]["date"] = "2021-12-31"  # after the last day (I.16)
    field, message = first_error(demo, "checks", check_line(), late)
    assert field == "lines.2.steps.4"
    assert "term_expired" in message and "Инструкции" in message
    assert counts(demo) == before


def test_signers_are_positions_as_given_or_people_resolved_on_the_steps_date(demo: Platform) -> None:
    with demo.read_only() as session:
        deputy = session.execute(select(people.c.id).where(
            people.c.full_name == "Есимова Алия Нурлановна")).scalar_one()  # acted for the head 02–20.08.2021
    steps = check_line()["steps"]
    resolved = dict(steps[1], date="2021-08-02", start_date="2021-08-03", end_date="2021-09-01")
    del resolved["signer"]
    by_person = check_line(steps=[dict(steps[0], date="2021-08-02"), resolved | {"signer_person_id": deputy}])
    summary = run(demo, "checks", by_person)
    with demo.read_only() as session:
        data = session.execute(select(proceeding_steps.c.data).where(
            proceeding_steps.c.proceeding_id == summary["ids"][0], proceeding_steps.c.seq == 1)).scalar_one()
    assert data["signer"] == {"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}
    both = check_line(steps=[steps[0], steps[1] | {"signer_person_id": deputy}])
    assert first_error(demo, "checks", both)[0] == "lines.1.steps.1.signer_person_id"
    stranger = check_line(steps=[steps[0], resolved | {"signer_person_id": 10**9}])
    assert first_error(demo, "checks", stranger)[0] == "lines.1.steps.1.signer_person_id"


def test_storage_checks_apply_an_incomplete_certificate_is_refused_I_23(demo: Platform) -> None:
    steps = [*check_line()["steps"][:4], {"type": "ended", "date": "2021-12-29"},
             {"type": "certificate_delivered", "date": "2021-12-30", "acknowledged": True}]
    resolved = check_line()["step_details"][1]
    line = check_line(steps=steps, step_details=[None, resolved, None, None, None,
                                                 {"certificate": {"place": "г. Алматы"}}])
    field, message = first_error(demo, "checks", line)
    assert field == "lines.1.steps.5" and "certificate_incomplete" in message
    twice = check_line(step_details=[{"x": 1}])
    assert first_error(demo, "checks", twice)[0] == "lines.1.step_details.0"


def test_only_an_administrator_imports(demo: Platform) -> None:
    clerk = Actor(login="clerk", user_id=1, visible=None)
    with pytest.raises(Forbidden):
        run(demo, "checks", check_line(), actor=clerk)


def test_parse_lines_skips_blank_lines_and_names_bad_json_by_its_line() -> None:
    assert parse_lines(['{"a": 1}', "", "  ", '{"b": 2}']) == [(1, {"a": 1}), (4, {"b": 2})]
    with pytest.raises(InvalidInput) as caught:
        parse_lines(['{"a": 1}', "{"])
    assert caught.value.errors[0].field == "lines.2"
    with pytest.raises(InvalidInput) as empty:
        parse_lines(["", ""])
    assert empty.value.errors[0].field == "lines"
