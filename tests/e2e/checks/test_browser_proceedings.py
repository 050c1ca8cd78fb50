"""A prosecutor in a real browser (Playwright driving Debian's Chromium, SQLite): opens a check through
the form (admissibility shown as they choose), records its steps through the card's forms up to
`started`, sees the deadline with days left, withdraws the last step; the register, the card and the
form fit a 390 px phone and a 1366 px laptop without horizontal scrolling."""

from __future__ import annotations

import re
from datetime import date

import pytest

from nadzor.web import security
from tests.e2e.casework.test_proceedings_api import HEAD, MEDEU
from tests.e2e.infra.test_browser import CHROMIUM, browser_page, server, sign_in  # noqa: F401  (fixtures)

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


def _started_check(platform) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A check of Medeu opened, its resolution signed by the district prosecutor (with the parts of I.13),
    registered and started on 03.08.2021: through the services, as an earlier session left it."""
    from sqlalchemy import select

    from nadzor.casework import service as stored
    from nadzor.infra.context import cli_actor
    from nadzor.org.tables import offices, people
    from tests.support.checks import resolution

    actor, cal = cli_actor(), platform.calendar()
    with platform.transaction() as session:
        office = session.execute(select(offices.c.id).where(offices.c.code == MEDEU)).scalar_one()
        head = session.execute(select(people.c.id).where(people.c.full_name == HEAD)).scalar_one()
        item = stored.do_open(session, "checks", {
            "office_id": office, "details": {"subject_name": "ГУ «Управление образования города Алматы»"},
            "step": {"type": "opened", "date": "2021-08-02", "subject_kind": "state_body", "basis": "protect_rights",
                     "protected_interest": ["vulnerable_persons"], "control_body_failed": True}},
            actor=actor, calendar=cal)
        for step, details in (({"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                                "start_date": "2021-08-03", "end_date": "2021-09-01"}, resolution(assignees=[head])),
                              ({"type": "registered", "date": "2021-08-02", "number": "21-08-0417"}, None),
                              ({"type": "started", "date": "2021-08-03"}, None)):
            item = stored.do_record_step(session, "checks", item["id"], {
                "version": item["version"], "step": step, **({"details": details} if details else {})},
                actor=actor, calendar=cal, today=TODAY)
    return int(item["id"]), str(item["number"])


def test_a_prosecutor_downloads_a_checks_documents_from_its_card_and_records_an_orm_resolution(
        browser_page, server: str, sqlite_demo, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Issue 8 §6: «download a document» in the browser — the card's DOCX and PDF links of the resolution
    on the check (I.13) give files naming the check; an operative-search resolution (I.19) entered through
    its form on the card is listed and its DOCX downloaded too."""
    import io
    from pathlib import Path

    import docx
    import pypdf

    monkeypatch.setattr(security, "today", lambda request: TODAY)
    check_id, number = _started_check(sqlite_demo)
    page, problems = browser_page
    sign_in(page, server, "almaty")
    page.goto(f"{server}/checks/{check_id}")
    row = page.locator("#documents li", has_text="Постановление о производстве проверки")
    with page.expect_download() as got:
        row.locator("a", has_text="DOCX").click()
    download = got.value
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(" ".join(p.text for p in document.paragraphs).split())
    for expected in ("ПОСТАНОВЛЕНИЕ о производстве проверки", "Управление образования города Алматы",
                     "№ 21-08-0417 от 02.08.2021", "03.08.2021", HEAD):
        assert expected in text, (expected, text)
    with page.expect_download(timeout=120_000) as got_pdf:
        row.locator("a", has_text="PDF").click()
    pdf = pypdf.PdfReader(io.BytesIO(Path(got_pdf.value.path()).read_bytes()))
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Управление образования" in pdf_text and "21-08-0417" in pdf_text, pdf_text

    city = _option_value(page, "#res-orm-signer_person_id", "Нурпеисов")
    page.click("#resolution-orm > summary")
    page.fill("#res-orm-date", "2021-08-05")
    page.select_option("#res-orm-signer_person_id", city)
    page.fill("#res-orm-grounds", "Сведения о хищении бюджетных средств")
    page.fill("#res-orm-results_form", "справка с материалами")
    page.fill("#res-orm-results_due", "2021-08-20")
    with page.expect_navigation():
        page.click("#resolution-orm button[type=submit]")
    assert "Сведения о хищении бюджетных средств" in page.inner_text("#resolutions")
    orm = page.locator("#documents li", has_text="оперативно-розыскных мероприятий")
    with page.expect_download() as got_orm:
        orm.locator("a", has_text="DOCX").click()
    orm_doc = docx.Document(io.BytesIO(Path(got_orm.value.path()).read_bytes()))
    orm_text = " ".join(" ".join(p.text for p in orm_doc.paragraphs).split())
    assert number in orm_text and "Сведения о хищении бюджетных средств" in orm_text and "20.08.2021" in orm_text
    assert problems == []
