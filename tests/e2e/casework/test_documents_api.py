"""Documents of stored proceedings through the API on SQLite and PostgreSQL (issue 8 §4, issue 9
documents, issue 10 request letter): the proceedings are built through the REST API, the produced
DOCX is opened with python-docx and the PDF with pypdf, and the stored values — number, dates
dd.mm.yyyy, subject, signer's name and position (acting where so) — are found in them; incomplete data
are refused naming every missing field; a proceeding out of scope is not found."""

from __future__ import annotations

import io
import os
import shutil
from typing import Any

import docx
import pypdf
import pytest
from fastapi.testclient import TestClient

from nadzor.bootstrap import Platform
from tests.support.acts import checklist
from tests.support.analyses import RAPPORT
from tests.support.web import bearer, client_for, office_id, person_id

MEDEU = "almaty_city.medeu_district"
ALMATY = "almaty_city"
HEAD = "Рахимов Азамат Маратович"  # district prosecutor of Medeu
DEPUTY = "Есимова Алия Нурлановна"  # deputy; acted for the head 02.08–20.08.2021 (demo data)
ALMATY_HEAD = "Нурпеисов Канат Жаксылыкович"  # prosecutor of Almaty city
ZONE_PROSECUTOR = "Сарсенбаев Ильяс Муратович"  # Almaty city, zone: Medeu (I.68)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IN_CI = os.environ.get("CI") == "true"

SUBJECT = {"subject_name": "ГУ «Управление образования города Алматы»", "subject_location": "г. Алматы, ул. Абая, 1",
           "subject_bin_iin": "940140000385"}
#: The resolution's parts (I.13) as posted with `resolution_signed`, its assignees as the document shows them.
RESOLUTION = {"topic": "соблюдение прав детей на образование", "period_from": "2020-01-01",
              "period_to": "2021-06-30", "subject_rights_duties": "Права и обязанности субъекта разъяснены."}
CHECKED_PERIOD = "с 01.01.2020 по 30.06.2021"
ASSIGNEE = "Токтаров Санжар Ерболович"  # a prosecutor of Medeu
SPECIALIST = {"name": "Ким Алексей Андреевич", "organization": "ТОО «Аудит-Эксперт»"}


@pytest.fixture
def client(demo: Platform) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def text_of_docx(content: bytes) -> str:
    """Every paragraph and table cell of the document, whitespace collapsed."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())


def text_of_pdf(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def create(client: TestClient, headers: dict[str, str], collection: str, step: dict[str, Any],
           details: dict[str, Any] | None = None, office: str = MEDEU) -> dict[str, Any]:
    body: dict[str, Any] = {"office_id": office_id(client, headers, office), "step": step}
    if details is not None:
        body["details"] = details
    response = client.post(f"/api/v1/{collection}", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def record(client: TestClient, headers: dict[str, str], collection: str, item: dict[str, Any],
           step: dict[str, Any], details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"version": item["version"], "step": step}
    if details is not None:
        body["details"] = details
    response = client.post(f"/api/v1/{collection}/{item['id']}/steps", headers=headers, json=body)
    assert response.status_code == 201, (step, response.text)
    return dict(response.json())


def document(client: TestClient, headers: dict[str, str], collection: str, item: dict[str, Any], code: str,
             **params: Any) -> Any:
    return client.get(f"/api/v1/{collection}/{item['id']}/documents/{code}", headers=headers, params=params)


def docx_text(client: TestClient, headers: dict[str, str], collection: str, item: dict[str, Any], code: str,
              **params: Any) -> str:
    response = document(client, headers, collection, item, code, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert "attachment" in response.headers["content-disposition"]
    return text_of_docx(response.content)


def signed_check(client: TestClient, headers: dict[str, str], *, signer: str = DEPUTY,
                 details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A state-body check of Medeu, its resolution signed on 02.08.2021 and registered."""
    item = create(client, headers, "checks", {
        "type": "opened", "date": "2021-08-02", "subject_kind": "state_body", "basis": "protect_rights",
        "protected_interest": ["vulnerable_persons"], "control_body_failed": True},
        SUBJECT if details is None else details)
    item = record(client, headers, "checks", item, {
        "type": "resolution_signed", "date": "2021-08-02", "signer_person_id": person_id(client, headers, signer),
        "start_date": "2021-08-03", "end_date": "2021-09-01"},
        {"number": "2-0512-21/117", **RESOLUTION, "assignees": [person_id(client, headers, ASSIGNEE), SPECIALIST]})
    return record(client, headers, "checks", item, {"type": "registered", "date": "2021-08-02",
                                                    "number": "217510010000123"})


