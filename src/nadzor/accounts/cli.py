"""`nadzor users`: create, grant or revoke a role, unlock."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from nadzor.entrypoints import common

users_app = typer.Typer(help="Учётные записи.", no_args_is_help=True)


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
    platform = common.open_platform()
    data: dict[str, Any] = {"login": login, "password": password, "is_admin": admin, "is_auditor": auditor}
    if person_id is not None:
        data["person_id"] = person_id
    try:
        with platform.transaction() as session:
            user = do_create_user(session, data, actor=cli_actor(), passwords=platform.passwords)
            typer.echo(f"Создана учётная запись {user.login} (№ {user.id})")
    except common.service_errors() as exc:
        common.report(exc)


#: Roles an administrator grants to an account (`infra.policy`), as the command line names them.
_ACCOUNT_ROLES = {"administrator": "is_admin", "auditor": "is_auditor"}


def _set_role(login: str, role: str, value: bool) -> None:
    from nadzor.accounts.service import do_update_user, user_by_login
    from nadzor.infra.context import cli_actor

    field = _ACCOUNT_ROLES.get(role)
    if field is None:
        common.fail("role", "допустимые роли: " + ", ".join(_ACCOUNT_ROLES))
    platform = common.open_platform()
    try:
        with platform.transaction() as session:
            user = user_by_login(session, login)
            if user is None or user.id is None:
                common.fail("login", f"нет учётной записи {login!r}")
            do_update_user(session, user.id, {field: value, "version": user.version}, actor=cli_actor(),
                           passwords=platform.passwords)
    except common.service_errors() as exc:
        common.report(exc)
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

    platform = common.open_platform()
    try:
        with platform.transaction() as session:
            user = user_by_login(session, login)
            if user is None or user.id is None:
                common.fail("login", f"нет учётной записи {login!r}")
            do_unlock_user(session, user.id, actor=cli_actor())
    except common.service_errors() as exc:
        common.report(exc)
    typer.echo(f"Учётная запись {login}: замедление входа снято")
