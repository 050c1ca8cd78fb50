"""The `nadzor` command (Typer): the rules, the calendar and the server.

Bad input exits with code 2 and one line on stderr naming the field.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from nadzor.casework.cli import register_apps
from nadzor.casework.cli_replay import proceedings_app

if TYPE_CHECKING:
    from nadzor.domain.calendar import WorkingCalendar

app = typer.Typer(help="Nadzor — надзор прокуратуры РК: правила, сроки, календарь.", no_args_is_help=True)
rules_app = typer.Typer(help="Правила приказа № 60 (ред. № 102): каталог и вычисление.", no_args_is_help=True)
calendar_app = typer.Typer(help="Рабочий календарь Республики Казахстан.", no_args_is_help=True)
db_app = typer.Typer(help="База данных.", no_args_is_help=True)
demo_app = typer.Typer(help="Демонстрационные данные.", no_args_is_help=True)
users_app = typer.Typer(help="Учётные записи.", no_args_is_help=True)
org_app = typer.Typer(help="Структура прокуратур.", no_args_is_help=True)
audit_app = typer.Typer(help="Журнал аудита.", no_args_is_help=True)

for sub, name in ((rules_app, "rules"), (proceedings_app, "proceedings"), (calendar_app, "calendar"),
                  (db_app, "db"), (demo_app, "demo"), (users_app, "users"), (org_app, "org"), (audit_app, "audit"),
                  *register_apps()):
    app.add_typer(sub, name=name)


def _fail(field: str, message: str) -> NoReturn:
    typer.echo(f"ошибка: {field}: {message}", err=True)
    raise typer.Exit(2)


def _dump(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def _load_rules() -> tuple[Any, WorkingCalendar]:
    """The rules and the full calendar they receive — the database layer too when the database
    exists —, built once for the command (a batch evaluates every line with it)."""
    from nadzor import bootstrap, rules

    settings = _settings()
    platform = bootstrap.platform_if_present(settings)
    try:
        calendar = platform.calendar() if platform is not None else bootstrap.default_calendar(settings.calendar_file)
    finally:
        if platform is not None:
            platform.dispose()
    return rules, calendar


def _settings() -> Any:
    """The settings, or exit 2 naming the environment variable that is refused."""
    from nadzor.settings import InsecureConfiguration, Settings

    try:
        return Settings.from_env()
    except InsecureConfiguration as exc:
        _fail(exc.setting, str(exc))


def _platform(migrate: bool | None = None, settings: Any = None) -> Any:
    """The platform; the schema is migrated to head except in production (`nadzor db upgrade`)."""
    from nadzor.bootstrap import SchemaOutdated, create_platform

    settings = settings or _settings()
    try:
        return create_platform(settings, migrate=migrate)
    except SchemaOutdated as exc:
        _fail("database", str(exc))
    except Exception as exc:
        _fail("database", f"база данных недоступна: {exc}")


def _service_errors() -> tuple[type[Exception], ...]:
    from nadzor.infra.errors import Conflict, InvalidInput, NotFound

    return InvalidInput, Conflict, NotFound


def _report(exc: Exception) -> NoReturn:
    from nadzor.infra.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        first = exc.errors[0]
        _fail(first.field, first.message)
    _fail("input", str(exc))


@rules_app.command("list")
def rules_list(
    as_json: Annotated[bool, typer.Option("--json", help="Печатать JSON со схемами входа и выхода.")] = False,
) -> None:
    """Каталог правил: идентификатор, название, пункты."""
    rules, cal = _load_rules()
    from nadzor.rulebook.catalogue import catalogue_json  # the API's catalogue: Russian schemas, the same bytes

    catalogue = json.loads(catalogue_json(cal))
    if as_json:
        typer.echo(_dump(catalogue))
        return
    for item in catalogue:
        typer.echo(f"{item['id']:<42} {', '.join(item['citations']):<28} {item['title']}")
    covered = rules.calendar_coverage(cal)
    typer.echo(f"Даты входа — в пределах рабочего календаря: {covered['from']} — {covered['to']}")


TOO_DEEP = "некорректный JSON: слишком глубокая вложенность"


def _read_input(text: str) -> Any:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = sys.stdin.read() if text == "@-" else path.read_text(encoding="utf-8")
        except OSError as exc:
            _fail("input", f"не удалось прочитать файл {path}: {exc.strerror}")
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
        _fail("input", f"некорректный JSON: {exc}")
    except RecursionError:
        _fail("input", TOO_DEEP)


@rules_app.command("eval")
def rules_eval(
    rule_id: Annotated[str | None, typer.Argument(help="Идентификатор правила, например check.last_day.")] = None,
    input_: Annotated[
        str | None, typer.Option("--input", "-i", help="Вход JSON строкой или @файл.json (@- — stdin).")
    ] = None,
    batch: Annotated[
        str | None, typer.Option("--batch", help="Файл JSON-строк {rule, input} (- — stdin).")
    ] = None,
) -> None:
    """Вычислить правило (или пакет правил из файла JSON-строк)."""
    rules, cal = _load_rules()
    if batch is not None:
        if rule_id is not None or input_ is not None:
            _fail("batch", "--batch не сочетается с идентификатором правила и --input")
        raise typer.Exit(2 if run_file(batch, lambda stream, out: run_batch(rules, cal, stream, out)) else 0)
    if rule_id is None:
        _fail("rule", "укажите идентификатор правила или --batch")
    if input_ is None:
        _fail("input", "укажите вход: --input '<json>' или --input @файл.json")
    data = _read_input(input_)
    try:
        output = rules.evaluate(rule_id, data, calendar=cal)
    except rules.InvalidInput as exc:
        first = exc.errors[0]
        _fail(first.field, first.message)
    except RecursionError:
        _fail("input", TOO_DEEP)
    typer.echo(_dump(output))


def run_file(path: str, runner: Callable[[TextIO, TextIO], int]) -> int:
    """Run a batch over a file of JSON lines (`-`: standard input); the number of failed lines."""
    if path == "-":
        return runner(sys.stdin, sys.stdout)
    try:
        with open(path, encoding="utf-8") as stream:
            return runner(stream, sys.stdout)
    except OSError as exc:
        _fail("batch", f"не удалось прочитать файл {path}: {exc.strerror}")


def run_batch(rules: Any, calendar: WorkingCalendar, stream: TextIO, out: TextIO) -> int:
    """`rules eval --batch`: lines `{"rule", "input"}` (RULES.md), every one with the command's calendar."""
    evaluate = rules.evaluate
    return run_lines(stream, out, ("rule", "input"),
                     lambda item: evaluate(item["rule"], item["input"], calendar=calendar))


