"""The DOCX → PDF converter's failure paths (issue 8 §4): LibreOffice missing, failing or hanging
answers `DocumentsUnavailable` (HTTP 503) with a clear message, a hanging converter is stopped at its
time limit, and every conversion gets a profile of its own. A stand-in `soffice` (a shell script named
by `NADZOR_SOFFICE`) plays LibreOffice, so these run without it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nadzor.infra import documents


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_missing_libreoffice_is_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NADZOR_SOFFICE", str(tmp_path / "absent"))
    with pytest.raises(documents.DocumentsUnavailable, match="не установлен LibreOffice"):
        documents.to_pdf(b"docx")


def test_a_failing_conversion_reports_its_exit_code_and_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NADZOR_SOFFICE", str(fake_soffice(tmp_path, 'echo "source file could not be loaded" >&2\n'
                                                                       "exit 3")))
    with pytest.raises(documents.DocumentsUnavailable, match=r"кодом 3.*source file could not be loaded"):
        documents.to_pdf(b"docx")


def test_a_hanging_conversion_is_stopped_at_its_time_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NADZOR_SOFFICE", str(fake_soffice(tmp_path, "sleep 30 & wait")))
    started = time.monotonic()
    with pytest.raises(documents.DocumentsUnavailable, match="не уложился в 1 с"):
        documents.to_pdf(b"docx", timeout=1)
    assert time.monotonic() - started < 10


def test_each_conversion_runs_with_a_profile_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The stand-in writes the PDF next to the source and logs the profile it was given."""
    log = tmp_path / "profiles.log"
    body = f"""
for arg in "$@"; do
  case "$arg" in -env:UserInstallation=*) echo "${{arg#-env:UserInstallation=}}" >> {log} ;; esac
  last="$arg"
done
printf '%%PDF-1.4 fake' > "${{last%.docx}}.pdf"
"""
    monkeypatch.setenv("NADZOR_SOFFICE", str(fake_soffice(tmp_path, body)))
    assert documents.to_pdf(b"one").startswith(b"%PDF")
    assert documents.to_pdf(b"two").startswith(b"%PDF")
    profiles = log.read_text(encoding="utf-8").split()
    assert len(profiles) == 2
    assert len(set(profiles)) == 2
    assert all(p.startswith("file:///") for p in profiles)
    assert not any(Path(p.removeprefix("file://")).exists() for p in profiles)  # removed afterwards
