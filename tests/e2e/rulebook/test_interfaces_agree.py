"""Every legal case answers identically from Python, HTTP and the CLI (RULES.md: «reachable three
ways, with identical results»)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from nadzor import rules
from nadzor.bootstrap import Platform
from tests.support.cases import load_cases
from tests.support.web import client_for

CASES = load_cases()


def python_answer(rule_id: str, data: object) -> dict:
    try:
        return {"ok": rules.evaluate(rule_id, data)}
    except rules.InvalidInput as exc:
        return {"error": exc.as_dicts()}


@pytest.fixture
def client(sqlite_demo: Platform) -> TestClient:
    return client_for(sqlite_demo)


def nadzor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nadzor.entrypoints.cli", *args],
        input=stdin, capture_output=True, text=True, check=False, timeout=300,
    )


def test_http_answers_every_case_as_python_does(client: TestClient) -> None:
    for case in CASES:
        expected = python_answer(case.rule, case.input)
        response = client.post(f"/api/v1/rules/{case.rule}/evaluate", json=case.input)
        if "ok" in expected:
            assert response.status_code == 200, (case.id, response.text)
            assert response.json() == expected["ok"], case.id
        else:
            assert response.status_code == (404 if case.rule not in rules.REGISTRY else 422), case.id
            assert response.headers["content-type"].startswith("application/problem+json")
            body = response.json()
            assert body["errors"] == expected["error"], case.id
            assert body["status"] == response.status_code


def test_cli_batch_answers_every_case_as_python_does() -> None:
    lines = "".join(json.dumps({"rule": c.rule, "input": c.input}, ensure_ascii=False) + "\n" for c in CASES)
    done = nadzor("rules", "eval", "--batch", "-", stdin=lines)
    assert done.returncode == 2  # some cases are refusals
    outputs = done.stdout.splitlines()
    assert len(outputs) == len(CASES)
    for case, line in zip(CASES, outputs, strict=True):
        expected = python_answer(case.rule, case.input)
        got = json.loads(line)
        if "ok" in expected:
            assert got == expected["ok"], case.id
        else:
            assert got == {"error": expected["error"][0]}, case.id


def test_cli_eval_prints_the_same_object_and_exits_0() -> None:
    data = {"start": "2021-08-02", "suspensions": [{"from": "2021-08-10", "to": "2021-08-15"}]}
    done = nadzor("rules", "eval", "check.last_day", "--input", json.dumps(data))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == rules.evaluate("check.last_day", data)


def test_cli_eval_reads_input_from_a_file(tmp_path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"last_day": "2021-03-26", "addressee": "prosecutor_general"}), encoding="utf-8")
    done = nadzor("rules", "eval", "check.extension_petition_due", "--input", f"@{path}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == {"due": "2021-03-16"}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["check.last_day", "--input", '{"start": "2021-02-30"}'], "start"),
        (["check.last_day", "--input", '{"start": "2021-02-01", "extension_days": 31}'], "extension_days"),
        (["check.last_day", "--input", '{"start": "2021-02-01", "chief": 1}'], "chief"),
        (["no.such_rule", "--input", "{}"], "rule"),
        (["check.resolution_signer", "--input", '{"signer": {"position": "boss"}}'], "signer.position"),
        (["check.last_day", "--input", "{not json"], "input"),
    ],
)
def test_cli_eval_refuses_bad_input_with_one_line_naming_the_field(args: list[str], field: str) -> None:
    done = nadzor("rules", "eval", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f" {field}: " in lines[0]


def test_batch_goes_on_after_a_bad_line_and_exits_2() -> None:
    text = "\n".join([
        '{"rule": "calendar.working_day", "input": {"date": "2021-07-05"}}',
        "not json",
        '{"rule": "calendar.working_day"}',
        '{"rule": "calendar.working_day", "input": {"date": "2021-07-03"}, "x": 1}',
        '{"rule": "calendar.working_day", "input": {"date": "2021-07-03"}}',
    ]) + "\n"
    done = nadzor("rules", "eval", "--batch", "-", stdin=text)
    assert done.returncode == 2
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["result"]["working"] is False
    assert out[1]["error"]["field"] == "line"
    assert out[2]["error"]["field"] == "input"
    assert out[3]["error"]["field"] == "x"
    assert out[4]["result"]["working"] is True


def test_batch_of_good_lines_exits_0(tmp_path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('{"rule": "act.databank_entry_due", "input": {"event_date": "2021-12-15"}}\n', encoding="utf-8")
    done = nadzor("rules", "eval", "--batch", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == {"due": "2021-12-22"}  # 16–17 Dec are holidays


def test_catalogue_lists_every_rule_with_schemas_from_cli_and_http(client: TestClient) -> None:
    done = nadzor("rules", "list", "--json")
    assert done.returncode == 0
    from_cli = json.loads(done.stdout)
    from_http = client.get("/api/v1/rules").json()
    # The CLI runs on the machine's clock, the app on the tests' frozen one: the coverage is compared apart.
    cli_coverage = {item.pop("calendar_coverage")["to"] for item in from_cli}
    http_coverage = {item.pop("calendar_coverage")["to"] for item in from_http}
    assert http_coverage == {"2027-12-31"} and len(cli_coverage) == 1 and min(cli_coverage) >= "2027-12-31"
    assert from_cli == from_http
    assert {r["id"] for r in from_cli} == set(rules.REGISTRY)
    for item in from_cli:
        assert item["title"] and item["input_schema"]["type"] == "object" and item["output_schema"]
        assert item["valid_from"] == "2021-07-16" and item["valid_to"] == "2023-01-17"


def test_unknown_rule_is_404_problem_json(client: TestClient) -> None:
    response = client.post("/api/v1/rules/no.such/evaluate", json={})
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "rule"


def test_body_that_is_not_json_is_422_naming_input(client: TestClient) -> None:
    response = client.post("/api/v1/rules/check.last_day/evaluate", content=b"{oops",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "input"


def test_openapi_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/openapi.json").json()["info"]["title"] == "Nadzor API"


def test_a_batch_line_with_a_number_too_long_for_json_is_an_error_line() -> None:
    text = '{"rule": "calendar.working_day", "input": {"date": "2021-07-05"}}\n' \
           '{"rule": "check.last_day", "input": {"start": "2021-07-01", "extension_days": ' + "1" * 5000 + "}}\n" \
           '{"rule": "calendar.working_day", "input": {"date": "2021-07-03"}}\n'
    done = nadzor("rules", "eval", "--batch", "-", stdin=text)
    assert done.returncode == 2
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [("error" in o) for o in out] == [False, True, False]
