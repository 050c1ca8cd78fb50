"""`nadzor org`: import and export the office tree."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nadzor.entrypoints import common

org_app = typer.Typer(help="Структура прокуратур.", no_args_is_help=True)


@org_app.command("import")
def org_import(path: Annotated[Path, typer.Argument(help="Файл .csv или .json.")]) -> None:
    """Загрузить структуру прокуратур (по кодам: новые создаются, изменённые обновляются; всё или ничего)."""
    from nadzor.infra.context import cli_actor
    from nadzor.org import files as org_files
    from nadzor.org.service import do_import_offices

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        common.fail("path", f"не удалось прочитать {path}: {exc.strerror}")
    platform = common.open_platform()
    try:
        items = org_files.parse_json(text) if path.suffix.lower() == ".json" else org_files.parse_csv(text)
        with platform.transaction() as session:
            summary = do_import_offices(session, items, actor=cli_actor())
    except common.service_errors() as exc:
        common.report(exc)
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
        common.fail("format", "допустимые форматы: csv, json")
    platform = common.open_platform()
    with platform.transaction() as session:
        items = export_offices(session, cli_actor())
    text = org_files.render_csv(items) if fmt == "csv" else org_files.render_json(items)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