def run_lines(stream: TextIO, out: TextIO, keys: tuple[str, ...], handle: Callable[[dict[str, Any]], Any]) -> int:
    """One output line per input line, in order: `handle(item)` for an object with exactly `keys`, or
    `{"error": {field, message}}` for a bad line — and the batch goes on. Returns the failed lines."""
    from nadzor.rules.base import InvalidInput

    dumps = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(…, ensure_ascii=False), made once
    loads = json.loads
    failed = 0
    lines: list[str] = []
    shape = "ожидается объект {" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    # A line's objects are freed when it is answered: the cyclic collector, run every 700 allocations by
    # default, would only walk them again and again.
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        for line in stream:
            try:
                try:
                    item = loads(line)
                except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
                    raise InvalidInput.one("line", f"некорректный JSON: {getattr(exc, 'msg', exc)}") from None
                except RecursionError:
                    raise InvalidInput.one("line", TOO_DEEP) from None
                if not isinstance(item, dict):
                    raise InvalidInput.one("line", shape)
                extra = [k for k in item if k not in keys]
                if extra:
                    raise InvalidInput.one(str(extra[0])[:80], "неизвестное поле строки пакета")
                for key in keys:
                    if key not in item:
                        raise InvalidInput.one(key, "обязательное поле не заполнено")
                try:
                    lines.append(dumps(handle(item)))
                except RecursionError:
                    raise InvalidInput.one("input", TOO_DEEP) from None
            except InvalidInput as exc:
                failed += 1
                lines.append(dumps({"error": exc.errors[0].as_dict()}))
            if len(lines) >= 4096:
                out.write("\n".join(lines) + "\n")
                lines.clear()
    finally:
        gc.set_threshold(*thresholds)
    if lines:
        out.write("\n".join(lines) + "\n")
    out.flush()
    return failed


#: The cyclic collector's first threshold while a batch runs.
GC_THRESHOLD = 50_000


@calendar_app.command("day")
def calendar_day(day: Annotated[str, typer.Argument(help="Дата ГГГГ-ММ-ДД.")]) -> None:
    """Рабочий ли день, и какой источник это решил."""
    rules, cal = _load_rules()
    try:
        output = rules.evaluate("calendar.working_day", {"date": day}, calendar=cal)
    except rules.InvalidInput as exc:
        _fail("date", exc.errors[0].message)
    entry = cal.entry(date.fromisoformat(day))
    result = output["result"]
    state = "рабочий день" if result["working"] else f"нерабочий день — {result['name']}"
    source = entry.source if entry else "пятидневная рабочая неделя"
    typer.echo(f"{day}: {state} (источник: {source})")


