"""Finding 8 of issue 6 on SQLite and PostgreSQL: the audit chain is keyed (HMAC with a key the
database does not hold), its head only moves forward, TRUNCATE is refused, an erased chain beside
data is a failure, a signed checkpoint proves nothing before it was removed or rewritten, the rows
of revision 0001 still verify, and verification streams the log."""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, event, func, inspect, select, text

from nadzor.audit import service as audit
from nadzor.audit.tables import audit_head, audit_log
from nadzor.bootstrap import Platform
from nadzor.domain.audit import (
    GENESIS,
    SCHEME_HMAC,
    SCHEME_SHA256,
    AuditAction,
    ChainFields,
    canonical,
    parse_checkpoint,
    row_hash,
)
from nadzor.infra.context import cli_actor
from nadzor.infra.db.migrate import current_revision, upgrade
from nadzor.schema import metadata
from nadzor.settings import DEV_SECRET
from tests.conftest import RUN_ID, _pg_drop, _pg_exec, _pg_url, _require_pg, _settings

ACTOR = cli_actor()
POSTGRES_ONLY = [pytest.param("postgresql", marks=pytest.mark.postgres)]


def _verify(platform: Platform, checkpoint: audit.Checkpoint | None = None) -> audit.ChainProblem | None:
    with platform.read_only() as session:
        return audit.verify(session, checkpoint)


def _last_seq(platform: Platform) -> int:
    with platform.read_only() as session:
        return int(session.scalar(select(func.max(audit_log.c.seq))) or 0)


def _checkpoint(platform: Platform) -> audit.Checkpoint:
    with platform.read_only() as session:
        return audit.checkpoint(session)


@contextlib.contextmanager
def _attacker(platform: Platform) -> Iterator[Connection]:
    """Someone with full access to the database: the append-only triggers switched off."""
    with platform.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                      "AND tbl_name IN ('audit_log', 'audit_head')")).scalars().all()
            for name in names:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        yield conn


def _rechain(conn: Connection, start: int, edit: Mapping[str, str], scheme: str, key: bytes | None = None, *,
             relabel: bool = False, until: int | None = None) -> None:
    """Change row `start` and recompute the hashes from it on under `scheme` (up to row `until`, or
    to the end and the head), as an attacker who wants the chain to look intact would; `relabel`
    also marks the recomputed rows with that scheme."""
    query = select(audit_log).where(audit_log.c.seq >= start).order_by(audit_log.c.seq)
    if until is not None:
        query = query.where(audit_log.c.seq <= until)
    rows = conn.execute(query).mappings().all()
    prev = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == start - 1)).scalar() or GENESIS
    for row in rows:
        values = {name: row[name] for name in ChainFields.__slots__}
        if row["seq"] == start:
            values.update(edit)
        values["prev_hash"] = prev
        prev = row_hash(ChainFields(**values), scheme, key)
        conn.execute(audit_log.update().where(audit_log.c.seq == row["seq"])
                     .values(**values, hash=prev, scheme=scheme if relabel else row["scheme"]))
    if until is None:
        conn.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=rows[-1]["seq"], hash=prev))


# --- the head is protected like the log --------------------------------------------------------

def test_finding_8_the_head_cannot_be_moved_back_deleted_or_pointed_elsewhere(demo: Platform) -> None:
    last = _last_seq(demo)
    statements = (
        f"UPDATE audit_head SET seq = {last - 2}, hash = (SELECT hash FROM audit_log WHERE seq = {last - 2})",
        f"UPDATE audit_head SET seq = {last + 1}",
        "UPDATE audit_head SET hash = 'x'",
        "DELETE FROM audit_head",
        f"INSERT INTO audit_head (id, seq, hash) VALUES (2, {last}, 'x')",
    )
    for sql in statements:
        with pytest.raises(Exception, match="append-only"), demo.engine.begin() as conn:
            conn.execute(text(sql))
    assert _verify(demo) is None


def test_finding_8_deleting_the_last_rows_and_the_head_behind_the_triggers_is_caught(demo: Platform) -> None:
    last = _last_seq(demo)
    with _attacker(demo) as conn:
        conn.execute(text(f"DELETE FROM audit_log WHERE seq > {last - 3}"))
        conn.execute(text("DELETE FROM audit_head"))
    problem = _verify(demo)
    assert problem is not None and problem.seq == last - 3 and "заголовок" in problem.message


def test_finding_8_deleting_the_head_alone_is_caught(demo: Platform) -> None:
    with _attacker(demo) as conn:
        conn.execute(text("DELETE FROM audit_head"))
    problem = _verify(demo)
    assert problem is not None and "audit_head" in problem.message


def test_finding_8_deleting_the_last_rows_and_moving_the_head_is_caught_by_a_checkpoint(demo: Platform) -> None:
    point = _checkpoint(demo)
    last = _last_seq(demo)
    assert point.seq == last
    with _attacker(demo) as conn:
        conn.execute(text(f"DELETE FROM audit_log WHERE seq > {last - 2}"))
        conn.execute(text(f"UPDATE audit_head SET seq = {last - 2}, "
                          f"hash = (SELECT hash FROM audit_log WHERE seq = {last - 2})"))
    problem = _verify(demo, point)
    assert problem is not None and problem.seq == last - 1 and f"№ {last}" in problem.message


