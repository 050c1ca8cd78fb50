"""Attachments on stored proceedings (issue 8 §3; the replies, photos and videos of issues 9–10):
specialists' opinions, scans, objections, photos, response texts — on a proceeding or on one of
its steps.

The content is kept in the attachment folder under the SHA-256 of its bytes (stored once however
often it is attached); the table `attachments` records its name, type, size, uploader, time,
proceeding and step. The type is told by the content against an allow-list, never by the name;
the declared name is sanitised. A refused upload changes nothing: the checks run on the received
stream before anything is written, the file is renamed into place only after its row is flushed,
and a rollback of the transaction removes a file it created (unless a committed row uses it).
Downloads are permission-checked like the proceeding: out of scope is «not found».
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, Engine, Row, event, func, insert, select, text
from sqlalchemy.orm import Session

from nadzor.audit import service as audit
from nadzor.casework.service import COLLECTIONS, KIND_LABELS
from nadzor.casework.tables import attachments, proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.audit import AuditAction
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import FieldError, InvalidInput, Message, NotFound
from nadzor.infra.file_store import FileStore
from nadzor.infra.media_types import ALLOWED, MediaType, sniff
from nadzor.rules.base import Listing

log = logging.getLogger(__name__)

MAX_NAME = 200
MAX_NOTE = 2000
_CHUNK = 1 << 20
_PG_CONTENT_LOCK = 80_005  # first key of the advisory locks that serialize work on one content
_CREATED = "nadzor.attachments.created"
_HOOKED = "nadzor.attachments.hooked"
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*]')
_AS_SPACE = {"Cc", "Zl", "Zp"}  # control characters, line and paragraph separators
_DROPPED = {"Cf", "Cs", "Co", "Cn"}  # format (bidi overrides, zero-width), surrogates, private use, unassigned
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class TooLarge(Exception):
    """The file is larger than the attachment size limit (HTTP 413, naming `file`)."""

    field = "file"


@dataclass(frozen=True)
class Upload:
    """A received file: the name the sender declared and a seekable binary stream of its content."""

    name: str | None
    stream: BinaryIO


@dataclass(frozen=True)
class Download:
    path: Path
    name: str
    media_type: str
    size: int
    sha256: str


# ------------------------------------------------------------------------------------ reads


def _proceeding(session: Session, collection: str, proceeding_id: int, actor: Actor, *,
                lock: bool = False) -> Row[Any]:
    actor.require(Permission.SIGNED_IN)
    kind = COLLECTIONS.get(collection)
    if kind is None:
        raise NotFound(Message("раздел %(name)s", name=repr(collection)))
    t = proceedings_table
    query = select(t).where(t.c.id == proceeding_id, t.c.kind == kind)
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message(KIND_LABELS[kind].lower()), id=proceeding_id))
    return row


def _steps(session: Session, proceeding_id: int) -> list[Row[Any]]:
    s = proceeding_steps
    return list(session.execute(select(s).where(s.c.proceeding_id == proceeding_id).order_by(s.c.seq)).all())


def _indices(steps: Sequence[Row[Any]]) -> dict[int, tuple[int, bool]]:
    """Step id → (its index in the timeline, withdrawn): the position in the replayed list, for a
    withdrawn step the position it had (as `casework.service.steps_list` numbers them)."""
    out, live = {}, 0
    for step in steps:
        out[step.id] = (live, bool(step.withdrawn))
        if not step.withdrawn:
            live += 1
    return out


def attachment_dict(row: Row[Any], indices: dict[int, tuple[int, bool]]) -> dict[str, Any]:
    index, withdrawn = indices.get(row.step_id, (None, False)) if row.step_id is not None else (None, False)
    return {"id": row.id, "proceeding_id": row.proceeding_id, "step": index, "step_withdrawn": withdrawn,
            "name": row.name, "media_type": row.media_type, "size": row.size, "sha256": row.sha256,
            "note": row.note, "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at.isoformat()}


def attachments_of(session: Session, proceeding_id: int, steps: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    """The proceeding's attachments in upload order (for its card: `GET /api/v1/{collection}/{id}`);
    `steps` are its stored steps (rows with `id` and `withdrawn`). No permission check: the caller
    has read the proceeding with one."""
    indices = _indices(steps)
    rows = session.execute(select(attachments).where(attachments.c.proceeding_id == proceeding_id)
                           .order_by(attachments.c.id)).all()
    return [attachment_dict(row, indices) for row in rows]


def access_attachments(session: Session, collection: str, proceeding_id: int, *,
                       actor: Actor) -> list[dict[str, Any]]:
    row = _proceeding(session, collection, proceeding_id, actor)
    return attachments_of(session, row.id, _steps(session, row.id))


def access_attachment(session: Session, collection: str, proceeding_id: int, attachment_id: int, *,
                      actor: Actor, store: FileStore) -> Download:
    """The file to send: only through a proceeding the actor sees, and only that proceeding's own."""
    row = _proceeding(session, collection, proceeding_id, actor)
    found = session.execute(select(attachments).where(attachments.c.id == attachment_id,
                                                      attachments.c.proceeding_id == row.id)).first()
    if found is None:
        raise NotFound(Message("%(what)s %(id)s", what=Message("вложение"), id=attachment_id))
    path = store.path_for(found.sha256)
    if not store.holds(found.sha256, found.size):
        log.error("attachment %s: content %s missing from %s", found.id, found.sha256, store.root)
        raise NotFound(Message("содержимое вложения %(id)s (нет в хранилище файлов)", id=attachment_id))
    return Download(path=path, name=found.name, media_type=found.media_type, size=found.size, sha256=found.sha256)


