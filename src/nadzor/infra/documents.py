"""Documents as files: a docxtpl template (a .docx a clerk can edit, shipped with the package under
`nadzor/documents/templates/`) filled with a context (autoescaped), and DOCX → PDF by LibreOffice
headless.

Each conversion runs `soffice --headless --convert-to pdf` with its own user profile
(`-env:UserInstallation=file:///tmp/…`, copied from the first one made, removed afterwards),
serialized by a process-wide lock (one LibreOffice at a time: it is heavy and its profiles do not
like to be shared), under a timeout.
LibreOffice missing, a failed or a timed-out conversion raise `DocumentsUnavailable` (HTTP 503: the
data were fine, the server cannot convert now; the DOCX is still available)."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

TEMPLATES = Path(__file__).resolve().parents[1] / "documents" / "templates"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
#: Seconds a conversion may take (the first start of LibreOffice creates its profile: a few seconds).
CONVERSION_TIMEOUT = float(os.environ.get("NADZOR_SOFFICE_TIMEOUT", "60"))

_lock = threading.Lock()
_seed: Path | None = None


class DocumentsUnavailable(Exception):
    """The document cannot be produced on this server now (no LibreOffice, or it failed): HTTP 503."""


def template_path(code: str) -> Path:
    path = TEMPLATES / f"{code}.docx"
    if not path.is_file():
        raise DocumentsUnavailable(f"Нет шаблона документа {code}.docx")
    return path


def render_docx(code: str, context: dict[str, Any]) -> bytes:
    """The template `code`.docx filled with `context` (values are escaped for XML)."""
    template = DocxTemplate(str(template_path(code)))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def soffice() -> str | None:
    """The LibreOffice executable (`NADZOR_SOFFICE` overrides the search on PATH)."""
    configured = os.environ.get("NADZOR_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, *, timeout: float | None = None) -> bytes:
    """DOCX → PDF by LibreOffice headless, one conversion at a time, each with its own profile."""
    program = soffice()
    if program is None:
        raise DocumentsUnavailable("PDF недоступен: на сервере не установлен LibreOffice "
                                   "(scripts/libreoffice устанавливает его); документ доступен в формате DOCX")
    limit = CONVERSION_TIMEOUT if timeout is None else timeout
    with _lock, tempfile.TemporaryDirectory(prefix="nadzor-doc-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        if _seed is not None and _seed.is_dir():
            shutil.copytree(_seed, profile, symlinks=True)
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # noqa: S603
                                       env={**os.environ, "HOME": str(folder)}, start_new_session=True)
        except OSError as exc:
            raise DocumentsUnavailable(f"PDF не получен: LibreOffice не запустился ({exc})") from None
        try:
            out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise DocumentsUnavailable(f"PDF не получен: LibreOffice не уложился в {limit:g} с") from None
        result = folder / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            said = (err or out).decode("utf-8", "replace").strip()[-300:]
            raise DocumentsUnavailable(f"PDF не получен: LibreOffice завершился с кодом {process.returncode}"
                                       + (f" ({said})" if said else ""))
        _keep_seed(profile)
        return result.read_bytes()


def _keep_seed(profile: Path) -> None:
    """Keep the first profile LibreOffice made as the seed later conversions copy theirs from (each
    still runs in a profile of its own; creating one from nothing costs seconds). Called under the lock."""
    global _seed
    if _seed is not None or not profile.is_dir():
        return
    seed = Path(tempfile.mkdtemp(prefix="nadzor-lo-seed-")) / "profile"
    try:
        shutil.copytree(profile, seed, symlinks=True, ignore=shutil.ignore_patterns(".lock", "*.lock"))
    except OSError:
        shutil.rmtree(seed.parent, ignore_errors=True)
        return
    _seed = seed
    atexit.register(shutil.rmtree, seed.parent, True)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the converter and whatever it started (soffice runs soffice.bin in its session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
