"""The pure audit chain (finding 8 of issue 6): keyed hashes, the order of hash schemes, the head,
signed checkpoints, and the audit key's derivation from the settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nadzor.domain.audit import (
    GENESIS,
    SCHEME_HMAC,
    SCHEME_SHA256,
    ChainFields,
    CheckpointUnreadable,
    StoredRow,
    parse_checkpoint,
    row_hash,
    sign_checkpoint,
    verify_chain,
)
from nadzor.settings import InsecureConfiguration, Settings

KEY = b"k" * 32


def _chain(schemes: list[str], key: bytes = KEY) -> list[StoredRow]:
    rows: list[StoredRow] = []
    prev = GENESIS
    for seq, scheme in enumerate(schemes, start=1):
        fields = ChainFields(seq=seq, at="2026-11-29T10:00:00.000000+00:00", actor="admin", actor_office="gp",
                             actor_position="prosecutor", action="person.created", object_type="person",
                             object_id=str(seq), before="null", after="{}", prev_hash=prev)
        prev = row_hash(fields, scheme, key if scheme == SCHEME_HMAC else None)
        rows.append((fields, scheme, prev))
    return rows


def _head(rows: list[StoredRow]) -> tuple[int, str]:
    return rows[-1][0].seq, rows[-1][2]


def test_finding_8_keyed_hashes_need_the_key_and_depend_on_it() -> None:
    fields = _chain([SCHEME_HMAC])[0][0]
    assert row_hash(fields, SCHEME_HMAC, KEY) != row_hash(fields, SCHEME_HMAC, b"x" * 32)
    assert row_hash(fields, SCHEME_HMAC, KEY) != row_hash(fields, SCHEME_SHA256)
    with pytest.raises(ValueError, match="key"):
        row_hash(fields, SCHEME_HMAC, None)
    with pytest.raises(ValueError, match="scheme"):
        row_hash(fields, "md5", KEY)


def test_finding_8_unkeyed_rows_are_accepted_only_before_the_keyed_ones() -> None:
    sealed = _chain([SCHEME_SHA256, SCHEME_SHA256, SCHEME_HMAC, SCHEME_HMAC])
    assert verify_chain(sealed, _head(sealed), key=KEY) is None
    downgraded = _chain([SCHEME_SHA256, SCHEME_HMAC, SCHEME_SHA256])
    problem = verify_chain(downgraded, _head(downgraded), key=KEY)
    assert problem is not None and problem.seq == 3 and "без ключа" in problem.message
    unsealed = _chain([SCHEME_SHA256, SCHEME_SHA256])
    problem = verify_chain(unsealed, _head(unsealed), key=KEY)
    assert problem is not None and problem.seq == 2 and "не защищена ключом" in problem.message
    unknown = [(fields, "plain", digest) for fields, _scheme, digest in _chain([SCHEME_HMAC])]
    problem = verify_chain(unknown, _head(unknown), key=KEY)
    assert problem is not None and "схема" in problem.message


def test_finding_8_the_head_must_be_present_and_at_the_last_row() -> None:
    rows = _chain([SCHEME_HMAC] * 4)
    problem = verify_chain(rows, None, key=KEY)
    assert problem is not None and problem.seq == 4 and "audit_head" in problem.message
    problem = verify_chain(rows[:2], _head(rows), key=KEY)
    assert problem is not None and problem.seq == 3 and "удалены" in problem.message
    problem = verify_chain(rows, _head(rows[:2]), key=KEY)
    assert problem is not None and problem.seq == 4 and "заголовок" in problem.message
    problem = verify_chain([], _head(rows), key=KEY)
    assert problem is not None and problem.seq == 1


def test_finding_8_an_empty_chain_is_intact_only_in_an_empty_database() -> None:
    assert verify_chain([], None, key=KEY) is None
    problem = verify_chain([], None, key=KEY, holds_data=True)
    assert problem is not None and problem.seq == 1 and "пуст" in problem.message


def test_finding_8_a_checkpoint_must_be_signed_with_the_key_and_found_in_the_chain() -> None:
    rows = _chain([SCHEME_HMAC] * 5)
    point = sign_checkpoint(KEY, 3, rows[2][2], "2026-11-29T10:00:00+00:00")
    assert verify_chain(rows, _head(rows), key=KEY, checkpoint=point) is None
    other = sign_checkpoint(KEY, 3, rows[1][2], point.time)
    problem = verify_chain(rows, _head(rows), key=KEY, checkpoint=other)
    assert problem is not None and problem.seq == 3 and "контрольной точк" in problem.message
    beyond = sign_checkpoint(KEY, 7, "f" * 64, point.time)
    problem = verify_chain(rows, _head(rows), key=KEY, checkpoint=beyond)
    assert problem is not None and problem.seq == 6 and "№ 7" in problem.message
    problem = verify_chain(rows, _head(rows), key=KEY, checkpoint=replace(point, time="2030-01-01T00:00:00+00:00"))
    assert problem is not None and "подпись" in problem.message


@pytest.mark.parametrize("data", [
    [], {"seq": 1}, {"format": "nadzor-audit-checkpoint/1", "seq": True, "hash": "h", "time": "t", "signature": "s"},
    {"format": "nadzor-audit-checkpoint/1", "seq": 1, "hash": "", "time": "t", "signature": "s"},
    {"format": "nadzor-audit-checkpoint/1", "seq": 1, "hash": "h", "time": "t"},
])
def test_finding_8_what_is_not_a_checkpoint_is_refused(data: object) -> None:
    with pytest.raises(CheckpointUnreadable):
        parse_checkpoint(data)


SECRET = "s0-1a2b3c4d5e6f7g8h9i-secret-key-of-the-test"
OTHER_SECRET = "t0-9z8y7x6w5v4u3t2s1r-another-key-of-the-test"
AUDIT_SECRET = "a0-audit-k3y-m4t3r14l-kept-apart-from-the-secret"


def _settings(**changes: str) -> Settings:
    base = Settings(data_dir=Path("."), calendar_file=Path("x.csv"), database_url="sqlite://",
                    environment="production", secret_key=SECRET, password_hashing="strong")
    return replace(base, **changes)


def test_finding_8_the_audit_key_is_its_own_derivation_of_the_secret_or_of_nadzor_audit_key() -> None:
    derived = _settings().audit_key
    assert len(derived) == 32 and derived != SECRET.encode()
    assert _settings(secret_key=OTHER_SECRET).audit_key != derived
    separate = _settings(audit_secret=AUDIT_SECRET)
    assert separate.audit_key != derived
    assert replace(separate, secret_key=OTHER_SECRET).audit_key == separate.audit_key  # the secret can rotate
    separate.require_secure()
    for weak in ("short", "a" * 40):
        with pytest.raises(InsecureConfiguration) as refused:
            _settings(audit_secret=weak).require_secure()
        assert refused.value.setting == "NADZOR_AUDIT_KEY"


def test_finding_8_nadzor_audit_key_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NADZOR_AUDIT_KEY", "b" * 40)
    assert Settings.from_env().audit_secret == "b" * 40