# ---------------------------------------------------------------------------------- changes


def do_attach(session: Session, collection: str, proceeding_id: int, upload: Upload, *, actor: Actor,
              store: FileStore, max_bytes: int, step: Any = None, note: Any = None) -> dict[str, Any]:
    """Attach a file to a proceeding (or to one of its steps, by index) with its audit row (201)."""
    actor.require(Permission.RECORD)
    # Locked like a step being recorded: the step named by its index cannot be withdrawn meanwhile.
    proceeding = _proceeding(session, collection, proceeding_id, actor, lock=True)
    steps = _steps(session, proceeding.id)
    size, sha256 = _measure(upload.stream, max_bytes)
    errors: list[FieldError] = []
    media = sniff(upload.stream) if size else None
    if size == 0:
        errors.append(FieldError("file", "файл пуст"))
    elif media is None:
        errors.append(FieldError("file", Message("тип файла не допускается: по содержимому это не %(types)s "
                                                 "(расширение в имени файла не учитывается)",
                                                 types=Listing(t.label for t in ALLOWED))))
    step_row = _step(steps, step, errors)
    note_text = _note(note, errors)
    if errors:
        raise InvalidInput(errors)
    assert media is not None
    name = safe_name(upload.name, media)
    _lock_content(session, sha256)
    now = audit.now_utc()
    attachment_id = session.execute(insert(attachments).values(
        proceeding_id=proceeding.id, step_id=step_row.id if step_row is not None else None,
        step_index=_indices(steps)[step_row.id][0] if step_row is not None else None,
        name=name, media_type=media.media_type, size=size, sha256=sha256, note=note_text,
        uploaded_by=actor.login, uploader_person_id=actor.person_id, uploaded_at=now,
    ).returning(attachments.c.id)).scalar_one()
    # The row is flushed (the statement has run): only now does the content take its address.
    if store.put(sha256, size, upload.stream):
        _remove_on_rollback(session, store, sha256)
    created = session.execute(select(attachments).where(attachments.c.id == attachment_id)).one()
    out = attachment_dict(created, _indices(steps))
    audit.record(session, actor=actor, action=AuditAction.ATTACHMENT_ADDED, object_type="attachment",
                 object_id=attachment_id, after={"proceeding": proceeding.number, "kind": proceeding.kind,
                                                 "proceeding_id": proceeding.id, "step": out["step"], "name": name,
                                                 "media_type": media.media_type, "size": size, "sha256": sha256})
    return out