# --- the chain is keyed ------------------------------------------------------------------------

def test_finding_8_a_row_edited_and_the_chain_recomputed_with_plain_sha256_is_caught(demo: Platform) -> None:
    with _attacker(demo) as conn:
        _rechain(conn, 7, {"actor": "someone-else"}, SCHEME_SHA256)
    problem = _verify(demo)
    assert problem is not None and problem.seq == 7 and "хеш не совпадает" in problem.message


def test_finding_8_rows_relabelled_as_unkeyed_after_keyed_rows_are_caught(demo: Platform) -> None:
    with _attacker(demo) as conn:
        _rechain(conn, 7, {"after": "null"}, SCHEME_SHA256, relabel=True)
    problem = _verify(demo)
    assert problem is not None and problem.seq == 7 and "без ключа" in problem.message


def test_finding_8_the_whole_chain_rewritten_without_the_key_is_caught(demo: Platform) -> None:
    last = _last_seq(demo)
    with _attacker(demo) as conn:
        _rechain(conn, 1, {"actor": "someone-else"}, SCHEME_SHA256, relabel=True)
    problem = _verify(demo)
    assert problem is not None and problem.seq == last and "не защищена ключом" in problem.message


def test_finding_8_a_chain_recomputed_with_a_guessed_key_is_caught(demo: Platform) -> None:
    guessed = replace(demo.settings, secret_key=DEV_SECRET).audit_key
    with _attacker(demo) as conn:
        _rechain(conn, 7, {"actor": "someone-else"}, SCHEME_HMAC, guessed)
    problem = _verify(demo)
    assert problem is not None and problem.seq == 7


def test_finding_8_the_key_is_not_in_the_database(demo: Platform) -> None:
    other = replace(demo.settings, audit_secret="another-audit-key-of-enough-length-0001").audit_key
    assert other != demo.settings.audit_key
    with demo.read_only() as session:
        stored = session.execute(select(audit_log.c.hash).where(audit_log.c.seq == 1)).scalar_one()
    audit.use_key(demo.engine, other)
    try:
        problem = _verify(demo)
        assert problem is not None and problem.seq == 1 and "хеш не совпадает" in problem.message
    finally:
        audit.use_key(demo.engine, demo.settings.audit_key)
    assert stored not in (demo.settings.audit_key.hex(), other.hex())
    assert _verify(demo) is None


# --- erasure ------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", POSTGRES_ONLY)
def test_finding_8_truncate_is_refused_on_postgresql(demo: Platform) -> None:
    for table in ("audit_log", "audit_head", "audit_log, audit_head"):
        with pytest.raises(Exception, match="TRUNCATE is refused"), demo.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table}"))
    assert _verify(demo) is None


def test_finding_8_an_erased_chain_in_a_database_with_data_is_a_failure(demo: Platform) -> None:
    with _attacker(demo) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE audit_log; DELETE FROM audit_head;"))
        else:
            conn.execute(text("DELETE FROM audit_log"))
            conn.execute(text("DELETE FROM audit_head"))
    problem = _verify(demo)
    assert problem is not None and problem.seq == 1 and "пуст" in problem.message


def test_finding_8_an_empty_chain_in_an_empty_database_is_intact(platform: Platform) -> None:
    assert _verify(platform) is None
    point = _checkpoint(platform)
    assert (point.seq, point.hash) == (0, GENESIS)
    with platform.transaction() as session:
        audit.record(session, actor=ACTOR, action=AuditAction.DEMO_LOADED, object_type="demo", object_id=None)
    assert _verify(platform, point) is None


# --- checkpoints ------------------------------------------------------------------------------

def test_finding_8_a_checkpoint_catches_a_rewrite_before_it_even_by_a_key_holder(demo: Platform) -> None:
    point = _checkpoint(demo)
    with demo.transaction() as session:
        audit.record(session, actor=ACTOR, action=AuditAction.DEMO_LOADED, object_type="demo", object_id=None)
    assert _verify(demo, point) is None
    with _attacker(demo) as conn:
        _rechain(conn, 5, {"actor": "someone-else"}, SCHEME_HMAC, demo.settings.audit_key)
    assert _verify(demo) is None  # whoever holds the key can rewrite: the checkpoint kept outside says so
    problem = _verify(demo, point)
    assert problem is not None and problem.seq == point.seq and "контрольной точк" in problem.message


def test_finding_8_a_forged_or_foreign_checkpoint_is_refused(demo: Platform) -> None:
    point = _checkpoint(demo)
    assert parse_checkpoint(json.loads(json.dumps(point.as_dict()))) == point
    moved = parse_checkpoint({**point.as_dict(), "seq": point.seq - 1})
    problem = _verify(demo, moved)
    assert problem is not None and "подпись" in problem.message
    foreign = audit.sign_checkpoint(b"another key", point.seq, point.hash, point.time)
    problem = _verify(demo, foreign)
    assert problem is not None and "подпись" in problem.message


