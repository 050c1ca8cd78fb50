"""A prosecutor in a real browser (Playwright driving Debian's Chromium, SQLite) opens an act of
supervision from a check's card (I.24), drafts it with its parts (I.58), records its issue and the data
bank entry through the card's forms (I.58, I.67), sees its open deadlines and status, filters the acts
register by origin and downloads the act's document (DOCX)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from nadzor.bootstrap import Platform
from nadzor.web import security
from tests.e2e.checks.test_browser_proceedings import _option_value, _record
from tests.e2e.infra.test_browser import CHROMIUM, browser_page, server, sign_in  # noqa: F401  (fixtures)
from tests.support.acts import MEDEU_HEAD, check_with_act_decision
from tests.support.web import bearer, client_for

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists() and __import__("os").environ.get("CI") != "true",
    reason="Debian's chromium is not installed (bash scripts/test installs it)",
)
TODAY = date(2026, 11, 25)


def test_a_prosecutor_opens_an_act_from_a_check_records_its_steps_and_downloads_it(
        browser_page, server: str, sqlite_demo: Platform, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(security, "today", lambda request: TODAY)
    api = client_for(sqlite_demo)
    check = check_with_act_decision(api, bearer(api, "almaty"))
    page, problems = browser_page
    sign_in(page, server, "almaty")
    page.goto(f"{server}/checks/{check['id']}")
    with page.expect_navigation():
        page.click("#open-act")
    assert "/acts/new" in page.url
    assert check["number"] in page.inner_text("#origin")
    page.select_option("#drafted-office_id", _option_value(page, "#drafted-office_id", "Медеуского"))
    page.fill("#drafted-subject_name", "Акимат Медеуского района")
    page.fill("#drafted-date", "2026-10-05")
    page.select_option("#drafted-act_type", "representation")
    for part in ("legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"):
        page.check(f"#drafted-content input[value={part}]")
        page.fill(f"#drafted-details-{part}", f"Текст раздела {part}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/acts/\d+$", page.url), page.url
    card = page.url
    assert page.inner_text("#status") == "проект акта"
    assert check["number"] in page.inner_text("#origin")

    head = _option_value(page, "#issued-signer", MEDEU_HEAD)
    _record(page, "issued", {"date": "2026-10-06", "signer": head, "response_due": "2026-11-05"})
    assert page.inner_text("#status") == "внесён"
    deadlines = page.inner_text("#deadlines")
    assert "05.11.2026" in deadlines and "просрочен" in deadlines  # the response is due before «today»
    assert "внесение в Банк данных" in deadlines
    _record(page, "databank_entered", {"date": "2026-10-07", "step": "1"})
    assert "внесение в Банк данных" not in page.inner_text("#deadlines")

    with page.expect_download() as download:
        page.click("#documents a:text('DOCX')")
    assert download.value.suggested_filename.endswith(".docx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"

    page.goto(f"{server}/checks/{check['id']}")
    assert page.locator(f"#acts a[href='{card.removeprefix(server)}']").count() == 1
    page.goto(f"{server}/acts?origin_kind=check")
    assert "Акимат Медеуского района" in page.inner_text("table.register")
    assert problems == []
