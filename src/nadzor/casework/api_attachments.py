"""Attachments over HTTP (issue 8 §3), for every collection of stored proceedings:
`POST /api/v1/{collection}/{id}/attachments` (multipart/form-data: `file`, optional `step` index and
`note`) answers 201 with the metadata; `GET …/attachments` lists them; `GET …/attachments/{aid}`
sends the file as a download with its stored type."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from nadzor.casework import attachments
from nadzor.casework.service import COLLECTIONS, KIND_LABELS
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput, Message
from nadzor.infra.file_store import FileStore
from nadzor.settings import Settings
from nadzor.web.routing import endpoint
from nadzor.web.security import DB, current_actor, platform

router = APIRouter(prefix="/api/v1")


class AttachmentOut(BaseModel):
    id: int
    proceeding_id: int
    step: int | None
    step_withdrawn: bool
    name: str
    media_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: str


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "PDF, PNG, JPEG, GIF, WEBP, TIFF, MP4/MOV, DOCX, XLSX, ODT или текст UTF-8 "
                                "(тип определяется по содержимому)"},
        "step": {"type": "integer", "minimum": 0, "description": "номер шага, к которому относится файл"},
        "note": {"type": "string", "maxLength": attachments.MAX_NOTE}}}}}}}


def _store(settings: Settings) -> FileStore:
    return FileStore(settings.attachments_dir)


store_of = _store  # the card's upload form (casework/pages.py) stores where the API does


async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """The multipart form, refused before it is read when its declared length is over the limit;
    read on the event loop (the handler's work then runs in the thread pool), closed afterwards."""
    form = await _form(request, platform(request).settings)
    try:
        yield form
    finally:
        await form.close()


async def _form(request: Request, settings: Settings) -> FormData:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput.one("file", "ожидается тело multipart/form-data с файлом в поле file")
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise InvalidInput.one("file", "не указана длина запроса (заголовок Content-Length)")
    if int(length) > settings.upload_body_max_bytes:
        raise attachments.TooLarge(Message("файл больше допустимого размера вложения (%(size)s)",
                                           size=attachments.size_label(settings.attachment_max_bytes)))
    try:
        return await request.form(max_files=1, max_fields=10, max_part_size=64 * 1024)
    except HTTPException as exc:  # Starlette's parser: malformed, too many parts or files
        raise InvalidInput.one("file", Message("тело запроса не разобрано как multipart/form-data: "
                                       "%(detail)s", detail=exc.detail)) from None


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _collection_routes(collection: str) -> None:
    label = KIND_LABELS[COLLECTIONS[collection]]
    base = f"/{collection}/{{proceeding_id}}/attachments"

    def register(method: str, path: str, summary: str,
                 **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        # Reading needs a signed-in user; changing, one whose role records (never an auditor).
        permission = Permission.SIGNED_IN if method == "GET" else Permission.RECORD
        return endpoint(router, method, base + path, permission, summary=f"{label}: {summary}",
                        name=f"{collection}_{summary}", **options)

    @register("POST", "", "приложить файл", status_code=201, response_model=AttachmentOut,
              openapi_extra=_UPLOAD_BODY)
    def upload(proceeding_id: int, request: Request, form: FormData = Depends(upload_form),
               actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
        """multipart/form-data: `file`, `step`?, `note`?. The type is checked by the content; 413 over
        the size limit, 422 naming `file` for a type not allowed; nothing is stored then."""
        settings = platform(request).settings
        file, step, note = form.get("file"), form.get("step"), form.get("note")
        if not isinstance(file, UploadFile):
            raise InvalidInput.one("file", "приложите файл в поле file")
        for field, value in (("step", step), ("note", note)):
            if isinstance(value, UploadFile):
                raise InvalidInput.one(field, "ожидается текстовое поле, а не файл")
        return attachments.do_attach(session, collection, proceeding_id, attachments.Upload(file.filename, file.file),
                                     actor=actor, store=_store(settings), max_bytes=settings.attachment_max_bytes,
                                     step=step, note=note)

    @register("GET", "", "вложения", response_model=list[AttachmentOut])
    def listed(proceeding_id: int, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
        return attachments.access_attachments(session, collection, proceeding_id, actor=actor)

    @register("GET", "/{attachment_id}", "скачать файл", response_class=FileResponse,
              responses={200: {"content": {"application/octet-stream": {}},
                               "description": "файл с сохранённым типом содержимого"}})
    def download(proceeding_id: int, attachment_id: int, request: Request, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> FileResponse:
        """The file, as a download (never displayed inline), permission-checked like the proceeding."""
        found = attachments.access_attachment(session, collection, proceeding_id, attachment_id, actor=actor,
                                              store=_store(platform(request).settings))
        return FileResponse(found.path, media_type=found.media_type, headers={
            "Content-Disposition": content_disposition(found.name), "X-Content-Type-Options": "nosniff",
            "ETag": f'"{found.sha256}"', "Cache-Control": "private, no-cache"})


for _collection in COLLECTIONS:
    _collection_routes(_collection)
