"""`nadzor proceedings`: replay a proceeding's steps (PROCEEDINGS.md), one or a batch of JSON lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from nadzor.entrypoints import common

if TYPE_CHECKING:
    from nadzor.domain.calendar import WorkingCalendar

proceedings_app = typer.Typer(help="Производства как датированные шаги: вычисление состояния (replay).",
                              no_args_is_help=True)


@proceedings_app.command("replay")
def proceedings_replay(
    kind: Annotated[str | None, typer.Argument(help="Вид производства: check, act, evaluation, analysis.")] = None,
    input_: Annotated[
        str | None, typer.Option("--input", "-i", help="Вход JSON строкой или @файл.json (@- — stdin).")
    ] = None,
    batch: Annotated[
        str | None, typer.Option("--batch", help="Файл JSON-строк {kind, input} (- — stdin).")
    ] = None,
) -> None:
    """Состояние производства по его шагам (или пакет производств из файла JSON-строк)."""

    _, cal = common.load_rules()
    from nadzor import proceedings
    from nadzor.rules import InvalidInput

    if batch is not None:
        if kind is not None or input_ is not None:
            common.fail("batch", "--batch не сочетается с видом производства и --input")
        raise typer.Exit(2 if common.run_file(batch, lambda stream, out: run_batch(cal, stream, out)) else 0)
    if kind is None:
        common.fail("kind", "укажите вид производства или --batch")
    if input_ is None:
        common.fail("input", "укажите вход: --input '<json>' или --input @файл.json")
    data = common.read_input(input_)
    try:
        state = proceedings.replay(kind, data, calendar=cal)
    except InvalidInput as exc:
        first = exc.errors[0]
        common.fail(first.field, first.message)
    except RecursionError:
        common.fail("input", "слишком глубокая вложенность JSON")
    typer.echo(common.dump(state))


def run_batch(cal: WorkingCalendar, stream: TextIO, out: TextIO) -> int:
    """One line per input line `{"kind", "input"}`, in order: the state, or `{"error": {field,
    message}}` (the batch goes on), every one with the command's calendar `cal`. Returns the number of
    failed lines."""
    from nadzor import proceedings

    replay, typed = proceedings.replay, proceedings.typed_replay(cal)

    def one(item: dict[str, Any]) -> Any:
        return replay(item["kind"], item["input"], calendar=cal)

    return common.run_lines(stream, out, ("kind", "input"), one, typed)
