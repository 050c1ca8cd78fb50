"""Issue 7 §6 in a real browser (Playwright driving Debian's Chromium, the whole demo on SQLite):
every page of the walk — every menu page, the forms, a card of each kind, an error page, a
confirmation — fits a 390 px phone and a 1366 px laptop without horizontal scrolling and has no
axe-core violation of impact serious or critical (axe-core vendored in tests/support/vendor);
the menu collapses on a phone and the skip link leads to the content."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from nadzor.bootstrap import Platform
from nadzor.web.app import create_app
from tests.e2e.infra.test_browser import ARGS, CHROMIUM, sign_in

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed (bash scripts/test installs it)",
)
AXE = Path(__file__).resolve().parents[2] / "support" / "vendor" / "axe-4.12.1.min.js"
WIDTHS = (390, 1366)
MENU_PAGES = [
    "/", "/checks", "/acts", "/evaluations", "/analyses", "/sections/checks", "/sections/analysis",
    "/sections/evaluation", "/sections/acts", "/sections/civil", "/sections/administrative",
    "/sections/admin_offences", "/sections/cassation", "/sections/enforcement", "/analyses/plans",
    "/analyses/organizations", "/analyses/kui", "/analyses/obligations", "/rules", "/calendar", "/offices",
    "/people", "/acting", "/zones", "/users", "/audit", "/account",
]
FORM_PAGES = ["/acting/new", "/zones/new", "/people/new", "/offices/new", "/users/new", "/offices/import",
              "/checks/new", "/rules/check.last_day", "/rules/court.appeal_signer"]
CARD_PAGES = ["/offices/1", "/people/1", "/acting/1/delete"]
ERROR_PAGES = ["/no/such/page", "/people/abc", "/calendar?year=abc"]


@pytest.fixture
def full_server(sqlite_demo_full: Platform) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(sqlite_demo_full), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _serious(page: Any) -> list[str]:
    """axe-core's violations of impact serious or critical on the page, as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') stays in force.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _overflow(page: Any) -> str:
    """'' when nothing scrolls sideways, else the widest elements that stick out."""
    return str(page.evaluate("""() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return '';
      const out = [];
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.right > window.innerWidth + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
      }
      return out.slice(0, 8).join('; ');
    }"""))


def _card_paths(page: Any, base: str) -> list[str]:
    """The first card of each register (checks, acts, evaluations, analyses) of the demo."""
    paths = []
    for register in ("/checks", "/acts", "/evaluations", "/analyses"):
        page.goto(f"{base}{register}")
        link = page.locator(f"main table a[href^='{register}/']").first
        href = link.get_attribute("href") if link.count() else None
        assert href, register
        paths.append(href)
    return paths


def test_every_page_of_the_walk_fits_both_widths_and_passes_axe(chromium: Any, full_server: str) -> None:
    findings: list[str] = []
    errors: list[str] = []
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        sign_in(page, full_server, "admin")
        paths = MENU_PAGES + FORM_PAGES + CARD_PAGES + _card_paths(page, full_server) + ERROR_PAGES
        for path in paths:
            page.goto(f"{full_server}{path}")
            wide = _overflow(page)
            if wide:
                findings.append(f"{width}px {path}: scrolls sideways: {wide}")
            findings += [f"{width}px {path}: {v}" for v in _serious(page)]
        context.close()
    assert errors == []
    assert not findings, "\n".join(findings)


def test_the_menu_collapses_on_a_phone_and_the_skip_link_leads_to_the_content(chromium: Any,
                                                                              full_server: str) -> None:
    phone = chromium.new_page(viewport={"width": 390, "height": 800})
    sign_in(phone, full_server, "admin")
    phone.goto(f"{full_server}/people")
    assert not phone.locator("nav.side").is_visible()
    phone.click("details.menu > summary")
    assert phone.locator("nav.side").is_visible()
    assert phone.locator("nav.side a[aria-current='page']").inner_text() == "Сотрудники"
    laptop = chromium.new_page(viewport={"width": 1366, "height": 900})
    sign_in(laptop, full_server, "admin")
    laptop.goto(f"{full_server}/people")
    assert laptop.locator("nav.side").is_visible()
    laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.activeElement.className") == "skip-link"
    laptop.keyboard.press("Enter")
    assert laptop.evaluate("document.activeElement.id") == "main"


def test_without_javascript_the_menu_is_there_and_a_cancellation_asks_first(chromium: Any, full_server: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, full_server, "admin")
    page.goto(f"{full_server}/acting")
    assert page.locator("nav.side").is_visible()  # served open: usable without the script
    page.locator("form[action$='/delete'] button").first.click()
    page.wait_for_load_state()
    assert "Отменить исполнение обязанностей?" in page.inner_text("main h1")
    page.click("main >> text=Нет, вернуться")
    page.wait_for_url(f"{full_server}/acting")
    context.close()
