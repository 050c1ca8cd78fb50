"""A prosecutor in a real browser (Playwright driving Debian's Chromium, SQLite): opens a check through
the form (admissibility shown as they choose), records its steps through the card's forms up to
`started`, sees the deadline with days left, withdraws the last step; the register, the card and the
form fit a 390 px phone and a 1366 px laptop without horizontal scrolling."""

from __future__ import annotations

import re
from datetime import date

import pytest

from nadzor.web import security
from tests.e2e.test_browser import CHROMIUM, browser_page, server, sign_in  # noqa: F401  (fixtures)
from tests.e2e.test_proceedings_api import HEAD

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists() and __import__("os").environ.get("CI") != "true",
    reason="Debian's chromium is not installed (bash scripts/test installs it)",
)
TODAY = date(2021, 8, 10)


def _no_horizontal_overflow(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _option_value(page, select: str, text: str) -> str:  # type: ignore[no-untyped-def]
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    assert value, (select, text)
    return str(value)


def _record(page, step_type: str, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#form-{step_type} > summary")
    for name, value in fields.items():
        selector = f"#{step_type}-{name}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_navigation():
        page.click(f"#form-{step_type} button[type=submit]")


def test_a_prosecutor_opens_a_check_records_its_steps_and_withdraws_one(
        browser_page, server: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(security, "today", lambda request: TODAY)
    page, problems = browser_page
    sign_in(page, server, "almaty")
    page.click("nav.side >> text=Проверки")
    page.wait_for_url(f"{server}/checks")
    assert "Ничего не найдено" in page.inner_text("main")
    page.click("main >> text=Новая проверка")
    page.wait_for_url(f"{server}/checks/new")
    page.select_option("#opened-office_id", _option_value(page, "#opened-office_id", "Медеуского"))
    page.fill("#opened-subject_name", "Управление образования г. Алматы")
    page.fill("#opened-bin_iin", "980400300106")
    page.fill("#opened-date", "2021-08-02")
    page.select_option("#opened-subject_kind", "business")
    page.select_option("#opened-basis", "protect_rights")
    page.wait_for_selector("#admissibility >> text=требуется ходатайство Генеральному Прокурору")
    page.select_option("#opened-subject_kind", "state_body")
    page.check("#opened-protected_interest input[value=vulnerable_persons]")
    page.check("#opened-control_body_failed")
    page.wait_for_selector("#admissibility >> text=Проверка допустима")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/checks/\d+$", page.url), page.url
    assert page.inner_text("#status") == "проверка допустима"
    card = page.url

    head = _option_value(page, "#resolution_signed-signer", HEAD)
    _record(page, "resolution_signed", {"date": "2021-08-02", "signer": head, "start_date": "2021-08-03",
                                        "end_date": "2021-09-01", "details-number": "17",
                                        "details-topic": "соблюдение прав детей на образование",
                                        "details-period_from": "2020-01-01", "details-period_to": "2020-12-31",
                                        "details-assignees": head, "details-subject_location": "г. Алматы",
                                        "details-subject_rights_duties": "Права и обязанности разъяснены."})
    assert page.inner_text("#status") == "постановление подписано"
    _record(page, "registered", {"date": "2021-08-02"})  # the number forgotten: the field says so
    assert page.locator("#registered-number[aria-invalid=true]").count() == 1
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "registered-number"
    page.fill("#registered-number", "21-08-0001")
    with page.expect_navigation():
        page.click("#form-registered button[type=submit]")
    assert page.inner_text("#status") == "постановление зарегистрировано"
    _record(page, "started", {"date": "2021-08-03"})
    assert page.inner_text("#status") == "проверка проводится"
    deadlines = page.inner_text("#deadlines")
    assert "окончание проверки" in deadlines and "01.09.2021" in deadlines
    assert re.search(r"01\.09\.2021\s+15\s+22", deadlines), deadlines

    page.fill("#withdraw-reason", "дата начала указана ошибочно")
    page.check("#withdraw-confirm")
    with page.expect_navigation():
        page.click("#withdraw button[type=submit]")
    assert page.url.startswith(card)
    assert page.inner_text("#status") == "постановление зарегистрировано"
    withdrawn = page.locator("#timeline li.withdrawn")
    assert withdrawn.count() == 1
    assert "Начало проверки" in withdrawn.locator("del").inner_text()
    assert "дата начала указана ошибочно" in withdrawn.inner_text()
    assert "Открытых сроков нет" in page.inner_text("#deadlines")

    page.goto(f"{server}/checks")
    assert "Управление образования г. Алматы" in page.inner_text("table.register")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/checks", card.removeprefix(server), "/checks/new"):
            page.goto(f"{server}{path}")
            assert _no_horizontal_overflow(page), (width, path)
    # the one form answered 422 on purpose (the browser logs it); nothing else went wrong
    assert [p for p in problems if "status of 422" not in p] == []
    assert len(problems) == 1
