"""One generic way to write a list page (issue 7 §1, §6): a `ListSpec` declares the columns, the
filters and the default order; `asked` reads the query string into typed filter values, the sort,
the page and the page size, answering every value it cannot use with an error naming its field
(never silently dropped); `shown` gives the template what `_list.html` draws — the filter form with
its error summary, the sortable headers, the count, the export links, numbered pages and the
notice of an empty result; `exported` answers CSV or XLSX of exactly what is filtered, every cell
neutralised against spreadsheet formulas. The registers of proceedings and the organization's,
accounts' and audit lists all use it."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import QueryParams

from nadzor.infra.errors import FieldError, InvalidInput
from nadzor.infra.listing import Page


def N_(message: str) -> str:
    """Marks a message for the translation catalog; templates translate it."""
    return message


PAGE_SIZES = (20, 50, 100)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The largest id a filter takes (the databases' 64-bit integers).
MAX_ID = 2**63 - 1
#: Query keys the list itself reads (not filters).
_OWN = ("sort", "dir", "size", "page")


@dataclass(frozen=True)
class Filter:
    """One input of the filter form. `kind`: `text` (words searched), `date`, `id` (a choice of
    records by id, its options given when shown), `choice` (one of `choices`), `flag` (a checkbox),
    `number` (a whole number from `low` to `high`)."""

    name: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    low: int = 0
    high: int = MAX_ID


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sortable: bool = True


@dataclass(frozen=True)
class ListSpec:
    path: str
    title: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...]
    sort: str
    descending: bool = False
    #: (start, end) filter pairs: an end before its start is an error on the end.
    ranges: tuple[tuple[str, str], ...] = ()
    page_sizes: tuple[int, ...] = PAGE_SIZES
    #: Names of other inputs of the page whose errors the summary lists.
    other_labels: tuple[tuple[str, str], ...] = ()

    @property
    def sorts(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.sortable)

    def label(self, name: str) -> str:
        found = {f.name: f.label for f in self.filters} | dict(self.other_labels) | {
            "sort": N_("Сортировка"), "dir": N_("Порядок"), "size": N_("Строк на странице"), "page": N_("Страница"),
            "format": N_("Формат выгрузки")}
        return found.get(name, N_("Отбор"))


@dataclass
class Asked:
    """A list's query string read: the values to show again, the typed filters (None where empty or
    wrong), the errors, the order and the page."""

    spec: ListSpec
    values: dict[str, str]
    typed: dict[str, Any]
    errors: list[dict[str, str]]
    sort: str
    descending: bool
    page_no: int
    size: int

    def page(self, *, export: bool = False) -> Page:
        return Page(sort=self.sort, descending=self.descending, limit=None if export else self.size,
                    offset=(self.page_no - 1) * self.size)

    def filters(self) -> dict[str, str]:
        return {f.name: self.values[f.name] for f in self.spec.filters if self.values.get(f.name)}

    def refuse(self) -> None:
        """For an export or the API: the first wrong values as 422 naming their fields."""
        if self.errors:
            raise InvalidInput([FieldError(e["field"], e["message"]) for e in self.errors])


def _typed(flt: Filter, raw: str, errors: list[dict[str, str]], choices: Sequence[tuple[str, str]] | None = None
           ) -> Any:
    if not raw:
        return None
    if flt.kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append({"field": flt.name, "message": N_("ожидается дата ДД.ММ.ГГГГ, которая есть в календаре")})
            return None
    if flt.kind == "id":
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
            errors.append({"field": flt.name, "message": N_("ожидается целое число: выберите значение из списка")})
            return None
        return int(raw)
    if flt.kind == "number":
        if not raw.isdigit() or not flt.low <= int(raw) <= flt.high:
            errors.append({"field": flt.name, "message": f"ожидается целое число от {flt.low} до {flt.high}"})
            return None
        return int(raw)
    if flt.kind == "choice":
        if raw not in dict(choices if choices is not None else flt.choices):
            errors.append({"field": flt.name, "message": N_("выберите значение из списка")})
            return None
        return raw
    if flt.kind == "flag":
        return raw in ("1", "on", "true")
    return raw[:200]


def asked(spec: ListSpec, params: QueryParams | Mapping[str, str],
          choices: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> Asked:
    """Read a list's query string; every value that cannot be used becomes an error on its field.
    `choices`: the options of `choice` filters known only when asked (such as office codes)."""
    errors: list[dict[str, str]] = []
    values = {f.name: str(params.get(f.name, "") or "").strip() for f in spec.filters}
    typed = {f.name: _typed(f, values[f.name], errors, (choices or {}).get(f.name)) for f in spec.filters}
    for start, end in spec.ranges:
        if typed.get(start) and typed.get(end) and typed[end] < typed[start]:
            errors.append({"field": end, "message": N_("конец периода раньше его начала")})
            typed[end] = None
    raw_sort = str(params.get("sort", "") or "")
    if raw_sort and raw_sort not in spec.sorts:
        errors.append({"field": "sort", "message": N_("такой сортировки нет: выберите столбец таблицы")})
    sort = raw_sort if raw_sort in spec.sorts else spec.sort
    raw_dir = str(params.get("dir", "") or "")
    descending = spec.descending if raw_dir not in ("asc", "desc") else raw_dir == "desc"
    raw_size = str(params.get("size", "") or "")
    size = int(raw_size) if raw_size.isdigit() and int(raw_size) in spec.page_sizes else spec.page_sizes[0]
    if raw_size and str(size) != raw_size:
        errors.append({"field": "size", "message": N_("выберите число строк из списка")})
    raw_page = str(params.get("page", "") or "1")
    page_no = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= 10**9 else 1
    if str(page_no) != raw_page:
        errors.append({"field": "page", "message": N_("ожидается номер страницы (целое число от 1)")})
    values.update(sort=sort, dir="desc" if descending else "asc", size=str(size))
    return Asked(spec, values, typed, errors, sort, descending, page_no, size)


def pages(current: int, last: int) -> list[int | None]:
    """Numbered pages around the current one, the first and the last; None for a gap."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        previous = out[-1] if out else None
        if previous is not None and n - previous > 1:
            out.append(None)
        out.append(n)
    return out


