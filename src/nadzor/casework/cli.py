"""`nadzor checks|acts|evaluations|analyses list|show|import`: the registers of stored proceedings at
the command line (issue 8 §5, issue 9, issue 10), one generic factory for every collection.

`list` is the register (office subtree, status, overdue, basis, assignee; a table or `--json`), `show` one proceeding
with its steps and open deadlines, `import` whole proceedings from JSON lines, all or nothing
(`casework/importing.py`). Overdue is counted from today in Asia/Almaty, or from `--today`.
Bad input exits with code 2 and one line on stderr naming the field, as every `nadzor` command.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from typing import Annotated, Any

import typer

from nadzor.entrypoints import common

#: (collection, help) of every register.
REGISTERS: tuple[tuple[str, str], ...] = (
    ("checks", "Проверки (Инструкция, глава 2): реестр, карточка, импорт."),
    ("acts", "Акты надзора и реагирования (Инструкция, глава 4): реестр, карточка, импорт."),
    ("evaluations", "Оценка актов (Правила, глава 3): реестр, карточка, импорт."),
    ("analyses", "Анализы состояния законности (Правила, глава 2): реестр, карточка, импорт."),
)


def _given_day(value: str | None) -> date | None:
    """`--today` (checked before anything is opened), None when not given: then today in Asia/Almaty by
    the platform's one clock."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        common.fail("today", f"ожидается дата ГГГГ-ММ-ДД, получено {value!r}")


def _ru(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y") if day else "—"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


def register_app(collection: str, help_text: str) -> typer.Typer:
    """The `list`, `show` and `import` commands of one collection."""
    sub = typer.Typer(help=help_text, no_args_is_help=True)

    @sub.command("list")
    def list_(
        office: Annotated[str | None, typer.Option("--office", help="Код прокуратуры: она и нижестоящие.")] = None,
        status: Annotated[str | None, typer.Option("--status", help="Статус (код).")] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help="Только с просроченными сроками.")] = False,
        basis: Annotated[str | None, typer.Option("--basis", help="Основание (код первого шага).")] = None,
        assignee: Annotated[int | None, typer.Option("--assignee", min=1, max=2**63 - 1,
                                                     help="Номер сотрудника среди проводящих проверку.")] = None,
        act_type: Annotated[str | None, typer.Option("--act-type", help="Акты: вид акта (код: protest, "
                                                     "representation, prescription, resolution, other).")] = None,
        addressee: Annotated[str | None, typer.Option("--addressee", help="Акты: адресат (часть наименования).")]
        = None,
        signer: Annotated[int | None, typer.Option("--signer", min=1, help="Акты: сотрудник (id), подписавший "
                                                   "акт.")] = None,
        origin: Annotated[str | None, typer.Option("--origin", help="Акты: основание внесения (check, evaluation, "
                                                   "analysis, direct, none).")] = None,
        origin_number: Annotated[str | None, typer.Option("--origin-number", help="Акты: номер основания "
                                                          "(часть).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Печатать JSON.")] = False,
        limit: Annotated[int, typer.Option("--limit", min=1, max=100_000, help="Не больше строк.")] = 100,
        today: Annotated[str | None, typer.Option("--today", help="Дата отсчёта просрочки ГГГГ-ММ-ДД "
                                                  "(по умолчанию — сегодня, Алматы).")] = None,
    ) -> None:
        """Реестр: номер, прокуратура, статус, ближайший срок, просрочка (новые сверху)."""
        from nadzor.casework.service import COLLECTIONS, RegisterFilter, access_proceedings
        from nadzor.infra.context import cli_actor
        from nadzor.org.service import all_offices, office_by_code, tree
        from nadzor.proceedings.kernel import KINDS

        on_day = _given_day(today)
        platform = common.open_platform()
        day = on_day or platform.today()
        actor = cli_actor()
        try:
            with platform.read_only() as session:
                if office is not None:
                    found = office_by_code(session, office)
                    if found is None or found.id is None or not actor.sees_office(found.id):
                        common.fail("office", f"нет прокуратуры с кодом {office!r}")
                    scope = frozenset(tree(session).subtree(found.id))
                    if actor.visible is not None:
                        scope &= actor.visible
                    actor = dataclasses.replace(actor, visible=scope)
                given = {"act_type": act_type, "addressee": addressee, "signer": signer, "origin": origin,
                         "origin_number": origin_number}
                if collection != "acts":
                    for name, value in given.items():
                        if value is not None:
                            common.fail(name, "этот отбор есть только в реестре актов надзора (nadzor acts list)")
                flt = RegisterFilter(status=status, overdue=overdue, limit=limit, subject=(addressee or "")[:200],
                                     act_type=act_type, signer_person_id=signer, origin_kind=origin,
                                     origin_number=(origin_number or "")[:80], basis=basis, assignee_id=assignee)
                page = access_proceedings(session, collection, actor=actor, today=day, flt=flt)
                names = {o.id: o.name_ru for o in all_offices(session)}
        except common.service_errors() as exc:
            common.report(exc)
        statuses = KINDS[COLLECTIONS[collection]].statuses
        for item in page["items"]:
            item["office_name"] = names.get(item["office_id"], "")
            item["status_label"] = statuses.get(item["status"] or "", "")
        if as_json:
            typer.echo(common.dump(page))
            return
        if not page["items"]:
            typer.echo("Ничего не найдено.")
            return
        rows = [[i["number"], i["office_name"], i["status_label"] or "—", _ru(i["next_due"]),
                 "ПРОСРОЧЕНО" if i["overdue"] else ""] for i in page["items"]]
        typer.echo(_table(rows, ["Номер", "Прокуратура", "Статус", "Ближайший срок", "Просрочка"]))
        shown = len(page["items"])
        typer.echo(f"Показано {shown} из {page['total']}." if shown < page["total"] else f"Всего: {page['total']}.")

    @sub.command("show")
    def show(
        proceeding_id: Annotated[int, typer.Argument(help="Номер записи (id).", min=1, max=2**63 - 1)],
        as_json: Annotated[bool, typer.Option("--json", help="Печатать JSON.")] = False,
        today: Annotated[str | None, typer.Option("--today", help="Дата отсчёта просрочки ГГГГ-ММ-ДД.")] = None,
    ) -> None:
        """Карточка: состояние, шаги (отозванные отмечены), открытые сроки."""
        from nadzor.casework.service import access_proceeding
        from nadzor.infra.context import cli_actor
        from nadzor.infra.errors import NotFound

        on_day = _given_day(today)
        platform = common.open_platform()
        day = on_day or platform.today()
        calendar = platform.calendar()
        try:
            with platform.read_only() as session:
                item = access_proceeding(session, collection, proceeding_id, actor=cli_actor(), today=day,
                                         calendar=calendar)
                from nadzor.domain.org import Office

                office = session.get(Office, item["office_id"])
        except NotFound as exc:
            common.fail("id", str(exc))
        if as_json:
            typer.echo(common.dump(item))
            return
        typer.echo(_card(item, office.name_ru if office is not None else ""))

    @sub.command("import")
    def import_(
        path: Annotated[str, typer.Argument(help="Файл JSON-строк (- — stdin), по производству в строке.")],
    ) -> None:
        """Загрузить производства с их шагами: всё или ничего (ошибка — код 2, поле lines.<строка>.…)."""
        from nadzor.casework.importing import do_import, parse_lines
        from nadzor.infra.context import cli_actor

        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as stream:
                    text = stream.read()
        except OSError as exc:
            common.fail("path", f"не удалось прочитать файл {path}: {exc.strerror}")
        except UnicodeDecodeError:
            common.fail("path", f"файл {path} не в кодировке UTF-8")
        platform = common.open_platform()
        calendar = platform.calendar()
        try:
            items = parse_lines(text.splitlines())
            with platform.transaction() as session:
                summary = do_import(session, collection, items, actor=cli_actor(), calendar=calendar)
        except common.service_errors() as exc:
            common.report(exc)
        typer.echo(f"Импортировано: {summary['imported']}")
        for number in summary["numbers"]:
            typer.echo(number)

    return sub


