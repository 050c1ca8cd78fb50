"""Issue 7 §5 and §6 (first bullet): every rule answer states the edition applied and whether it
was in force on the dates evaluated (Python, HTTP, CLI, pages, proceeding cards), the footer states
the edition's window, and the rule forms speak Russian: labels, choices, rows of periods, a moment
with its offset, the result as a sentence and a table with the raw JSON behind a disclosure."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from fastapi.testclient import TestClient

from nadzor import rules
from nadzor.bootstrap import Platform
from nadzor.web import security
from tests.e2e.casework.test_proceedings_pages import main_text, open_one
from tests.support.web import bearer, client_for


@pytest.fixture
def client(sqlite_demo: Platform) -> TestClient:
    return client_for(sqlite_demo)


def edition(answer: dict) -> dict:
    found = answer["edition"]
    assert found["valid_from"] == "2021-07-16" and found["valid_to"] == "2023-01-17"
    assert "№ 102" in found["name"]
    return dict(found)


# ---------------------------------------------------------------------------- the answer


@pytest.mark.parametrize(("day", "in_force"), [
    ("2021-07-15", False), ("2021-07-16", True), ("2023-01-16", True), ("2023-01-17", False),
])
def test_the_edition_is_in_force_from_16_july_2021_until_the_day_before_17_january_2023(
        day: str, in_force: bool) -> None:
    answer = rules.evaluate("check.order_notice_due", {"issued": day})
    assert edition(answer)["in_force"] is in_force


def test_any_date_of_the_input_outside_the_window_marks_the_answer_not_in_force() -> None:
    inside = {"start": "2022-12-01", "suspensions": [{"from": "2022-12-05", "to": "2022-12-10"}]}
    assert edition(rules.evaluate("check.last_day", inside))["in_force"] is True
    late = {"start": "2022-12-01", "suspensions": [{"from": "2022-12-05", "to": "2023-02-01"}]}
    assert edition(rules.evaluate("check.last_day", late))["in_force"] is False


def test_a_moment_counts_by_its_own_local_date() -> None:
    on_last_day = rules.evaluate("court.admin_arrest_review_due", {"received_at": "2023-01-16T23:30:00+06:00"})
    assert edition(on_last_day)["in_force"] is True
    after = rules.evaluate("court.admin_arrest_review_due", {"received_at": "2023-01-17T00:30:00+06:00"})
    assert edition(after)["in_force"] is False


@pytest.mark.parametrize("day", ["2021-07-15", "2022-05-05", "2023-01-17"])
def test_the_proceedings_replay_and_the_rules_state_the_edition_alike(day: str) -> None:
    from nadzor.proceedings import _edition
    from nadzor.proceedings.kernel import Step
    from nadzor.rules.limits import ORDER_102

    steps = [Step(0, "opened", date(2022, 1, 10), {}), Step(1, "started", date.fromisoformat(day), {})]
    answer = rules.evaluate("calendar.add_working_days", {"from": "2022-01-10", "days": 1}) if day == "2022-05-05" \
        else rules.evaluate("check.order_notice_due", {"issued": day})
    assert _edition(steps) == answer["edition"] == ORDER_102.applied(s.date for s in steps)


def test_http_states_the_edition_exactly_as_python_does(client: TestClient) -> None:
    data = {"issued": "2023-03-01"}
    response = client.post("/api/v1/rules/check.order_notice_due/evaluate", json=data)
    assert response.status_code == 200
    assert response.json()["edition"] == rules.evaluate("check.order_notice_due", data)["edition"]
    assert response.json()["edition"]["in_force"] is False


def test_the_cli_states_the_edition() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nadzor.entrypoints.cli", "rules", "eval", "check.order_notice_due",
         "--input", json.dumps({"issued": "2021-06-01"})],
        capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["edition"]["in_force"] is False and answer["result"]["due"] == "2021-06-04"


# ------------------------------------------------------------------------ explanations


def test_explanations_take_their_numbers_from_the_limits_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """STYLE.md «Avoid»: no second copy of a time limit in a string — change the data, the words follow."""
    from nadzor.rules import limits

    answer = rules.evaluate("check.order_notice_due", {"issued": "2021-08-02"})
    assert "3 рабочих дня" in answer["explanation"]
    original = limits.LIMITS["check.order_notice"]
    changed = limits.Limit(original.id, original.citation, original.unit, original.title,
                           (limits.Dated(original.values[0].since, 5, "test"),))
    monkeypatch.setitem(limits.LIMITS, "check.order_notice", changed)
    answer = rules.evaluate("check.order_notice_due", {"issued": "2021-08-02"})
    assert "5 рабочих дней" in answer["explanation"] and "3 рабочих" not in answer["explanation"]


@pytest.mark.parametrize(("n", "unit", "case", "words"), [
    (1, "working_days", "nom", "1 рабочий день"), (3, "working_days", "nom", "3 рабочих дня"),
    (5, "working_days", "nom", "5 рабочих дней"), (11, "working_days", "nom", "11 рабочих дней"),
    (21, "calendar_days", "nom", "21 календарный день"), (22, "calendar_days", "nom", "22 календарных дня"),
    (14, "calendar_days", "nom", "14 календарных дней"), (1, "months", "nom", "1 месяц"),
    (3, "months", "nom", "3 месяца"), (24, "hours", "gen", "24 часов"), (1, "working_days", "gen", "1 рабочего дня"),
    (5, "working_days", "gen", "5 рабочих дней"),
])
def test_a_time_limit_is_rendered_with_the_right_russian_plural(n: int, unit: str, case: str, words: str) -> None:
    from nadzor.rules.limits import plural

    assert plural(n, unit, case) == words  # type: ignore[arg-type]


def test_no_rule_explanation_spells_a_time_limit_in_words() -> None:
    """Every explanation of every rule module: no «три рабочих дня», «30 календарных дней» typed by hand."""
    from pathlib import Path

    import nadzor.rules

    root = Path(nadzor.rules.__file__).parent
    spelled = re.compile(r"(тридцат|двадцат|пятнадцат|десят|пят[ьи]|тр[её]х|три|сем[ьи]|\d+)\s+"
                         r"(рабоч|календарн|месяц)")
    found = []
    for path in root.rglob("*.py"):
        if path.name == "limits.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("#", '"""')) or not re.search(r'f?"', stripped):
                continue
            if spelled.search(stripped) and not re.match(r'^[A-Z]|.*"""', stripped):
                found.append(f"{path.name}:{number}: {stripped}")
    assert found == []


