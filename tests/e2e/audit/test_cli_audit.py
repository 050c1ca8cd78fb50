"""`nadzor audit checkpoint` and `nadzor audit verify --checkpoint` on SQLite and PostgreSQL
(finding 8 of issue 6): exit 0 intact, 1 naming the first bad row or the checkpoint failure, 2 for
a file that is not a checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from nadzor.audit import service as audit
from nadzor.bootstrap import Platform
from nadzor.infra.context import cli_actor
from tests.e2e.infra.test_cli_platform import nadzor


def _erase_the_last_rows(platform: Platform, keep: int) -> None:
    """An attacker with the triggers off removes the newest rows and moves the head back."""
    with platform.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for name in ("audit_log_no_delete", "audit_head_forward"):
                conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(text(f"DELETE FROM audit_log WHERE seq > {keep}"))
        conn.execute(text(f"UPDATE audit_head SET seq = {keep}, "
                          f"hash = (SELECT hash FROM audit_log WHERE seq = {keep})"))


def test_finding_8_a_checkpoint_written_to_a_file_proves_the_chain_still_holds_it(demo: Platform,
                                                                                   tmp_path: Path) -> None:
    point_file = tmp_path / "checkpoint.json"
    written = nadzor(demo, "audit", "checkpoint", "-o", str(point_file))
    assert written.returncode == 0, written.stderr
    point = json.loads(point_file.read_text(encoding="utf-8"))
    assert set(point) == {"format", "seq", "hash", "time", "signature"}
    with demo.transaction() as session:
        audit.record(session, actor=cli_actor(), action=audit.AuditAction.DEMO_LOADED, object_type="demo",
                     object_id=None)
    ok = nadzor(demo, "audit", "verify", "--checkpoint", str(point_file))
    assert ok.returncode == 0, ok.stderr
    assert f"№ {point['seq']}" in ok.stdout
    _erase_the_last_rows(demo, point["seq"] - 3)
    assert nadzor(demo, "audit", "verify").returncode == 0  # the shortened chain is consistent in itself
    broken = nadzor(demo, "audit", "verify", "--checkpoint", str(point_file))
    assert broken.returncode == 1
    assert f"№ {point['seq'] - 2}" in broken.stderr and "контрольной точки" in broken.stderr


def test_finding_8_a_checkpoint_goes_to_standard_output_and_a_forged_one_is_refused(demo: Platform,
                                                                                    tmp_path: Path) -> None:
    printed = nadzor(demo, "audit", "checkpoint")
    assert printed.returncode == 0, printed.stderr
    point = json.loads(printed.stdout)
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**point, "seq": point["seq"] - 1}), encoding="utf-8")
    refused = nadzor(demo, "audit", "verify", "--checkpoint", str(forged))
    assert refused.returncode == 1 and "подпись" in refused.stderr
    kept = tmp_path / "point.json"
    kept.write_text(printed.stdout, encoding="utf-8")
    assert nadzor(demo, "audit", "verify", "--checkpoint", str(kept)).returncode == 0
    other_key = nadzor(demo, "audit", "verify", "--checkpoint", str(kept),
                       env={"NADZOR_AUDIT_KEY": "a-different-audit-key-of-enough-length"})
    assert other_key.returncode == 1 and "подпись" in other_key.stderr


def test_finding_8_a_file_that_is_not_a_checkpoint_exits_2(demo: Platform, tmp_path: Path) -> None:
    missing = nadzor(demo, "audit", "verify", "--checkpoint", str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and missing.stderr.startswith("ошибка: checkpoint:"), missing.stderr
    for content in ("not json", json.dumps({"seq": 3}), json.dumps({"format": "nadzor-audit-checkpoint/1",
                                                                      "seq": -1, "hash": "x", "time": "t",
                                                                      "signature": "s"})):
        bad = tmp_path / "bad.json"
        bad.write_text(content, encoding="utf-8")
        done = nadzor(demo, "audit", "verify", "--checkpoint", str(bad))
        assert done.returncode == 2 and done.stderr.startswith("ошибка: checkpoint:"), done.stderr


def test_finding_8_no_checkpoint_of_a_broken_chain(demo: Platform) -> None:
    with demo.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5"))
    done = nadzor(demo, "audit", "checkpoint")
    assert done.returncode == 1 and done.stdout == "" and "№ 5" in done.stderr
