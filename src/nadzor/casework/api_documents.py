"""Documents of stored proceedings over HTTP (issue 8 §4, issue 9, issue 10):

* `GET /api/v1/{collection}/{id}/documents` — what can be generated, on which steps, with the fields
  still missing for each;
* `GET /api/v1/{collection}/{id}/documents/{code}?step=N&format=docx|pdf` — the file.

Both are reads, permission-checked like the proceeding itself (out of scope → 404); incomplete data
answer 422 naming each missing field; PDF without LibreOffice (or a failed conversion) answers 503."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from nadzor.casework import documents
from nadzor.casework import service as stored
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor, platform

router = APIRouter(prefix="/api/v1")


class MissingField(BaseModel):
    field: str
    message: str


class DocumentOffer(BaseModel):
    code: str
    title: str
    citations: list[str]
    step: int | None
    #: A check's resolution record (I.19, I.20) the document is drawn up on, instead of a step.
    record: int | None = None
    step_type: str | None
    date: str | None
    available: bool
    missing: list[MissingField]
    formats: list[str]


class DocumentsOut(BaseModel):
    id: int
    number: str
    documents: list[DocumentOffer]


def _attachment(produced: documents.Produced) -> Response:
    ascii_name = produced.filename.encode("ascii", "replace").decode("ascii")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(produced.filename)}"
    return Response(produced.content, media_type=produced.media_type,
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _step(raw: str | None, name: str = "step") -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput.one(name, "ожидается номер шага (целое число от 0)" if name == "step" else
                               "ожидается номер записи (целое число)")
    return int(raw)


def _routes(collection: str) -> None:
    label = stored.KIND_LABELS[stored.COLLECTIONS[collection]]
    base = f"/{collection}/{{proceeding_id}}/documents"

    @endpoint(router, "GET", base, Permission.SIGNED_IN, summary=f"{label}: документы",
              name=f"{collection}_документы", response_model=DocumentsOut)
    def offered(proceeding_id: int, request: Request, actor: Actor = Depends(current_actor),
                session: Session = DB) -> Any:
        """Each document of the kind on each step it is drawn up on: `available`, or `missing` fields."""
        return documents.access_documents(session, collection, proceeding_id, actor=actor,
                                          calendar=platform(request).calendar())

    @endpoint(router, "GET", base + "/{code}", Permission.SIGNED_IN, summary=f"{label}: сформировать документ",
              name=f"{collection}_документ", response_class=Response,
              responses={200: {"content": {documents.FORMATS["docx"]: {}, documents.FORMATS["pdf"]: {}},
                               "description": "Файл документа"}})
    def produce(proceeding_id: int, code: str, request: Request, step: str | None = None,
                record: str | None = None, fmt: str = Query("docx", alias="format"),
                actor: Actor = Depends(current_actor)) -> Response:
        """The document as DOCX (default) or PDF; `step` = the step's index (default: the latest it fits);
        `record` = a check's resolution record (I.19, I.20) for the documents drawn up on one."""
        plat = platform(request)
        cal = plat.calendar()
        with plat.read_only() as session:
            produced = documents.produce(session, collection, proceeding_id, code, actor=actor, calendar=cal,
                                         step=_step(step), fmt=fmt, record=_step(record, "record"))
        if fmt == "pdf":  # seconds of LibreOffice: after the database work, outside any transaction
            produced = documents.to_pdf(produced)
        return _attachment(produced)


for _collection in stored.COLLECTIONS:
    _routes(_collection)