def _measure(stream: BinaryIO, max_bytes: int) -> tuple[int, str]:
    """Size and SHA-256 of the content, refusing it as soon as it passes the limit."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(Message("файл больше допустимого размера вложения (%(size)s)", size=size_label(max_bytes)))
        digest.update(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def size_label(size: int) -> Message:
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return Message("%(size)s МиБ", size=size >> 20)
    return Message("%(size)s байт", size=size)


def _step(steps: Sequence[Row[Any]], posted: Any, errors: list[FieldError]) -> Row[Any] | None:
    """The step named by its index in the replayed list (withdrawn steps are not attached to)."""
    if posted is None or posted == "":
        return None
    index: int | None = None
    if isinstance(posted, int) and not isinstance(posted, bool):
        index = posted
    elif isinstance(posted, str) and re.fullmatch(r"\s*\d{1,9}\s*", posted):
        index = int(posted)
    if index is None:
        errors.append(FieldError("step", "ожидается номер шага (целое число от 0)"))
        return None
    live = [s for s in steps if not s.withdrawn]
    if not 0 <= index < len(live):
        errors.append(FieldError("step", Message("нет шага %(index)s: у производства шаги 0–%(last)s", index=index,
                                                 last=len(live) - 1)))
        return None
    return live[index]


def _note(posted: Any, errors: list[FieldError]) -> str:
    if posted is None:
        return ""
    if not isinstance(posted, str):
        errors.append(FieldError("note", "ожидается текст"))
        return ""
    note = posted.strip()
    if len(note) > MAX_NOTE:
        errors.append(FieldError("note", Message("не длиннее %(limit)s символов", limit=MAX_NOTE)))
    return note


def safe_name(declared: str | None, media: MediaType) -> str:
    """The declared name made safe to store and send: its last path component only, without control,
    format (bidi) or reserved characters, bounded in length, and ending in an extension of the type
    its content has (`ответ.bat` with text content becomes `ответ.bat.txt`)."""
    name = unicodedata.normalize("NFC", declared or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(ch) in _AS_SPACE else ch for ch in name
                   if unicodedata.category(ch) not in _DROPPED)
    name = " ".join(_NOT_IN_NAMES.sub("_", name).split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and "." + extension.lower() in media.extensions and stem.strip(" ."):
        extension = "." + extension
    else:
        stem, extension = name, media.extensions[0]
    stem = stem[:MAX_NAME - len(extension)].rstrip(" .") or "файл"
    if stem.split(".")[0].lower() in _RESERVED:
        stem = "_" + stem
    return stem + extension


# ----------------------------------------------------------------------- the folder and the UoW


def _lock_content(session: Session, sha256: str) -> None:
    """Serialize transactions storing (or removing) the same content. On SQLite every writing
    transaction already holds the write lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                        {"a": _PG_CONTENT_LOCK, "b": int(sha256[:8], 16) - (1 << 31)})


def _remove_on_rollback(session: Session, store: FileStore, sha256: str) -> None:
    """The unit of work's hook: when the transaction that created this content in the folder rolls
    back, remove it again — unless a committed row uses the same content by then."""
    session.info.setdefault(_CREATED, []).append((store, sha256))
    if session.info.get(_HOOKED):
        return
    session.info[_HOOKED] = True
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind

    def committed(done: Session) -> None:
        done.info.pop(_CREATED, None)

    def rolled_back(done: Session) -> None:
        for folder, content in done.info.pop(_CREATED, []):
            try:
                _remove_unless_used(engine, folder, content)
            except Exception:  # the rollback itself must go on; an orphan file harms nobody
                log.exception("attachment content %s could not be removed after a rollback", content)

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_rollback", rolled_back)


def _remove_unless_used(engine: Engine, store: FileStore, sha256: str) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                               {"a": _PG_CONTENT_LOCK, "b": int(sha256[:8], 16) - (1 << 31)})
        used = connection.execute(select(func.count()).select_from(attachments)
                                  .where(attachments.c.sha256 == sha256)).scalar_one()
        if not used:
            store.remove(sha256)
