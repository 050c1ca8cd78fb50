"""`nadzor checks|acts|evaluations|analyses list|show|import` end to end (issue 8 §5, issues 9–10): the
registers of the demo database as a table and as JSON, one proceeding's card, and the import of whole
proceedings from JSON lines — all or nothing, a bad line named `lines.<n>.<field>`, nothing stored.
Subprocesses on SQLite; overdue counted from `--today` (the tests never read the clock)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.casework.service import access_proceeding, check_stored_equals_replay
from nadzor.casework.tables import proceeding_steps, proceedings
from nadzor.infra.context import cli_actor
from nadzor.org.tables import people
from tests.conftest import DEMO_TODAY
from tests.e2e.infra.test_cli_platform import nadzor
from tests.support.checks import resolution

TODAY = DEMO_TODAY.isoformat()
MEDEU = "almaty_city.medeu_district"


def _count(platform: Platform, table: Any = proceedings) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _listed(platform: Platform, collection: str, *args: str, today: str = TODAY) -> dict[str, Any]:
    done = nadzor(platform, collection, "list", "--json", "--today", today, "--limit", "1000", *args)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_list_prints_the_register_as_json_filtered_by_office_subtree_status_and_overdue(
        sqlite_demo_full: Platform) -> None:
    everything = _listed(sqlite_demo_full, "checks")
    assert everything["total"] == len(everything["items"]) >= 30
    suspended = _listed(sqlite_demo_full, "checks", "--status", "suspended")
    assert suspended["total"] >= 1
    assert {i["status"] for i in suspended["items"]} == {"suspended"}
    assert suspended["items"][0]["status_label"] == "проверка приостановлена"
    almaty = _listed(sqlite_demo_full, "checks", "--office", "almaty_city")  # the city and its districts
    medeu = _listed(sqlite_demo_full, "checks", "--office", MEDEU)
    assert 0 < medeu["total"] < almaty["total"] < everything["total"]
    assert {i["office_name"] for i in medeu["items"]} == {"Прокуратура Медеуского района города Алматы"}
    assert len({i["office_id"] for i in almaty["items"]}) >= 2
    overdue = _listed(sqlite_demo_full, "checks", "--overdue")
    assert overdue["total"] >= 1
    assert all(i["overdue"] for i in overdue["items"])
    assert all(i["next_due"] < TODAY for i in overdue["items"])
    long_ago = _listed(sqlite_demo_full, "checks", "--overdue", today="2021-01-01")
    assert long_ago["total"] == 0


def test_list_filters_by_basis_and_by_assignee_as_the_register_page_does(sqlite_demo_full: Platform) -> None:
    """Issue 8 §5: `--basis` (the opening step's, I.7) and `--assignee` (a person among the current
    assignees, I.15); the same rows as the service's register."""
    from nadzor.casework.service import access_proceedings

    with sqlite_demo_full.read_only() as session:
        steps = {pid: data for pid, data in session.execute(
            select(proceedings.c.id, proceeding_steps.c.data).join(
                proceeding_steps, proceeding_steps.c.proceeding_id == proceedings.c.id)
            .where(proceedings.c.kind == "check", proceeding_steps.c.seq == 0))}
        assigned = {a["person_id"]: pid for pid, details in session.execute(
            select(proceeding_steps.c.proceeding_id, proceeding_steps.c.details)
            .where(proceeding_steps.c.type == "resolution_signed")) for a in (details or {}).get("assignees", [])
            if isinstance(a, dict) and "person_id" in a}
        assert assigned, "the demo checks name staff among their assignees"
        person = sorted(assigned)[0]
        expected = access_proceedings(session, "checks", actor=cli_actor(), today=DEMO_TODAY, limit=None,
                                      assignee_id=person)
    for basis in ("protect_rights", "admin_arrest", "gp_instruction"):
        listed = _listed(sqlite_demo_full, "checks", "--basis", basis)
        assert {i["id"] for i in listed["items"]} == {pid for pid, d in steps.items() if d["basis"] == basis}
    assert _listed(sqlite_demo_full, "checks", "--basis", "protect_rights")["total"] > 0
    by_person = _listed(sqlite_demo_full, "checks", "--assignee", str(person))
    assert assigned[person] in {i["id"] for i in by_person["items"]}
    assert [i["id"] for i in by_person["items"]] == [i["id"] for i in expected["items"]]
    bad = nadzor(sqlite_demo_full, "checks", "list", "--basis", "nonsense", "--today", TODAY)
    assert bad.returncode == 2 and "basis" in bad.stderr


