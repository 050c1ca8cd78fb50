"""A prosecutor in a real browser (Playwright driving Debian's Chromium, SQLite) conducts an analysis
(issue 10): opens it from an item of an approved plan (R.11), sees its term with the days left (R.16),
requests information and sees the reply's deadline (R.13), marks the sources used (R.12), ends it with
the certificate's four parts (R.18), downloads the certificate with the sources in it, decides on a
petition to the Prosecutor General (R.23) and opens its check from the card, linked both ways; the
card and the register of requirements fit a 390 px phone without horizontal scrolling."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from nadzor.analyses import pages as pages_analyses
from nadzor.analyses import service as analyses
from nadzor.bootstrap import Platform
from nadzor.infra.context import cli_actor
from nadzor.org.service import office_by_code
from nadzor.web import security
from tests.e2e.checks.test_browser_proceedings import _no_horizontal_overflow, _option_value, _record
from tests.e2e.infra.test_browser import CHROMIUM, browser_page, server, sign_in  # noqa: F401  (fixtures)
from tests.support.analyses import CERTIFICATE, PETITION

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists() and __import__("os").environ.get("CI") != "true",
    reason="Debian's chromium is not installed (bash scripts/test installs it)",
)
TODAY = date(2026, 11, 25)
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"


def _approved_plan(platform: Platform) -> int:
    """An annual plan of the Almaty office with one item, approved by its prosecutor (R.11)."""
    actor = cli_actor()
    with platform.transaction() as session:
        office = office_by_code(session, "almaty_city")
        assert office is not None
        staff = {p["full_name"]: p["id"] for p in analyses.plan_approver_candidates(session, office.id or 0)}
        plan = analyses.do_create_plan(session, {"office_id": office.id, "year": 2026}, actor=actor, today=TODAY)
        plan = analyses.do_add_plan_item(session, plan["id"], {
            "version": plan["version"], "topic": "Соблюдение законодательства о закупках", "quarter": 4,
            "responsible_person_id": staff["Сарсенбаев Ильяс Муратович"]}, actor=actor, today=TODAY)
        plan = analyses.do_approve_plan(session, plan["id"], {"version": plan["version"],
                                                              "person_id": staff[ALMATY_HEAD], "date": "2026-10-01"},
                                        actor=actor, today=TODAY)
        return int(plan["id"])


def test_a_prosecutor_conducts_an_analysis_from_a_plan_item_to_a_petition_that_opens_a_check(
        browser_page, server: str, sqlite_demo: Platform, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    for module in (security, pages_analyses):
        monkeypatch.setattr(module, "today", lambda request: TODAY)
    plan_id = _approved_plan(sqlite_demo)
    page, problems = browser_page
    sign_in(page, server, "almaty")
    page.goto(f"{server}/analyses/plans/{plan_id}")
    page.fill("input[name=date]", "2026-11-02")
    page.select_option("select[name=basis]", "monitoring")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "анализ проводится" in page.inner_text("main table")
    with page.expect_navigation():
        page.click("main table a")
    assert re.search(r"/analyses/\d+$", page.url), page.url
    card = page.url
    assert page.inner_text("#status") == "анализ проводится"
    deadlines = page.inner_text("#deadlines")  # R.16: 30 calendar days from the start, 6 left on 25.11
    assert "01.12.2026" in deadlines and re.search(r"01\.12\.2026\s+\d+\s+6", deadlines), deadlines

    _record(page, "info_requested", {"date": "2026-11-03", "addressee": "state_body"})
    deadlines = page.inner_text("#deadlines")
    assert "18.11.2026" in deadlines and "просрочен" in deadlines  # R.13: 15 calendar days, no reply yet

    page.check("#source-statistics")
    page.fill("#source-statistics-note", "форма 1-П за 2025 год")
    page.check("#source-court_acts")
    with page.expect_navigation():
        page.click("#sources button[type=submit]")
    assert page.is_checked("#source-statistics") and not page.is_checked("#source-media")

    _record(page, "ended", {"date": "2026-11-20", "details-topic": CERTIFICATE["topic"],
                            "details-period_from": CERTIFICATE["period_from"],
                            "details-period_to": CERTIFICATE["period_to"], "details-findings": CERTIFICATE["findings"],
                            "details-statistics": CERTIFICATE["statistics"],
                            "details-conclusions": CERTIFICATE["conclusions"]})
    assert "Шаг не записан" in page.inner_text("#refusal")  # R.18: parts 3 (causes) and 4 missing
    assert "(ч. 4)" in page.inner_text("#refusal")
    page.fill("#ended-details-causes", CERTIFICATE["causes"])
    page.fill("#ended-details-proposals", CERTIFICATE["proposals"])
    with page.expect_navigation():
        page.click("#form-ended button[type=submit]")
    assert page.inner_text("#status") == "анализ окончен, справка составлена"
    assert CERTIFICATE["proposals"] in page.inner_text("#certificate")

    with page.expect_download() as download:
        page.click("#documents a[href*='analysis_certificate'][href*='format=docx']")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert "статистические данные — форма 1-П за 2025 год" in text and CERTIFICATE["statistics"] in text

    head = _option_value(page, "#decision-signer", ALMATY_HEAD)
    _record(page, "decision", {"date": "2026-11-23", "decision": "gp_petition", "signer": head,
                               **{f"details-{k}": v for k, v in PETITION.items()}})
    with page.expect_navigation():
        page.click("#petitions a")
    assert "/checks/new?origin_analysis=" in page.url
    assert page.input_value("#opened-subject_name") == PETITION["subject_name"]
    assert page.input_value("#opened-subject_kind") == "business"
    page.wait_for_selector("#admissibility >> text=требуется ходатайство Генеральному Прокурору")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/checks/\d+$", page.url), page.url
    assert page.inner_text("#status") == "ожидает ходатайства Генеральному Прокурору"
    with page.expect_navigation():
        page.click("#origin-analysis a")
    assert page.url == card
    assert "проверка" in page.inner_text("#petitions")

    page.set_viewport_size({"width": 390, "height": 900})
    for path in (card.removeprefix(server), "/analyses/requirements"):
        page.goto(f"{server}{path}")
        assert _no_horizontal_overflow(page), path
    # the one refused form answered 409 on purpose (the browser logs it); nothing else went wrong
    assert [p for p in problems if "status of 409" not in p] == []