def test_resolution_on_a_check_holds_the_stored_values_and_the_acting_signer_I_13(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = signed_check(client, almaty)
    text = docx_text(client, almaty, "checks", item, "check_resolution")
    for value in ("Прокуратура Медеуского района города Алматы", "№ 2-0512-21/117", "02.08.2021",
                  "с 03.08.2021 по 01.09.2021", SUBJECT["subject_name"], SUBJECT["subject_bin_iin"],
                  SUBJECT["subject_location"], RESOLUTION["topic"], CHECKED_PERIOD, ASSIGNEE, SPECIALIST["name"],
                  "№ 217510010000123 от 02.08.2021", DEPUTY,
                  "Исполняющий обязанности прокурора Медеуского района города Алматы",
                  "противодействии коррупции"):  # the subject matter of I.22, added automatically
        assert value in text, value
    assert "ПОСТАНОВЛЕНИЕ" in text


def test_a_withdrawn_step_is_left_out_of_the_documents(client: TestClient, almaty: dict[str, str]) -> None:
    item = signed_check(client, almaty)
    assert "217510010000123" in docx_text(client, almaty, "checks", item, "check_resolution")
    response = client.post(f"/api/v1/checks/{item['id']}/withdrawal", headers=almaty,
                           json={"version": item["version"], "reason": "ошибочный номер регистрации"})
    assert response.status_code == 200, response.text
    text = docx_text(client, almaty, "checks", item, "check_resolution")
    assert "217510010000123" not in text
    assert "зарегистрировано" not in text


def suspended_without_reasons(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """A signed check (its resolution complete: checked at entry) suspended with no reasons given."""
    item = signed_check(client, headers, signer=HEAD)
    item = record(client, headers, "checks", item, {"type": "started", "date": "2021-08-03"})
    return record(client, headers, "checks", item, {"type": "suspended", "date": "2021-08-05",
                                                    "signer_person_id": person_id(client, headers, HEAD),
                                                    "ground": "expertise"})


def test_the_list_says_what_can_be_generated_and_what_is_missing(client: TestClient, almaty: dict[str, str]) -> None:
    item = suspended_without_reasons(client, almaty)
    response = client.get(f"/api/v1/checks/{item['id']}/documents", headers=almaty)
    assert response.status_code == 200, response.text
    offers = {(d["code"], d["step"]): d for d in response.json()["documents"]}
    assert offers[("check_resolution", 1)]["available"] is True
    suspension = offers[("suspension_resolution", 4)]
    assert suspension["available"] is False
    assert {m["field"] for m in suspension["missing"]} == {"details.reasons"}
    assert offers[("certificate", None)]["available"] is False
    assert offers[("certificate", None)]["missing"][0]["field"] == "step"
    assert not any(code == "protest" for code, _ in offers)  # documents of another kind are not offered


def test_finding_generation_refuses_naming_the_missing_fields(client: TestClient, almaty: dict[str, str]) -> None:
    item = suspended_without_reasons(client, almaty)
    response = document(client, almaty, "checks", item, "suspension_resolution")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["details.reasons"]
    wrong_step = document(client, almaty, "checks", item, "check_resolution", step=0)
    assert wrong_step.status_code == 422
    assert wrong_step.json()["errors"][0]["field"] == "step"
    bad_step = document(client, almaty, "checks", item, "check_resolution", step="x")
    assert bad_step.status_code == 422
    assert bad_step.json()["errors"][0]["field"] == "step"
    bad_format = document(client, almaty, "checks", item, "check_resolution", format="odt")
    assert bad_format.status_code == 422
    assert bad_format.json()["errors"][0]["field"] == "format"
    not_yet = document(client, almaty, "checks", item, "certificate")
    assert not_yet.status_code == 422
    assert not_yet.json()["errors"][0]["field"] == "step"


def test_a_document_of_a_proceeding_out_of_scope_is_not_found(client: TestClient, almaty: dict[str, str]) -> None:
    item = signed_check(client, almaty)
    karaganda = bearer(client, "karaganda")
    assert document(client, karaganda, "checks", item, "check_resolution").status_code == 404
    assert client.get(f"/api/v1/checks/{item['id']}/documents", headers=karaganda).status_code == 404
    assert document(client, almaty, "acts", item, "protest").status_code == 404  # another collection
    assert document(client, almaty, "checks", item, "no_such_document").status_code == 404
    assert document(client, almaty, "checks", item, "protest").status_code == 404  # another kind's document
    assert client.get(f"/api/v1/checks/{item['id']}/documents/check_resolution").status_code == 401


def test_the_documents_of_a_checks_life_I_10_to_I_23(client: TestClient, almaty: dict[str, str]) -> None:
    head, city_head = person_id(client, almaty, HEAD), person_id(client, almaty, ALMATY_HEAD)
    business = create(client, almaty, "checks", {"type": "opened", "date": "2021-09-01", "subject_kind": "business",
                                                 "basis": "protect_rights", "protected_interest": ["indefinite_circle"],
                                                 "control_body_failed": True},
                      {"subject_name": "ТОО «Алма-Строй»", "subject_location": "г. Алматы",
                       "subject_bin_iin": "051240001234"})
    business = record(client, almaty, "checks", business, {"type": "gp_petition_sent", "date": "2021-09-02",
                                                            "signer_person_id": city_head},
                      {"justification": "Жалобы жильцов на аварийное состояние дома.",
                       "violation_signs": ["Нарушение строительных норм"],
                       "measures_taken": "Уполномоченный орган проверку не провел."})
    text = docx_text(client, almaty, "checks", business, "gp_petition")
    for value in ("Генеральному Прокурору Республики Казахстан", "ТОО «Алма-Строй»", "051240001234", "02.09.2021",
                  "Жалобы жильцов на аварийное состояние дома.", "Нарушение строительных норм", ALMATY_HEAD,
                  "Прокурор города Алматы"):
        assert value in text, value

    item = signed_check(client, almaty, signer=HEAD)
    expertise = {"kind": "строительно-техническую экспертизу", "grounds": "Требуются специальные знания.",
                 "objects": ["Проектная документация (получена от субъекта 05.08.2021)"],
                 "expert": "Центр судебных экспертиз МЮ РК", "destruction_allowed": False}
    for step, details in (
        ({"type": "started", "date": "2021-08-03"}, None),
        ({"type": "suspended", "date": "2021-08-05", "signer_person_id": head, "ground": "expertise"},
         {"reasons": "Назначена экспертиза проектной документации.", "expertise": expertise}),
        ({"type": "notice_sent", "date": "2021-08-06", "step": 4, "recipients": ["legal_statistics_body", "subject"]},
         None),
        ({"type": "resumed", "date": "2021-08-16", "signer_person_id": head},
         {"reasons": "Получено заключение эксперта."}),
        ({"type": "extension_petitioned", "date": "2021-08-23", "signer_person_id": head,
          "addressee": "regional_prosecutor"}, {"days": 10, "justification": "Значительный объем проверки."}),
    ):
        item = record(client, almaty, "checks", item, step, details)
    text = docx_text(client, almaty, "checks", item, "suspension_resolution")
    assert all(v in text for v in ("05.08.2021", "назначение экспертизы", "до получения заключения эксперта",
                                   "Назначена экспертиза проектной документации.", HEAD,
                                   "Прокурор Медеуского района города Алматы", "№ 217510010000123"))
    text = docx_text(client, almaty, "checks", item, "expertise_resolution")
    assert all(v in text for v in ("строительно-техническую экспертизу", "Центр судебных экспертиз МЮ РК",
                                   "Проектная документация", "не разрешается", "05.08.2021", HEAD))
    notice = docx_text(client, almaty, "checks", item, "order_notice", step=4)
    assert all(v in notice for v in ("УВЕДОМЛЕНИЕ", "о приостановлении производства проверки", "05.08.2021",
                                     SUBJECT["subject_name"], "правовой статистике"))
    text = docx_text(client, almaty, "checks", item, "resumption_resolution")
    # 30 days from 03.08, the days 05.08–15.08 paused (K6): the last day moves from 01.09 to 12.09.2021
    assert all(v in text for v in ("16.08.2021", "Получено заключение эксперта.", "12.09.2021"))
    text = docx_text(client, almaty, "checks", item, "extension_petition")
    assert all(v in text for v in ("Прокурору города Алматы", "Значительный объем проверки.", "на 10 календарных",
                                   "12.09.2021", "23.08.2021", HEAD))

    gp_user = bearer(client, "genprokuror")
    general = person_id(client, gp_user, "Асанов Берик Нурланович")  # the Prosecutor General
    item = record(client, almaty, "checks", item, {"type": "extension_forwarded", "date": "2021-08-24",
                                                   "signer_person_id": city_head})
    item = record(client, gp_user, "checks", item, {"type": "extended", "date": "2021-08-26",
                                                    "signer_person_id": general, "days": 10},
                  {"reasons": "Истребованы дополнительные материалы."})
    text = docx_text(client, almaty, "checks", item, "extension_resolution")
    assert all(v in text for v in ("ПОСТАНОВЛЕНИЕ", "на 10 календарных дней", "до 22.09.2021", "26.08.2021",
                                   "Истребованы дополнительные материалы.", "Асанов Берик Нурланович",
                                   "Генеральный Прокурор Республики Казахстан"))
    item = record(client, almaty, "checks", item, {"type": "composition_changed", "date": "2021-08-27",
                                                   "signer_person_id": head},
                  {"reasons": "Болезнь участника проверки.", "assignees": [person_id(client, almaty, DEPUTY)]})
    text = docx_text(client, almaty, "checks", item, "composition_resolution")
    assert all(v in text for v in ("27.08.2021", DEPUTY, "Болезнь участника проверки.", HEAD))
    assert ASSIGNEE not in text  # the new composition, not the resolution's

    certificate = {"date": "2021-09-14", "place": "г. Алматы", "grounds": "постановление № 2-0512-21/117",
                   "subject_name": SUBJECT["subject_name"], "topic": RESOLUTION["topic"],
                   "general_info": "Сведения по теме.", "legality_assessment": "Выявлены нарушения.",
                   "causes_analysis": "Слабый контроль.", "remedy_mechanism": "Внести представление.",
                   "conclusions": "Внести представление.", "signatures": ["Токтаров С. Е."]}
    item = record(client, almaty, "checks", item, {"type": "ended", "date": "2021-09-10"})
    item = record(client, almaty, "checks", item, {"type": "certificate_delivered", "date": "2021-09-14",
                                                   "acknowledged": True}, {"certificate": certificate})
    text = docx_text(client, almaty, "checks", item, "certificate")
    assert all(v in text for v in ("СПРАВКА", "14.09.2021", "Выявлены нарушения.", "Слабый контроль.",
                                   "Токтаров С. Е.", SUBJECT["subject_name"]))


def test_the_documents_of_acts_protest_covering_letter_and_superior_suspension_I_58_I_60_I_62(
        client: TestClient, almaty: dict[str, str]) -> None:
    head, city_head = person_id(client, almaty, HEAD), person_id(client, almaty, ALMATY_HEAD)
    zone = person_id(client, almaty, ZONE_PROSECUTOR)
    content = ["legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"]
    details = {"addressee_name": "Акиму Медеуского района", "protested_act": "решение акима № 15 от 01.09.2021",
               "legal_essence": "Решение принято с превышением полномочий.",
               "norms": ["ст. 31 Закона «О местном государственном управлении»"],
               "consequences": "Нарушены права жителей.", "causes": "Отсутствие правовой экспертизы.",
               "demand_elimination": "Отменить решение.", "liability": "Рассмотреть ответственность виновных."}
    act = create(client, almaty, "acts", {"type": "drafted", "date": "2021-09-07", "act_type": "protest",
                                          "addressee_central_body": False, "content": content}, details)
    draft = document(client, almaty, "acts", act, "protest")
    assert draft.status_code == 422  # a draft records no signer: the person is named in its details
    assert [e["field"] for e in draft.json()["errors"]] == ["details.signer_person_id"]
    signed_draft = create(client, almaty, "acts", {"type": "drafted", "date": "2021-09-07", "act_type": "protest",
                                                   "addressee_central_body": False, "content": content},
                          details | {"signer_person_id": head})
    assert "Отменить решение." in docx_text(client, almaty, "acts", signed_draft, "protest")
    act = record(client, almaty, "acts", act, {"type": "issued", "date": "2021-09-08", "signer_person_id": head,
                                               "response_due": "2021-10-08"}, {"number": "2-0512-21/300"})
    text = docx_text(client, almaty, "acts", act, "protest")
    for value in ("ПРОТЕСТ", "решение акима № 15 от 01.09.2021", "Акиму Медеуского района", "08.09.2021",
                  "№ 2-0512-21/300", "ст. 31 Закона «О местном государственном управлении»", "ТРЕБУЮ",
                  "Отменить решение.", "08.10.2021", HEAD, "Прокурор Медеуского района города Алматы"):
        assert value in text, value
    assert document(client, almaty, "acts", act, "representation").status_code == 404  # not this act type

    act = record(client, almaty, "acts", act, {"type": "superior_decision", "date": "2021-09-10",
                                               "decision": "suspend"},
                 {"signer_person_id": zone, "reasons": "До проверки законности протеста."})
    text = docx_text(client, almaty, "acts", act, "superior_suspension_letter")
    for value in ("Прокуратура города Алматы", "10.09.2021", "приостанавливается", "протест", "08.09.2021",
                  ZONE_PROSECUTOR, "Акиму Медеуского района"):
        assert value in text, value

    central = create(client, almaty, "acts", {"type": "drafted", "date": "2021-09-07", "act_type": "representation",
                                              "addressee_central_body": True, "content": content},
                     details | {"addressee_name": "Министерству просвещения Республики Казахстан"}, office=ALMATY)
    missing = record(client, almaty, "acts", central, {"type": "sent_to_gpo", "date": "2021-09-09"})
    refused = document(client, almaty, "acts", missing, "gpo_covering_letter")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["details.signer_person_id"]
    central = create(client, almaty, "acts", {"type": "drafted", "date": "2021-09-07", "act_type": "representation",
                                              "addressee_central_body": True, "content": content},
                     details | {"addressee_name": "Министерству просвещения Республики Казахстан"}, office=ALMATY)
    central = record(client, almaty, "acts", central, {"type": "sent_to_gpo", "date": "2021-09-09"},
                     {"signer_person_id": city_head})
    text = docx_text(client, almaty, "acts", central, "gpo_covering_letter")
    for value in ("Генеральная прокуратура Республики Казахстан", "представление",
                  "Министерству просвещения Республики Казахстан", "09.09.2021", ALMATY_HEAD,
                  "Прокурор города Алматы", "десяти рабочих дней"):
        assert value in text, value


def test_the_documents_of_an_evaluation_request_suspension_transfer_court_R_25_to_R_31(
        client: TestClient, almaty: dict[str, str]) -> None:
    head, city_head = person_id(client, almaty, HEAD), person_id(client, almaty, ALMATY_HEAD)
    act = {"adopting_body": "Маслихат города Алматы", "act_title": "Решение о ставках платы",
           "act_number": "45", "act_date": "2021-06-30"}
    opened = {"type": "opened", "date": "2021-09-01", "context": "analysis", "act_kind": "normative"}
    item = create(client, almaty, "evaluations", opened, act)
    item = record(client, almaty, "evaluations", item, {"type": "act_requested", "date": "2021-09-01"},
                  {"signer_person_id": head})
    text = docx_text(client, almaty, "evaluations", item, "act_request")
    for value in ("Маслихат города Алматы", "Решение о ставках платы № 45 от 30.06.2021", "01.09.2021",
                  "не позднее 16.09.2021", HEAD):
        assert value in text, value
    for step, details in (
        ({"type": "act_received", "date": "2021-09-10"}, None),
        ({"type": "studied", "date": "2021-09-15", "violations": ["conformity"]},
         {"checklist": checklist(["conformity"]), "signer_person_id": head}),
        ({"type": "protest_issued", "date": "2021-09-16", "addressee": "adopting_body", "competent": True}, None),
        ({"type": "act_suspended", "date": "2021-09-16", "signer_person_id": city_head,
          "irreversible_consequences": True}, {"reasons": "Взимание платы влечет необратимые последствия."}),
        ({"type": "published", "date": "2021-09-16"}, None),
        ({"type": "protest_decided", "date": "2021-09-30", "granted": False}, None),
        ({"type": "court_application", "date": "2021-10-05"},
         {"signer_person_id": head, "court": "Специализированный межрайонный административный суд г. Алматы",
          "procedure_code": "АППК", "demands": ["Признать решение незаконным."]}),
    ):
        item = record(client, almaty, "evaluations", item, step, details)
    text = docx_text(client, almaty, "evaluations", item, "act_suspension_resolution")
    for value in ("16.09.2021", "Взимание платы влечет необратимые последствия.", "незамедлительному опубликованию",
                  ALMATY_HEAD, "Прокурор города Алматы"):
        assert value in text, value
    text = docx_text(client, almaty, "evaluations", item, "court_application")
    for value in ("ПРОЕКТ", "Специализированный межрайонный административный суд г. Алматы",
                  "Административным процедурно-процессуальным кодексом", "Признать решение незаконным.",
                  "несоответствие установленным законами требованиям", "16.09.2021", "30.09.2021", "05.10.2021"):
        assert value in text, value

    other = create(client, almaty, "evaluations", opened, act)
    for step, details in (
        ({"type": "act_received", "date": "2021-09-10"}, None),
        ({"type": "studied", "date": "2021-09-15", "violations": ["competence"]},
         {"checklist": checklist(["competence"]), "signer_person_id": head}),
    ):
        other = record(client, almaty, "evaluations", other, step, details)
    no_target = client.post(f"/api/v1/evaluations/{other['id']}/steps", headers=almaty, json={
        "version": other["version"], "step": {"type": "transferred", "date": "2021-09-16"},
        "details": {"signer_person_id": head}})
    assert no_target.status_code == 422
    assert [e["field"] for e in no_target.json()["errors"]] == ["details.target_office_id"]
    other = record(client, almaty, "evaluations", other, {"type": "transferred", "date": "2021-09-16"},
                   {"signer_person_id": head, "target_office_id": office_id(client, almaty, "almaty_city")})
    assert other["steps"][-1]["details"]["transfer_to"] == "Прокуратура города Алматы"
    text = docx_text(client, almaty, "evaluations", other, "transfer_letter")
    for value in ("Прокуратура города Алматы", "отсутствие компетенции", "по компетенции", "16.09.2021", HEAD,
                  "Решение о ставках платы № 45 от 30.06.2021"):
        assert value in text, value
    text = docx_text(client, almaty, "evaluations", other, "study_conclusion")
    for value in ("ЗАКЛЮЧЕНИЕ", "наличие компетенции и полномочий по принятию акта: не соответствует — "
                  "противоречит статье 10 Закона", "соответствие установленным законами требованиям: соответствует",
                  "Выявлены нарушения", "15.09.2021"):
        assert value in text, value


def test_the_information_request_letter_of_an_analysis_R_13(client: TestClient, almaty: dict[str, str]) -> None:
    head = person_id(client, almaty, HEAD)
    item = create(client, almaty, "analyses", {"type": "opened", "date": "2021-09-01", "via": "rapport",
                                               "signer_person_id": head, "basis": "monitoring"},
                  {"topic": "законность тарифов на коммунальные услуги", **RAPPORT})
    item = record(client, almaty, "analyses", item, {"type": "info_requested", "date": "2021-09-03",
                                                     "addressee": "state_body"},
                  {"addressee_name": "Управлению энергетики г. Алматы", "signer_person_id": head,
                   "information": ["Сведения о тарифах за 2020–2021 годы", "Копии решений о тарифах"],
                   "number": "2-0512-21/555"})
    text = docx_text(client, almaty, "analyses", item, "info_request")
    for value in ("Управлению энергетики г. Алматы", "законность тарифов на коммунальные услуги", "03.09.2021",
                  "№ 2-0512-21/555", "Сведения о тарифах за 2020–2021 годы", "пятнадцати календарных дней", HEAD):
        assert value in text, value


@pytest.mark.skipif(shutil.which("soffice") is None and not IN_CI,
                    reason="LibreOffice is not installed (scripts/libreoffice); under CI=true this test runs")
def test_the_pdf_of_the_resolution_holds_the_same_values(client: TestClient, almaty: dict[str, str]) -> None:
    item = signed_check(client, almaty)
    response = document(client, almaty, "checks", item, "check_resolution", format="pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of_pdf(response.content)
    for value in ("2-0512-21/117", "02.08.2021", "03.08.2021", "01.09.2021", SUBJECT["subject_bin_iin"],
                  "Управление образования города Алматы", DEPUTY, "Исполняющий обязанности прокурора"):
        assert value in text, value


def test_pdf_without_libreoffice_answers_503_and_docx_still_works(
        client: TestClient, almaty: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    item = signed_check(client, almaty)
    monkeypatch.setenv("NADZOR_SOFFICE", "/nonexistent/soffice")
    response = document(client, almaty, "checks", item, "check_resolution", format="pdf")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "LibreOffice" in response.json()["detail"]
    assert document(client, almaty, "checks", item, "check_resolution").status_code == 200