def _card(item: dict[str, Any], office_name: str) -> str:
    from nadzor.proceedings.kernel import KINDS

    kind = KINDS[item["kind"]]
    state = item["state"]
    lines = [f"{kind.label} № {item['number']} (id {item['id']}, версия {item['version']})",
             f"Прокуратура: {office_name}"]
    if item["subject"]:
        lines.append(f"Предмет: {item['subject']}")
    lines.append(f"Статус: {kind.statuses.get(state['status'] or '', '—')}")
    if state.get("start") or state.get("last_day"):
        lines.append(f"Начало: {_ru(state.get('start'))}; последний день: {_ru(state.get('last_day'))}")
    if state.get("refused"):
        lines.append(f"Отказ: {state['refused']['message']}")
    lines.append("Шаги:")
    for step in item["steps"]:
        spec = kind.steps.get(step["type"])
        label = spec.label if spec is not None else step["type"]
        mark = f"  [отозван: {step['withdrawn_reason']}]" if step["withdrawn"] else ""
        lines.append(f"  {step['index']:>3}  {_ru(step['date'])}  {label}{mark}")
    if item["deadlines"]:
        lines.append("Открытые сроки:")
        for deadline in item["deadlines"]:
            left = "ПРОСРОЧЕНО" if deadline["overdue"] else f"осталось {deadline['days_left']} дн."
            lines.append(f"  {_ru(deadline['due'])}  {deadline['code']} ({', '.join(deadline['citations'])})  {left}")
    if state.get("late"):
        lines.append("С нарушением срока:")
        for late in state["late"]:
            lines.append(f"  шаг {late['step']}: {late['code']}, срок {_ru(late['due'])}")
    if item.get("resolutions"):
        lines.append("Постановления (ОРМ, п. 19; экспертиза, п. 20):")
        for r in item["resolutions"]:
            lines.append(f"  {_ru(r['date'])}  {r['title']} № {r['number']}, подписал {r['signer_name'] or '—'}")
    return "\n".join(lines)


def register_apps() -> list[tuple[typer.Typer, str]]:
    """`(sub-app, name)` of every register, for `cli.py`'s add_typer loop."""
    return [(register_app(collection, help_text), collection) for collection, help_text in REGISTERS]
