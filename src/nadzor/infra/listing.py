"""What every list asks of storage (issue 7 §1, §4): the reader's scope as a SQL condition, text
search that folds Cyrillic case on both databases, one sort column, one page — or every row for an
export of exactly what is filtered. Each context's `list_*` builds its conditions and its sortable
columns and hands them to `page_of`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from nadzor.infra.context import Actor
from nadzor.infra.errors import InvalidInput, Message
from nadzor.infra.policy import scope_condition

#: The largest page a list serves (the API's `limit`); an export has no page.
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Page:
    """One sort and one page of a list: `limit=None` is every row (an export)."""

    sort: str = ""
    descending: bool = False
    limit: int | None = 50
    offset: int = 0


def in_scope(column: Any, actor: Actor) -> Any | None:
    """The actor's visible offices as a condition on `column` (None: every office), the one condition
    of `infra.policy.scope_condition` (one array parameter on PostgreSQL)."""
    return None if actor.visible is None else scope_condition(actor, column)


def casefold(session: Session, column: Any) -> Any:
    """`lower()` that folds Cyrillic too: PostgreSQL's does; SQLite's folds ASCII only, so there the
    connection gets Python's `str.lower` as a function."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return func.lower(column)
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.create_function("nadzor_lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True)
    return func.nadzor_lower(column)


def contains(session: Session, columns: Sequence[Any], text: str) -> Any | None:
    """Every word of `text` found (case folded, `%` and `_` taken literally) in one of `columns`."""
    from sqlalchemy import and_, or_

    words = text.strip().lower().split()[:8]
    if not words:
        return None
    folded = [casefold(session, c) for c in columns]
    conditions = []
    for word in words:
        needle = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(or_(*(c.like(f"%{needle}%", escape="\\") for c in folded)))
    return and_(*conditions)


def page_of(session: Session, query: Select[Any], where: Sequence[Any | None], sorts: Mapping[str, Any],
            page: Page, tiebreak: Any) -> tuple[int, list[Any]]:
    """The count of rows matching `where` and the page of them in the order asked (`sorts`: the
    sortable column, or columns, by key; rows equal in them keep the order of `tiebreak`)."""
    if page.sort not in sorts:
        raise InvalidInput.one("sort", Message("недопустимое значение; допустимые: %(values)s",
                                               values=", ".join(sorts)))
    if page.limit is not None and not 1 <= page.limit <= MAX_LIMIT:
        raise InvalidInput.one("limit", Message("ожидается число от 1 до %(n)s", n=MAX_LIMIT))
    conditions = [c for c in where if c is not None]
    query = query.where(*conditions)
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    columns = sorts[page.sort] if isinstance(sorts[page.sort], tuple) else (sorts[page.sort],)
    order = [*((c.desc() if page.descending else c.asc()).nulls_last() for c in columns),
             tiebreak.desc() if page.descending else tiebreak.asc()]
    query = query.order_by(*order)
    if page.limit is not None:
        query = query.limit(page.limit).offset(max(page.offset, 0))
    return total, list(session.execute(query))