def test_list_prints_a_table_with_number_office_status_label_next_due_and_the_overdue_mark(
        sqlite_demo_full: Platform) -> None:
    done = nadzor(sqlite_demo_full, "checks", "list", "--overdue", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["Номер", "Прокуратура", "Статус", "Ближайший", "срок", "Просрочка"]
    assert any("ПРОСРОЧЕНО" in row and "проверка проводится" in row for row in rows)
    assert rows[-1].startswith("Всего:")
    empty = nadzor(sqlite_demo_full, "analyses", "list", "--status", "closed", "--office", "astana_city.esil_district",
                   "--today", TODAY)
    assert empty.returncode == 0 and "Ничего не найдено." in empty.stdout


def test_every_collection_has_its_register(sqlite_demo_full: Platform) -> None:
    for collection in ("acts", "evaluations", "analyses"):
        listed = _listed(sqlite_demo_full, collection)
        assert listed["total"] >= 5, collection


def test_bad_filters_exit_2_naming_the_field(sqlite_demo_full: Platform) -> None:
    status = nadzor(sqlite_demo_full, "checks", "list", "--status", "nonsense")
    assert status.returncode == 2 and "status:" in status.stderr
    office = nadzor(sqlite_demo_full, "checks", "list", "--office", "no.such.office")
    assert office.returncode == 2 and "office:" in office.stderr
    today = nadzor(sqlite_demo_full, "checks", "list", "--today", "2026-02-30")
    assert today.returncode == 2 and "today:" in today.stderr
    missing = nadzor(sqlite_demo_full, "checks", "show", "999999")
    assert missing.returncode == 2 and "id:" in missing.stderr


def test_show_prints_the_card_as_the_service_reads_it(sqlite_demo_full: Platform) -> None:
    item = _listed(sqlite_demo_full, "checks", "--status", "suspended")["items"][0]
    from nadzor.checks.resolutions import do_record_resolution

    cal = sqlite_demo_full.calendar()
    with sqlite_demo_full.transaction() as session:  # an expertise appointed by the district prosecutor (I.20)
        head = session.execute(select(people.c.id).where(people.c.office_id == item["office_id"],
                                                         people.c.position == "district_prosecutor")).scalar_one()
        do_record_resolution(session, item["id"], {
            "type": "expertise", "date": TODAY, "signer_person_id": head, "number": "7-э",
            "fields": {"kind": "строительно-техническая", "grounds": "нужны специальные знания",
                       "objects": "проектная документация", "expert": "ЦСЭ МЮ РК"}}, actor=cli_actor(), calendar=cal)
    done = nadzor(sqlite_demo_full, "checks", "show", str(item["id"]), "--json", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    with sqlite_demo_full.read_only() as session:
        expected = access_proceeding(session, "checks", item["id"], actor=cli_actor(), today=DEMO_TODAY,
                                     calendar=sqlite_demo_full.calendar())
    assert json.loads(done.stdout) == json.loads(json.dumps(expected))
    human = nadzor(sqlite_demo_full, "checks", "show", str(item["id"]), "--today", TODAY)
    assert human.returncode == 0, human.stderr
    assert f"№ {item['number']}" in human.stdout
    assert "Статус: проверка приостановлена" in human.stdout
    assert "Приостановление проверки" in human.stdout
    assert "order_notice" in human.stdout and "ПРОСРОЧЕНО" in human.stdout
    assert "Постановление о назначении экспертизы № 7-э" in human.stdout
    assert json.loads(done.stdout)["resolutions"][0]["number"] == "7-э"
    other = nadzor(sqlite_demo_full, "acts", "show", str(item["id"]))  # a check is not an act
    assert other.returncode == 2 and "id:" in other.stderr


def _opened(day: str) -> dict[str, Any]:
    return {"type": "opened", "date": day, "subject_kind": "state_body", "basis": "protect_rights",
            "protected_interest": ["vulnerable_persons"], "control_body_failed": True}


def _check_line(day: str = "2021-08-02", **signer: Any) -> dict[str, Any]:
    signature = signer or {"signer": {"position": "district_prosecutor"}}
    return {"office_code": MEDEU, "details": {"subject_name": "ГУ «Отдел образования»"},
            "steps": [_opened(day),
                      {"type": "resolution_signed", "date": day, **signature, "start_date": "2021-08-03",
                       "end_date": "2021-09-01"},
                      {"type": "registered", "date": day, "number": "21-77"},
                      {"type": "started", "date": "2021-08-03"}],
            "step_details": [None, resolution(prosecutor_name="Рахимов Азамат Маратович")]}


def _write(path: Path, *lines: Any) -> Path:
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) if not isinstance(line, str) else line
                              for line in lines) + "\n", encoding="utf-8")
    return path


