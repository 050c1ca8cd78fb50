"""One typed settings object, read from the environment (STYLE.md §9); secrets through one
function that fails loudly in production."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "nadzor-development-secret-do-not-use-in-production"
#: The label that separates the audit chain's key from the other keys derived from one secret.
AUDIT_KEY_LABEL = b"nadzor/audit-chain/hmac1"
#: The largest attachment accepted (issue 8 §3), unless NADZOR_ATTACHMENT_MAX_BYTES says otherwise.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
#: What a multipart upload may carry besides the file itself (boundaries, part headers, `step`, `note`).
MULTIPART_OVERHEAD = 64 * 1024


def _default_data_dir() -> Path:
    if (_PROJECT_ROOT / "pyproject.toml").exists():
        return _PROJECT_ROOT / "data"
    return Path.cwd() / "data"


ENVIRONMENTS = ("development", "production", "test")
HASHING_PROFILES = ("strong", "fast")
#: A production secret has at least this many characters, and this many different ones.
SECRET_MIN_LENGTH, SECRET_MIN_DISTINCT = 32, 10


def _positive_int(setting: str, raw: str | None, default: int) -> int:
    if not raw:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise InsecureConfiguration(setting, f"ожидается положительное целое число, задано {raw!r}")
    return int(raw)


def _check_key(setting: str, key: str) -> None:
    """A production key: 32+ non-blank characters, 10+ different ones (not `a` × 40)."""
    if len(key.strip()) < SECRET_MIN_LENGTH:
        raise InsecureConfiguration(setting, f"ключ не задан или слишком короткий (нужно не менее "
                                             f"{SECRET_MIN_LENGTH} символов, не считая пробелов)")
    if len(set(key)) < SECRET_MIN_DISTINCT:
        raise InsecureConfiguration(setting, f"ключ слишком однообразен (нужно не менее {SECRET_MIN_DISTINCT} "
                                             "разных символов): задайте случайный ключ")


class InsecureConfiguration(RuntimeError):
    """A setting the application refuses to start with (issue 6, finding 14): an unknown
    environment, a default, short or low-variety secret or fast hashing in production.
    `setting` names the environment variable to fix."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


def _one_of(setting: str, value: str, allowed: tuple[str, ...]) -> str:
    """`NADZOR_ENV=Production` or `prod` is not taken for something else: it is refused."""
    if value not in allowed:
        raise InsecureConfiguration(setting, f"допустимые значения: {', '.join(allowed)}; задано {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    calendar_file: Path
    database_url: str
    environment: str  # development | production | test
    secret_key: str
    password_hashing: str  # strong | fast (tests only)
    session_hours: int = 12
    audit_secret: str = ""  # NADZOR_AUDIT_KEY; empty: derived from secret_key

    @property
    def audit_key(self) -> bytes:
        """The key of the audit chain's HMACs (never stored in the database): derived from
        NADZOR_AUDIT_KEY when it is set, otherwise from NADZOR_SECRET_KEY, under its own label."""
        material = (self.audit_secret or self.secret_key).encode("utf-8")
        return hmac.new(material, AUDIT_KEY_LABEL, hashlib.sha256).digest()
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

    def database_may_exist(self) -> bool:
        """False only for an SQLite database whose file is not there (a fresh machine, a batch run
        without storage); any other database is asked."""
        prefix = "sqlite:///"
        return not self.database_url.startswith(prefix) or Path(self.database_url.removeprefix(prefix)).exists()

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("NADZOR_DATA_DIR") or _default_data_dir())
        calendar_file = Path(os.environ.get("NADZOR_CALENDAR_FILE") or data_dir / "calendar_overrides.csv")
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'nadzor.sqlite3'}"
        environment = _one_of("NADZOR_ENV", os.environ.get("NADZOR_ENV", "development"), ENVIRONMENTS)
        hashing = _one_of("NADZOR_PASSWORD_HASHING", os.environ.get("NADZOR_PASSWORD_HASHING", "strong"),
                          HASHING_PROFILES)
        files_dir = os.environ.get("NADZOR_FILES_DIR")
        max_bytes = _positive_int("NADZOR_ATTACHMENT_MAX_BYTES", os.environ.get("NADZOR_ATTACHMENT_MAX_BYTES"),
                                  ATTACHMENT_MAX_BYTES)
        return cls(
            data_dir=data_dir,
            calendar_file=calendar_file,
            database_url=database_url,
            environment=environment,
            secret_key=os.environ.get("NADZOR_SECRET_KEY", DEV_SECRET),
            password_hashing=hashing,
            audit_secret=os.environ.get("NADZOR_AUDIT_KEY", ""),
            files_dir=Path(files_dir) if files_dir else data_dir / "files",
            attachment_max_bytes=max_bytes,
        )

    def require_secure(self) -> None:
        """In production, refuse the development secret and fast password hashing."""
        if not self.production:
            return
        if self.secret_key == DEV_SECRET:
            raise InsecureConfiguration("NADZOR_SECRET_KEY", "задан ключ разработки: задайте случайный ключ")
        _check_key("NADZOR_SECRET_KEY", self.secret_key)
        if self.audit_secret:
            _check_key("NADZOR_AUDIT_KEY", self.audit_secret)
        if self.password_hashing != "strong":
            raise InsecureConfiguration("NADZOR_PASSWORD_HASHING", "в рабочем режиме пароли хешируются только "
                                                                   "стойкими параметрами: уберите значение fast")
