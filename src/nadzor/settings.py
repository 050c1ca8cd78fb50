"""One typed settings object, read from the environment (STYLE.md §9)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_data_dir() -> Path:
    if (_PROJECT_ROOT / "pyproject.toml").exists():
        return _PROJECT_ROOT / "data"
    return Path.cwd() / "data"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    calendar_file: Path

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("NADZOR_DATA_DIR") or _default_data_dir())
        calendar_file = Path(os.environ.get("NADZOR_CALENDAR_FILE") or data_dir / "calendar_overrides.csv")
        return cls(data_dir=data_dir, calendar_file=calendar_file)
