"""One typed settings object, read from the environment (STYLE.md §9); secrets through one
function that fails loudly in production."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "nadzor-development-secret-do-not-use-in-production"
#: The largest attachment accepted (issue 8 §3), unless NADZOR_ATTACHMENT_MAX_BYTES says otherwise.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
#: What a multipart upload may carry besides the file itself (boundaries, part headers, `step`, `note`).
MULTIPART_OVERHEAD = 64 * 1024


def _default_data_dir() -> Path:
    if (_PROJECT_ROOT / "pyproject.toml").exists():
        return _PROJECT_ROOT / "data"
    return Path.cwd() / "data"


class InsecureConfiguration(RuntimeError):
    """Production refuses to start with a default secret or demo credentials."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    calendar_file: Path
    database_url: str
    environment: str  # development | production | test
    secret_key: str
    password_hashing: str  # strong | fast (tests only)
    session_hours: int = 12
    files_dir: Path | None = None  # the attachment folder; None: `files/` in data_dir
    attachment_max_bytes: int = ATTACHMENT_MAX_BYTES

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def cookie_secure(self) -> bool:
        return self.production or os.environ.get("NADZOR_COOKIE_SECURE", "") == "1"

    @property
    def attachments_dir(self) -> Path:
        return self.files_dir if self.files_dir is not None else self.data_dir / "files"

    @property
    def upload_body_max_bytes(self) -> int:
        """The request body limit of the attachment upload endpoint (a global body limit must let
        `POST /api/v1/{collection}/{id}/attachments` carry this much)."""
        return self.attachment_max_bytes + MULTIPART_OVERHEAD

    @property
    def uses_default_database(self) -> bool:
        return "DATABASE_URL" not in os.environ

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("NADZOR_DATA_DIR") or _default_data_dir())
        calendar_file = Path(os.environ.get("NADZOR_CALENDAR_FILE") or data_dir / "calendar_overrides.csv")
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'nadzor.sqlite3'}"
        environment = os.environ.get("NADZOR_ENV", "development")
        files_dir = os.environ.get("NADZOR_FILES_DIR")
        max_bytes = int(os.environ.get("NADZOR_ATTACHMENT_MAX_BYTES") or ATTACHMENT_MAX_BYTES)
        if max_bytes < 1:
            raise ValueError("NADZOR_ATTACHMENT_MAX_BYTES: ожидается положительное число байт")
        return cls(
            data_dir=data_dir,
            calendar_file=calendar_file,
            database_url=database_url,
            environment=environment,
            secret_key=os.environ.get("NADZOR_SECRET_KEY", DEV_SECRET),
            password_hashing=os.environ.get("NADZOR_PASSWORD_HASHING", "strong"),
            files_dir=Path(files_dir) if files_dir else data_dir / "files",
            attachment_max_bytes=max_bytes,
        )

    def require_secure(self) -> None:
        """In production, refuse the development secret and fast password hashing."""
        if not self.production:
            return
        if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
            raise InsecureConfiguration(
                "NADZOR_SECRET_KEY не задан или слишком короткий (нужно не менее 32 символов)")
        if self.password_hashing != "strong":
            raise InsecureConfiguration("в рабочем режиме пароли хешируются только стойкими параметрами")
