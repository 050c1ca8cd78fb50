"""`nadzor db upgrade`: Alembic migrations, configured in code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """Migrate to `revision`; `audit_key` (never stored) seals the existing audit rows in 0002."""
    config = alembic_config(url)
    if audit_key is not None:
        config.attributes["nadzor_audit_key"] = audit_key
    command.upgrade(config, revision)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from nadzor.adapters.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
