"""Settings refused at start (issue 6, finding 14)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nadzor.settings import InsecureConfiguration, Settings

GOOD_SECRET = "k3Y-9fQz!Lm2pR7wXc4vB8nT1hJ6sD0e"


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "dev", ""])
def test_finding_14_an_unknown_nadzor_env_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("NADZOR_ENV", value)
    with pytest.raises(InsecureConfiguration) as refused:
        Settings.from_env()
    assert refused.value.setting == "NADZOR_ENV" and repr(value) in str(refused.value)


@pytest.mark.parametrize("value", ["development", "production", "test"])
def test_finding_14_the_known_environments_are_accepted(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("NADZOR_ENV", value)
    assert Settings.from_env().environment == value


def test_finding_14_an_unknown_hashing_profile_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NADZOR_PASSWORD_HASHING", "Fast")
    with pytest.raises(InsecureConfiguration) as refused:
        Settings.from_env()
    assert refused.value.setting == "NADZOR_PASSWORD_HASHING"


def _production(secret: str, hashing: str = "strong") -> Settings:
    return Settings(data_dir=Path("."), calendar_file=Path("x.csv"), database_url="sqlite://",
                    environment="production", secret_key=secret, password_hashing=hashing)


@pytest.mark.parametrize("secret", [" " * 32, " " * 20 + "abcdefghijkl", "a" * 64, "ab" * 32, "short-but-varied"])
def test_finding_14_a_blank_short_or_low_variety_secret_is_refused_in_production(secret: str) -> None:
    with pytest.raises(InsecureConfiguration) as refused:
        _production(secret).require_secure()
    assert refused.value.setting == "NADZOR_SECRET_KEY"


def test_finding_14_the_fast_hashing_refusal_names_its_setting() -> None:
    _production(GOOD_SECRET).require_secure()
    with pytest.raises(InsecureConfiguration) as refused:
        _production(GOOD_SECRET, "fast").require_secure()
    assert refused.value.setting == "NADZOR_PASSWORD_HASHING" and "fast" in str(refused.value)
    replace(_production(" "), environment="development").require_secure()  # only production refuses
