"""`nadzor rules`: the catalogue and the evaluation of a rule (or a batch of JSON lines)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from nadzor.entrypoints import common

if TYPE_CHECKING:
    from nadzor.domain.calendar import WorkingCalendar

rules_app = typer.Typer(help="Правила приказа № 60 (ред. № 102): каталог и вычисление.", no_args_is_help=True)


@rules_app.command("list")
def rules_list(
    as_json: Annotated[bool, typer.Option("--json", help="Печатать JSON со схемами входа и выхода.")] = False,
) -> None:
    """Каталог правил: идентификатор, название, пункты."""
    rules, cal = common.load_rules()
    from nadzor.rulebook.catalogue import catalogue_json  # the API's catalogue: Russian schemas, the same bytes

    catalogue = json.loads(catalogue_json(cal))
    if as_json:
        typer.echo(common.dump(catalogue))
        return
    for item in catalogue:
        typer.echo(f"{item['id']:<42} {', '.join(item['citations']):<28} {item['title']}")
    covered = rules.calendar_coverage(cal)
    typer.echo(f"Даты входа — в пределах рабочего календаря: {covered['from']} — {covered['to']}")


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
    rules, cal = common.load_rules()
    if batch is not None:
        if rule_id is not None or input_ is not None:
            common.fail("batch", "--batch не сочетается с идентификатором правила и --input")
        raise typer.Exit(2 if common.run_file(batch, lambda stream, out: run_batch(rules, cal, stream, out)) else 0)
    if rule_id is None:
        common.fail("rule", "укажите идентификатор правила или --batch")
    if input_ is None:
        common.fail("input", "укажите вход: --input '<json>' или --input @файл.json")
    data = common.read_input(input_)
    try:
        output = rules.evaluate(rule_id, data, calendar=cal)
    except rules.InvalidInput as exc:
        first = exc.errors[0]
        common.fail(first.field, first.message)
    except RecursionError:
        common.fail("input", common.TOO_DEEP)
    typer.echo(common.dump(output))


def run_batch(rules: Any, calendar: WorkingCalendar, stream: TextIO, out: TextIO) -> int:
    """`rules eval --batch`: lines `{"rule", "input"}` (RULES.md), every one with the command's calendar."""
    evaluate = rules.evaluate
    return common.run_lines(stream, out, ("rule", "input"),
                     lambda item: evaluate(item["rule"], item["input"], calendar=calendar))