def summary(errors: Sequence[dict[str, str]], labels: Callable[[str], str], anchor: Callable[[str], str]
            ) -> list[dict[str, str]]:
    """The error summary (GOV.UK style): each error with the name of its field in words and a link to
    the input."""
    return [{"label": labels(e["field"]), "message": e["message"], "href": "#" + anchor(e["field"])}
            for e in errors]


@dataclass
class Shown:
    """What `_list.html` draws for one list (`L` in the templates)."""

    spec: ListSpec
    values: dict[str, str]
    errors: dict[str, str]
    summary: list[dict[str, str]]
    total: int
    page_no: int
    last_page: int
    pages: list[int | None]
    base: str
    export: str
    sort_links: dict[str, str]
    options: dict[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.spec.path


def shown(a: Asked, total: int, *, options: Mapping[str, Sequence[tuple[str, str]]] | None = None,
          keep: Mapping[str, str] | None = None) -> Shown | RedirectResponse:
    """The list's view of one page; past the last page (rows removed, a stale link), a redirect to the
    last one. `keep`: other query values of the page that its links carry on (such as `on`)."""
    spec = a.spec
    last = max(1, math.ceil(total / a.size))
    kept = {k: v for k, v in (keep or {}).items() if v}
    filters = kept | a.filters()
    if a.page_no > last and not a.errors:
        return RedirectResponse(f"{spec.path}?" + urlencode(filters | {"sort": a.sort, "dir": a.values["dir"],
                                                                       "size": a.size, "page": last}),
                                status_code=303)
    order = {"sort": a.sort, "dir": a.values["dir"]}
    sort_links = {}
    for key in spec.sorts:
        toggled = ("asc" if a.descending else "desc") if key == a.sort else "asc"
        sort_links[key] = urlencode(filters | {"sort": key, "dir": toggled, "size": a.size})
    return Shown(spec=spec, values=a.values, errors={e["field"]: e["message"] for e in a.errors},
                 summary=summary(a.errors, spec.label, lambda f: f"f-{f}"), total=total, page_no=a.page_no,
                 last_page=last, pages=pages(a.page_no, last), base=urlencode(filters | order | {"size": a.size}),
                 export=urlencode(filters | order), sort_links=sort_links, options=dict(options or {}),
                 extra=kept)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ tab or CR gets a '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(table: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in table:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(table: Sequence[Sequence[str]], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in table:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exported(table: Sequence[Sequence[str]], *, title: str, filename: str, format: str) -> Response:
    """The table as a CSV (UTF-8 with BOM, `;`, for Excel) or XLSX download."""
    if format == "xlsx":
        return Response(xlsx_bytes(table, title), media_type=XLSX,
                        headers={"content-disposition": f'attachment; filename="{filename}.xlsx"'})
    if format != "csv":
        raise InvalidInput.one("format", "ожидается csv или xlsx")
    return Response(csv_text(table).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}.csv"'})


def ru_date(day: date | str | None) -> str:
    """dd.mm.yyyy for a date or an ISO date; "" for none."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.strftime("%d.%m.%Y")
