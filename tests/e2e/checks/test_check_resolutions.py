"""A check's resolutions on operative-search measures (I.19) and on expertise (I.20) as records, on
SQLite and PostgreSQL: recorded through the API with their fields, the signer resolved on the date
(acting assignments) and checked with `check.orm_resolution_signer` / `check.expertise_resolution_signer`
— a district prosecutor may appoint an expertise but not operative-search measures (409
`signer_not_allowed`, nothing stored); outside the check's conduct refused; bad input keyed by field;
audited; listed on the card; the DOCX names the check, the grounds and the signer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.checks.tables import check_resolutions
from nadzor.web import security
from tests.e2e.casework.test_documents_api import ALMATY_HEAD, DEPUTY, HEAD, text_of_docx
from tests.e2e.casework.test_proceedings_pages import TODAY, open_one, started
from tests.support.web import bearer, client_for, person_id

ORM = {"grounds": "Сведения о подготовке хищения бюджетных средств, полученные в ходе проверки.",
       "results_form": "справка с приложением материалов", "results_due": "2021-08-20",
       "measures": "наведение справок; наблюдение"}
EXPERTISE = {"kind": "судебно-бухгалтерская экспертиза",
             "grounds": "Требуются специальные познания в бухгалтерском учёте.",
             "objects": "Регистры бухгалтерского учёта за 2020 год (изъяты у субъекта)", "destruction_allowed": False,
             "expert": "Центр судебных экспертиз Министерства юстиции Республики Казахстан"}


@pytest.fixture
def client(demo: Platform, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(security, "today", lambda request: TODAY)
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def post(client: TestClient, headers: dict[str, str], item: dict[str, Any], body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/checks/{item['id']}/resolutions", headers=headers, json=body)


def _counts(platform: Platform) -> tuple[int, int]:
    with platform.read_only() as session:
        return (session.execute(select(func.count()).select_from(check_resolutions)).scalar_one(),
                session.execute(select(func.count()).select_from(audit_log)).scalar_one())


def test_i19_orm_resolution_signed_by_the_city_prosecutor_is_recorded_audited_shown_and_drawn_up(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    city = person_id(client, almaty, ALMATY_HEAD)
    before = _counts(demo)
    answer = post(client, almaty, item, {"type": "orm", "date": "2021-08-05", "signer_person_id": city,
                                         "fields": ORM})
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert record["signer"] == {"position": "regional_prosecutor"} and record["signer_name"] == ALMATY_HEAD
    assert record["number"] == f"{item['number']}/ОРМ-1" and record["fields"]["results_due"] == "2021-08-20"
    assert _counts(demo) == (before[0] + 1, before[1] + 1)
    with demo.read_only() as session:
        row = session.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert row is not None and row.action == "check.resolution_recorded" and row.object_id == str(item["id"])
    card = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert [r["id"] for r in card["resolutions"]] == [record["id"]]
    offered = client.get(f"/api/v1/checks/{item['id']}/documents", headers=almaty).json()["documents"]
    orm = [d for d in offered if d["code"] == "orm_resolution"]
    assert len(orm) == 1 and orm[0]["record"] == record["id"] and orm[0]["available"], orm
    produced = client.get(f"/api/v1/checks/{item['id']}/documents/orm_resolution", headers=almaty,
                          params={"record": record["id"]})
    assert produced.status_code == 200, produced.text
    text = text_of_docx(produced.content)
    for expected in ("ПОСТАНОВЛЕНИЕ", "оперативно-розыскных мероприятий", item["number"], ALMATY_HEAD,
                     "Управление образования г. Алматы", "подготовке хищения", "20.08.2021", "05.08.2021",
                     "справка с приложением материалов"):
        assert expected in text, expected
    # the web card lists it in the check's history
    from tests.support.web import web_login

    web_login(client, "almaty")
    page = client.get(f"/checks/{item['id']}")
    assert "Постановление о проведении оперативно-розыскных мероприятий" in page.text
    assert f"{item['number']}/ОРМ-1" in page.text


def test_i19_a_district_prosecutor_may_not_order_operative_search_measures_but_may_appoint_an_expertise(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    head = person_id(client, almaty, HEAD)
    before = _counts(demo)
    refused = post(client, almaty, item, {"type": "orm", "date": "2021-08-05", "signer_person_id": head,
                                          "fields": ORM})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "signer_not_allowed" and problem["citations"] == ["I.19"]
    assert "не вправе" in problem["message"] and "оперативно-розыскных" in problem["message"]
    assert _counts(demo) == before
    allowed = post(client, almaty, item, {"type": "expertise", "date": "2021-08-06", "signer_person_id": head,
                                          "number": "12-э", "fields": EXPERTISE})
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["number"] == "12-э"
    produced = client.get(f"/api/v1/checks/{item['id']}/documents/expertise_resolution", headers=almaty,
                          params={"record": allowed.json()["id"]})
    assert produced.status_code == 200, produced.text
    text = text_of_docx(produced.content)
    for expected in ("о назначении экспертизы", "судебно-бухгалтерская экспертиза", "12-э", HEAD, "06.08.2021",
                     "Центр судебных экспертиз"):
        assert expected in text, expected


def test_i19_the_deputy_acting_for_the_head_signs_as_acting_and_is_judged_by_that_position(
        client: TestClient, almaty: dict[str, str]) -> None:
    """The deputy acted for the district prosecutor 02.08–20.08.2021: an expertise is theirs to appoint
    then (I.20: «лицами, их замещающими»), the signer frozen as acting."""
    item = started(client, almaty, "Управление образования г. Алматы")
    deputy = person_id(client, almaty, DEPUTY)
    answer = post(client, almaty, item, {"type": "expertise", "date": "2021-08-09", "signer_person_id": deputy,
                                         "fields": EXPERTISE})
    assert answer.status_code == 201, answer.text
    assert answer.json()["signer"] == {"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}
    late = post(client, almaty, item, {"type": "expertise", "date": "2021-08-25", "signer_person_id": deputy,
                                       "fields": EXPERTISE})
    assert late.status_code == 409 and late.json()["code"] == "signer_not_allowed", late.text


def test_bad_input_is_keyed_by_field_and_a_check_not_conducted_refuses(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = started(client, almaty, "Управление образования г. Алматы")
    city = person_id(client, almaty, ALMATY_HEAD)
    before = _counts(demo)
    bad = post(client, almaty, item, {"type": "orm", "date": "2021-08-05", "signer_person_id": city,
                                      "fields": {"grounds": "", "results_due": "20.08.2021", "extra": 1}})
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"fields.grounds", "fields.results_form", "fields.results_due", "fields.extra"} <= fields, fields
    early = post(client, almaty, item, {"type": "orm", "date": "2021-08-01", "signer_person_id": city,
                                        "fields": ORM})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "date"
    due_before = post(client, almaty, item, {"type": "orm", "date": "2021-08-05", "signer_person_id": city,
                                             "fields": ORM | {"results_due": "2021-08-04"}})
    assert due_before.status_code == 422 and due_before.json()["errors"][0]["field"] == "fields.results_due"
    unknown = post(client, almaty, item, {"type": "survey", "date": "2021-08-05", "signer_person_id": city,
                                          "fields": ORM})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "type"
    not_started = open_one(client, almaty, "Акимат Медеуского района")
    refused = post(client, almaty, not_started, {"type": "orm", "date": "2021-08-05", "signer_person_id": city,
                                                 "fields": ORM})
    assert refused.status_code == 409 and refused.json()["code"] == "check_not_in_progress"
    other = bearer(client, "karaganda")
    hidden = post(client, other, item, {"type": "orm", "date": "2021-08-05", "signer_person_id": city,
                                        "fields": ORM})
    assert hidden.status_code == 404
    assert _counts(demo)[0] == before[0] == 0
    with demo.read_only() as session:
        assert session.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.action == "check.resolution_recorded")).scalar_one() == 0


def test_the_check_card_records_a_resolution_through_its_form_with_field_errors_and_refusals(
        client: TestClient, almaty: dict[str, str]) -> None:
    from tests.support.web import web_login

    item = started(client, almaty, "Управление образования г. Алматы")
    head, city = person_id(client, almaty, HEAD), person_id(client, almaty, ALMATY_HEAD)
    csrf = web_login(client, "almaty")
    card = client.get(f"/checks/{item['id']}")
    assert 'id="resolution-orm"' in card.text and 'id="resolution-expertise"' in card.text
    form = {"csrf_token": csrf, "resolution_type": "orm", "res-date": "2021-08-05",
            "res-signer_person_id": str(city), "res-grounds": "", "res-results_form": "справка",
            "res-results_due": "2021-08-20"}
    missing = client.post(f"/checks/{item['id']}/resolutions", data=form, follow_redirects=False)
    assert missing.status_code == 422
    assert 'href="#res-orm-grounds">Основания проведения оперативно-розыскных мероприятий:' in missing.text
    assert 'id="res-orm-grounds" name="res-grounds" rows="3" aria-invalid="true"' in missing.text
    assert 'value="справка"' in missing.text  # what was typed is kept
    refused = client.post(f"/checks/{item['id']}/resolutions", data=form | {
        "res-grounds": "Сведения о хищении", "res-signer_person_id": str(head)}, follow_redirects=False)
    assert refused.status_code == 409
    assert 'id="resolution-refusal"' in refused.text and "не вправе" in refused.text
    done = client.post(f"/checks/{item['id']}/resolutions", data=form | {"res-grounds": "Сведения о хищении"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#resolutions")
    shown = client.get(f"/checks/{item['id']}")
    assert "Сведения о хищении" in shown.text and "20.08.2021" in shown.text
    link = f'/api/v1/checks/{item["id"]}/documents/orm_resolution?record='
    assert link in shown.text
    href = shown.text[shown.text.index(link):].split('"')[0].replace("&amp;", "&")
    produced = client.get(href)  # the session's cookie suffices for the download
    assert produced.status_code == 200 and "Сведения о хищении" in text_of_docx(produced.content)


def test_the_card_takes_a_file_through_its_form_and_lists_it_for_download(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    """Issue 8 §3, §5: the check's page attaches a file (type told by the content) to the check or one
    of its steps and lists it with its download link; a file of a type not allowed is shown against
    its input and nothing is stored."""
    from nadzor.casework.tables import attachments
    from tests.support.files import pdf
    from tests.support.web import web_login

    item = started(client, almaty, "Управление образования г. Алматы")
    csrf = web_login(client, "almaty")
    url = f"/checks/{item['id']}/attachments"
    bad = client.post(url, data={"csrf_token": csrf, "note": "исполняемый файл"},
                      files={"file": ("opinion.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")},
                      follow_redirects=False)
    assert bad.status_code == 422
    assert 'href="#attach-file">Файл: тип файла не допускается' in bad.text
    assert 'value="исполняемый файл"' in bad.text
    with demo.read_only() as session:
        assert session.execute(select(func.count()).select_from(attachments)).scalar_one() == 0
    done = client.post(url, data={"csrf_token": csrf, "step": "2", "note": "заключение специалиста"},
                       files={"file": ("Заключение.pdf", pdf("Opinion 17"), "application/pdf")}, follow_redirects=False)
    assert done.status_code == 303, done.text
    card = client.get(f"/checks/{item['id']}")
    found = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()["attachments"]
    assert len(found) == 1 and found[0]["step"] == 2 and found[0]["note"] == "заключение специалиста"
    href = f'/api/v1/checks/{item["id"]}/attachments/{found[0]["id"]}'
    assert f'href="{href}" download>Заключение.pdf</a>' in card.text
    assert client.get(href).content == pdf("Opinion 17")


def test_the_certificate_is_entered_with_its_delivery_on_the_card_and_objections_with_the_answer(
        client: TestClient, almaty: dict[str, str]) -> None:
    """I.23 through the card's forms: delivering the certificate takes its parts (refused naming the
    missing ones in Russian), the objections are recorded with the answer to them."""
    from tests.e2e.casework.test_proceedings_api import record
    from tests.support.web import web_login

    item = started(client, almaty, "Управление образования г. Алматы")
    ended = record(client, almaty, item, {"type": "ended", "date": "2021-08-09"})
    assert ended.status_code == 201, ended.text
    item = ended.json()
    csrf = web_login(client, "almaty")
    card = client.get(f"/checks/{item['id']}")
    assert 'id="certificate_delivered-details-certificate-general_info"' in card.text
    form = {"csrf_token": csrf, "version": str(item["version"]), "step_type": "certificate_delivered",
            "date": "2021-08-10", "acknowledged": "on", "details.certificate.date": "2021-08-10",
            "details.certificate.place": "г. Алматы", "details.certificate.grounds": "постановление № 17",
            "details.certificate.subject_name": "Управление образования г. Алматы",
            "details.certificate.topic": "права детей на образование",
            "details.certificate.general_info": "Общие сведения.",
            "details.certificate.legality_assessment": "Выявлены нарушения.",
            "details.certificate.causes_analysis": "Причины — слабый контроль.",
            "details.certificate.remedy_mechanism": "Внести представление.",
            "details.certificate.conclusions": "Внести представление об устранении нарушений."}
    missing = client.post(f"/checks/{item['id']}/steps", data=form, follow_redirects=False)
    assert missing.status_code == 409
    assert "В справке не хватает: подписи проводивших проверку (п. 23 Инструкции)" in missing.text
    done = client.post(f"/checks/{item['id']}/steps", data=form | {
        "details.certificate.signatures": "Токтаров С.Е.\nКим А.А."}, follow_redirects=False)
    assert done.status_code == 303, done.text
    stored = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert stored["state"]["status"] == "certificate_delivered"
    assert stored["steps"][-1]["details"]["certificate"]["signatures"] == ["Токтаров С.Е.", "Ким А.А."]
    document = client.get(f"/api/v1/checks/{item['id']}/documents/certificate", headers=almaty)
    assert document.status_code == 200 and "Выявлены нарушения." in text_of_docx(document.content)
    objection = client.post(f"/checks/{item['id']}/steps", data={
        "csrf_token": csrf, "version": str(stored["version"]), "step_type": "objection_received",
        "date": "2021-08-12", "details.objections": "Не согласны с выводом о нарушении.",
        "details.answer": "Возражения рассмотрены, выводы справки подтверждены."}, follow_redirects=False)
    assert objection.status_code == 303, objection.text
    last = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()["steps"][-1]
    assert last["details"] == {"objections": "Не согласны с выводом о нарушении.",
                               "answer": "Возражения рассмотрены, выводы справки подтверждены."}
