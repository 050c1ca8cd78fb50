"""The `nadzor` command (Typer): the rules, the calendar and the server.

Bad input exits with code 2 and one line on stderr naming the field.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

app = typer.Typer(help="Nadzor — надзор прокуратуры РК: правила, сроки, календарь.", no_args_is_help=True)
rules_app = typer.Typer(help="Правила приказа № 60 (ред. № 102): каталог и вычисление.", no_args_is_help=True)
calendar_app = typer.Typer(help="Рабочий календарь Республики Казахстан.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(calendar_app, name="calendar")


def _fail(field: str, message: str) -> NoReturn:
    typer.echo(f"ошибка: {field}: {message}", err=True)
    raise typer.Exit(2)


def _dump(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def _load_rules() -> Any:
    from nadzor import bootstrap, rules

    bootstrap.install()
    return rules


@rules_app.command("list")
def rules_list(
    as_json: Annotated[bool, typer.Option("--json", help="Печатать JSON со схемами входа и выхода.")] = False,
) -> None:
    """Каталог правил: идентификатор, название, пункты."""
    rules = _load_rules()
    catalogue = rules.list_rules()
    if as_json:
        typer.echo(_dump(catalogue))
        return
    for item in catalogue:
        typer.echo(f"{item['id']:<42} {', '.join(item['citations']):<28} {item['title']}")


def _read_input(text: str) -> Any:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = sys.stdin.read() if text == "@-" else path.read_text(encoding="utf-8")
        except OSError as exc:
            _fail("input", f"не удалось прочитать файл {path}: {exc.strerror}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail("input", f"некорректный JSON: {exc.msg} (позиция {exc.pos})")


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
    rules = _load_rules()
    if batch is not None:
        if rule_id is not None or input_ is not None:
            _fail("batch", "--batch не сочетается с идентификатором правила и --input")
        if batch == "-":
            failed = run_batch(rules, sys.stdin, sys.stdout)
        else:
            try:
                with open(batch, encoding="utf-8") as stream:
                    failed = run_batch(rules, stream, sys.stdout)
            except OSError as exc:
                _fail("batch", f"не удалось прочитать файл {batch}: {exc.strerror}")
        raise typer.Exit(2 if failed else 0)
    if rule_id is None:
        _fail("rule", "укажите идентификатор правила или --batch")
    if input_ is None:
        _fail("input", "укажите вход: --input '<json>' или --input @файл.json")
    data = _read_input(input_)
    try:
        output = rules.evaluate(rule_id, data)
    except rules.InvalidInput as exc:
        first = exc.errors[0]
        _fail(first.field, first.message)
    typer.echo(_dump(output))


def run_batch(rules: Any, stream: TextIO, out: TextIO) -> int:
    """One output line per input line, in order; a bad line prints `{"error": {field, message}}`
    and the batch goes on. Returns the number of failed lines."""
    evaluate, invalid = rules.evaluate, rules.InvalidInput
    dumps = json.dumps
    failed = 0
    lines: list[str] = []
    for line in stream:
        try:
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise invalid.one("line", f"некорректный JSON: {exc.msg}") from None
            if not isinstance(item, dict):
                raise invalid.one("line", "ожидается объект {\"rule\": ..., \"input\": {...}}")
            extra = [k for k in item if k not in ("rule", "input")]
            if extra:
                raise invalid.one(str(extra[0]), "неизвестное поле строки пакета")
            if "rule" not in item:
                raise invalid.one("rule", "обязательное поле не заполнено")
            if "input" not in item:
                raise invalid.one("input", "обязательное поле не заполнено")
            lines.append(dumps(evaluate(item["rule"], item["input"]), ensure_ascii=False))
        except invalid as exc:
            failed += 1
            lines.append(dumps({"error": exc.errors[0].as_dict()}, ensure_ascii=False))
        if len(lines) >= 4096:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    out.flush()
    return failed


@calendar_app.command("day")
def calendar_day(day: Annotated[str, typer.Argument(help="Дата ГГГГ-ММ-ДД.")]) -> None:
    """Рабочий ли день, и какой источник это решил."""
    rules = _load_rules()
    try:
        output = rules.evaluate("calendar.working_day", {"date": day})
    except rules.InvalidInput as exc:
        _fail("date", exc.errors[0].message)
    entry = rules.current_calendar().entry(date.fromisoformat(day))
    result = output["result"]
    state = "рабочий день" if result["working"] else f"нерабочий день — {result['name']}"
    source = entry.source if entry else "пятидневная рабочая неделя"
    typer.echo(f"{day}: {state} (источник: {source})")


@calendar_app.command("list")
def calendar_list(
    year: Annotated[int, typer.Argument(help="Год.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Праздники, переносы и рабочие выходные дни года с их источниками."""
    rules = _load_rules()
    cal = rules.current_calendar()
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
) -> None:
    """Запустить веб-интерфейс и API."""
    import uvicorn

    from nadzor.entrypoints.api import create_app

    uvicorn.run(create_app(), host=host, port=port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