@calendar_app.command("add")
def calendar_add(
    day: Annotated[str, typer.Argument(help="Дата ГГГГ-ММ-ДД.")],
    working: Annotated[bool, typer.Option("--working/--day-off", help="Рабочий день или выходной.")],
    name: Annotated[str, typer.Option(help="Название (праздник, перенос).")],
    resolution_number: Annotated[str, typer.Option("--resolution-number", help="Номер постановления.")],
    resolution_date: Annotated[str, typer.Option("--resolution-date", help="Дата постановления ГГГГ-ММ-ДД.")],
    version: Annotated[int | None, typer.Option(help="Версия изменяемой поправки.")] = None,
) -> None:
    """Добавить или изменить день рабочего календаря (поправка в базе данных, с аудитом)."""
    from nadzor.calendar import service as calendar_admin
    from nadzor.infra.context import cli_actor

    platform = _platform()
    data: dict[str, Any] = {"day": day, "working": working, "name": name, "resolution_number": resolution_number,
                            "resolution_date": resolution_date}
    if version is not None:
        data["version"] = version
    try:
        calendar = platform.calendar()
        with platform.transaction() as session:
            change = calendar_admin.do_set_calendar_day(session, data, actor=cli_actor(), calendar=calendar,
                                                        calendar_of=platform.calendar_in,
                                                        changed=platform.calendar_changed)
            result = calendar_admin.day_dict(change.item) | {"proceedings_moved": change.moved}
    except _service_errors() as exc:
        _report(exc)
    typer.echo(_dump(result))


@calendar_app.command("remove")
def calendar_remove(
    day: Annotated[str, typer.Argument(help="Дата ГГГГ-ММ-ДД.")],
    version: Annotated[int, typer.Option(help="Версия удаляемой поправки.")],
) -> None:
    """Удалить поправку рабочего календаря из базы данных (с аудитом)."""
    from nadzor.calendar import service as calendar_admin
    from nadzor.infra.context import cli_actor

    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        _fail("day", f"ожидается дата ГГГГ-ММ-ДД, получено {day!r}")
    platform = _platform()
    try:
        with platform.transaction() as session:
            moved = calendar_admin.do_remove_calendar_day(session, parsed, version, actor=cli_actor(),
                                                          calendar_of=platform.calendar_in,
                                                          changed=platform.calendar_changed)
    except _service_errors() as exc:
        _report(exc)
    typer.echo(f"{day}: поправка удалена; пересчитано производств: {moved}")


