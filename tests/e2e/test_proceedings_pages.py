"""The pages of proceedings through the web session (issue 8 §5, web) on SQLite and PostgreSQL: the
register's filters, sort, pages and CSV/XLSX export (formula cells defused), the card (timeline,
deadlines with days left, step forms with field-keyed errors and refusals, withdrawal), the form of a
new check (BIN/IIN check digit, admissibility as the user types) and the Kazakh interface."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from nadzor.proceedings import KINDS
from nadzor.web import security
from nadzor.web.listing import safe_cell
from nadzor.web.proceeding_labels import COLLECTION_TITLES, step_label, unknown_widgets, widgets
from tests.e2e.test_proceedings_api import DEPUTY, HEAD, MEDEU, opened_check, record
from tests.support.analyses import RAPPORT_FORM
from tests.support.checks import resolution
from tests.support.web import bearer, client_for, office_id, person_id, web_login

TODAY = date(2021, 8, 10)
VALID_BIN = "980400300106"


@pytest.fixture
def client(demo: Platform, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(security, "today", lambda request: TODAY)
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def open_one(client: TestClient, headers: dict[str, str], subject: str, day: str = "2021-08-02",
             office: str = MEDEU) -> dict[str, Any]:
    response = client.post("/api/v1/checks", headers=headers, json={
        "office_id": office_id(client, headers, office), "step": opened_check(day),
        "details": {"subject_name": subject}})
    assert response.status_code == 201, response.text
    return dict(response.json())


def started(client: TestClient, headers: dict[str, str], subject: str) -> dict[str, Any]:
    """A check of Medeu through `started` on 03.08.2021: `check_end` due 01.09.2021."""
    item = open_one(client, headers, subject)
    head = person_id(client, headers, HEAD)
    for step in ({"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                  "start_date": "2021-08-03", "end_date": "2021-09-01"},
                 {"type": "registered", "date": "2021-08-02", "number": "21-08-0001"},
                 {"type": "started", "date": "2021-08-03"}):
        response = record(client, headers, item, step)
        assert response.status_code == 201, response.text
        item = response.json()
    return item


def numbers(html: str) -> list[str]:
    return re.findall(r'href="/checks/\d+">([^<]+)</a>', html)


def main_text(html: str) -> str:
    body = html[html.index("<main"):html.index("</main>")]
    body = re.sub(r'<nav class="breadcrumbs".*?</nav>', " ", body, flags=re.S)  # the shell's, not the page's
    body = re.sub(r"<option[^>]*>[^<]*</option>", " ", body)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# ------------------------------------------------------------------------------------ register


def test_the_register_filters_by_subject_status_period_office_subtree_and_overdue(
        client: TestClient, almaty: dict[str, str]) -> None:
    a = started(client, almaty, "Управление образования г. Алматы")
    b = open_one(client, almaty, "ТОО «Алматы Су»", day="2021-08-05")
    c = open_one(client, almaty, "Акимат Медеуского района", day="2021-07-20")
    web_login(client, "almaty")
    everything = client.get("/checks")
    assert everything.status_code == 200
    assert numbers(everything.text) == [b["number"], a["number"], c["number"]]  # newest first
    # subject text, case-insensitively in Cyrillic on both backends
    assert numbers(client.get("/checks", params={"q": "управление"}).text) == [a["number"]]
    assert numbers(client.get("/checks", params={"status": "in_progress"}).text) == [a["number"]]
    period = client.get("/checks", params={"opened_from": "2021-08-01", "opened_to": "2021-08-03"})
    assert numbers(period.text) == [a["number"]]
    city = office_id(client, almaty, "almaty_city")
    assert len(numbers(client.get("/checks", params={"office_id": city}).text)) == 3  # with the districts
    assert numbers(client.get("/checks", params={"office_id": city, "exact": "1"}).text) == []
    # `check_end` of a is due 01.09.2021: 15 working days after 10.08.2021, not overdue yet
    assert numbers(client.get("/checks", params={"overdue": "1"}).text) == []
    assert numbers(client.get("/checks", params={"due_within": "30"}).text) == [a["number"]]
    assert numbers(client.get("/checks", params={"due_within": "5"}).text) == []
    # the one with a deadline first, the others after it on both backends (no due: last)
    by_due = numbers(client.get("/checks", params={"sort": "next_due", "dir": "asc"}).text)
    assert by_due[0] == a["number"] and set(by_due[1:]) == {b["number"], c["number"]}
    assert numbers(client.get("/checks", params={"sort": "office", "dir": "asc"}).text)[0] in (
        a["number"], b["number"], c["number"])


def test_the_register_filters_by_basis_and_by_assignee_in_the_page_the_api_and_the_export(
        client: TestClient, almaty: dict[str, str]) -> None:
    """Issue 8 §5: the basis of the opening step (I.7, I.11) and a person among the current assignees
    (I.13, I.15: the latest resolution or change of composition), as SQL conditions on both backends."""
    head, deputy = person_id(client, almaty, HEAD), person_id(client, almaty, DEPUTY)
    a = started(client, almaty, "Управление образования г. Алматы")  # assignees: one specialist
    b = open_one(client, almaty, "Акимат Медеуского района")
    b_step = opened_check() | {"basis": "admin_arrest", "regime": "admin_offence"}
    c = client.post("/api/v1/checks", headers=almaty, json={
        "office_id": office_id(client, almaty, MEDEU), "step": b_step,
        "details": {"subject_name": "Спецприёмник ДП г. Алматы"}}).json()
    signed = record(client, almaty, b, {"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                                        "start_date": "2021-08-03", "end_date": "2021-09-01"},
                    resolution(assignees=[deputy]))
    assert signed.status_code == 201, signed.text
    web_login(client, "almaty")
    assert numbers(client.get("/checks", params={"basis": "admin_arrest"}).text) == [c["number"]]
    assert set(numbers(client.get("/checks", params={"basis": "protect_rights"}).text)) == {a["number"], b["number"]}
    assert numbers(client.get("/checks", params={"assignee_id": str(deputy)}).text) == [b["number"]]
    assert numbers(client.get("/checks", params={"assignee_id": str(head)}).text) == []
    page = client.get("/checks", params={"basis": "admin_arrest"})
    assert 'id="f-basis"' in page.text and 'id="f-assignee_id"' in page.text
    bad = client.get("/checks", params={"basis": "nonsense", "assignee_id": "x"})
    assert bad.status_code == 422
    assert 'href="#f-basis">Основание: выберите значение из списка' in bad.text and 'href="#f-assignee_id"' in bad.text
    exported = client.get("/checks/export", params={"format": "csv", "assignee_id": str(deputy)})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [b["number"]]
    api = client.get("/api/v1/checks", headers=almaty, params={"basis": "admin_arrest"}).json()
    assert [i["number"] for i in api["items"]] == [c["number"]]
    # a change of composition replaces the assignees: the deputy no longer, the head now
    item = client.get(f"/api/v1/checks/{b['id']}", headers=almaty).json()
    for step, details in (({"type": "registered", "date": "2021-08-02", "number": "21-08-0002"}, None),
                          ({"type": "started", "date": "2021-08-03"}, None),
                          ({"type": "composition_changed", "date": "2021-08-05", "signer_person_id": head},
                           {"assignees": [head]})):
        answer = record(client, almaty, item, step, details)
        assert answer.status_code == 201, answer.text
        item = answer.json()
    by = client.get("/api/v1/checks", headers=almaty, params={"assignee_id": deputy}).json()
    assert by["total"] == 0
    by_head = client.get("/api/v1/checks", headers=almaty, params={"assignee_id": head}).json()
    assert [i["number"] for i in by_head["items"]] == [b["number"]]
    wrong = client.get("/api/v1/checks", headers=almaty, params={"basis": "nonsense"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "basis"
    # the API takes the page's other filters too: subject text, subtree, period, due within, sort (its
    # «today» is the platform's clock, after these 2021 deadlines: none is due within 30 working days)
    city = office_id(client, almaty, "almaty_city")
    api_page = client.get("/api/v1/checks", headers=almaty, params={
        "q": "управление", "office_id": city, "subtree": "true", "opened_from": "2021-08-01",
        "opened_to": "2021-08-03", "sort": "subject", "descending": "false"}).json()
    assert client.get("/api/v1/checks", headers=almaty, params={"due_within": 30}).json()["total"] == 0
    assert [i["number"] for i in api_page["items"]] == [a["number"]]
    by_subject = client.get("/api/v1/checks", headers=almaty, params={"sort": "subject", "descending": "false"}).json()
    assert [i["subject"] for i in by_subject["items"]] == sorted(i["subject"] for i in by_subject["items"])
    assert client.get("/api/v1/checks", headers=almaty, params={"sort": "nonsense"}).status_code == 422


def test_an_empty_register_says_so_and_bad_filters_are_shown_against_their_inputs(
        client: TestClient, almaty: dict[str, str]) -> None:
    open_one(client, almaty, "Управление образования г. Алматы")
    web_login(client, "almaty")
    empty = client.get("/checks", params={"q": "нет такого субъекта"})
    assert empty.status_code == 200
    assert 'id="empty"' in empty.text and "Ничего не найдено" in empty.text
    bad = client.get("/checks", params={"opened_from": "2021-13-01", "due_within": "x"})
    assert bad.status_code == 422
    assert 'href="#f-opened_from">Начато с: ожидается дата' in bad.text
    assert 'id="f-opened_from" type="date" name="opened_from" value="2021-13-01" aria-invalid="true" ' \
           'aria-describedby="f-opened_from-error"' in bad.text
    assert 'href="#f-due_within"' in bad.text


def test_the_register_sorts_by_a_column_and_pages_with_numbered_links(
        client: TestClient, almaty: dict[str, str]) -> None:
    made = [open_one(client, almaty, f"Субъект {n:02d}", day=f"2021-08-{n:02d}") for n in range(1, 24)]
    web_login(client, "almaty")
    first = client.get("/checks", params={"sort": "subject", "dir": "asc"})
    assert numbers(first.text) == [m["number"] for m in made[:20]]
    assert 'aria-sort="ascending"' in first.text
    assert 'aria-current="page">1<' in first.text and "page=2" in first.text
    second = client.get("/checks", params={"sort": "subject", "dir": "asc", "page": "2"})
    assert numbers(second.text) == [m["number"] for m in made[20:]]
    past_the_end = client.get("/checks", params={"sort": "subject", "dir": "asc", "page": "9"})
    assert past_the_end.status_code == 303 and "page=2" in past_the_end.headers["location"]
    descending = client.get("/checks", params={"sort": "subject", "dir": "desc", "size": "50"})
    assert numbers(descending.text) == [m["number"] for m in reversed(made)]
    assert "page=2" not in descending.text


def test_the_export_holds_the_filtered_rows_in_csv_and_xlsx_with_formulas_defused(
        client: TestClient, almaty: dict[str, str]) -> None:
    from openpyxl import load_workbook

    evil = open_one(client, almaty, "=HYPERLINK(\"http://example.invalid\")")
    open_one(client, almaty, "Управление образования г. Алматы", day="2021-08-03")
    web_login(client, "almaty")
    response = client.get("/checks/export", params={"format": "csv", "q": "hyperlink"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Номер", "Прокуратура", "Субъект", "Статус"]
    assert len(rows) == 2
    assert rows[1][0] == evil["number"]
    assert rows[1][2] == "'=HYPERLINK(\"http://example.invalid\")"
    assert rows[1][3] == "проверка допустима" and rows[1][4] == "02.08.2021"
    book = client.get("/checks/export", params={"format": "xlsx"})
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 3
    assert {values[1][2], values[2][2]} == {"'=HYPERLINK(\"http://example.invalid\")",
                                            "Управление образования г. Алматы"}
    assert client.get("/checks/export", params={"format": "pdf"}).status_code == 422


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote() -> None:
    for text in ("=1+1", "+7", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Акимат") == "Акимат"
    assert safe_cell("") == ""


# ------------------------------------------------------------------------------------ the card


def test_the_card_shows_the_timeline_the_deadline_with_days_left_and_the_allowed_steps(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    web_login(client, "almaty")
    page = client.get(f"/checks/{item['id']}")
    assert page.status_code == 200
    text = main_text(page.text)
    assert "Постановление о производстве проверки — 02.08.2021" in text
    assert "Подписал: прокурор района" in text
    assert "Регистрационный номер: 21-08-0001" in text
    assert "проверка проводится" in text
    # check_end: 01.09.2021; from 10.08.2021 that is 22 calendar days and 15 working days (30.08 is
    # Constitution Day)
    assert re.search(r"окончание проверки 01\.09\.2021 15 22", text), text
    assert "просрочен " not in text
    for step in ("Вручение постановления субъекту", "Приостановление проверки", "Ходатайство о продлении",
                 "Окончание проверки"):
        assert step in text
    assert "resolution_signed" not in text and "check_end" not in text  # no codes on screen


def test_a_step_form_answers_422_keyed_to_its_fields_and_409_with_the_paragraph(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_one(client, almaty, "Управление образования г. Алматы")
    csrf = web_login(client, "almaty")
    url = f"/checks/{item['id']}/steps"
    missing = client.post(url, data={"csrf_token": csrf, "version": "1", "step_type": "resolution_signed",
                                     "start_date": "2021-08-03"})
    assert missing.status_code == 422
    assert 'href="#resolution_signed-date">Дата: обязательное поле не заполнено' in missing.text
    assert 'href="#resolution_signed-signer">Подписал: обязательное поле не заполнено' in missing.text
    assert '<select id="resolution_signed-signer" name="signer_person_id"' in missing.text
    assert 'id="resolution_signed-end_date" name="end_date" value="" type="date" aria-invalid="true"' in missing.text
    assert 'value="2021-08-03"' in missing.text  # what was typed stays
    deputy = person_id(client, almaty, DEPUTY)  # no longer acting for the head on 25.08.2021
    refused = client.post(url, data={"csrf_token": csrf, "version": "1", "step_type": "resolution_signed",
                                     "date": "2021-08-25", "signer_person_id": str(deputy),
                                     "start_date": "2021-08-26", "end_date": "2021-09-20"})
    assert refused.status_code == 409
    assert 'id="refusal"' in refused.text and "Инструкции" in main_text(refused.text)
    signed = {"csrf_token": csrf, "version": "1", "step_type": "resolution_signed", "date": "2021-08-02",
              "signer_person_id": str(deputy), "start_date": "2021-08-03", "end_date": "2021-09-01"}
    incomplete = client.post(url, data=signed | {"details.topic": "соблюдение прав детей"})
    assert incomplete.status_code == 422  # what the resolution states is checked at entry (issue 8 §2, I.13)
    text = main_text(incomplete.text)
    assert "Кому поручена проверка: обязательная часть не указана" in text
    assert 'href="#resolution_signed-details-assignees"' in incomplete.text
    assert 'value="соблюдение прав детей"' in incomplete.text  # what was typed stays
    parts = {f"details.{k}": v for k, v in resolution().items() if k != "assignees"}
    acting = client.post(url, data=signed | parts | {"details.assignees": str(person_id(client, almaty, HEAD))})
    assert acting.status_code == 303, main_text(acting.text)
    card = main_text(client.get(f"/checks/{item['id']}").text)
    assert "Подписал: заместитель прокурора района" in card and "и.о. прокурор района" in card
    stale = client.post(url, data={"csrf_token": csrf, "version": "1", "step_type": "registered",
                                   "date": "2021-08-02", "number": "5"})
    assert stale.status_code == 409
    no_csrf = client.post(url, data={"version": "2", "step_type": "registered", "date": "2021-08-02",
                                     "number": "5"})
    assert no_csrf.status_code == 403


def test_the_last_step_is_withdrawn_only_with_a_reason_and_confirmation_and_stays_struck_through(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    csrf = web_login(client, "almaty")
    url = f"/checks/{item['id']}/withdrawal"
    unconfirmed = client.post(url, data={"csrf_token": csrf, "version": str(item["version"]),
                                         "reason": "дата начала указана ошибочно"})
    assert unconfirmed.status_code == 422
    assert 'href="#withdraw-confirm">Подтверждение: подтвердите отзыв шага' in unconfirmed.text
    done = client.post(url, data={"csrf_token": csrf, "version": str(item["version"]), "confirm": "on",
                                  "reason": "дата начала указана ошибочно"})
    assert done.status_code == 303
    page = client.get(f"/checks/{item['id']}").text
    assert re.search(r'<li class="withdrawn">\s*<del>\s*<strong>Начало проверки</strong>', page)
    assert "Отозван: дата начала указана ошибочно" in page
    assert "Внёс: Нурпеисов Канат Жаксылыкович" in page  # the account's person, not its login
    assert "постановление зарегистрировано" in main_text(page)


# ------------------------------------------------------------------------------------ a new check


def test_a_new_check_checks_the_bin_and_opens_with_its_first_step(client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    admin = bearer(client, "almaty")
    form = {"csrf_token": csrf, "office_id": str(office_id(client, admin, MEDEU)), "subject_name": "ТОО «Тест»",
            "bin_iin": "980400300107", "date": "2021-08-02", "subject_kind": "state_body",
            "basis": "protect_rights", "protected_interest": "vulnerable_persons", "control_body_failed": "on"}
    bad = client.post("/checks/new", data=form)
    assert bad.status_code == 422
    assert 'href="#opened-bin_iin">БИН/ИИН: БИН/ИИН — 12 цифр с верным контрольным разрядом' in bad.text
    assert 'value="ТОО «Тест»"' in bad.text
    assert client.get("/api/v1/checks", headers=admin).json()["total"] == 0
    made = client.post("/checks/new", data=form | {"bin_iin": VALID_BIN})
    assert made.status_code == 303
    card = client.get(made.headers["location"])
    assert "проверка допустима" in card.text and "ТОО «Тест»" in card.text
    stored = client.get("/api/v1" + made.headers["location"], headers=admin).json()
    assert stored["steps"][0]["details"]["subject_bin_iin"] == VALID_BIN  # stored under its resolution name
    assert f"<dt>БИН/ИИН</dt><dd>{VALID_BIN}</dd>" in card.text


def test_admissibility_is_evaluated_as_the_user_types(client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    url = "/checks/new/admissibility"
    assert "Выберите вид субъекта" in client.post(url, data={"csrf_token": csrf}).text
    business = client.post(url, data={"csrf_token": csrf, "subject_kind": "business", "basis": "protect_rights"})
    assert "требуется ходатайство Генеральному Прокурору" in business.text
    state = client.post(url, data={"csrf_token": csrf, "subject_kind": "state_body", "basis": "protect_rights",
                                   "protected_interest": "vulnerable_persons", "control_body_failed": "on"})
    assert "Проверка допустима" in state.text
    assert 'hx-post="/checks/new/admissibility"' in client.get("/checks/new").text


FIRST_STEPS: dict[str, dict[str, Any]] = {
    "checks": {"subject_kind": "state_body", "basis": "president_instruction"},
    "acts": {"act_type": "protest", "content": ["legal_essence", "norms"]},
    "evaluations": {"context": "complaint", "act_kind": "normative", "details.adopting_body": "Маслихат"},
    "analyses": {"via": "rapport", "basis": "monitoring", "signer_person_id": HEAD, **RAPPORT_FORM},
}


@pytest.mark.parametrize("collection", list(COLLECTION_TITLES))
def test_every_collection_opens_one_through_its_form_and_shows_its_card_and_register(
        client: TestClient, almaty: dict[str, str], collection: str) -> None:
    csrf = web_login(client, "almaty")
    new = client.get(f"/{collection}/new")
    assert new.status_code == 200
    step = dict(FIRST_STEPS[collection])
    if "signer_person_id" in step:
        step["signer_person_id"] = str(person_id(client, almaty, step["signer_person_id"]))
    made = client.post(f"/{collection}/new", data={
        "csrf_token": csrf, "office_id": str(office_id(client, almaty, MEDEU)), "subject_name": "Акимат",
        "date": "2021-08-02", **step})
    assert made.status_code == 303, main_text(made.text)
    card = client.get(made.headers["location"])
    assert card.status_code == 200
    assert 'class="step-form"' in card.text  # its next steps are offered as forms
    register = client.get(f"/{collection}")
    assert "Акимат" in register.text


# ------------------------------------------------------------------------------------ Kazakh


def test_the_register_and_card_speak_kazakh(client: TestClient, almaty: dict[str, str]) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    web_login(client, "almaty")
    client.cookies.set("nadzor_lang", "kk")
    register = client.get("/checks")
    assert "<h1>Тексерулер</h1>" in register.text
    assert "Показать" not in register.text and "Сбросить" not in register.text
    card = client.get(f"/checks/{item['id']}").text
    assert "Ашық мерзімдер" in card and "Открытые сроки" not in card
    assert '<strong id="status">тексеру жүргізілуде</strong>' in card
    assert "<strong>Тексерудің басталуы</strong>" in card and "Начало проверки" not in card
    assert "тексерудің аяқталуы" in card and "01.09.2021" in card
    assert "Тексеруді тоқтата тұру" in card  # the next steps' forms


# ------------------------------------------------------------------------------------ forms


def test_every_step_field_of_every_kind_has_a_widget_and_labels() -> None:
    assert unknown_widgets() == []
    for kind in KINDS.values():
        for spec in kind.steps.values():
            for w in widgets(kind, spec):
                assert w.label != w.name, f"{kind.name}.{spec.name}.{w.name}"
                assert all(code != label for code, label in w.options), f"{kind.name}.{spec.name}.{w.name}"


def test_the_kazakh_catalog_translates_every_message_of_the_interface() -> None:
    """Every message the templates and the proceedings' pages mark, and every status and step label of
    the kinds, is in the catalog, translated."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    import nadzor.web

    web = Path(nadzor.web.__file__).parent
    method_map = [("**.html", "jinja2"), ("**/proceeding_labels.py", "python"), ("**/pages_proceedings.py", "python"),
                  ("**/rule_labels.py", "python"), ("**/rule_forms.py", "python"), ("**/ui_labels.py", "python"),
                  ("**/pages.py", "python"), ("**/listing.py", "python"), ("**/audit_view.py", "python"),
                  ("**/pages_org.py", "python"), ("**/pages_audit.py", "python"),
                  ("**/pages_analyses.py", "python"), ("**/pages_acts.py", "python")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    found = {m[2] for m in extract_from_dir(str(web), method_map, options)}
    for kind in KINDS.values():  # the kernel's labels are shown through the catalog too
        found |= set(kind.statuses.values()) | {step_label(kind, name) for name in kind.steps}
    with (web / "locale" / "kk" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale="kk")
    untranslated = sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string
                                                  and not catalog.get(m).fuzzy))
    assert untranslated == []
