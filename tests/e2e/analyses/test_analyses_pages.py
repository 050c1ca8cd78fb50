"""The analyses pages (issue 10) on SQLite: the plan from its form to an analysis opened by an item
(R.11), the organizations directory refusing a bad BIN with the field's message and storing nothing,
the КУИ register with its filters, CSV link and reconciliation months (R.20), the reporting calendar
with overdue obligations (R.5–9, I.70), and the Kazakh interface. The clock is frozen."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from nadzor.analyses import api as api_analyses
from nadzor.analyses import pages as pages_analyses
from nadzor.bootstrap import Platform
from tests.support.web import bearer, client_for, office_id, person_id, web_login

TODAY = date(2026, 11, 25)


@pytest.fixture
def client(sqlite_demo: Platform, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(pages_analyses, "today", lambda request: TODAY)
    monkeypatch.setattr(api_analyses, "today", lambda request: TODAY)
    return client_for(sqlite_demo)


def test_every_analyses_page_answers_for_a_signed_in_user_and_sends_others_to_sign_in(client: TestClient) -> None:
    pages = {"/analyses/plans": "Планы анализов", "/analyses/organizations": "Организации",
             "/analyses/kui": "Книга учёта информации", "/analyses/obligations": "Периодическая информация"}
    for url in pages:
        assert client.get(url).status_code == 303
    web_login(client, "almaty")
    for url, heading in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"<h1>{heading}</h1>" in response.text


def test_r11_a_plan_is_made_filled_approved_and_its_item_opens_an_analysis_through_the_forms(
        client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    headers = bearer(client, "almaty")
    office = office_id(client, headers, "almaty_city")
    made = client.post("/analyses/plans", data={"csrf_token": csrf, "office_id": str(office), "year": "2026",
                                                "quarter": "4"})
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    match = re.fullmatch(r"/analyses/plans/(\d+)", url)
    assert match is not None
    page = client.get(url)
    assert "План анализов на 4-й квартал 2026 года" in page.text
    prosecutor = person_id(client, headers, "Сарсенбаев Ильяс Муратович")
    wrong = client.post(f"{url}/items", data={"csrf_token": csrf, "version": "1", "topic": "Закупки",
                                              "responsible_person_id": str(prosecutor), "quarter": "1"})
    assert wrong.status_code == 422
    assert "quarter" in wrong.text
    added = client.post(f"{url}/items", data={"csrf_token": csrf, "version": "1", "topic": "Закупки",
                                              "responsible_person_id": str(prosecutor), "quarter": "4"})
    assert added.status_code == 303, added.text
    refused = client.post(f"{url}/approval", data={"csrf_token": csrf, "version": "2",
                                                   "person_id": str(prosecutor), "date": "2026-10-01"})
    assert refused.status_code == 409
    assert "не вправе утверждать план анализов" in refused.text
    head = person_id(client, headers, "Нурпеисов Канат Жаксылыкович")
    approved = client.post(f"{url}/approval", data={"csrf_token": csrf, "version": "2", "person_id": str(head),
                                                    "date": "2026-10-01"})
    assert approved.status_code == 303, approved.text
    item_id = client.get(f"/api/v1/analysis-plans/{match.group(1)}", headers=headers).json()["items"][0]["id"]
    opened = client.post(f"{url}/items/{item_id}/analysis", data={"csrf_token": csrf, "date": "2026-10-05",
                                                                  "basis": "monitoring"})
    assert opened.status_code == 303, opened.text
    page = client.get(url)
    assert re.search(r"almaty_city/АН-2026-\d{6}", page.text)
    assert "анализ проводится" in page.text


def test_r13_a_bad_bin_is_refused_on_the_organizations_page_with_its_field_and_nothing_is_stored(
        client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    refused = client.post("/analyses/organizations", data={"csrf_token": csrf, "name": "Акимат",
                                                           "bin": "123456789012", "kind": "state_body"})
    assert refused.status_code == 422
    assert "<li>БИН: БИН — 12 цифр с верным контрольным разрядом</li>" in refused.text
    assert "<code>" not in refused.text  # the field named in words, never by its key
    assert 'value="Акимат"' in refused.text
    page = client.get("/analyses/organizations", params={"q": "акимат"})
    assert "Ничего не найдено" in page.text


def test_r20_the_kui_page_filters_exports_and_shows_missing_reconciliations(client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    office = office_id(client, bearer(client, "almaty"), "almaty_city")
    recorded = client.post("/analyses/kui/reconciliations", data={
        "csrf_token": csrf, "office_id": str(office), "year": "2026", "month": "10", "reconciled_with": "ДП",
        "reconciled_by": "Сарсенбаев И. М.", "reconciled_on": "2026-11-02", "discrepancies": "нет расхождений"})
    assert recorded.status_code == 303, recorded.text
    page = client.get(recorded.headers["location"])
    assert "нет расхождений" in page.text
    assert page.text.count("сверка не проведена") == 9  # January–September; October recorded, November open
    filtered = client.get("/analyses/kui", params={"office_id": office, "year": 2026, "transferred": "no"})
    assert f"/api/v1/kui-materials?office_id={office}&amp;year=2026&amp;transferred=false&amp;sort=-registered_on" \
           "&amp;format=csv" in filtered.text
    assert "?office_id=" in filtered.text and "sort=number" in filtered.text
    bad = client.post("/analyses/kui", data={"csrf_token": csrf, "proceeding_id": "999999", "step": "0",
                                             "number": "1", "registered_on": "2026-11-01", "summary": "—"})
    assert bad.status_code == 422
    assert "<li>Номер производства (id анализа или проверки): нет анализа или проверки 999999" in bad.text


def test_r5_i70_the_reporting_calendar_flags_overdue_obligations_and_records_a_report(client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    office = office_id(client, bearer(client, "almaty"), "almaty_city")
    page = client.get("/analyses/obligations", params={"office_id": office, "year": 2026})
    assert "Паспорт региона и информация о состоянии законности" in page.text
    overdue = page.text.count("просрочено</strong>")
    assert overdue > 0
    done = client.post("/analyses/obligations/R5.entrepreneurs/2026-07-01/report",
                       data={"csrf_token": csrf, "office_id": str(office), "report_date": "2026-10-05"})
    assert done.status_code == 303, done.text
    after = client.get(done.headers["location"])
    assert after.text.count("просрочено</strong>") == overdue - 1
    future = client.post("/analyses/obligations/R5.entrepreneurs/2026-10-01/report",
                         data={"csrf_token": csrf, "office_id": str(office), "report_date": "2026-12-01"})
    assert future.status_code == 422
    assert "<li>Дата представления: дата ещё не наступила</li>" in future.text


def test_the_analyses_pages_speak_kazakh(client: TestClient) -> None:
    web_login(client, "almaty")
    client.cookies.set("nadzor_lang", "kk")
    page = client.get("/analyses/plans")
    assert "Талдау жоспарлары" in page.text
    assert "Ақпаратты есепке алу кітабы" in page.text