@calendar_app.command("list")
def calendar_list(
    year: Annotated[int, typer.Argument(help="Год.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Праздники, переносы и рабочие выходные дни года с их источниками (все слои)."""
    _, cal = _load_rules()
    if not cal.horizon_start.year <= year <= cal.horizon_end.year:
        _fail("year", f"календарь построен на {cal.horizon_start.year}–{cal.horizon_end.year} годы")
    entries = [e for e in cal.entries() if e.day.year == year]
    if as_json:
        typer.echo(_dump([{"date": e.day.isoformat(), "working": e.working, "name": e.name, "source": e.source}
                          for e in entries]))
        return
    for e in entries:
        typer.echo(f"{e.day.isoformat()}  {'рабочий ' if e.working else 'выходной'}  {e.name}  [{e.source}]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Адрес.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Порт.")] = 8000,
    demo: Annotated[bool | None, typer.Option("--demo/--no-demo", help="Загрузить демо-данные в пустую базу "
                                              "(по умолчанию — только во встроенную SQLite).")] = None,
) -> None:
    """Создать или обновить базу (в рабочем режиме — только проверить, что она обновлена командой «nadzor db
    upgrade»), при первом запуске загрузить демо-данные и запустить веб-интерфейс и API."""
    import uvicorn

    from nadzor.settings import InsecureConfiguration
    from nadzor.web.app import create_app

    settings = _settings()
    try:
        settings.require_secure()
    except InsecureConfiguration as exc:
        _fail(exc.setting, str(exc))
    if settings.production and demo:  # refused before the database is even opened
        _fail("--demo", "в рабочем режиме (NADZOR_ENV=production) демо-данные не загружаются")
    platform = _platform(settings=settings)
    load = demo if demo is not None else (settings.uses_default_database and not settings.production)
    if load:
        _load_demo(platform, quiet=True)
    if settings.production:
        from nadzor.demo import working_demo_logins

        with platform.transaction() as session:
            demo_logins = working_demo_logins(session, platform.passwords)
        if demo_logins:
            _fail("users", "рабочий режим не запускается, пока действуют демо-учётные записи с паролями из README: "
                           + ", ".join(demo_logins))
    typer.echo(f"Nadzor: http://{host}:{port}/ (база: {settings.database_url.split('@')[-1]})")
    uvicorn.run(create_app(platform), host=host, port=port)


def _load_demo(platform: Any, *, quiet: bool) -> None:
    from nadzor.demo import load_demo
    from nadzor.infra.context import cli_actor

    calendar = platform.calendar()
    with platform.transaction() as session:
        summary = load_demo(session, actor=cli_actor(), passwords=platform.passwords, today=platform.today(),
                            calendar=calendar)
    if summary["loaded"]:
        typer.echo(f"Загружены демо-данные: {summary['offices']['created']} прокуратур, {summary['people']} "
                   f"сотрудников, {summary['users']} учётных записей (пароли — в README, только для демонстрации).")
    elif not quiet:
        typer.echo(summary["reason"])


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Создать или обновить схему базы данных (миграции Alembic; в рабочем режиме — обязательный шаг перед
    запуском сервера). Одновременные запуски не мешают друг другу: второй ждёт окончания первого."""
    platform = _platform(migrate=True)
    typer.echo(f"База данных обновлена: {platform.settings.database_url.split('@')[-1]}")


@demo_app.command("load")
def demo_load() -> None:
    """Заполнить пустую базу демонстрационными данными (прокуратуры, сотрудники, замещения, пользователи)."""
    _load_demo(_platform(), quiet=False)


@users_app.command("create")
def users_create(
    login: Annotated[str, typer.Argument(help="Логин.")],
    person_id: Annotated[int | None, typer.Option("--person-id", help="Сотрудник.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Администратор.")] = False,
    auditor: Annotated[bool, typer.Option("--auditor", help="Аудитор: читает журнал, ничего не меняет.")] = False,
    password: Annotated[str | None, typer.Option(help="Пароль (иначе будет запрошен).")] = None,
) -> None:
    """Создать учётную запись."""
    from nadzor.accounts.service import do_create_user
    from nadzor.infra.context import cli_actor

    if password is None:
        password = typer.prompt("Пароль", hide_input=True, confirmation_prompt=True)
    platform = _platform()
    data: dict[str, Any] = {"login": login, "password": password, "is_admin": admin, "is_auditor": auditor}
    if person_id is not None:
        data["person_id"] = person_id
    try:
        with platform.transaction() as session:
            user = do_create_user(session, data, actor=cli_actor(), passwords=platform.passwords)
            typer.echo(f"Создана учётная запись {user.login} (№ {user.id})")
    except _service_errors() as exc:
        _report(exc)


#: Roles an administrator grants to an account (`services.policy`), as the command line names them.
_ACCOUNT_ROLES = {"administrator": "is_admin", "auditor": "is_auditor"}


def _set_role(login: str, role: str, value: bool) -> None:
    from nadzor.accounts.service import do_update_user, user_by_login
    from nadzor.infra.context import cli_actor

    field = _ACCOUNT_ROLES.get(role)
    if field is None:
        _fail("role", "допустимые роли: " + ", ".join(_ACCOUNT_ROLES))
    platform = _platform()
    try:
        with platform.transaction() as session:
            user = user_by_login(session, login)
            if user is None or user.id is None:
                _fail("login", f"нет учётной записи {login!r}")
            do_update_user(session, user.id, {field: value, "version": user.version}, actor=cli_actor(),
                           passwords=platform.passwords)
    except _service_errors() as exc:
        _report(exc)
    typer.echo(f"Учётная запись {login}: роль «{role}» {'назначена' if value else 'снята'}")


@users_app.command("grant")
def users_grant(
    login: Annotated[str, typer.Argument(help="Логин.")],
    role: Annotated[str, typer.Argument(help="Роль: administrator или auditor.")],
) -> None:
    """Назначить учётной записи роль администратора или аудитора (с записью в журнал аудита)."""
    _set_role(login, role, True)


@users_app.command("revoke")
def users_revoke(
    login: Annotated[str, typer.Argument(help="Логин.")],
    role: Annotated[str, typer.Argument(help="Роль: administrator или auditor.")],
) -> None:
    """Снять с учётной записи роль администратора или аудитора (последнего администратора снять нельзя)."""
    _set_role(login, role, False)


@users_app.command("unlock")
def users_unlock(login: Annotated[str, typer.Argument(help="Логин.")]) -> None:
    """Снять замедление входа после неудачных попыток (с записью в журнал аудита)."""
    from nadzor.accounts.service import do_unlock_user, user_by_login
    from nadzor.infra.context import cli_actor

    platform = _platform()
    try:
        with platform.transaction() as session:
            user = user_by_login(session, login)
            if user is None or user.id is None:
                _fail("login", f"нет учётной записи {login!r}")
            do_unlock_user(session, user.id, actor=cli_actor())
    except _service_errors() as exc:
        _report(exc)
    typer.echo(f"Учётная запись {login}: замедление входа снято")


@org_app.command("import")
def org_import(path: Annotated[Path, typer.Argument(help="Файл .csv или .json.")]) -> None:
    """Загрузить структуру прокуратур (по кодам: новые создаются, изменённые обновляются; всё или ничего)."""
    from nadzor.infra.context import cli_actor
    from nadzor.org import files as org_files
    from nadzor.org.service import do_import_offices

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail("path", f"не удалось прочитать {path}: {exc.strerror}")
    platform = _platform()
    try:
        items = org_files.parse_json(text) if path.suffix.lower() == ".json" else org_files.parse_csv(text)
        with platform.transaction() as session:
            summary = do_import_offices(session, items, actor=cli_actor())
    except _service_errors() as exc:
        _report(exc)
    typer.echo(f"Создано: {summary['created']}, изменено: {summary['updated']}, без изменений: {summary['unchanged']}")


@org_app.command("export")
def org_export(
    fmt: Annotated[str, typer.Option("--format", help="csv или json.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Файл (иначе stdout).")] = None,
) -> None:
    """Выгрузить структуру прокуратур."""
    from nadzor.infra.context import cli_actor
    from nadzor.org import files as org_files
    from nadzor.org.service import export_offices

    if fmt not in ("csv", "json"):
        _fail("format", "допустимые форматы: csv, json")
    platform = _platform()
    with platform.transaction() as session:
        items = export_offices(session, cli_actor())
    text = org_files.render_csv(items) if fmt == "csv" else org_files.render_json(items)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@audit_app.command("verify")
def audit_verify(
    checkpoint_file: Annotated[Path | None, typer.Option(
        "--checkpoint", help="Файл контрольной точки (nadzor audit checkpoint): цепочка должна её содержать.",
        dir_okay=False)] = None,
) -> None:
    """Проверить цепочку журнала аудита: код 0 — цела, 1 — нарушена (с номером первой плохой записи)."""
    from nadzor.audit import service as audit

    checkpoint = _read_checkpoint(checkpoint_file) if checkpoint_file is not None else None
    platform = _platform(migrate=False)
    with platform.read_only() as session:
        problem = audit.verify(session, checkpoint)
    if problem is not None:
        typer.echo(f"НАРУШЕНА: первая плохая запись № {problem.seq}: {problem.message}", err=True)
        raise typer.Exit(1)
    if checkpoint is not None:
        typer.echo(f"Цепочка журнала аудита не нарушена и содержит запись № {checkpoint.seq} "
                   f"контрольной точки от {checkpoint.time}")
    else:
        typer.echo("Цепочка журнала аудита не нарушена")


def _read_checkpoint(path: Path) -> Any:
    from nadzor.domain.audit import CheckpointUnreadable, parse_checkpoint

    try:
        return parse_checkpoint(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail("checkpoint", f"не удалось прочитать файл контрольной точки: {exc}")
    except CheckpointUnreadable as exc:
        _fail("checkpoint", str(exc))


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Файл (иначе — стандартный вывод).",
                                                dir_okay=False)] = None,
) -> None:
    """Записать подписанную контрольную точку (номер и хеш последней записи) — хранить вне базы данных.
    Сначала проверяет цепочку: код 1, если она нарушена."""
    from nadzor.audit import service as audit

    platform = _platform(migrate=False)
    with platform.read_only() as session:
        problem = audit.verify(session)
        point = audit.checkpoint(session) if problem is None else None
    if problem is not None:
        typer.echo(f"НАРУШЕНА: первая плохая запись № {problem.seq}: {problem.message}", err=True)
        raise typer.Exit(1)
    assert point is not None
    text = _dump(point.as_dict()) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Контрольная точка записана: запись № {point.seq}", err=True)


def main() -> None:
    from nadzor.settings import InsecureConfiguration

    try:
        app()
    except InsecureConfiguration as exc:  # a setting read outside the commands' own checks
        typer.echo(f"ошибка: {exc.setting}: {exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
