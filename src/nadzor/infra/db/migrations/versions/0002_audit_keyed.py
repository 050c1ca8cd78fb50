"""The audit chain keyed and its head protected: a hash scheme per row (the rows of 0001 keep
their plain SHA-256, new rows are HMAC-SHA256 with the audit key), a keyed row that seals the
existing rows, `audit_head` that only moves forward to the last row, TRUNCATE refused on
PostgreSQL, and the audit view's filters indexed together with its order (at, seq).

The audit key is never stored in the database: `nadzor.infra.db.migrate.upgrade` passes it
(config attribute `nadzor_audit_key`); without it the key of the environment's settings is used.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:40:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

from nadzor.domain.audit import SCHEME_HMAC, SCHEME_SHA256, AuditAction, ChainFields, canonical, row_hash

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEAL_ACTOR = "system:db-upgrade"
#: 0001's single-column indexes, replaced by indexes followed by the audit view's order (at, seq).
_OLD_INDEXES = {"ix_audit_log_action": ["action"], "ix_audit_log_actor": ["actor"],
                "ix_audit_log_actor_office": ["actor_office"], "ix_audit_log_at": ["at"],
                "ix_audit_log_object_type": ["object_type"]}
_NEW_INDEXES = {
    "ix_audit_log_actor_at": ["actor", "at", "seq"],
    "ix_audit_log_office_at": ["actor_office", "at", "seq"],
    "ix_audit_log_action_at": ["action", "at", "seq"],
    "ix_audit_log_object_at": ["object_type", "object_id", "at", "seq"],
    "ix_audit_log_type_seq": ["object_type", "seq"],
    "ix_audit_log_at_seq": ["at", "seq"],
}

_PG_GUARDS = """
CREATE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_head is append-only: it cannot be deleted';
    END IF;
    IF NEW.id <> 1 OR (TG_OP = 'UPDATE' AND NEW.seq <= OLD.seq)
            OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
            OR EXISTS (SELECT 1 FROM audit_log WHERE seq > NEW.seq) THEN
        RAISE EXCEPTION 'audit_head is append-only: it only moves forward to the last audit_log row';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE FUNCTION audit_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE is refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
"""

_HEAD_MISPLACED = (
    "NEW.id <> 1 OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash) "
    "OR EXISTS (SELECT 1 FROM audit_log WHERE seq > NEW.seq)"
)
_SQLITE_GUARDS = (
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head is append-only: it cannot be deleted'); END",
    f"CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq OR {_HEAD_MISPLACED} "
    "BEGIN SELECT RAISE(ABORT, 'audit_head is append-only: it only moves forward to the last audit_log row'); END",
    f"CREATE TRIGGER audit_head_insert BEFORE INSERT ON audit_head WHEN {_HEAD_MISPLACED} "
    "BEGIN SELECT RAISE(ABORT, 'audit_head is append-only: it only moves forward to the last audit_log row'); END",
)


def _audit_key() -> bytes:
    key = context.config.attributes.get("nadzor_audit_key")
    if isinstance(key, bytes) and key:
        return key
    from nadzor.settings import Settings

    return Settings.from_env().audit_key


def _seal_existing_rows() -> None:
    """Append one keyed row after the rows of 0001: it covers the last of them (its prev_hash),
    so from now on rewriting any older row needs the key too."""
    bind = op.get_bind()
    head = bind.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    if head is None:
        return
    legacy = int(bind.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one())
    fields = ChainFields(
        seq=head.seq + 1, at=datetime.now(UTC).isoformat(timespec="microseconds"), actor=SEAL_ACTOR,
        actor_office="", actor_position="", action=str(AuditAction.AUDIT_KEYED), object_type="audit",
        object_id="", before=canonical(None), after=canonical({"scheme": SCHEME_HMAC, "rows_before": legacy}),
        prev_hash=head.hash,
    )
    digest = row_hash(fields, SCHEME_HMAC, _audit_key())
    values = {name: getattr(fields, name) for name in ChainFields.__slots__}
    columns = ", ".join(values)
    bind.execute(sa.text(f"INSERT INTO audit_log ({columns}, hash, scheme) "  # noqa: S608 (fixed names)
                         f"VALUES ({', '.join(':' + c for c in values)}, :hash, :scheme)"),
                 {**values, "hash": digest, "scheme": SCHEME_HMAC})
    bind.execute(sa.text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
                 {"seq": fields.seq, "hash": digest})


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("scheme", sa.String(length=10), nullable=False,
                                         server_default=SCHEME_SHA256))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("audit_log", "scheme", server_default=None)
    for name in _OLD_INDEXES:
        op.drop_index(name, table_name="audit_log")
    for name, columns in _NEW_INDEXES.items():
        op.create_index(name, "audit_log", columns, unique=False)
    _seal_existing_rows()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_GUARDS)
    else:
        for statement in _SQLITE_GUARDS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_no_truncate()")
        op.execute("DROP TRIGGER IF EXISTS audit_head_guard ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS audit_head_forward_only()")
    else:
        for name in ("audit_head_no_delete", "audit_head_forward", "audit_head_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in _NEW_INDEXES:
        op.drop_index(name, table_name="audit_log")
    for name, columns in _OLD_INDEXES.items():
        op.create_index(name, "audit_log", columns, unique=False)
    # Keyed rows cannot be verified by revision 0001: a downgrade keeps them but loses their scheme.
    op.execute("ALTER TABLE audit_log DROP COLUMN scheme")
