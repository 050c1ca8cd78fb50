"""The analysis card's own parts through the forms (issue 10, SQLite): the sources checklist (R.12) refused
with the source named and nothing stored, then saved; the certificate's parts on the `ended` form (R.18)
refused with the reason; the petition (R.23) opening its check from the card, the new-check form filled
from it and the link shown on both cards; the documents offered on the card; the register of
requirements with its filters, sort and exports. The clock is frozen."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from nadzor.analyses import api as api_analyses
from nadzor.analyses import pages as pages_analyses
from nadzor.analyses.details import SOURCES
from nadzor.bootstrap import Platform
from nadzor.web import security
from tests.support.analyses import CERTIFICATE, PETITION, RAPPORT_FORM
from tests.support.web import bearer, client_for, office_id, person_id, web_login

TODAY = date(2026, 11, 25)
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"


@pytest.fixture
def client(sqlite_demo: Platform, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    for module in (pages_analyses, api_analyses, security):
        monkeypatch.setattr(module, "today", lambda request: TODAY)
    return client_for(sqlite_demo)


def _version(client: TestClient, url: str) -> str:
    found = re.search(r'name="version" value="(\d+)">\s*<input type="hidden" name="step_type"', client.get(url).text)
    assert found is not None
    return found.group(1)


def test_the_analysis_card_records_sources_the_certificate_and_a_petition_that_opens_its_check(
        client: TestClient) -> None:
    csrf = web_login(client, "almaty")
    headers = bearer(client, "almaty")
    office, head = office_id(client, headers, "almaty_city"), person_id(client, headers, ALMATY_HEAD)
    opened = client.post("/analyses/new", data={"csrf_token": csrf, "office_id": str(office),
                                                "subject_name": "Закупки в сфере образования",
                                                "date": "2026-10-01", "via": "rapport", "basis": "information",
                                                "signer_person_id": str(head), **RAPPORT_FORM})
    assert opened.status_code == 303, opened.text
    partial = {k: v for k, v in RAPPORT_FORM.items() if k != "details.grounds"}
    unfinished = client.post("/analyses/new", data={"csrf_token": csrf, "office_id": str(office), "date": "2026-10-01",
                                                    "via": "rapport", "basis": "information",
                                                    "signer_person_id": str(head), **partial})
    assert unfinished.status_code == 422  # R.11: the rapport's grounds and subject, named and linked
    assert 'href="#opened-details-grounds">Рапорт: мотивированные основания: обязательная часть' in unfinished.text
    assert 'href="#opened-subject_name">Тема анализа:' in unfinished.text
    assert 'value="Сарсенбаев И. М., прокурор"' in unfinished.text
    card = opened.headers["location"]
    aid = int(card.rsplit("/", 1)[1])
    page = client.get(card)
    assert "Источники сведений" in page.text and "итоги встреч с населением" in page.text
    # R.12: «other sources» used without saying which — the source named in words, nothing stored
    refused = client.post(f"{card}/sources", data={"csrf_token": csrf, "used.statistics": "on", "used.other": "on",
                                                   "note.statistics": "форма 1-П"})
    assert refused.status_code == 422
    assert "укажите, какие другие источники информации использованы" in refused.text
    assert 'href="#source-other-note"' in refused.text and "sources.11" not in refused.text
    assert client.get(f"/api/v1/analyses/{aid}/sources", headers=headers).json()["recorded"] is False
    saved = client.post(f"{card}/sources", data={"csrf_token": csrf, "used.statistics": "on",
                                                 "note.statistics": "форма 1-П", "used.media": "on"})
    assert saved.status_code == 303, saved.text
    used = client.get(f"/api/v1/analyses/{aid}/sources", headers=headers).json()["used"]
    assert [(s["code"], s["note"]) for s in used] == [("statistics", "форма 1-П"), ("media", "")]
    page = client.get(card)
    assert 'id="source-statistics" name="used.statistics" checked' in page.text
    # R.18: the `ended` form holds the certificate's parts; a missing part refuses the step with the reason
    version = _version(client, card)
    parts = {f"details.{k}": v for k, v in CERTIFICATE.items()}
    short = client.post(f"{card}/steps", data={"csrf_token": csrf, "version": version, "step_type": "ended",
                                               "date": "2026-10-20", **{k: v for k, v in parts.items()
                                                                        if k != "details.causes"}})
    assert short.status_code == 409
    assert "причины и условия совершения правонарушений (ч. 3)" in short.text
    ended = client.post(f"{card}/steps", data={"csrf_token": csrf, "version": version, "step_type": "ended",
                                               "date": "2026-10-20", **parts})
    assert ended.status_code == 303, ended.text
    page = client.get(card)
    assert "Справка о результатах анализа" in page.text and CERTIFICATE["proposals"] in page.text
    assert f"/api/v1/analyses/{aid}/documents/analysis_certificate?step=1&amp;format=docx" in page.text
    # R.23: the petition with its parts; the card offers to open its check
    petition = client.post(f"{card}/steps", data={
        "csrf_token": csrf, "version": _version(client, card), "step_type": "decision", "date": "2026-10-22",
        "decision": "gp_petition", "signer_person_id": str(head),
        **{f"details.{k}": v for k, v in PETITION.items()}})
    assert petition.status_code == 303, petition.text
    page = client.get(card)
    link = f"/checks/new?origin_analysis={aid}&amp;origin_step=2"
    assert link in page.text
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    assert PETITION["subject_name"] in form.text and 'value="2026-10-22"' in form.text
    assert re.search(r'<option value="business" selected>', form.text)
    assert f'name="origin_analysis" value="{aid}"' in form.text
    made = client.post("/checks/new", data={"csrf_token": csrf, "origin_analysis": str(aid), "origin_step": "2",
                                            "office_id": str(office), "subject_name": PETITION["subject_name"],
                                            "date": "2026-10-23", "subject_kind": "business",
                                            "basis": "protect_rights", "protected_interest": "indefinite_circle"})
    assert made.status_code == 303, made.text
    check = client.get(made.headers["location"])
    assert "Основание: ходатайство по результатам анализа" in check.text and f'href="/analyses/{aid}"' in check.text
    page = client.get(card)
    assert link not in page.text and made.headers["location"] in page.text


def test_the_register_of_requirements_page_filters_and_links_its_exports(client: TestClient) -> None:
    web_login(client, "almaty")
    page = client.get("/analyses/requirements", params={"target": "business", "sort": "number"})
    assert page.status_code == 200
    assert "<h1>Требования о проведении проверок</h1>" in page.text
    assert "/api/v1/analysis-requirements?target=business&amp;sort=number&amp;format=xlsx" in page.text
    wrong = client.get("/analyses/requirements", params={"date_from": "32.13.2026"})
    assert wrong.status_code == 422
    assert 'href="#f-date_from"' in wrong.text and "Направлено с" in wrong.text



def test_the_card_shows_the_sources_in_the_words_of_r12_and_the_register_its_targets() -> None:
    from nadzor.analyses.details import TARGET_LABELS as SERVICE_TARGETS
    from nadzor.casework.labels import SOURCE_LABELS, TARGET_LABELS

    assert SOURCE_LABELS == SOURCES and len(SOURCES) == 12
    assert TARGET_LABELS == SERVICE_TARGETS