# ------------------------------------------------------------------------------ the pages


def test_the_footer_states_the_editions_window_instead_of_presenting_it_as_current(client: TestClient) -> None:
    page = client.get("/rules")
    footer = page.text[page.text.index("<footer"):]
    assert "действовал с 16.07.2021 по 16.01.2023" in footer
    assert "утратил силу 17.01.2023" in footer


def test_the_footer_is_translated_in_kazakh(client: TestClient) -> None:
    client.cookies.set(security.LANG_COOKIE, "kk")
    page = client.get("/rules")
    footer = page.text[page.text.index("<footer"):]
    assert "16.07.2021" in footer and "16.01.2023" in footer
    assert "действовал с" not in footer


def test_a_rule_form_banners_an_answer_outside_the_editions_window(client: TestClient) -> None:
    inside = client.post("/rules/check.order_notice_due/evaluate", data={"issued": "2021-08-02"})
    assert inside.status_code == 200
    assert 'id="edition-banner"' not in inside.text
    outside = client.post("/rules/check.order_notice_due/evaluate", data={"issued": "2023-03-01"})
    assert outside.status_code == 200
    assert 'id="edition-banner"' in outside.text
    assert "Редакция не действовала на эти даты" in outside.text
    assert "16.07.2021" in outside.text and "16.01.2023" in outside.text


def test_a_proceeding_card_banners_steps_outside_the_editions_window(
        demo: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "today", lambda request: date(2021, 8, 10))
    client = client_for(demo)
    almaty = bearer(client, "almaty")
    from tests.support.web import web_login

    inside = open_one(client, almaty, "ТОО «Внутри»", day="2021-08-02")
    outside = open_one(client, almaty, "ТОО «Раньше»", day="2021-07-12")
    web_login(client, "almaty")
    assert 'id="edition-banner"' not in client.get(f"/checks/{inside['id']}").text
    card = client.get(f"/checks/{outside['id']}")
    assert card.status_code == 200
    assert 'id="edition-banner"' in card.text


def test_the_rule_form_speaks_russian_instead_of_field_keys_and_codes(client: TestClient) -> None:
    page = client.get("/rules/check.extension_petition_due").text
    assert "Последний день срока проверки" in page
    assert "Кому вносится ходатайство" in page
    assert '<option value="prosecutor_general">Генеральный Прокурор</option>' in page
    assert "<code>last_day</code>" not in page and "<code>addressee</code>" not in page
    text = main_text(page)
    assert ">prosecutor_general<" not in page and "regional_prosecutor" not in text.split("Схемы входа")[0]


