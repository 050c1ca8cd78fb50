"""Storage on SQLite and PostgreSQL: migrations, optimistic concurrency, atomic refusals, and the
hash-chained, append-only audit trail (serialized under concurrent writers)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from nadzor.audit import service as audit
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.domain.org import Person
from nadzor.infra.context import cli_actor
from nadzor.infra.db.migrate import alembic_config, current_revision, upgrade
from nadzor.infra.errors import Conflict, InvalidInput
from nadzor.org import service as org
from nadzor.org.tables import people

ACTOR = cli_actor()


def _count(platform: Platform, table) -> int:
    with platform.read_only() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _a_person(platform: Platform) -> Person:
    with platform.read_only() as session:
        found = session.scalars(select(Person).order_by(people.c.id)).first()
        assert found is not None
        return found


def test_migrations_are_at_head_and_can_run_again(demo: Platform) -> None:
    url = demo.settings.database_url
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()  # one head: a linear chain
    assert head is not None
    assert current_revision(url) == head
    upgrade(url)
    assert current_revision(url) == head


def test_the_second_of_two_people_saving_the_same_record_gets_a_conflict(demo: Platform) -> None:
    person = _a_person(demo)
    assert person.id is not None
    base = {"full_name": person.full_name, "position": person.position, "office_id": person.office_id,
            "version": person.version}
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(name: str) -> None:
        barrier.wait()
        try:
            with demo.transaction() as session:
                org.do_update_person(session, person.id or 0, {**base, "email": f"{name}@prokuratura.kz"}, actor=ACTOR)
            outcomes[name] = "saved"
        except Conflict as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=save, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [n for n, o in outcomes.items() if o == "saved"]
    conflicts = [o for o in outcomes.values() if isinstance(o, Conflict)]
    assert len(saved) == 1 and len(conflicts) == 1
    assert "изменена другим пользователем" in str(conflicts[0])
    with demo.read_only() as session:
        stored = session.get(Person, person.id)
        assert stored is not None
        assert stored.email == f"{saved[0]}@prokuratura.kz"
        assert stored.version == person.version + 1


def test_a_refused_change_leaves_the_database_exactly_as_before(demo: Platform) -> None:
    before_people, before_audit = _count(demo, people), _count(demo, audit_log)
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_create_person(session, {"full_name": "Тест", "position": "regional_prosecutor", "office_id": 1},
                             actor=ACTOR)
    assert refused.value.errors[0].field == "position"
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_create_person(session, {"full_name": "", "position": "prosecutor", "office_id": 1, "rank": 3},
                             actor=ACTOR)
    assert {e.field for e in refused.value.errors} == {"full_name", "rank"}
    assert (_count(demo, people), _count(demo, audit_log)) == (before_people, before_audit)


def test_every_change_writes_its_audit_row_in_the_same_transaction(demo: Platform) -> None:
    before = _count(demo, audit_log)
    with demo.transaction() as session:
        person = org.do_create_person(session, {"full_name": "Новиков Павел", "position": "prosecutor",
                                                "office_id": 1}, actor=ACTOR)
    with demo.read_only() as session:
        last = session.execute(select(audit_log).order_by(audit_log.c.seq.desc())).mappings().first()
    assert _count(demo, audit_log) == before + 1
    assert last is not None
    assert (last["action"], last["object_type"], last["object_id"]) == ("person.created", "person", str(person.id))
    assert last["actor"] == ACTOR.login and "Новиков Павел" in last["after"] and last["before"] == "null"


def test_audit_chain_verifies_and_the_cli_agrees(demo: Platform) -> None:
    with demo.read_only() as session:
        assert audit.verify(session) is None


def _tamper(platform: Platform, sql: str) -> None:
    """An attacker with database access: switch the append-only triggers off, then change rows."""
    with platform.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text(sql))


def test_an_altered_row_is_named_as_the_first_bad_row(demo: Platform) -> None:
    _tamper(demo, "UPDATE audit_log SET after = 'forged' WHERE seq = 7")
    with demo.read_only() as session:
        problem = audit.verify(session)
    assert problem is not None and problem.seq == 7


def test_a_removed_row_is_detected(demo: Platform) -> None:
    _tamper(demo, "DELETE FROM audit_log WHERE seq = 12")
    with demo.read_only() as session:
        problem = audit.verify(session)
    assert problem is not None and problem.seq == 12


def test_removing_the_last_rows_is_detected(demo: Platform) -> None:
    total = _count(demo, audit_log)
    _tamper(demo, f"DELETE FROM audit_log WHERE seq > {total - 2}")
    with demo.read_only() as session:
        problem = audit.verify(session)
    assert problem is not None and problem.seq == total - 1


def test_the_audit_table_refuses_updates_and_deletes(demo: Platform) -> None:
    for sql in ("UPDATE audit_log SET actor = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"):
        with pytest.raises(Exception, match="append-only"), demo.engine.begin() as conn:
            conn.execute(text(sql))


def test_concurrent_writers_keep_the_chain_linear(demo: Platform) -> None:
    before = _count(demo, audit_log)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(6):
                with demo.transaction() as session:
                    org.do_create_person(session, {"full_name": f"Сотрудник {n}-{i}", "position": "prosecutor",
                                                   "office_id": 1}, actor=ACTOR)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with demo.read_only() as session:
        seqs = list(session.scalars(select(audit_log.c.seq).order_by(audit_log.c.seq)))
        assert seqs == list(range(1, before + 37))
        assert audit.verify(session) is None


def test_audit_filter_by_person_office_object_and_date(demo: Platform) -> None:
    with demo.transaction() as session:
        person = org.do_create_person(session, {"full_name": "Фильтров Олег", "position": "prosecutor",
                                                "office_id": 1}, actor=ACTOR)
    with demo.read_only() as session:
        total, rows = audit.access_audit(session, ACTOR, audit.AuditFilter(object_type="person",
                                                                            object_id=str(person.id)))
        assert total == 1 and rows[0]["action"] == "person.created"
        today = audit.now_utc().astimezone(audit.ALMATY).date()
        total_today, _ = audit.access_audit(session, ACTOR, audit.AuditFilter(actor=ACTOR.login, date_from=today,
                                                                               date_to=today))
        assert total_today >= 1
        none, _ = audit.access_audit(session, ACTOR, audit.AuditFilter(date_to=date(2000, 1, 1)))
        assert none == 0
