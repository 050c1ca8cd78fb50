"""Issue 7 §6, what a walk through the UI found: confirmations of destructive actions naming the
record, no preselected consequential choices and a warning on an unusual acting assignment, GOV.UK
error summaries without field keys, styled error pages, Kazakh mode, the shell (skip link, menu,
breadcrumbs, print stylesheet), the calendar's covered years and today, changing one's own password."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nadzor.accounts.tables import web_sessions
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.domain.org import unusual_acting
from nadzor.org.tables import acting_assignments
from tests.support.web import PASSWORDS, bearer, client_for, web_login

FIELD_KEYS = ("person_id", "acting_for", "office_id", "date_from", "zone_office_id", "resolution_number")


def _count(platform: Platform, table) -> int:  # type: ignore[no-untyped-def]
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _visible_text(html: str) -> str:
    """The page's text as a user reads it (no tags, no attribute values)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


# ================================================================================ destructive actions


def test_cancelling_an_acting_assignment_asks_first_naming_it(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    before = _count(demo, acting_assignments)
    listing = client.get("/acting")
    item = re.search(r'action="/acting/(\d+)/delete".*?name="version" value="(\d+)"', listing.text, re.S)
    assert item is not None
    item_id, version = item.group(1), item.group(2)
    asked = client.post(f"/acting/{item_id}/delete", data={"csrf_token": csrf, "version": version})
    assert asked.status_code == 200
    assert "Отменить исполнение обязанностей?" in asked.text
    admin = bearer(client, "admin")
    acting = next(a for a in client.get("/api/v1/acting", headers=admin).json() if a["id"] == int(item_id))
    person = client.get(f"/api/v1/people/{acting['person_id']}", headers=admin).json()
    assert person["full_name"] in asked.text and 'name="confirm" value="yes"' in asked.text
    assert _count(demo, acting_assignments) == before  # nothing removed yet
    same = client.get(f"/acting/{item_id}/delete")  # the confirmation page by its own address too
    assert same.status_code == 200 and person["full_name"] in same.text
    done = client.post(f"/acting/{item_id}/delete", data={"csrf_token": csrf, "version": version, "confirm": "yes"})
    assert done.status_code == 303 and _count(demo, acting_assignments) == before - 1


def test_removing_a_calendar_override_and_revoking_a_token_ask_first(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    saved = client.post("/calendar/days", data={"csrf_token": csrf, "day": "2026-12-19", "working": "on",
                                                "name": "Рабочая суббота", "resolution_number": "777",
                                                "resolution_date": "2026-11-01"})
    assert saved.status_code == 303
    asked = client.post("/calendar/days/2026-12-19/delete", data={"csrf_token": csrf, "version": "1"})
    assert asked.status_code == 200 and "19.12.2026" in asked.text and "Рабочая суббота" in asked.text
    assert "№ 777" in asked.text and "Рабочая суббота" in client.get("/calendar?year=2026").text
    done = client.post("/calendar/days/2026-12-19/delete", data={"csrf_token": csrf, "version": "1", "confirm": "yes"})
    assert done.status_code == 303
    assert "Рабочая суббота" not in client.get("/calendar?year=2026").text

    issued = client.post("/account/tokens", data={"csrf_token": csrf, "name": "отчёты", "days": "30"})
    token_id = re.search(r'/account/tokens/(\d+)/revoke', issued.text)
    assert token_id is not None
    asked = client.post(f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf})
    assert asked.status_code == 200 and "Отозвать токен API?" in asked.text and "отчёты" in asked.text
    assert "недействителен" not in client.get("/account").text
    done = client.post(f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf, "confirm": "yes"})
    assert done.status_code == 303 and "недействителен" in client.get("/account").text


# ================================================================================ acting and zones forms


