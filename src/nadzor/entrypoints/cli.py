"""The `nadzor` command (Typer): every context's sub-app (rules, proceedings and the registers, calendar,
users, org, audit), the database, the demo data and the server.

Bad input exits with code 2 and one line on stderr naming the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from nadzor.accounts.cli import users_app
from nadzor.audit.cli import audit_app
from nadzor.calendar.cli import calendar_app
from nadzor.casework.cli import register_apps
from nadzor.casework.cli_replay import proceedings_app
from nadzor.entrypoints import common
from nadzor.org.cli import org_app
from nadzor.rulebook.cli import rules_app

if TYPE_CHECKING:
    pass

app = typer.Typer(help="Nadzor — надзор прокуратуры РК: правила, сроки, календарь.", no_args_is_help=True)
db_app = typer.Typer(help="База данных.", no_args_is_help=True)
demo_app = typer.Typer(help="Демонстрационные данные.", no_args_is_help=True)

for sub, name in ((rules_app, "rules"), (proceedings_app, "proceedings"), (calendar_app, "calendar"),
                  (db_app, "db"), (demo_app, "demo"), (users_app, "users"), (org_app, "org"), (audit_app, "audit"),
                  *register_apps()):
    app.add_typer(sub, name=name)


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

    settings = common.read_settings()
    try:
        settings.require_secure()
    except InsecureConfiguration as exc:
        common.fail(exc.setting, str(exc))
    if settings.production and demo:  # refused before the database is even opened
        common.fail("--demo", "в рабочем режиме (NADZOR_ENV=production) демо-данные не загружаются")
    platform = common.open_platform(settings=settings)
    load = demo if demo is not None else (settings.uses_default_database and not settings.production)
    if load:
        _load_demo(platform, quiet=True)
    if settings.production:
        from nadzor.demo import working_demo_logins

        with platform.transaction() as session:
            demo_logins = working_demo_logins(session, platform.passwords)
        if demo_logins:
            common.fail("users", "рабочий режим не запускается, пока действуют демо-учётные записи с паролями "
                                 "из README: " + ", ".join(demo_logins))
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
    platform = common.open_platform(migrate=True)
    typer.echo(f"База данных обновлена: {platform.settings.database_url.split('@')[-1]}")


@demo_app.command("load")
def demo_load() -> None:
    """Заполнить пустую базу демонстрационными данными (прокуратуры, сотрудники, замещения, пользователи)."""
    _load_demo(common.open_platform(), quiet=False)


def main() -> None:
    from nadzor.settings import InsecureConfiguration

    try:
        app()
    except InsecureConfiguration as exc:  # a setting read outside the commands' own checks
        typer.echo(f"ошибка: {exc.setting}: {exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
