"""`nadzor calendar`: a day, a year's days, and the administrator's days (with their audit)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from nadzor.entrypoints import common

calendar_app = typer.Typer(help="Рабочий календарь Республики Казахстан.", no_args_is_help=True)


@calendar_app.command("day")
def calendar_day(day: Annotated[str, typer.Argument(help="Дата ГГГГ-ММ-ДД.")]) -> None:
    """Рабочий ли день, и какой источник это решил."""
    rules, cal = common.load_rules()
    try:
        output = rules.evaluate("calendar.working_day", {"date": day}, calendar=cal)
    except rules.InvalidInput as exc:
        common.fail("date", exc.errors[0].message)
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

    platform = common.open_platform()
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
    except common.service_errors() as exc:
        common.report(exc)
    typer.echo(common.dump(result))


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
        common.fail("day", f"ожидается дата ГГГГ-ММ-ДД, получено {day!r}")
    platform = common.open_platform()
    try:
        with platform.transaction() as session:
            moved = calendar_admin.do_remove_calendar_day(session, parsed, version, actor=cli_actor(),
                                                          calendar_of=platform.calendar_in,
                                                          changed=platform.calendar_changed)
    except common.service_errors() as exc:
        common.report(exc)
    typer.echo(f"{day}: поправка удалена; пересчитано производств: {moved}")


@calendar_app.command("list")
def calendar_list(
    year: Annotated[int, typer.Argument(help="Год.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Праздники, переносы и рабочие выходные дни года с их источниками (все слои)."""
    _, cal = common.load_rules()
    if not cal.horizon_start.year <= year <= cal.horizon_end.year:
        common.fail("year", f"календарь построен на {cal.horizon_start.year}–{cal.horizon_end.year} годы")
    entries = [e for e in cal.entries() if e.day.year == year]
    if as_json:
        typer.echo(common.dump([{"date": e.day.isoformat(), "working": e.working, "name": e.name, "source": e.source}
                          for e in entries]))
        return
    for e in entries:
        typer.echo(f"{e.day.isoformat()}  {'рабочий ' if e.working else 'выходной'}  {e.name}  [{e.source}]")