# --- streaming --------------------------------------------------------------------------------

def test_issue_7_audit_verify_streams_the_log(demo: Platform) -> None:
    """Constant memory: the log is read in batches (a server-side cursor on PostgreSQL)."""
    seen: list[tuple[dict[str, Any], bool]] = []

    def spy(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM audit_log ORDER BY audit_log.seq" in statement:
            seen.append((dict(context.execution_options), type(cursor).__name__ == "ServerCursor"))

    event.listen(demo.engine, "before_cursor_execute", spy)
    try:
        assert _verify(demo) is None
    finally:
        event.remove(demo.engine, "before_cursor_execute", spy)
    assert len(seen) == 1
    options, server_side = seen[0]
    assert options.get("yield_per") == 1000
    assert server_side == (demo.engine.dialect.name == "postgresql")


# --- migration 0002 ----------------------------------------------------------------------------

@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database, not migrated."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    _require_pg()
    name = f"nadzor_t{RUN_ID}_{uuid.uuid4().hex[:8]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        _pg_drop(name)


def _legacy_rows(conn: Connection, count: int) -> None:
    """What revision 0001 wrote: an office and its plain SHA-256 chain."""
    conn.execute(text("INSERT INTO offices (code, level, kind, name_ru, name_kk, city, former_names, version) "
                      "VALUES ('gp', 'general', 'territorial', 'ГП', 'БП', 'Астана', '[]', 1)"))
    prev = GENESIS
    for seq in range(1, count + 1):
        fields = ChainFields(seq=seq, at=f"2026-11-2{seq}T10:00:00.000000+00:00", actor="cli:root", actor_office="",
                             actor_position="", action="office.created", object_type="office", object_id=str(seq),
                             before="null", after=canonical({"n": seq}), prev_hash=prev)
        prev = hashlib.sha256(canonical([
            fields.seq, fields.at, fields.actor, fields.actor_office, fields.actor_position, fields.action,
            fields.object_type, fields.object_id, fields.before, fields.after, fields.prev_hash,
        ]).encode("utf-8")).hexdigest()
        conn.execute(text("INSERT INTO audit_log (seq, at, actor, actor_office, actor_position, action, object_type, "
                          "object_id, before, after, prev_hash, hash) VALUES (:seq, :at, :actor, :actor_office, "
                          ":actor_position, :action, :object_type, :object_id, :before, :after, :prev_hash, :hash)"),
                     {name: getattr(fields, name) for name in ChainFields.__slots__} | {"hash": prev})
    conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"), {"seq": count, "hash": prev})


def test_finding_8_rows_of_revision_0001_still_verify_and_are_sealed_by_the_key(fresh_url: str,
                                                                                 tmp_path: Path) -> None:
    from nadzor.infra.db.engine import make_engine

    upgrade(fresh_url, "0001")
    settings = _settings(fresh_url, tmp_path)
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as conn:
            _legacy_rows(conn, 3)
        upgrade(fresh_url, "0002", audit_key=settings.audit_key)
        assert current_revision(fresh_url) == "0002"
        platform = Platform(settings, engine)
        assert _verify(platform) is None
        with platform.read_only() as session:
            rows = session.execute(select(audit_log.c.seq, audit_log.c.scheme, audit_log.c.action)
                                   .order_by(audit_log.c.seq)).all()
        assert [tuple(r) for r in rows] == [(1, "sha256", "office.created"), (2, "sha256", "office.created"),
                                            (3, "sha256", "office.created"), (4, "hmac1", "audit.keyed")]
        with platform.transaction() as session:
            assert audit.record(session, actor=ACTOR, action=AuditAction.DEMO_LOADED, object_type="demo",
                                object_id=None) == 5
        point = _checkpoint(platform)
        assert _verify(platform, point) is None
        with _attacker(platform) as conn:  # old rows rewritten under their own (unkeyed) scheme
            _rechain(conn, 2, {"actor": "someone-else"}, SCHEME_SHA256, until=3)
        problem = _verify(platform)
        assert problem is not None and problem.seq == 4 and "ссылка на предыдущую" in problem.message
    finally:
        engine.dispose()


def test_the_alembic_head_matches_the_table_metadata(platform: Platform) -> None:
    """Issue 7 §3: the migrations (0002 included: the scheme column and the audit indexes) build
    exactly the tables the code declares."""
    with platform.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []


def test_issue_7_every_audit_filter_is_indexed_with_the_view_order(platform: Platform) -> None:
    """Each filter of /audit leads an index followed by (at, seq): counts read the index alone and
    the newest page is read from its end (p95 < 50 ms at 1 M rows: bench/audit.py)."""
    with platform.engine.connect() as conn:
        indexes = {tuple(ix["column_names"]) for ix in inspect(conn).get_indexes("audit_log")}
    for columns in (("actor",), ("actor_office",), ("action",), ("object_type", "object_id"), ()):
        assert (*columns, "at", "seq") in indexes, columns
