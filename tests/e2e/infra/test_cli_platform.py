"""The `nadzor` command on SQLite and PostgreSQL: database, demo data, users, the office tree,
calendar administration seen by the rules, and the audit chain check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from nadzor.bootstrap import Platform


def nadzor(platform: Platform | None, *args: str, env: dict[str, str] | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NADZOR_PASSWORD_HASHING": "fast", **(env or {})}
    if platform is not None:
        environment["DATABASE_URL"] = platform.settings.database_url
        environment["NADZOR_CALENDAR_FILE"] = str(platform.settings.calendar_file)
    return subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", *args], capture_output=True, text=True,
                          env=environment, input=stdin, check=False, timeout=300)


def test_db_upgrade_and_demo_load_on_a_fresh_embedded_database(tmp_path: Path) -> None:
    env = {"NADZOR_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    with_env = {**clean, **env, "NADZOR_PASSWORD_HASHING": "fast"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", *a],  # noqa: E731
                                    capture_output=True, text=True, env=with_env, check=False, timeout=300)
    done = run("db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nadzor.sqlite3").exists()
    loaded = run("demo", "load")
    assert loaded.returncode == 0 and "131 прокуратур" in loaded.stdout
    again = run("demo", "load")
    assert again.returncode == 0 and "уже есть сотрудники" in again.stdout


def test_users_create_and_a_duplicate_login_is_refused_naming_the_field(demo: Platform) -> None:
    done = nadzor(demo, "users", "create", "auditor", "--password", "auditor-password-1", "--admin")
    assert done.returncode == 0, done.stderr
    again = nadzor(demo, "users", "create", "auditor", "--password", "auditor-password-1")
    assert again.returncode == 2 and "login:" in again.stderr
    short = nadzor(demo, "users", "create", "newbie", "--password", "short")
    assert short.returncode == 2 and "password:" in short.stderr


def test_org_export_and_import(demo: Platform, tmp_path: Path) -> None:
    exported = nadzor(demo, "org", "export", "--format", "json")
    assert exported.returncode == 0
    items = json.loads(exported.stdout)
    assert len(items) == 131 and items[0]["code"] == "gpo"
    path = tmp_path / "offices.csv"
    done = nadzor(demo, "org", "export", "--format", "csv", "--output", str(path))
    assert done.returncode == 0
    path.write_text(path.read_text(encoding="utf-8") + "x.new,almaty_region,district,territorial,"
                    "Прокуратура нового района,,Конаев,2026-01-01,,\n", encoding="utf-8")
    imported = nadzor(demo, "org", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "Создано: 1" in imported.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("code,parent_code\n", encoding="utf-8")
    refused = nadzor(demo, "org", "import", str(bad))
    assert refused.returncode == 2 and "header:" in refused.stderr


def test_calendar_add_is_seen_by_rule_evaluations_and_listed(demo: Platform) -> None:
    data = json.dumps({"check_end": "2021-07-28"})
    before = nadzor(demo, "rules", "eval", "check.certificate_delivery_due", "--input", data)
    assert json.loads(before.stdout)["result"] == {"due": "2021-08-04"}
    added = nadzor(demo, "calendar", "add", "2021-08-02", "--day-off", "--name", "Перенос выходного дня",
                   "--resolution-number", "501", "--resolution-date", "2021-07-20")
    assert added.returncode == 0, added.stderr
    after = nadzor(demo, "rules", "eval", "check.certificate_delivery_due", "--input", data)
    assert json.loads(after.stdout)["result"] == {"due": "2021-08-05"}
    listed = nadzor(demo, "calendar", "list", "2021", "--json")
    assert {"date": "2021-08-02", "working": False, "name": "Перенос выходного дня",
            "source": "постановление Правительства РК от 20.07.2021 № 501"} in json.loads(listed.stdout)
    bad = nadzor(demo, "calendar", "add", "2021-02-30", "--day-off", "--name", "x", "--resolution-number", "1",
                 "--resolution-date", "2021-01-01")
    assert bad.returncode == 2 and "day:" in bad.stderr
    removed = nadzor(demo, "calendar", "remove", "2021-08-02", "--version", "1")
    assert removed.returncode == 0, removed.stderr


def test_audit_verify_exits_0_on_an_intact_chain_and_names_the_first_altered_row(demo: Platform) -> None:
    ok = nadzor(demo, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    with demo.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5"))
    broken = nadzor(demo, "audit", "verify")
    assert broken.returncode == 1
    assert "№ 5" in broken.stderr


def test_production_refuses_the_development_secret(demo: Platform) -> None:
    done = nadzor(demo, "serve", "--port", "8799", env={"NADZOR_ENV": "production", "NADZOR_PASSWORD_HASHING": "strong",
                                                         "NADZOR_SECRET_KEY": ""})
    assert done.returncode == 2 and "NADZOR_SECRET_KEY" in done.stderr


def test_production_refuses_working_demo_accounts(demo: Platform) -> None:
    env = {"NADZOR_ENV": "production", "NADZOR_PASSWORD_HASHING": "strong",
           "NADZOR_SECRET_KEY": "a-real-production-secret-key-of-enough-length"}
    done = nadzor(demo, "serve", "--port", "8799", env=env)
    assert done.returncode == 2 and "демо-учётные записи" in done.stderr and "admin" in done.stderr


def test_finding_14_an_unknown_nadzor_env_stops_the_command_naming_the_variable(demo: Platform) -> None:
    for args in (("rules", "list"), ("serve", "--port", "8799"), ("users", "unlock", "admin")):
        done = nadzor(demo, *args, env={"NADZOR_ENV": "prod"})
        assert done.returncode == 2, args
        assert done.stderr.startswith("ошибка: NADZOR_ENV:") and "Traceback" not in done.stderr


def test_finding_14_serve_demo_in_production_refuses_before_writing_anything(platform: Platform,
                                                                            tmp_path: Path) -> None:
    env = {"NADZOR_ENV": "production", "NADZOR_PASSWORD_HASHING": "strong",
           "NADZOR_SECRET_KEY": "a-real-production-secret-key-of-enough-length"}
    done = nadzor(platform, "serve", "--demo", "--port", "8799", env=env)
    assert done.returncode == 2 and "--demo" in done.stderr
    with platform.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM offices")).scalar_one() == 0
    fresh = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    embedded = subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", "serve", "--demo", "--port", "8799"],
                              capture_output=True, text=True, check=False, timeout=300,
                              env={**fresh, **env, "NADZOR_DATA_DIR": str(tmp_path / "data")})
    assert embedded.returncode == 2 and not (tmp_path / "data").exists()