def test_every_field_of_every_rule_has_a_russian_label_and_every_choice_a_label() -> None:
    from nadzor.rulebook.forms import rule_fields

    for rule in rules.REGISTRY.values():
        for f in rule_fields(rule):
            assert re.search(r"[а-яА-ЯёЁ]", f.label), (rule.id, f.name, f.label)
            assert all(code != label for code, label in f.options), (rule.id, f.name)


def test_suspensions_are_rows_of_dates_not_json(client: TestClient) -> None:
    page = client.get("/rules/check.last_day").text
    assert 'name="suspensions.from" type="date"' in page.replace('type="date" name="suspensions.from"',
                                                                'name="suspensions.from" type="date"')
    assert '<textarea id="f-suspensions"' not in page
    assert 'data-add-row="rows-suspensions"' in page
    answer = client.post("/rules/check.last_day/evaluate", data={
        "start": "2021-08-02",
        "suspensions.from": ["2021-08-05", "", "2021-08-20"], "suspensions.to": ["2021-08-09", "", ""],
    })
    assert answer.status_code == 200
    expected = rules.evaluate("check.last_day", {"start": "2021-08-02", "suspensions": [
        {"from": "2021-08-05", "to": "2021-08-09"}, {"from": "2021-08-20", "to": None}]})
    assert expected["result"]["suspended"] is True
    assert "Проверка приостановлена" in answer.text


def test_a_period_row_without_its_start_is_refused_naming_the_row_in_words(client: TestClient) -> None:
    answer = client.post("/rules/check.last_day/evaluate", data={
        "start": "2021-08-02", "suspensions.from": "", "suspensions.to": "2021-08-09"})
    assert answer.status_code == 422
    assert "Периоды приостановления, строка 1, «с»" in answer.text
    assert "<code>suspensions.0.from</code>" not in answer.text


def test_a_moment_is_a_date_time_picker_with_the_offset_of_almaty(client: TestClient) -> None:
    page = client.get("/rules/court.admin_arrest_review_due").text
    assert 'type="datetime-local" name="received_at.local"' in page
    assert '<option value="+06:00">' in page and '<option value="+05:00">' in page
    answer = client.post("/rules/court.admin_arrest_review_due/evaluate",
                         data={"received_at.local": "2022-03-01T10:00", "received_at.offset": "+05:00"})
    assert answer.status_code == 200, answer.text
    assert "02.03.2022 10:00 (UTC+05:00)" in answer.text
    assert rules.evaluate("court.admin_arrest_review_due", {"received_at": "2022-03-01T10:00:00+05:00"})[
        "result"]["due_at"] in answer.text


def test_the_signer_is_chosen_by_position_title(client: TestClient) -> None:
    page = client.get("/rules/court.appeal_signer").text
    assert "заместитель Генерального Прокурора</option>" in page
    answer = client.post("/rules/court.appeal_signer/evaluate", data={"signer.position": "prosecutor"})
    assert answer.status_code in (200, 422)
    assert "<th scope=\"row\">Вправе</th>" in answer.text or "Вход отклонён" in answer.text


def test_the_result_is_a_sentence_and_a_table_with_the_raw_json_behind_a_disclosure(client: TestClient) -> None:
    answer = client.post("/rules/check.order_notice_due/evaluate", data={"issued": "2021-08-02"})
    html = answer.text
    assert '<p class="explanation">' in html
    assert '<th scope="row">Срок — не позднее</th><td>05.08.2021</td>' in html
    assert "орган правовой статистики; проверяемый субъект" in html
    raw = html.index("<details><summary>Ответ (JSON)</summary>")
    assert html.index('class="result-table"') < raw
    assert "&#34;due&#34;: &#34;2021-08-05&#34;" in html[raw:] or '"due": "2021-08-05"' in html[raw:]


def test_the_rule_form_and_its_result_speak_kazakh_in_kazakh_mode(client: TestClient) -> None:
    client.cookies.set(security.LANG_COOKIE, "kk")
    page = client.get("/rules/check.extension_petition_due").text
    assert "Өтінішхат кімге енгізіледі" in page and "Кому вносится ходатайство" not in page
    answer = client.post("/rules/check.order_notice_due/evaluate", data={"issued": "2021-08-02"})
    assert '<th scope="row">Мерзімі — кешіктірмей</th><td>05.08.2021</td>' in answer.text
    refused = client.post("/rules/check.last_day/evaluate", data={
        "start": "2021-08-02", "suspensions.from": "", "suspensions.to": "2021-08-09"})
    assert "Тоқтата тұру кезеңдері, 1-жол, «бастап»" in refused.text