def test_the_acting_form_preselects_nobody_and_no_position(demo: Platform) -> None:
    client = client_for(demo)
    web_login(client, "admin")
    page = client.get("/acting/new").text
    for name in ("person_id", "acting_for", "office_id"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
        assert select_html is not None, name
        assert re.search(r'<option value="" selected>— выберите —</option>', select_html.group(0)), name
        assert select_html.group(0).count(" selected") == 1, name
    zones = client.get("/zones/new").text
    for name in ("person_id", "zone_office_id"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', zones, re.S)
        assert select_html is not None and select_html.group(0).count(" selected") == 1, name
        assert '<option value="" selected>' in select_html.group(0)
    assert 'value="all" checked' not in zones


def test_saving_the_acting_form_with_dates_alone_is_refused_by_field_label(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    before = _count(demo, acting_assignments)
    answer = client.post("/acting/new", data={"csrf_token": csrf, "person_id": "", "acting_for": "", "office_id": "",
                                              "date_from": "2026-12-01", "date_to": "2026-12-10", "basis": "Приказ 1"})
    assert answer.status_code == 422 and _count(demo, acting_assignments) == before
    summary = re.search(r'<div class="error-summary".*?</div>', answer.text, re.S)
    assert summary is not None
    for href, label in (("#f-person-id", "Сотрудник"), ("#f-acting-for", "Исполняет обязанности по должности"),
                        ("#f-office-id", "В прокуратуре")):
        assert f'href="{href}"' in summary.group(0) and label in summary.group(0)
    assert 'id="f-person-id" name="person_id" required aria-invalid="true" aria-describedby="f-person-id-error"' \
        in answer.text
    assert 'id="f-person-id-error"' in answer.text
    text = _visible_text(answer.text)
    assert not any(key in text for key in FIELD_KEYS)


def test_an_unusual_acting_assignment_is_saved_only_once_confirmed(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    admin = bearer(client, "admin")
    offices = {o["code"]: o["id"] for o in client.get("/api/v1/offices", headers=admin).json()}
    people = client.get("/api/v1/people", headers=admin).json()
    ordinary = next(p for p in people if p["position"] == "prosecutor" and p["office_id"] != offices["gpo"])
    form = {"csrf_token": csrf, "person_id": str(ordinary["id"]), "acting_for": "prosecutor_general",
            "office_id": str(offices["gpo"]), "date_from": "2026-12-01", "date_to": "2026-12-10",
            "basis": "Приказ № 5"}
    before = _count(demo, acting_assignments)
    warned = client.post("/acting/new", data=form)
    assert warned.status_code == 200 and _count(demo, acting_assignments) == before
    assert "Проверьте, всё ли верно" in warned.text and "в другой прокуратуре" in warned.text
    assert "более высокого уровня" in warned.text and 'name="confirm"' in warned.text
    saved = client.post("/acting/new", data=form | {"confirm": "yes"})
    assert saved.status_code == 303 and _count(demo, acting_assignments) == before + 1


def test_what_is_unusual_about_an_acting_assignment() -> None:
    usual = unusual_acting(own_position="deputy_district_prosecutor", own_level="district", own_office_id=7,
                           acting_for="district_prosecutor", acting_level="district", acting_office_id=7)
    assert usual == []
    skipping = unusual_acting(own_position="prosecutor", own_level="district", own_office_id=7,
                              acting_for="district_prosecutor", acting_level="district", acting_office_id=7)
    assert len(skipping) == 1 and "более чем на одну ступень" in skipping[0]
    elsewhere = unusual_acting(own_position="prosecutor", own_level="district", own_office_id=7,
                               acting_for="prosecutor_general", acting_level="gpo", acting_office_id=1)
    assert len(elsewhere) == 2


# ================================================================================ error pages


def test_error_pages_are_styled_pages_without_field_keys(demo: Platform) -> None:
    client = client_for(demo)
    web_login(client, "admin")
    for path, status in (("/no/such/page", 404), ("/people/abc", 404), ("/calendar?year=abc", 422),
                         ("/calendar?year=1990", 404), ("/people/999999", 404)):
        page = client.get(path)
        assert page.status_code == status, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert '<link rel="stylesheet" href="/static/app.css">' in page.text and "<h1" in page.text, path
        text = _visible_text(page.text)
        assert not re.search(r"\b(year|person_id|path|id)\b\s*:", text), (path, text)
    not_allowed = client.put("/acting")
    assert not_allowed.status_code == 405 and not_allowed.headers["content-type"].startswith("text/html")
    assert "Метод не поддерживается" in not_allowed.text
    api = client.get("/api/v1/people/abc", headers=bearer(client, "admin"))
    assert api.headers["content-type"].startswith("application/problem+json")
    forbidden_client = client_for(demo)
    web_login(forbidden_client, "temirtau")
    forbidden = forbidden_client.get("/users")
    assert forbidden.status_code == 403 and forbidden.headers["content-type"].startswith("text/html")
    assert "Доступ запрещён" in forbidden.text and "permission" not in _visible_text(forbidden.text)


def test_an_office_form_refusal_names_no_pattern(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    answer = client.post("/offices/new", data={"csrf_token": csrf, "code": "Плохой код!", "level": "district",
                                               "kind": "territorial", "name_ru": "X", "city": "Y"})
    assert answer.status_code == 422
    text = _visible_text(answer.text)
    assert "^[" not in text and "шаблон" not in text and "code:" not in text
    assert 'href="#f-code"' in answer.text


# ================================================================================ Kazakh mode


def test_kazakh_mode_shows_positions_offices_holidays_and_messages_in_kazakh(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    client.get("/lang/kk")
    people = client.get("/people").text
    assert "прокурор района и приравненный к нему прокурор" not in people
    assert "аудан прокуроры" in people
    offices = client.get("/offices").text
    assert "Бас прокуратурасы" in offices
    calendar = client.get("/calendar?year=2026").text
    assert "Тәуелсіздік күні" in calendar and "День Независимости" not in calendar
    refused = client.post("/acting/new", data={"csrf_token": csrf, "person_id": "", "acting_for": "",
                                               "office_id": "", "date_from": "", "date_to": "", "basis": ""})
    assert refused.status_code == 422
    assert "міндетті өріс толтырылмаған" in refused.text and "обязательное поле не заполнено" not in refused.text


# ================================================================================ the shell


def test_every_page_has_a_skip_link_breadcrumbs_a_current_menu_item_and_a_print_stylesheet(demo: Platform) -> None:
    client = client_for(demo)
    web_login(client, "admin")
    for path, current in (("/people", "/people"), ("/acting/new", "/acting"), ("/analyses/plans", "/analyses/plans"),
                          ("/checks", "/checks"), ("/calendar", "/calendar")):
        page = client.get(path).text
        assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page, path
        assert 'href="/static/print.css" media="print"' in page, path
        assert '<details class="menu" open>' in page, path
        assert re.findall(r'href="([^"]+)" aria-current="page"', page) == [current], path
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S)
        assert crumbs is not None and 'href="/"' in crumbs.group(0) and 'aria-current="page"' in crumbs.group(0)


# ================================================================================ the calendar


def test_the_calendar_links_only_covered_years_and_highlights_today(demo: Platform) -> None:
    client = client_for(demo)
    csrf = web_login(client, "admin")
    page = client.get("/calendar").text
    years = [int(y) for y in re.findall(r'href="/calendar\?year=(\d{4})"', page)]
    assert min(years) == 2018 and max(years) == 2027  # the frozen clock's year is 2026
    assert re.search(r'<td class="[^"]*today[^"]*"[^>]*aria-current="date"><strong>29</strong>', page)
    outside = client.get("/calendar?year=2028")
    assert outside.status_code == 404 and "2018–2027" in outside.text
    refused = client.post("/calendar/days", data={"csrf_token": csrf, "day": "2030-01-06", "working": "on",
                                                  "name": "Суббота", "resolution_number": "1",
                                                  "resolution_date": "2029-12-01"})
    assert refused.status_code == 422 and "вне периода рабочего календаря" in refused.text
    assert 'href="#f-day"' in refused.text


# ================================================================================ /account


def test_changing_ones_own_password_ends_the_other_sessions(demo: Platform) -> None:
    other = client_for(demo)
    web_login(other, "medeu")
    client = client_for(demo)
    csrf = web_login(client, "medeu")
    sessions = _count(demo, web_sessions)
    audit_rows = _count(demo, audit_log)
    wrong = client.post("/account/password", data={"csrf_token": csrf, "current": "not-the-password",
                                                   "new": "a-new-password-1", "repeat": "a-new-password-1"})
    assert wrong.status_code == 422 and "неверный текущий пароль" in wrong.text and 'href="#f-current"' in wrong.text
    mismatch = client.post("/account/password", data={"csrf_token": csrf, "current": PASSWORDS["medeu"],
                                                      "new": "a-new-password-1", "repeat": "a-new-password-2"})
    assert mismatch.status_code == 422 and "не совпадают" in mismatch.text
    short = client.post("/account/password", data={"csrf_token": csrf, "current": PASSWORDS["medeu"],
                                                   "new": "short", "repeat": "short"})
    assert short.status_code == 422 and "не короче 10 символов" in short.text
    assert _count(demo, audit_log) == audit_rows
    done = client.post("/account/password", data={"csrf_token": csrf, "current": PASSWORDS["medeu"],
                                                  "new": "a-new-password-1", "repeat": "a-new-password-1"})
    assert done.status_code == 303 and done.headers["location"] == "/account?password=changed"
    assert _count(demo, web_sessions) == sessions - 1  # the other session ended, this one stays
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 303  # sent to sign in
    assert _count(demo, audit_log) == audit_rows + 1
    fresh = client_for(demo)
    web_login(fresh, "medeu", "a-new-password-1")


def test_the_marked_tables_repeat_the_domain_exactly_and_are_translated() -> None:
    """ui_labels repeats the domain's Russian texts for the catalog: the same keys and texts, each
    with a Kazakh translation (and every fixed validation message of rules.base too)."""
    from babel.messages.pofile import read_po

    import nadzor.web
    from nadzor import rules
    from nadzor.domain.org import POSITION_LABELS, SUBJECT_AREAS
    from nadzor.rules.base import _TYPE_MESSAGES
    from nadzor.web import ui_labels

    assert ui_labels.POSITION_TITLES == POSITION_LABELS
    assert ui_labels.AREA_TITLES == SUBJECT_AREAS
    assert {r.id: r.title for r in rules.REGISTRY.values()} == ui_labels.RULE_TITLES
    path = __import__("pathlib").Path(nadzor.web.__file__).parent / "locale" / "kk" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale="kk")
    needed = {*ui_labels.POSITION_TITLES.values(), *ui_labels.AREA_TITLES.values(), *ui_labels.RULE_TITLES.values(),
              *_TYPE_MESSAGES.values(), *ui_labels.HOLIDAY_NAMES}
    assert sorted(m for m in needed if not (catalog.get(m) and catalog.get(m).string)) == []


def test_kazakh_mode_shows_rule_titles_in_kazakh(sqlite_demo: Platform) -> None:
    client = client_for(sqlite_demo)
    client.get("/lang/kk")
    catalogue = client.get("/rules").text
    assert "Тексерудің соңғы күні" in catalogue and "Последний день проверки" not in catalogue
    assert "<h1>Тексерудің соңғы күні</h1>" in client.get("/rules/check.last_day").text


# ================================================================================ Kazakh mode: the gaps


def _service_literal_messages() -> set[str]:
    """The fixed messages the services refuse with (InvalidInput.one, FieldError, Refused, NotFound given
    a literal), read from their source: the catalog must know each one."""
    import ast
    from pathlib import Path

    import nadzor

    root = Path(nadzor.__file__).parent
    adapters = ("api", "schemas", "pages", "cli", "view", "labels", "forms", "catalogue", "tables")
    services = [p for d in ("org", "accounts", "calendar", "audit", "rulebook", "casework", "checks", "acts",
                            "evaluations", "analyses", "infra") for p in (root / d).glob("*.py")
                if not p.stem.startswith(adapters)] + [root / "demo.py"]
    found: set[str] = set()
    for path in sorted(services):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            position = {("InvalidInput", "one"): 1, ("", "FieldError"): 1, ("", "Refused"): 2,
                        ("", "NotFound"): 0}.get((owner if name == "one" else "", name))
            if position is not None and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_the_kazakh_tables_repeat_their_sources_and_are_translated() -> None:
    """Levels and kinds of office, the documents' titles, the analyses' labels, the acting warnings and
    the services' fixed messages: each table equal to its source, each text translated."""
    from babel.messages.pofile import read_po

    import nadzor.web
    from nadzor.analyses import service as analyses
    from nadzor.casework.documents import SPECS
    from nadzor.domain import org as domain_org
    from nadzor.web import ui_labels

    assert ui_labels.LEVEL_TITLES == domain_org.LEVEL_LABELS
    assert ui_labels.KIND_TITLES == domain_org.KIND_LABELS
    assert {s.code: s.title for s in SPECS} == ui_labels.DOCUMENT_TITLES
    assert ui_labels.ORGANIZATION_KINDS == analyses.ORGANIZATION_KINDS
    assert ui_labels.PLAN_ITEM_STATUSES == analyses.ITEM_STATUSES
    assert ui_labels.ACTING_WARNINGS == (domain_org.UNUSUAL_OTHER_OFFICE, domain_org.UNUSUAL_HIGHER_LEVEL,
                                         domain_org.UNUSUAL_SKIPPED_STEP)
    service = _service_literal_messages()
    assert len(service) > 50  # the scan finds the services' refusals
    assert sorted(service - set(ui_labels.SERVICE_MESSAGES) - set(ui_labels.VALIDATION_MESSAGES)) == []
    path = __import__("pathlib").Path(nadzor.web.__file__).parent / "locale" / "kk" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale="kk")
    needed = {*ui_labels.LEVEL_TITLES.values(), *ui_labels.KIND_TITLES.values(), *ui_labels.DOCUMENT_TITLES.values(),
              *ui_labels.ORGANIZATION_KINDS.values(), *ui_labels.PLAN_ITEM_STATUSES.values(),
              *ui_labels.ACTING_WARNINGS, *service}
    assert sorted(m for m in needed if not (catalog.get(m) and catalog.get(m).string)) == []


def test_kazakh_mode_walk_shows_no_russian_where_the_data_has_kazakh(sqlite_demo_full: Platform) -> None:
    """Issue 7 §6 in Kazakh mode: the header's office (name_kk), the unusual acting warnings, the analyses'
    form labels and refusals, a card's documents, the registers' office names."""
    client = client_for(sqlite_demo_full)
    csrf = web_login(client, "karaganda")
    client.get("/lang/kk")

    home = client.get("/")
    header = re.search(r'<span class="office"[^>]*>([^<]*)</span>', home.text)
    assert header is not None and header.group(1) == "Қарағанды облысының прокуратурасы"

    # the register's office filter and rows: Kazakh names
    checks = client.get("/checks").text
    assert "Теміртау қаласының прокуратурасы" in checks and "Прокуратура города Темиртау" not in checks

    # a card's documents: their titles in Kazakh
    documents = ""
    for card_id in dict.fromkeys(re.findall(r'href="/checks/(\d+)"', checks)):
        card = client.get(f"/checks/{card_id}").text
        documents = card[card.index('id="h-documents"'):card.index('id="attach"')]
        if 'class="documents"' in documents:
            break
    assert "Тексеру жүргізу туралы қаулы" in documents and "Постановление о производстве проверки" not in documents

    # the acting form's warnings, all three in Kazakh
    admin = bearer(client, "admin")
    offices = {o["code"]: o["id"] for o in client.get("/api/v1/offices", headers=admin).json()}
    people = client.get("/api/v1/people", headers=admin).json()
    ordinary = next(p for p in people if p["position"] == "prosecutor" and p["office_id"] == offices[
        "karaganda_region.temirtau_city"])
    admin_client = client_for(sqlite_demo_full)
    admin_csrf = web_login(admin_client, "admin")
    admin_client.get("/lang/kk")
    form = {"csrf_token": admin_csrf, "person_id": str(ordinary["id"]), "acting_for": "prosecutor_general",
            "office_id": str(offices["gpo"]), "date_from": "2026-12-01", "date_to": "2026-12-10", "basis": "№ 5"}
    warned = _visible_text(admin_client.post("/acting/new", data=form).text)
    assert "өз прокуратурасынан жоғары деңгейдегі прокуратурада міндеттерді атқару: «аудандық деңгей» орнына " \
           "Бас прокуратура" in warned
    assert "сотрудник работает" not in warned and "более высокого уровня" not in warned
    skipping = form | {"acting_for": "district_prosecutor", "office_id": str(offices["karaganda_region.temirtau_city"])}
    warned = _visible_text(admin_client.post("/acting/new", data=skipping).text)
    assert "лауазымы қызметкердің өз лауазымынан" in warned and "более чем на одну ступень" not in warned

    # the older analyses forms: labels of the refused form and the services' messages in Kazakh
    plans = client.get("/analyses/plans").text
    assert "Тоқсан (бос — жылдық жоспар)" in plans and "Қарағанды облысының прокуратурасы" in plans
    refused = client.post("/analyses/kui", data={"csrf_token": csrf, "proceeding_id": "", "step": "",
                                                 "number": "", "registered_on": "", "summary": ""})
    assert refused.status_code == 422
    errors = _visible_text(refused.text[refused.text.index('class="error" role="alert"'):])
    assert "Іс жүргізу нөмірі (талдаудың немесе тексерудің id)" in errors
    assert "Номер производства" not in errors and "обязательное поле не заполнено" not in errors
    created = client.post("/analyses/plans", data={"csrf_token": csrf, "office_id": str(offices["karaganda_region"]),
                                                   "year": "2026", "quarter": "", "title": "Жоспар"})
    assert created.status_code == 303
    plan = client.get(created.headers["location"]).text
    assert "<p>Қарағанды облысының прокуратурасы ·" in plan  # the service names the plan's office in Russian
    totals = client.get("/acts/totals").text
    assert "Теміртау қаласының прокуратурасы" in totals and "Прокуратура города Темиртау" not in totals
    version = re.search(r'name="version" value="(\d+)"', plan)
    assert version is not None
    approver = re.search(r'name="person_id">\s*<option value="(\d+)"[^>]*>([^<]*)<', plan)
    assert approver is not None and "прокурор области" not in approver.group(2)  # the position in Kazakh
    empty = client.post(f"{created.headers['location']}/approval", data={
        "csrf_token": csrf, "version": version.group(1), "person_id": approver.group(1), "date": "2026-01-10"})
    assert empty.status_code == 422
    assert "жоспарда бірде-бір тармақ жоқ" in empty.text and "в плане нет ни одного пункта" not in empty.text


# ================================================================================ Kazakh mode: the leftovers


def _kazakh_catalog():  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    import nadzor.web

    path = __import__("pathlib").Path(nadzor.web.__file__).parent / "locale" / "kk" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        return read_po(file, locale="kk")


#: The calls a fixed refusal is given to, and the position of its text: a constant Russian text there is
#: shown on a page (outside the JSON API and the command line) and must be in the catalog.
_REFUSALS = {"Bad": 1, "FieldError": 1, "one": 1, "Refused": 2, "refuse": 2, "NotFound": 0, "Conflict": 0,
             "lacks": 1, "TooLarge": 0, "ValueError": 0}

#: Fixed refusals outside api*.py that only the JSON API (or the command line) can answer: the shape of a
#: whole JSON body, which a page never sends (its forms build the body themselves).
_API_ONLY_REFUSALS = frozenset({
    "ожидается объект JSON {office_level, steps}",  # kernel.validate: a replay's body (API, CLI replay)
    "ожидается список шагов",  # kernel.validate: `steps` of a replay's body not a list (API, CLI replay)
    "ожидается объект JSON с полями правила",  # rules.evaluate: a rule's input not an object (API, CLI)
})


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def _adapter_only(path, root) -> bool:  # type: ignore[no-untyped-def]
    """A module whose refusals a page never shows: the JSON API's, the command line's, the migrations."""
    parts = path.relative_to(root).parts
    return (path.name.startswith(("api", "cli")) or "entrypoints" in parts or "migrations" in parts)


def _service_message_texts() -> set[str]:
    """What the services and the proceedings' kernel put together as a `Message` (its template, or a word
    given alone), refuse with (`refuse`), name as what a signer may not do (`_signer_in`, `_signer_is`), as the
    earlier step a field must name (`earlier_step`), as what a check's expired term forbids (`_after_last_day`)
    and as the shape a text field takes (`describe_pattern`), read from their source: the catalog must know
    each one. Also every constant Russian text given to a refusal (`_REFUSALS`: `Bad`, `FieldError`,
    `InvalidInput.one`, `Refused`, `NotFound`, a document's `lacks`, `ValueError`, …) outside the JSON API,
    the command line and the migrations, less the API-only ones (`_API_ONLY_REFUSALS`)."""
    import ast
    from pathlib import Path

    import nadzor

    root = Path(nadzor.__file__).parent
    found: set[str] = set()
    for path in sorted(p for p in root.rglob("*.py") if "web" not in p.parts):
        fixed_too = not _adapter_only(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            position = {"Message": 0, "refuse": 2, "_signer_in": 3, "_signer_is": 3, "earlier_step": 3,
                        "_after_last_day": 2, "describe_pattern": 1}.get(name)
            if position is not None and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") == "N_":
                    arg = arg.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
            position = _REFUSALS.get(name) if fixed_too else None
            if position is not None and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") in ("N_", "Message") and arg.args:
                    arg = arg.args[0]
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _cyrillic(arg.value)
                        and arg.value not in _API_ONLY_REFUSALS):
                    found.add(arg.value)
    return found


def test_the_services_messages_with_data_are_marked_and_translated() -> None:
    """Every `Message` template, every word a message names, the kernel's refusals, the audit trail's actions
    and the reporting calendar's obligations: in the marked tables (equal to their sources) and translated,
    each translation keeping the template's parts."""
    import re as regex

    from nadzor.analyses import service as analyses
    from nadzor.domain.audit import ACTION_LABELS
    from nadzor.infra.policy import PERMISSION_LABELS
    from nadzor.proceedings.kernel import KINDS
    from nadzor.web import ui_labels

    assert ui_labels.ACTION_TITLES == ACTION_LABELS
    assert ui_labels.OBLIGATION_TITLES == analyses.OBLIGATION_LABELS
    assert ui_labels.NO_OBLIGATIONS == analyses.NO_OBLIGATIONS
    texts = _service_message_texts()
    assert len(texts) > 60  # the scan finds the templates and the kernel's refusals
    # and the fixed refusals a page shows, not those only the JSON API answers
    assert {"начало проверки не может быть раньше даты постановления", "укажите причину отзыва",
            "не указано: БИН (ИИН) проверяемого субъекта"} <= texts
    assert "ожидается объект {login, password, name?, days?}" not in texts and not texts & _API_ONLY_REFUSALS
    marked = {*ui_labels.SERVICE_TEMPLATES, *ui_labels.KERNEL_TEMPLATES, *ui_labels.CASEWORK_TEMPLATES,
              *ui_labels.SERVICE_WORDS,
              *ui_labels.SERVICE_MESSAGES}
    catalog = _kazakh_catalog()
    known = {m.id for m in catalog if m.string}
    assert sorted(t for t in texts if t not in marked and t not in known) == []
    # the kernel's refusal of a step names the step and the status (`not_allowed`): every kind's labels
    steps = {label for kind in KINDS.values()
             for label in (*(spec.label for spec in kind.steps.values()), *kind.statuses.values())}
    needed = {*texts, *ui_labels.SERVICE_TEMPLATES, *ui_labels.KERNEL_TEMPLATES, *ui_labels.CASEWORK_TEMPLATES,
              *ui_labels.SERVICE_WORDS, *ui_labels.ACTION_TITLES.values(), *ui_labels.OBLIGATION_TITLES.values(),
              ui_labels.NO_OBLIGATIONS, *PERMISSION_LABELS.values(), *steps, "начальное"}
    assert sorted(m for m in needed if m not in known) == []
    parts = regex.compile(r"%\(\w+\)s")
    assert [m for m in needed if sorted(parts.findall(m)) != sorted(parts.findall(catalog.get(m).string))] == []


def test_a_message_reads_russian_and_translates_with_its_parts() -> None:
    """The API's text is the Russian one; a page puts the translated parts into the translated template."""
    from nadzor.infra.errors import Conflict, NotFound, message_of
    from nadzor.proceedings.kernel import refuse
    from nadzor.rules.base import Message, translate
    from nadzor.web.templating import catalog

    t = catalog("kk").gettext
    missing = NotFound(Message("%(what)s %(id)s", what=Message("сотрудник"), id=7))
    assert str(missing) == "сотрудник 7: не найдено"
    assert translate(message_of(missing), t) == "қызметкер 7: табылмады"
    stale = Conflict.versions("Прокуратура", 1, 2)
    assert "ваша версия 1, текущая 2" in str(stale)
    assert translate(message_of(stale), t).startswith("Прокуратура: жазбаны басқа пайдаланушы өзгертіп қойған "
                                                      "(сіздің нұсқаңыз 1, ағымдағы нұсқа 2)")
    refused = refuse("signer_not_allowed", ("I.13", "I.17"),
                     Message("Подписавший не вправе %(what)s", what=Message("выносить постановления по проверке")))
    assert refused.message == "Подписавший не вправе выносить постановления по проверке (пп. 13, 17 Инструкции)."
    assert translate(refused.message, t) == ("Қол қоюшы тексеру бойынша қаулылар шығаруға құқылы емес "
                                             "(Нұсқаулықтың 13, 17-тармақтары).")
    fixed = refuse("step_not_allowed", ("I.16",), "Проверка уже продлена на предельный срок")
    assert translate(fixed.message, t) == "Тексеру шекті мерзімге ұзартылған (Нұсқаулықтың 16-тармағы)."
    assert translate(Message("нет сотрудника %(id)s", id=5), catalog("ru").gettext) == "нет сотрудника 5"


def _kazakh_admin(platform: Platform) -> tuple[TestClient, str, dict[str, str], dict[str, dict[str, Any]]]:
    """The administrator signed in on the pages in Kazakh: the client, its CSRF token, a bearer token and
    the offices by code."""
    client = client_for(platform)
    csrf = web_login(client, "admin")
    client.get("/lang/kk")
    admin = bearer(client, "admin")
    return client, csrf, admin, {o["code"]: o for o in client.get("/api/v1/offices", headers=admin).json()}


def _new_plan(client: TestClient, csrf: str, admin: dict[str, str], office: int,
              quarter: str) -> tuple[str, str, dict[str, Any]]:
    """A new analyses plan of `office` for 2026 (a quarter, or the year for ""): its page, its version and an
    ordinary prosecutor of the office to answer for an item."""
    created = client.post("/analyses/plans", data={"csrf_token": csrf, "office_id": str(office), "year": "2026",
                                                   "quarter": quarter, "title": "Жоспар"})
    assert created.status_code == 303
    plan = created.headers["location"]
    version = re.search(r'name="version" value="(\d+)"', client.get(plan).text)
    assert version is not None
    people = client.get("/api/v1/people", headers=admin).json()
    ordinary = next(p for p in people if p["position"] == "prosecutor" and p["office_id"] == office)
    return plan, version.group(1), ordinary


def test_kazakh_mode_walk_shows_the_services_messages_audit_offices_and_obligations_in_kazakh(
        sqlite_demo_full: Platform) -> None:
    """Issue 7 §6, what the first Kazakh pass left in Russian: the refusals with data in them (not found,
    version conflict, signer not allowed, out of scope), the audit trail's actions and offices, the office
    form's parent offices, the reporting calendar's obligations and the КУИ's reconciliation and offices."""
    admin_client, admin_csrf, admin, offices = _kazakh_admin(sqlite_demo_full)
    karaganda = offices["karaganda_region"]

    # not found: a page in Kazakh, the API in Russian
    missing = admin_client.get("/people/999999")
    assert missing.status_code == 404
    assert "қызметкер 999999: табылмады" in missing.text and "не найдено" not in _visible_text(missing.text)
    api = admin_client.get("/api/v1/people/999999", headers=admin)
    assert api.status_code == 404 and api.json()["errors"][0]["message"] == "сотрудник 999999: не найдено"

    # the office form: the parent offices by their Kazakh names, a stale version refused in Kazakh
    temirtau = offices["karaganda_region.temirtau_city"]
    form = admin_client.get(f"/offices/{temirtau['id']}/edit").text
    parents = form[form.index('name="parent_code"'):form.index("</select>", form.index('name="parent_code"'))]
    assert "Қарағанды облысының прокуратурасы" in parents and "Прокуратура Карагандинской области" not in parents
    assert "<h1>Өзгерту: Теміртау қаласының прокуратурасы</h1>" in form
    stale = admin_client.post(f"/offices/{temirtau['id']}/edit", data={
        "csrf_token": admin_csrf, "version": str(temirtau["version"] + 5), "code": temirtau["code"],
        "parent_code": "karaganda_region", "level": "district", "kind": "territorial",
        "name_ru": temirtau["name_ru"], "name_kk": temirtau["name_kk"], "city": temirtau["city"]})
    assert stale.status_code == 409
    shown = _visible_text(stale.text)
    assert "жазбаны басқа пайдаланушы өзгертіп қойған" in shown and "запись уже изменена" not in shown

    # the audit trail: actions and offices in Kazakh, the office filter too; the office's «История» tab
    renamed = admin_client.post(f"/offices/{temirtau['id']}/edit", data={
        "csrf_token": admin_csrf, "version": str(temirtau["version"]), "code": temirtau["code"],
        "parent_code": "karaganda_region", "level": "district", "kind": "territorial",
        "name_ru": temirtau["name_ru"], "name_kk": temirtau["name_kk"], "city": "Темиртау (г.)"})
    assert renamed.status_code == 303
    trail = admin_client.get("/audit").text
    assert "Прокуратура өзгертілді" in trail and "Изменена прокуратура" not in trail
    assert "Загружены демонстрационные данные" not in trail
    choices = trail[trail.index('name="office"'):trail.index("</select>", trail.index('name="office"'))]
    assert "Қарағанды облысының прокуратурасы" in choices and "Прокуратура Карагандинской области" not in choices
    history = admin_client.get(f"/offices/{temirtau['id']}?tab=history").text
    assert "Прокуратура өзгертілді" in history and "Изменена прокуратура" not in history

    # out of scope and signer not allowed, on the analyses' pages of the Karaganda region's prosecutor
    client = client_for(sqlite_demo_full)
    csrf = web_login(client, "karaganda")
    client.get("/lang/kk")
    almaty = offices["almaty_region"]
    outside = client.post("/analyses/plans", data={"csrf_token": csrf, "office_id": str(almaty["id"]),
                                                    "year": "2026", "quarter": "", "title": "Жоспар"})
    assert outside.status_code == 422
    assert f"сіздің өкілеттігіңіз шегінде {almaty['id']} нөмірлі прокуратура жоқ" in outside.text
    assert "в пределах ваших полномочий" not in outside.text
    plan, version, ordinary = _new_plan(client, csrf, admin, karaganda["id"], "")
    added = client.post(f"{plan}/items", data={"csrf_token": csrf, "version": version, "topic": "Тақырып",
                                               "quarter": "1", "responsible_person_id": str(ordinary["id"])})
    assert added.status_code == 303
    current = re.search(r'name="version" value="(\d+)"', client.get(plan).text)
    assert current is not None
    refused = client.post(f"{plan}/approval", data={"csrf_token": csrf, "version": current.group(1),
                                                    "person_id": str(ordinary["id"]), "date": "2026-01-10"})
    assert refused.status_code == 409  # an ordinary prosecutor does not approve the plan (R.11)
    text = _visible_text(refused.text)
    assert "талдаулар жоспарын бекітуге құқылы емес" in text and "Қағидалардың 11-тармағы" in text
    assert "не вправе утверждать" not in text and "прокурор области" not in text

    # the reporting calendar: obligations and their note in Kazakh
    obligations = client.get(f"/analyses/obligations?office_id={karaganda['id']}&year=2026").text
    assert "Кәсіпкерлердің құқықтарын қорғау" in obligations and "Защита прав предпринимателей" not in obligations
    gpo = admin_client.get(f"/analyses/obligations?office_id={offices['gpo']['id']}&year=2026").text
    assert "мерзімді ақпарат белгіленбеген" in gpo and "не установлена" not in gpo

    # the КУИ: a month reconciled twice is refused in Kazakh
    body = {"csrf_token": csrf, "office_id": str(karaganda["id"]), "year": "2026", "month": "3",
            "reconciled_with": "ҚСжАЕК", "reconciled_by": "Прокурор", "reconciled_on": "2026-04-02",
            "discrepancies": ""}
    assert client.post("/analyses/kui/reconciliations", data=body).status_code == 303
    again = client.post("/analyses/kui/reconciliations", data=body)
    assert again.status_code == 422
    assert "03.2026 үшін салыстыру белгіленіп қойған" in again.text and "уже отмечена" not in again.text


def test_kazakh_mode_shows_the_kernels_and_services_refusals_with_data_in_kazakh(sqlite_demo_full: Platform) -> None:
    """Issue 7 §6, the refusals built with data (KERNEL_TEMPLATES): an office code already taken, a code too
    long, a code of the wrong shape, a login already taken, a check the kernel refuses to open — in Kazakh
    on the pages, in Russian in the API."""
    client, csrf, admin, offices = _kazakh_admin(sqlite_demo_full)
    karaganda = offices["karaganda_region"]
    office = {"csrf_token": csrf, "parent_code": "karaganda_region", "level": "district", "kind": "territorial",
              "name_ru": "Прокуратура", "city": "Город"}

    taken = client.post("/offices/new", data=office | {"code": "karaganda_region.temirtau_city"})
    assert taken.status_code == 422
    text = unescape(_visible_text(taken.text))
    assert "'karaganda_region.temirtau_city' кодымен прокуратура бұрыннан бар" in text and "уже есть" not in text
    long = client.post("/offices/new", data=office | {"code": "a" * 121})
    assert long.status_code == 422
    text = unescape(_visible_text(long.text))
    assert "ең көбі 120 таңба" in text and "не длиннее" not in text
    shape = client.post("/offices/new", data=office | {"code": "Плохой код!"})
    assert shape.status_code == 422
    text = unescape(_visible_text(shape.text))
    assert "жарамсыз пішім: кіші латын әріптері, цифрлар" in text and "строчные латинские" not in text

    login = client.post("/users/new", data={"csrf_token": csrf, "login": "karaganda", "password": "x" * 12,
                                            "language": "ru"})
    assert login.status_code == 422
    text = unescape(_visible_text(login.text))
    assert "'karaganda' пайдаланушысы бұрыннан бар" in text and "уже есть" not in text

    # the kernel refuses to open a check of another organization without the Prosecutor General's instruction
    opened = {"csrf_token": csrf, "office_id": str(karaganda["id"]), "subject_name": "ЖШС «Сынақ»",
              "date": "2026-03-02", "subject_kind": "other_organization", "basis": "protect_rights",
              "protected_interest": "indefinite_circle"}
    refused = client.post("/checks/new", data=opened)
    assert refused.status_code == 409
    text = unescape(_visible_text(refused.text))
    assert "Тексеруге жол берілмейді: gp_instruction шарттары орындалмаған" in text
    assert "Нұсқаулықтың 7, 8, 9, 10-тармақтары" in text and "Проверка недопустима" not in text

    # the API answers the Russian text, byte for byte
    api = client.post("/api/v1/offices", headers=admin, json={
        "code": "karaganda_region.temirtau_city", "parent_code": "karaganda_region", "level": "district",
        "kind": "territorial", "name_ru": "Прокуратура", "city": "Город"})
    assert api.status_code == 422
    assert api.json()["errors"] == [{"field": "code",
                                     "message": "прокуратура с кодом 'karaganda_region.temirtau_city' уже есть"}]
    state = client.post("/api/v1/proceedings/check/replay", headers=admin, json={"office_level": "district", "steps": [
        {"type": "opened", "date": "2026-03-02", "subject_kind": "other_organization", "basis": "protect_rights",
         "protected_interest": ["indefinite_circle"]}]})
    assert state.status_code == 200
    assert state.json()["refused"]["message"] == ("Проверка недопустима: не выполнены условия gp_instruction "
                                                  "(пп. 7, 8, 9, 10 Инструкции).")
    late = client.post("/api/v1/proceedings/check/replay", headers=admin, json={"office_level": "district", "steps": [
        {"type": "opened", "date": "2031-03-02", "subject_kind": "state_body", "basis": "gp_instruction"}]})
    assert late.status_code == 422
    assert late.json()["errors"][0]["message"].startswith("дата 2031-03-02 вне периода рабочего календаря ")


def test_kazakh_mode_shows_the_casework_refusals_with_data_in_kazakh_and_the_api_answers_russian(
        sqlite_demo_full: Platform) -> None:
    """Issue 7 §6 for the casework, the acts, the analyses and the attachments: a refusal put together with
    data (a plan's quarter, a file's type, a builtin act type, a document's missing parts) reads in Kazakh on
    a Kazakh page, its data as entered; the API answers the same refusal in Russian."""
    admin_client, admin_csrf, admin, offices = _kazakh_admin(sqlite_demo_full)
    karaganda = offices["karaganda_region"]

    # an act type named in I.58 is not removed: the refusal in Kazakh, the type's name as data
    builtin = admin_client.post("/act-types/protest/delete", data={"csrf_token": admin_csrf, "version": "1",
                                                                   "confirm": "1"})
    assert builtin.status_code == 409
    shown = _visible_text(builtin.text)
    assert "түрі Нұсқаулықтың 58-тармағында аталған және жойылмайды" in shown
    assert "назван в п. 58 Инструкции" not in shown

    # a quarterly plan's item for another quarter: the quarter put into the Kazakh template
    client = client_for(sqlite_demo_full)
    csrf = web_login(client, "karaganda")
    client.get("/lang/kk")
    plan, version, ordinary = _new_plan(client, csrf, admin, karaganda["id"], "1")
    item = {"csrf_token": csrf, "version": version, "topic": "Тақырып", "quarter": "2",
            "responsible_person_id": str(ordinary["id"])}
    refused = client.post(f"{plan}/items", data=item)
    assert refused.status_code == 422
    shown = _visible_text(refused.text)
    assert "жоспар 1-тоқсанға жасалған: тармақ та соған жатады" in shown
    assert "план составлен на" not in shown

    # the same refusal through the API: the Russian text
    plan_id = plan.rstrip("/").rsplit("/", 1)[1]
    own = bearer(client, "karaganda")
    api = client.post(f"/api/v1/analysis-plans/{plan_id}/items", headers=own, json={
        "version": int(version), "topic": "Тема", "quarter": 2, "responsible_person_id": ordinary["id"]})
    assert api.status_code == 422
    assert api.json()["errors"] == [{"field": "quarter", "message": "план составлен на 1-й квартал: пункт относится "
                                                                    "к нему же"}]

    # a file of a type not allowed, on a check's card: the allowed types in Kazakh where they are words
    checks = client.get("/checks").text
    check_id = re.search(r'href="/checks/(\d+)"', checks)
    assert check_id is not None
    bad = client.post(f"/checks/{check_id.group(1)}/attachments", data={"csrf_token": csrf},
                      files={"file": ("a.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")})
    assert bad.status_code == 422
    shown = _visible_text(bad.text)
    assert "файл түріне жол берілмейді: мазмұны бойынша бұл PDF, PNG" in shown and "UTF-8 мәтіні" in shown
    assert "тип файла не допускается" not in shown and "текст UTF-8" not in shown
    api = client.post(f"/api/v1/checks/{check_id.group(1)}/attachments", headers=own,
                      files={"file": ("a.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")})
    assert api.status_code == 422
    assert api.json()["errors"][0]["message"].startswith("тип файла не допускается: по содержимому это не PDF, PNG")

    # a card's documents: what a document still lacks, in Kazakh
    lacking = ""
    for card_id in dict.fromkeys(re.findall(r'href="/checks/(\d+)"', checks)):
        card = client.get(f"/checks/{card_id}").text
        documents = _visible_text(card[card.index('id="h-documents"'):card.index('id="attach"')])
        if "көрсетілмеген:" in documents:
            lacking = documents
            break
    assert lacking, "a demo check lacks a document's part"
    assert "не указано:" not in lacking


def test_kazakh_mode_shows_the_fixed_refusals_of_the_kernel_and_the_card_in_kazakh_and_the_api_answers_russian(
        sqlite_demo_full: Platform) -> None:
    """Issue 7 §6, the fixed refusals that were still Russian: a resolution dated after the check's start (the
    kernel), a withdrawal unconfirmed or without its reason (the card's form) — in Kazakh on a Kazakh page,
    in Russian in the API."""
    client = client_for(sqlite_demo_full)
    csrf = web_login(client, "karaganda")
    client.get("/lang/kk")
    own = bearer(client, "karaganda")
    offices = {o["code"]: o for o in client.get("/api/v1/offices", headers=own).json()}
    opened = client.post("/api/v1/checks", headers=own, json={
        "office_id": offices["karaganda_region"]["id"],
        "step": {"type": "opened", "date": "2026-03-02", "subject_kind": "state_body", "basis": "protect_rights",
                 "protected_interest": ["vulnerable_persons"], "control_body_failed": True},
        "details": {"subject_name": "Қарағанды облысының білім басқармасы"}})
    assert opened.status_code == 201, opened.text
    item = opened.json()
    card = f"/checks/{item['id']}"
    signer = next(p["id"] for p in client.get("/api/v1/people", headers=own).json()
                  if p["office_id"] == offices["karaganda_region"]["id"])

    # the kernel: a check's start before the resolution's date
    early = client.post(f"{card}/steps", data={
        "csrf_token": csrf, "version": str(item["version"]), "step_type": "resolution_signed", "date": "2026-03-04",
        "signer_person_id": str(signer), "start_date": "2026-03-03", "end_date": "2026-03-31"})
    assert early.status_code == 422
    shown = unescape(_visible_text(early.text))
    assert "тексерудің басталуы қаулы күнінен ерте болуы мүмкін емес" in shown
    assert "начало проверки не может быть раньше даты постановления" not in shown

    # the card's withdrawal form (on a demo check with a step after its first): unconfirmed, then without a reason
    withdrawal = None
    for check_id in dict.fromkeys(re.findall(r'href="/checks/(\d+)"', client.get("/checks").text)):
        withdrawal = re.search(rf'action="(/checks/{check_id}/withdrawal)".*?name="version" value="(\d+)"',
                               client.get(f"/checks/{check_id}").text, re.S)
        if withdrawal:
            break
    assert withdrawal is not None, "a demo check has a step to withdraw"
    url, version = withdrawal.groups()
    unconfirmed = client.post(url, data={"csrf_token": csrf, "version": version, "reason": "қате"})
    assert unconfirmed.status_code == 422
    shown = unescape(_visible_text(unconfirmed.text))
    assert "қадамды кері қайтаруды растаңыз" in shown and "подтвердите отзыв шага" not in shown
    reasonless = client.post(url, data={"csrf_token": csrf, "version": version, "confirm": "on"})
    assert reasonless.status_code == 422
    shown = unescape(_visible_text(reasonless.text))
    assert "кері қайтару себебін көрсетіңіз" in shown and "укажите причину отзыва" not in shown

    # the API answers the kernel's refusal in Russian
    api = client.post(f"/api/v1/checks/{item['id']}/steps", headers=own, json={
        "version": item["version"], "step": {"type": "resolution_signed", "date": "2026-03-04",
                                             "signer_person_id": signer, "start_date": "2026-03-03",
                                             "end_date": "2026-03-31"}})
    assert api.status_code == 422
    assert {"field": "step.start_date", "message": "начало проверки не может быть раньше даты постановления"} \
        in api.json()["errors"]
