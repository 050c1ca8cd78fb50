"""Issue 6, findings 10–13 and 15, and the calendar's coverage by the clock (RULES.md: 2018 through
the year after the current one, the product working on 1 January of every new year)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nadzor.bootstrap import Platform
from nadzor.domain.clock import ALMATY, FixedClock
from nadzor.org.files import neutralise, parse_csv, render_csv, restore
from tests.e2e.infra.test_cli_platform import nadzor as nadzor_on
from tests.support.web import bearer, client_for, office_id, web_login

DEEP = "[" * 100_000 + "]" * 100_000


def nadzor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", *args], input=stdin,
                          capture_output=True, text=True, check=False, timeout=300)


# ------------------------------------------------------------------------- finding 10: CLI


def test_finding_10_a_deeply_nested_batch_line_is_an_error_line_and_the_batch_goes_on() -> None:
    good = json.dumps({"rule": "check.last_day", "input": {"start": "2021-08-02"}})
    lines = [good, '{"rule": "check.last_day", "input": {"start": ' + DEEP + "}}", "[" * 100_000, good]
    done = nadzor("rules", "eval", "--batch", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["result"] == out[3]["result"] == {"last_day": "2021-08-31", "suspended": False}
    too_deep = {"field": "line", "message": "некорректный JSON: слишком глубокая вложенность"}
    assert out[1] == out[2] == {"error": too_deep}


def test_finding_10_a_deeply_nested_input_file_is_one_line_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"start": ' + DEEP + "}", encoding="utf-8")
    done = nadzor("rules", "eval", "check.last_day", "--input", f"@{path}")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "ошибка: input: некорректный JSON: слишком глубокая вложенность\n"


# ------------------------------------------------------------- finding 11: parameter type errors


def test_finding_11_path_and_query_type_errors_are_russian_problem_json_naming_the_field(
        sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    admin = bearer(client, "admin")
    for method, url, field in (("GET", "/api/v1/people?office_id=abc", "office_id"),
                               ("DELETE", "/api/v1/tokens/abc", "token_id"),
                               ("GET", "/api/v1/zones/route", "office_id")):
        response = client.request(method, url, headers=admin)
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 422 and body["title"] == "Некорректные входные данные"
        assert [e["field"] for e in body["errors"]] == [field]
        assert not any(c.isascii() and c.isalpha() for c in body["errors"][0]["message"].split("(")[0]), body
    long = "x" * 500
    response = client.get("/api/v1/people", params={"office_id": long}, headers=admin)
    assert response.status_code == 422
    assert long not in response.text and "x" * 16 in response.text  # a short excerpt only


def test_finding_11_pages_answer_a_styled_russian_page_for_type_errors_and_unknown_paths(
        sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    web_login(client, "admin")
    bad = client.get("/calendar", params={"year": "abc"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")
    # The parameter is named in words, never by its key (issue 7 §6).
    assert "Некорректные входные данные" in bad.text and "Год: ожидается целое число" in bad.text
    assert "year" not in bad.text.split("<main", 1)[1]
    assert '<link rel="stylesheet"' in bad.text and '"detail"' not in bad.text
    # a list's filter is answered by the list itself: its error summary links to the input (issue 7 §6)
    listed = client.get("/people", params={"office_id": "abc"})
    assert listed.status_code == 422 and listed.headers["content-type"].startswith("text/html")
    assert 'href="#f-office_id"' in listed.text and "ожидается целое число" in listed.text
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Не найдено" in missing.text and '<link rel="stylesheet"' in missing.text
    api_missing = client.get("/api/v1/no-such-thing")
    assert api_missing.status_code == 404 and api_missing.headers["content-type"] == "application/problem+json"
    wrong_method = client.put("/api/v1/health")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET"
    assert wrong_method.json()["title"] == "Метод не поддерживается"


def test_finding_11_openapi_lists_the_problem_answers_of_every_operation(sqlite_demo: Platform) -> None:
    spec = client_for(sqlite_demo).get("/openapi.json").json()
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    operations = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]
    assert len(operations) > 30
    for path, method, operation in operations:
        for status in ("401", "403", "404", "409", "422"):
            answer = operation["responses"][status]
            assert answer["content"] == {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}, (method, path, status)


# ----------------------------------------------------- finding 12: overrides outside the coverage


def test_finding_12_a_calendar_override_outside_the_coverage_is_refused_in_api_ui_and_cli(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    body = {"day": "9999-12-30", "working": False, "name": "Никогда", "resolution_number": "1",
            "resolution_date": "2026-11-20"}
    api = client.post("/api/v1/calendar-days", json=body, headers=admin)
    assert api.status_code == 422, api.text
    assert api.json()["errors"] == [
        {"field": "day", "message": "дата 9999-12-30 вне периода рабочего календаря 2018-01-01 — 2027-12-31"}]
    next_year = client.post("/api/v1/calendar-days", json={**body, "day": "2027-12-31"}, headers=admin)
    assert next_year.status_code == 200, next_year.text  # the year after the current one is covered
    web = client_for(demo)
    csrf = web_login(web, "admin")
    form = web.post("/calendar/days", data={**body, "working": "", "csrf_token": csrf})
    assert form.status_code == 422 and "9999-12-30 вне периода рабочего календаря" in form.text
    done = nadzor_on(demo, "calendar", "add", "9999-12-30", "--day-off", "--name", "Никогда", "--resolution-number",
                     "1", "--resolution-date", "2026-11-20")
    assert done.returncode == 2
    assert done.stderr.startswith("ошибка: day: дата 9999-12-30 вне периода рабочего календаря 2018-01-01 — ")
    days = client.get("/api/v1/calendar-days", headers=admin).json()
    assert [d["day"] for d in days] == ["2027-12-31"]


# ------------------------------------------------------------------- finding 13: CSV formulas


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+7 727", "-1", "\tx", "\rx",
                                   "'=already quoted", "plain", ""])
def test_finding_13_a_cell_is_neutralised_and_restored(value: str) -> None:
    written = neutralise(value)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore(written) == value


def test_finding_13_the_offices_csv_export_neutralises_formulas_and_imports_back_unchanged(demo: Platform) -> None:
    client = client_for(demo)
    admin = bearer(client, "admin")
    created = client.post("/api/v1/offices", headers=admin, json={
        "code": "karaganda_region.formula", "parent_code": "karaganda_region", "level": "district",
        "kind": "territorial", "name_ru": '=HYPERLINK("http://evil.example","Прокуратура")', "name_kk": "@SUM(1)",
        "city": "-Караганда", "former_names": [{"name": "+Старое", "valid_from": "2018-01-01",
                                                "valid_to": "2019-01-01"}]})
    assert created.status_code == 201, created.text
    exported = client.get("/api/v1/offices/export", params={"format": "csv"}, headers=admin).text
    line = next(x for x in exported.splitlines() if x.startswith("karaganda_region.formula,"))
    assert ""","'=HYPERLINK(""http://evil.example"",""Прокуратура"")",'@SUM(1),'-Караганда,""" in line
    assert ",'+Старое|2018-01-01|2019-01-01" in line
    for row in parse_csv(exported):
        assert not row["name_ru"].startswith("'")
    again = client.post("/api/v1/offices/import", content=exported.encode(),
                        headers={**admin, "content-type": "text/csv"})
    assert again.status_code == 200 and again.json()["updated"] == 0, again.text
    assert render_csv(parse_csv(exported)).splitlines()[0] == exported.splitlines()[0]


# --------------------------------------------------------------- finding 15: zone route scope


def test_finding_15_the_zone_route_gives_only_name_position_and_office_outside_the_callers_scope(
        demo: Platform) -> None:
    client = client_for(demo)
    medeu = bearer(client, "medeu")
    district = office_id(client, medeu, "almaty_city.medeu_district")
    route = client.get("/api/v1/zones/route", params={"office_id": district, "area": "civil", "on": "2026-06-01"},
                       headers=medeu)
    assert route.status_code == 200, route.text
    person = route.json()["person"]
    assert person == {"full_name": "Сарсенбаев Ильяс Муратович", "position": "prosecutor",
                      "position_label": person["position_label"], "office_id": person["office_id"],
                      "office_name": "Прокуратура города Алматы"}
    almaty = bearer(client, "almaty")
    inside = client.get("/api/v1/zones/route", params={"office_id": district, "area": "civil", "on": "2026-06-01"},
                        headers=almaty).json()["person"]
    assert inside["full_name"] == "Сарсенбаев Ильяс Муратович" and "email" in inside and "id" in inside
    web = client_for(demo)
    web_login(web, "medeu")
    page = web.get("/zones", params={"office_id": district, "area": "civil", "on": "2026-06-01"})
    assert page.status_code == 200 and "Сарсенбаев Ильяс Муратович" in page.text
    assert "/people/" + str(inside["id"]) not in page.text


# -------------------------------------------------- the coverage follows the clock over New Year


def test_a_running_platform_covers_the_new_next_year_from_1_january(demo: Platform) -> None:
    """A server started on 2026-11-29 accepts 2027 and refuses 2028; at midnight of 1 January 2027
    in Almaty it accepts 2028 without a restart (RULES.md)."""
    clock = FixedClock(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    demo.clock = clock
    client = client_for(demo)

    def evaluate(day: str) -> int:
        return client.post("/api/v1/rules/calendar.working_day/evaluate", json={"date": day}).status_code

    assert (evaluate("2027-06-15"), evaluate("2028-01-10")) == (200, 422)
    assert client.get("/api/v1/rules").json()[0]["calendar_coverage"] == {"from": "2018-01-01", "to": "2027-12-31"}
    clock.set(datetime(2027, 1, 1, 0, 0, tzinfo=ALMATY))
    assert demo.today() == date(2027, 1, 1)
    assert evaluate("2028-01-10") == 200
    assert client.get("/api/v1/rules").json()[0]["calendar_coverage"] == {"from": "2018-01-01", "to": "2028-12-31"}
    admin = bearer(client, "admin")
    body = {"day": "2028-01-10", "working": False, "name": "Перенос", "resolution_number": "7",
            "resolution_date": "2027-01-01"}
    assert client.post("/api/v1/calendar-days", json=body, headers=admin).status_code == 200
    answer = client.post("/api/v1/rules/calendar.working_day/evaluate", json={"date": "2028-01-10"}).json()
    assert answer["result"]["working"] is False


def test_omitted_dates_default_to_today_in_almaty_by_the_platforms_clock(demo: Platform) -> None:
    """At 20:00 UTC on 31 December it is already 1 January in Almaty: «today» is the Almaty day."""
    demo.clock = FixedClock(datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    client = client_for(demo)
    almaty = bearer(client, "almaty")
    district = office_id(client, almaty, "almaty_city.medeu_district")
    route = client.get("/api/v1/zones/route", params={"office_id": district, "area": "civil"}, headers=almaty)
    assert route.json()["on"] == "2027-01-01"


def test_the_cli_catalogue_reports_the_calendar_coverage() -> None:
    done = nadzor("rules", "list")
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("Даты входа — в пределах рабочего календаря: 2018-01-01 — ")
    assert last.endswith("-12-31")
