"""What a file is, told by its content (magic bytes), never by its name: the allow-list of
attachment types (issue 8 §3). Anything else — executables, HTML, SVG, scripts, archives other
than the office formats, macro-enabled documents — is not recognised and therefore refused."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class MediaType:
    media_type: str
    label: str  # Russian, for messages
    extensions: tuple[str, ...]  # the first is the one a name gets when it has none of them


PDF = MediaType("application/pdf", "PDF", (".pdf",))
PNG = MediaType("image/png", "PNG", (".png",))
JPEG = MediaType("image/jpeg", "JPEG", (".jpg", ".jpeg"))
GIF = MediaType("image/gif", "GIF", (".gif",))
WEBP = MediaType("image/webp", "WEBP", (".webp",))
TIFF = MediaType("image/tiff", "TIFF", (".tif", ".tiff"))
MP4 = MediaType("video/mp4", "MP4", (".mp4", ".m4v"))
MOV = MediaType("video/quicktime", "MOV", (".mov", ".qt"))
DOCX = MediaType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", (".docx",))
XLSX = MediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", (".xlsx",))
ODT = MediaType("application/vnd.oasis.opendocument.text", "ODT", (".odt",))
TEXT = MediaType("text/plain; charset=utf-8", "текст UTF-8", (".txt",))
ALLOWED = (PDF, PNG, JPEG, GIF, WEBP, TIFF, MP4, MOV, DOCX, XLSX, ODT, TEXT)
ALLOWED_LABELS = ", ".join(t.label for t in ALLOWED)

_SIMPLE: tuple[tuple[int, bytes, MediaType], ...] = (
    (0, b"%PDF-", PDF),
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"GIF87a", GIF),
    (0, b"GIF89a", GIF),
    (0, b"II*\x00", TIFF),
    (0, b"MM\x00*", TIFF),
)
#: ISO base media brands (bytes 8–12 after `ftyp`) of the video formats accepted; image brands of
#: the same container (HEIC, AVIF) are not on the list.
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash",
               b"mmp4", b"MSNV", b"3gp4", b"3gp5", b"3g2a", b"f4v "}
_MOV_BRANDS = {b"qt  "}
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_MAX_CONTENT_TYPES = 1 << 20  # a [Content_Types].xml larger than this is not an office document
#: Text that a browser or a shell would treat as markup or a program is not «plain text».
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<object", b"<embed",
           b"<body", b"<head", b"<meta", b"<img", b"<a ", b"javascript:")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff(stream: BinaryIO) -> MediaType | None:
    """The allowed type of a seekable binary stream's content, or None when it is none of them.
    Leaves the stream positioned at its start."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    try:
        return _sniff(stream, head)
    finally:
        stream.seek(0)


def _sniff(stream: BinaryIO, head: bytes) -> MediaType | None:
    for offset, magic, found in _SIMPLE:
        if head[offset:offset + len(magic)] == magic:
            return found
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return MOV if brand in _MOV_BRANDS else MP4 if brand in _MP4_BRANDS else None
    if head[:4] == b"PK\x03\x04":
        return _zip_document(stream)
    return _plain_text(stream)


def _zip_document(stream: BinaryIO) -> MediaType | None:
    """DOCX/XLSX by the main part's type in `[Content_Types].xml`; ODT by its `mimetype` entry."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT.media_type.encode():
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                return None
            types = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None
    found = [kind for main, kind in _OOXML_MAIN.items() if f'ContentType="{main}"' in types]
    # A macro-enabled document declares another main part type and is not found above.
    return found[0] if len(found) == 1 else None


def _plain_text(stream: BinaryIO) -> MediaType | None:
    """Strict UTF-8 without NUL or control characters (other than tab, line and page breaks), and
    neither markup nor a script with an interpreter line."""
    data = stream.read()
    if not data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    body = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    lowered = data.lower()
    if body.startswith((b"#!", b"<")) or any(marker in lowered for marker in _MARKUP):
        return None
    return TEXT
