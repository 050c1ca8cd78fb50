"""Attachments on stored proceedings through the API on SQLite and PostgreSQL (issue 8 §3): upload
on a proceeding or a step, download equal to the upload with its type, content stored once, types
checked by content (a disguised executable, page or script is refused and changes nothing), the
size limit, the step index, scope — and a rolled-back upload leaves the folder as it was."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.casework import attachments as service
from nadzor.casework.tables import attachments
from nadzor.infra.context import Actor
from nadzor.infra.file_store import FileStore
from tests.support import files
from tests.support.checks import resolution
from tests.support.web import bearer, client_for, office_id, person_id, web_login

MEDEU = "almaty_city.medeu_district"
HEAD = "Рахимов Азамат Маратович"  # district prosecutor of Medeu


@pytest.fixture
def client(demo: Platform) -> TestClient:
    return client_for(demo)


@pytest.fixture
def almaty(client: TestClient) -> dict[str, str]:
    return bearer(client, "almaty")


def open_check(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/checks", headers=headers, json={
        "office_id": office_id(client, headers, MEDEU),
        "step": {"type": "opened", "date": "2021-08-02", "subject_kind": "state_body", "basis": "protect_rights",
                 "protected_interest": ["vulnerable_persons"], "control_body_failed": True},
        "details": {"subject_name": "Управление образования г. Алматы"}})
    assert response.status_code == 201, response.text
    return dict(response.json())


def sign_resolution(client: TestClient, headers: dict[str, str], item: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/checks/{item['id']}/steps", headers=headers, json={
        "version": item["version"], "step": {
            "type": "resolution_signed", "date": "2021-08-02", "signer_person_id": person_id(client, headers, HEAD),
            "start_date": "2021-08-03", "end_date": "2021-09-01"}, "details": resolution()})
    assert response.status_code == 201, response.text
    return dict(response.json())


def upload(client: TestClient, headers: dict[str, str], pid: int, name: str, content: bytes,
           declared: str = "application/octet-stream", collection: str = "checks", **fields: str) -> Any:
    return client.post(f"/api/v1/{collection}/{pid}/attachments", headers=headers,
                       files={"file": (name, content, declared)}, data=fields)


def folder(platform: Platform) -> list[tuple[str, bytes]]:
    """Everything in the attachment folder (temporary files included), with its content."""
    root = platform.settings.attachments_dir
    if not root.exists():
        return []
    return sorted((str(p.relative_to(root)), p.read_bytes() if p.is_file() else b"<dir>") for p in root.rglob("*"))


def rows(platform: Platform) -> tuple[int, int]:
    """(attachment rows, audit rows)."""
    with platform.read_only() as session:
        return (session.execute(select(func.count()).select_from(attachments)).scalar_one(),
                session.execute(select(func.count()).select_from(audit_log)).scalar_one())


def test_a_pdf_and_a_png_are_attached_and_download_byte_for_byte_with_their_type(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = sign_resolution(client, almaty, open_check(client, almaty))
    opinion, photo = files.pdf(), files.png(3, 2)
    first = upload(client, almaty, item["id"], "Заключение специалиста.pdf", opinion, note="по запросу")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["name"] == "Заключение специалиста.pdf"
    assert body["media_type"] == "application/pdf"
    assert body["size"] == len(opinion)
    assert body["step"] is None
    assert body["note"] == "по запросу"
    assert body["uploaded_by"] == "almaty"
    second = upload(client, almaty, item["id"], "фото.png", photo, "image/png", step="1")
    assert second.status_code == 201, second.text
    assert second.json()["step"] == 1
    assert second.json()["media_type"] == "image/png"
    for meta, content in ((body, opinion), (second.json(), photo)):
        got = client.get(f"/api/v1/checks/{item['id']}/attachments/{meta['id']}", headers=almaty)
        assert got.status_code == 200
        assert got.content == content
        assert got.headers["content-type"] == meta["media_type"]
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment;")
        assert f"filename*=UTF-8''{quote(meta['name'], safe='')}" in got.headers["content-disposition"]
    sha = body["sha256"]
    stored = demo.settings.attachments_dir / sha[:2] / sha[2:4] / sha
    assert stored.read_bytes() == opinion
    listed = client.get(f"/api/v1/checks/{item['id']}/attachments", headers=almaty).json()
    assert [a["id"] for a in listed] == [body["id"], second.json()["id"]]
    card = client.get(f"/api/v1/checks/{item['id']}", headers=almaty).json()
    assert card["attachments"] == listed


def test_the_same_content_is_stored_once_however_often_it_is_attached(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    one, two = open_check(client, almaty), open_check(client, almaty)
    content = files.pdf("the same scan")
    made = [upload(client, almaty, pid, name, content) for pid, name in
            ((one["id"], "скан.pdf"), (two["id"], "копия.pdf"), (one["id"], "скан.pdf"))]
    assert [r.status_code for r in made] == [201, 201, 201]
    assert len({r.json()["id"] for r in made}) == 3
    assert len({r.json()["sha256"] for r in made}) == 1
    assert [path for path, data in folder(demo) if data != b"<dir>"] == [
        f"{made[0].json()['sha256'][:2]}/{made[0].json()['sha256'][2:4]}/{made[0].json()['sha256']}"]
    download = client.get(f"/api/v1/checks/{two['id']}/attachments/{made[1].json()['id']}", headers=almaty)
    assert download.content == content
    assert "filename*=UTF-8''%D0%BA%D0%BE%D0%BF%D0%B8%D1%8F.pdf" in download.headers["content-disposition"]


@pytest.mark.parametrize("content", [files.EXE, files.HTML, files.SCRIPT, files.ooxml(files.DOCM_MAIN),
                                     b"%PD" + b"\x00" * 10, b""],
                         ids=["exe", "html", "script", "macro-docm", "broken-pdf", "empty"])
def test_a_file_not_on_the_allow_list_is_refused_by_content_whatever_its_name_and_changes_nothing(
        client: TestClient, almaty: dict[str, str], demo: Platform, content: bytes) -> None:
    item = open_check(client, almaty)
    upload(client, almaty, item["id"], "earlier.png", files.png())  # the folder is not empty before
    before_folder, before_rows = folder(demo), rows(demo)
    response = upload(client, almaty, item["id"], "Заключение.pdf", content, "application/pdf")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["file"]
    assert folder(demo) == before_folder
    assert rows(demo) == before_rows


def test_a_file_over_the_size_limit_is_refused_with_413_and_changes_nothing(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = open_check(client, almaty)
    demo.settings = dataclasses.replace(demo.settings, attachment_max_bytes=4096)
    before_folder, before_rows = folder(demo), rows(demo)
    just_over = files.pdf() + b"%" + b"x" * 4096  # the body is within the multipart allowance: the service counts
    way_over = files.pdf() + b"%" + b"x" * (200 * 1024)  # refused on its Content-Length, before it is read
    for content in (just_over, way_over):
        response = upload(client, almaty, item["id"], "big.pdf", content)
        assert response.status_code == 413, response.text
        assert response.json()["errors"][0]["field"] == "file"
        assert "4096 байт" in response.json()["errors"][0]["message"]
    assert folder(demo) == before_folder
    assert rows(demo) == before_rows
    exactly = files.pdf() + b"%" + b"x" * (4096 - len(files.pdf()) - 1)
    assert upload(client, almaty, item["id"], "limit.pdf", exactly).status_code == 201


def test_the_step_must_name_an_existing_step_of_the_proceeding(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = sign_resolution(client, almaty, open_check(client, almaty))
    before_folder, before_rows = folder(demo), rows(demo)
    for step in ("2", "-1", "first", "1.5"):
        response = upload(client, almaty, item["id"], "a.png", files.png(), step=step)
        assert response.status_code == 422, (step, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["step"], step
    assert folder(demo) == before_folder
    assert rows(demo) == before_rows
    withdrawn = client.post(f"/api/v1/checks/{item['id']}/withdrawal", headers=almaty,
                            json={"version": item["version"], "reason": "ошибочная дата"})
    assert withdrawn.status_code == 200
    assert upload(client, almaty, item["id"], "a.png", files.png(), step="1").status_code == 422
    assert upload(client, almaty, item["id"], "a.png", files.png(), step="0").json()["step"] == 0


def test_an_attachment_on_a_withdrawn_step_stays_with_that_step(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = sign_resolution(client, almaty, open_check(client, almaty))
    on_step = upload(client, almaty, item["id"], "resolution.pdf", files.pdf(), step="1").json()
    withdrawn = client.post(f"/api/v1/checks/{item['id']}/withdrawal", headers=almaty,
                            json={"version": item["version"], "reason": "ошибочная дата"}).json()
    again = sign_resolution(client, almaty, withdrawn)
    listed = client.get(f"/api/v1/checks/{again['id']}/attachments", headers=almaty).json()
    assert [(a["id"], a["step"], a["step_withdrawn"]) for a in listed] == [(on_step["id"], 1, True)]


def test_a_proceeding_outside_the_callers_scope_is_not_found_for_upload_list_and_download(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    item = open_check(client, almaty)
    made = upload(client, almaty, item["id"], "a.pdf", files.pdf()).json()
    karaganda = bearer(client, "karaganda")
    before_folder, before_rows = folder(demo), rows(demo)
    assert upload(client, karaganda, item["id"], "b.pdf", files.pdf("other")).status_code == 404
    assert folder(demo) == before_folder
    assert rows(demo) == before_rows
    assert client.get(f"/api/v1/checks/{item['id']}/attachments", headers=karaganda).status_code == 404
    download = client.get(f"/api/v1/checks/{item['id']}/attachments/{made['id']}", headers=karaganda)
    assert download.status_code == 404
    assert download.headers["content-type"].startswith("application/problem+json")
    # Another collection, another proceeding, or no sign-in: the file is not reachable through them.
    assert client.get(f"/api/v1/acts/{item['id']}/attachments/{made['id']}", headers=almaty).status_code == 404
    other = open_check(client, almaty)
    assert client.get(f"/api/v1/checks/{other['id']}/attachments/{made['id']}", headers=almaty).status_code == 404
    assert client.get(f"/api/v1/checks/{item['id']}/attachments/{made['id']}").status_code == 401
    assert client.get(f"/api/v1/checks/{item['id']}/attachments/{made['id']}",
                      headers=bearer(client, "genprokuror")).status_code == 200


def test_the_declared_name_is_sanitised_and_ends_in_an_extension_of_the_content_type(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    cases = [("../../etc/Ответ\u202egpj.pdf", files.pdf(), "Ответgpj.pdf"),
             ("C:\\temp\\скан.PDF", files.pdf(), "скан.PDF"),
             ("ответ.bat", "Ответ на возражения субъекта.".encode(), "ответ.bat.txt"),
             ("photo.pdf", files.png(), "photo.pdf.png"),
             ("../..", files.png(), "файл.png"),
             ("con.png", files.png(), "_con.png"),
             ("x" * 500 + ".png", files.png(), "x" * 196 + ".png")]
    for declared, content, expected in cases:
        response = upload(client, almaty, item["id"], declared, content)
        assert response.status_code == 201, (declared, response.text)
        assert response.json()["name"] == expected, declared


def test_an_attachment_is_audited(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    made = upload(client, almaty, item["id"], "фото.png", files.png(), step="0").json()
    admin = bearer(client, "admin")
    found = client.get("/api/v1/audit", params={"action": "attachment.added"}, headers=admin).json()
    assert found["total"] == 1
    entry = found["rows"][0]
    assert (entry["object_type"], entry["object_id"], entry["actor"]) == ("attachment", str(made["id"]), "almaty")
    after = json.loads(entry["after"])
    assert (after["sha256"], after["proceeding"], after["step"]) == (made["sha256"], item["number"], 0)


def test_an_upload_is_not_multipart_or_has_no_file_is_422_naming_file(
        client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    as_json = client.post(f"/api/v1/checks/{item['id']}/attachments", headers=almaty, json={"file": "x"})
    assert as_json.status_code == 422
    assert as_json.json()["errors"][0]["field"] == "file"
    no_file = client.post(f"/api/v1/checks/{item['id']}/attachments", headers=almaty,
                          files={"other": ("a.png", files.png())})
    assert no_file.status_code == 422
    assert no_file.json()["errors"][0]["field"] == "file"
    two = client.post(f"/api/v1/checks/{item['id']}/attachments", headers=almaty,
                      files=[("file", ("a.png", files.png())), ("file", ("b.png", files.png()))])
    assert two.status_code == 422
    assert two.json()["errors"][0]["field"] == "file"


def test_a_web_session_uploads_only_with_its_csrf_token(client: TestClient, almaty: dict[str, str]) -> None:
    item = open_check(client, almaty)
    csrf = web_login(client, "almaty")
    refused = client.post(f"/api/v1/checks/{item['id']}/attachments", files={"file": ("a.png", files.png())})
    assert refused.status_code == 403
    accepted = client.post(f"/api/v1/checks/{item['id']}/attachments", headers={"X-CSRF-Token": csrf},
                           files={"file": ("a.png", files.png())})
    assert accepted.status_code == 201, accepted.text
    in_form = client.post(f"/api/v1/checks/{item['id']}/attachments", data={"csrf_token": csrf},
                          files={"file": ("b.png", files.png(2, 2))})
    assert in_form.status_code == 201, in_form.text


def test_a_rolled_back_upload_removes_the_content_it_stored_and_keeps_shared_content(
        client: TestClient, almaty: dict[str, str], demo: Platform, tmp_path: Path) -> None:
    item = open_check(client, almaty)
    kept = upload(client, almaty, item["id"], "kept.pdf", files.pdf("kept")).json()
    before = folder(demo)
    store = FileStore(demo.settings.attachments_dir)
    actor = Actor(login="cli:test", is_admin=True, visible=None)
    for content in (files.pdf("new content"), files.pdf("kept")):
        with pytest.raises(RuntimeError), demo.transaction() as session:
            made = service.do_attach(session, "checks", item["id"], service.Upload("x.pdf", io.BytesIO(content)),
                                     actor=actor, store=store, max_bytes=10**6)
            assert store.holds(made["sha256"], made["size"])
            raise RuntimeError("a later step of the same request fails")
        assert folder(demo) == before
    assert rows(demo)[0] == 1
    assert client.get(f"/api/v1/checks/{item['id']}/attachments/{kept['id']}", headers=almaty).status_code == 200


def test_concurrent_uploads_of_the_same_content_both_succeed_and_store_it_once(
        client: TestClient, almaty: dict[str, str], demo: Platform) -> None:
    from concurrent.futures import ThreadPoolExecutor

    one, two = open_check(client, almaty), open_check(client, almaty)
    content = files.pdf("sent to two checks at once")
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda pid: upload(client, almaty, pid, "скан.pdf", content),
                                [one["id"], two["id"], one["id"], two["id"]]))
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    stored = [path for path, data in folder(demo) if data != b"<dir>"]
    assert len(stored) == 1
    assert rows(demo)[0] == 4
    for answer, pid in zip(answers, [one["id"], two["id"], one["id"], two["id"]], strict=True):
        got = client.get(f"/api/v1/checks/{pid}/attachments/{answer.json()['id']}", headers=almaty)
        assert got.content == content
