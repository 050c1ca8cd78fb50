"""What an attachment is, told by its content (issue 8 §3), and the name it is stored under."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest

from nadzor.casework.attachments import MAX_NAME, safe_name
from nadzor.infra import media_types as mt
from nadzor.infra.file_store import FileStore
from tests.support import files


def _ftyp(brand: bytes) -> bytes:
    return struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"mp41" + b"\x00" * 40


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ALLOWED = [
    (files.pdf(), mt.PDF),
    (files.png(), mt.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 20, mt.JPEG),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", mt.GIF),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, mt.WEBP),
    (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 10, mt.TIFF),
    (b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 10, mt.TIFF),
    (_ftyp(b"isom"), mt.MP4),
    (_ftyp(b"qt  "), mt.MOV),
    (files.ooxml(files.DOCX_MAIN), mt.DOCX),
    (files.ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), mt.XLSX),
    (files.odt(), mt.ODT),
    ("Возражения субъекта проверки.\r\n\tПункт 1.\f".encode(), mt.TEXT),
    (b"\xef\xbb\xbfplain text with a BOM", mt.TEXT),
]
REFUSED = {
    "exe": files.EXE,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40,
    "html": files.HTML,
    "html-after-text": "Ответ\n<html><body>x</body></html>".encode(),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "xml": b'<?xml version="1.0"?><a/>',
    "shell-script": files.SCRIPT,
    "javascript-url": b"see javascript:alert(1)",
    "nul-in-text": b"text\x00more",
    "escape-in-text": b"text \x1b[31m red",
    "latin-1": "Déclaration".encode("latin-1"),
    "heic": _ftyp(b"heic"),
    "macro-docm": files.ooxml(files.DOCM_MAIN),
    "plain-zip": _zip({"a.txt": "x"}),
    "jar": _zip({"META-INF/MANIFEST.MF": "Main-Class: X"}),
    "odp": _zip({"mimetype": "application/vnd.oasis.opendocument.presentation"}),
    "broken-zip": b"PK\x03\x04" + b"\x00" * 30,
    "empty": b"",
}


@pytest.mark.parametrize(("content", "expected"), ALLOWED, ids=[t.label for _, t in ALLOWED])
def test_an_allowed_type_is_recognised_by_its_content(content: bytes, expected: mt.MediaType) -> None:
    stream = io.BytesIO(content)
    stream.seek(5)
    assert mt.sniff(stream) == expected
    assert stream.tell() == 0


@pytest.mark.parametrize("content", REFUSED.values(), ids=REFUSED.keys())
def test_content_off_the_allow_list_is_not_recognised(content: bytes) -> None:
    assert mt.sniff(io.BytesIO(content)) is None


@pytest.mark.parametrize(("declared", "media", "expected"), [
    ("Заключение.pdf", mt.PDF, "Заключение.pdf"),
    ("/var/www/../../etc/passwd", mt.TEXT, "passwd.txt"),
    ("..\\..\\boot.ini.pdf", mt.PDF, "boot.ini.pdf"),
    ("evil\u202efdp.exe", mt.PDF, "evilfdp.exe.pdf"),  # RIGHT-TO-LEFT OVERRIDE hides «.exe»
    ("line\nbreak\r\ttab\x00.png", mt.PNG, "line break tab.png"),
    ('a<b>c:d"e|f?g*h.jpeg', mt.JPEG, "a_b_c_d_e_f_g_h.jpeg"),
    ("  . hidden.png . ", mt.PNG, "hidden.png"),
    (".png", mt.PNG, "png.png"),
    (None, mt.DOCX, "файл.docx"),
    ("NUL.txt", mt.TEXT, "_NUL.txt"),
    ("lpt1.report.txt", mt.TEXT, "_lpt1.report.txt"),
    ("фото.JPG", mt.JPEG, "фото.JPG"),
    ("e\u0301.txt", mt.TEXT, "\u00e9.txt"),  # composed (NFC)
])
def test_the_declared_name_is_made_safe(declared: str | None, media: mt.MediaType, expected: str) -> None:
    assert safe_name(declared, media) == expected


def test_a_long_name_is_bounded_and_keeps_its_extension() -> None:
    name = safe_name("ж" * 1000 + ".docx", mt.DOCX)
    assert len(name) == MAX_NAME
    assert name.endswith("ж.docx")


def test_the_store_writes_content_under_its_address_once_and_removes_empty_folders(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    content = files.png()
    sha = hashlib.sha256(content).hexdigest()
    assert store.put(sha, len(content), io.BytesIO(content)) is True
    assert store.put(sha, len(content), io.BytesIO(content)) is False
    assert store.path_for(sha) == tmp_path / "files" / sha[:2] / sha[2:4] / sha
    assert store.path_for(sha).read_bytes() == content
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [sha]
    with pytest.raises(ValueError, match="changed"):
        store.put("0" * 64, len(content), io.BytesIO(content))
    assert not (tmp_path / "files" / "00").exists()
    store.remove(sha)
    store.remove("0" * 64)
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
    assert not (tmp_path / "files" / sha[:2]).exists()
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
