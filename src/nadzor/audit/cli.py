"""`nadzor audit`: verify the chain (streaming), write and check checkpoints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nadzor.entrypoints import common

audit_app = typer.Typer(help="Журнал аудита.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    checkpoint_file: Annotated[Path | None, typer.Option(
        "--checkpoint", help="Файл контрольной точки (nadzor audit checkpoint): цепочка должна её содержать.",
        dir_okay=False)] = None,
) -> None:
    """Проверить цепочку журнала аудита: код 0 — цела, 1 — нарушена (с номером первой плохой записи)."""
    from nadzor.audit import service as audit

    checkpoint = _read_checkpoint(checkpoint_file) if checkpoint_file is not None else None
    platform = common.open_platform(migrate=False)
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
        common.fail("checkpoint", f"не удалось прочитать файл контрольной точки: {exc}")
    except CheckpointUnreadable as exc:
        common.fail("checkpoint", str(exc))


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Файл (иначе — стандартный вывод).",
                                                dir_okay=False)] = None,
) -> None:
    """Записать подписанную контрольную точку (номер и хеш последней записи) — хранить вне базы данных.
    Сначала проверяет цепочку: код 1, если она нарушена."""
    from nadzor.audit import service as audit

    platform = common.open_platform(migrate=False)
    with platform.read_only() as session:
        problem = audit.verify(session)
        point = audit.checkpoint(session) if problem is None else None
    if problem is not None:
        typer.echo(f"НАРУШЕНА: первая плохая запись № {problem.seq}: {problem.message}", err=True)
        raise typer.Exit(1)
    assert point is not None
    text = common.dump(point.as_dict()) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Контрольная точка записана: запись № {point.seq}", err=True)
