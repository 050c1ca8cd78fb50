"""The office tree as files: CSV (one office a line; former names as `name|from|to ;; …`) and
JSON (a list of objects), both in the form `org.service.OfficeIn` takes.

CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) are written with a leading `'` (issue 6, finding 13); reading takes it off again,
so an export imports back unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from nadzor.infra import json_input
from nadzor.infra.errors import InvalidInput

CSV_COLUMNS = ("code", "parent_code", "level", "kind", "name_ru", "name_kk", "city", "valid_from", "valid_to",
               "former_names")
_ITEM_SEP, _PART_SEP = " ;; ", "|"
#: A cell a spreadsheet would take for a formula, after any quotes this module added.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """`'` before a cell a spreadsheet would run as a formula (and before one already so quoted)."""
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as it was before `neutralise`."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def write_csv_rows(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """Every CSV export: a header and one line a row, formulas neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(str(row.get(k) if row.get(k) is not None else "")) for k in columns})
    return out.getvalue()


def _former_names(text: str, line: int) -> list[dict[str, Any]]:
    out = []
    for item in filter(None, (t.strip() for t in text.split(_ITEM_SEP.strip()))):
        parts = item.split(_PART_SEP)
        if len(parts) != 3:
            raise InvalidInput.one(f"offices.{line}.former_names", f"ожидается «название|с|по», получено {item!r}")
        out.append({"name": parts[0].strip(), "valid_from": parts[1].strip() or None,
                    "valid_to": parts[2].strip() or None})
    return out


def parse_csv(text: str) -> list[dict[str, Any]]:
    """Rows as office commands; `offices.N` counts data rows from 0."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "\x00" in text:
        raise InvalidInput.one("input", "недопустимый символ NUL (\\u0000) в файле")
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise InvalidInput.one("header", f"ожидается заголовок {','.join(CSV_COLUMNS)}")
    items = []
    for i, raw in enumerate(reader):
        if None in raw:
            raise InvalidInput.one(f"offices.{i}", "лишние колонки в строке")
        row = {k: restore(v) if isinstance(v, str) else v for k, v in raw.items()}
        items.append({
            "code": row["code"].strip(),
            "parent_code": row["parent_code"].strip() or None,
            "level": row["level"].strip(),
            "kind": row["kind"].strip(),
            "name_ru": row["name_ru"].strip(),
            "name_kk": (row["name_kk"] or "").strip(),
            "city": row["city"].strip(),
            "valid_from": row["valid_from"].strip() or None,
            "valid_to": row["valid_to"].strip() or None,
            "former_names": _former_names(row["former_names"] or "", i),
        })
    return items


def parse_json(text: str) -> list[dict[str, Any]]:
    data = json_input.loads(text)
    if isinstance(data, dict) and "offices" in data:
        data = data["offices"]
    if not isinstance(data, list):
        raise InvalidInput.one("offices", "ожидается список прокуратур")
    return data


def render_csv(items: list[dict[str, Any]]) -> str:
    rows = []
    for item in items:
        row = {k: item.get(k) or "" for k in CSV_COLUMNS}
        former = item.get("former_names") or []
        row["former_names"] = _ITEM_SEP.join(
            f"{f['name']}|{f.get('valid_from') or ''}|{f.get('valid_to') or ''}" for f in former)
        rows.append(row)
    return write_csv_rows(CSV_COLUMNS, rows)


def render_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