def test_import_stores_every_line_replayed_and_audited(sqlite_demo_full: Platform, tmp_path: Path) -> None:
    before, audited = _count(sqlite_demo_full), _count(sqlite_demo_full, audit_log)
    with sqlite_demo_full.read_only() as session:
        deputy = session.execute(select(people.c.id).where(
            people.c.full_name == "Есимова Алия Нурлановна")).scalar_one()
    path = _write(tmp_path / "checks.jsonl", _check_line(), "", _check_line(signer_person_id=deputy))
    done = nadzor(sqlite_demo_full, "checks", "import", str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Импортировано: 2"
    assert all(n.startswith(f"{MEDEU}/П-2021-") for n in lines[1:])
    assert _count(sqlite_demo_full) == before + 2
    assert _count(sqlite_demo_full, audit_log) == audited + 2
    with sqlite_demo_full.read_only() as session:
        assert check_stored_equals_replay(session, sqlite_demo_full.calendar()) == []
    imported = [i for i in _listed(sqlite_demo_full, "checks", "--office", MEDEU)["items"] if i["number"] in lines[1:]]
    assert [i["status"] for i in imported] == ["in_progress", "in_progress"]
    # A signer given as a position is kept; a person is resolved on the step's date: the deputy acted
    # for the head on 2 August 2021 (demo data).
    signers = {json.dumps(json.loads(nadzor(sqlite_demo_full, "checks", "show", str(i["id"]), "--json").stdout)
                          ["steps"][1]["signer"], sort_keys=True) for i in imported}
    assert signers == {'{"position": "district_prosecutor"}',
                       '{"acting_for": "district_prosecutor", "position": "deputy_district_prosecutor"}'}
    card = json.loads(nadzor(sqlite_demo_full, "checks", "show", str(imported[0]["id"]), "--json").stdout)
    assert card["subject"] == "ГУ «Отдел образования»"
    assert card["steps"][1]["details"]["topic"] == resolution()["topic"]
    assert card["assignees"] == resolution()["assignees"]  # the card names them (issue 8 §2)
    assert card["resolution"]["subject_matter"] == ["anti_corruption", "legal_acts_legality"]


def test_import_is_all_or_nothing_and_names_the_first_bad_line(sqlite_demo_full: Platform, tmp_path: Path) -> None:
    before, audited = _count(sqlite_demo_full), _count(sqlite_demo_full, audit_log)
    bad_date = _check_line()
    bad_date["steps"][3]["date"] = "2021-02-30"
    path = _write(tmp_path / "bad.jsonl", _check_line(), bad_date, {"office_code": "nowhere", "steps": []})
    done = nadzor(sqlite_demo_full, "checks", "import", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("ошибка: lines.2.steps.3.date:"), done.stderr
    assert _count(sqlite_demo_full) == before and _count(sqlite_demo_full, audit_log) == audited
    refused = _check_line()
    refused["steps"][1]["signer"] = {"position": "prosecutor"}  # I.13: not a signer of the resolution
    done = nadzor(sqlite_demo_full, "checks", "import", str(_write(tmp_path / "refused.jsonl", _check_line(), refused)))
    assert done.returncode == 2
    assert done.stderr.startswith("ошибка: lines.2.steps.1:") and "signer_not_allowed" in done.stderr
    office = nadzor(sqlite_demo_full, "checks", "import",
                    str(_write(tmp_path / "office.jsonl", _check_line() | {"office_code": "nowhere"})))
    assert office.returncode == 2 and "lines.1.office_code:" in office.stderr
    garbage = nadzor(sqlite_demo_full, "checks", "import", str(_write(tmp_path / "garbage.jsonl", _check_line(), "{")))
    assert garbage.returncode == 2 and "lines.2:" in garbage.stderr
    assert _count(sqlite_demo_full) == before and _count(sqlite_demo_full, audit_log) == audited


def test_import_of_another_kind_and_from_stdin(sqlite_demo_full: Platform) -> None:
    line = {"office_code": MEDEU, "steps": [
        {"type": "opened", "date": "2022-03-01", "context": "complaint", "act_kind": "individual"},
        {"type": "act_requested", "date": "2022-03-02"}], "details": {"act_title": "Решение акимата № 5"}}
    done = nadzor(sqlite_demo_full, "evaluations", "import", "-", stdin=json.dumps(line, ensure_ascii=False) + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith(f"{MEDEU}/О-2022-")
    wrong_kind = nadzor(sqlite_demo_full, "acts", "import", "-", stdin=json.dumps(line) + "\n")
    assert wrong_kind.returncode == 2 and wrong_kind.stderr.startswith("ошибка: lines.1.steps.0.type:")
