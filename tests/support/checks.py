"""What a check's steps hold besides their contract fields (checks/details.py): the parts of
a resolution on a check (I.13) that tests post with a `resolution_signed` step."""

from __future__ import annotations

from typing import Any

#: A valid BIN (RULES.md check digit) and one failing it.
BIN = "040440000103"
BAD_BIN = "040440000100"
SPECIALIST = {"name": "Ахметов Ерлан Серикович", "organization": "ТОО «Аудит-Эксперт»"}


def resolution(assignees: list[Any] | None = None, **changes: Any) -> dict[str, Any]:
    """Details of a complete resolution (with the subject's location and BIN/IIN, in case the opening
    gave only the name); `assignees` default to one specialist."""
    return {"number": "17", "topic": "соблюдение законодательства о правах социально уязвимых лиц",
            "period_from": "2020-01-01", "period_to": "2020-12-31",
            "assignees": assignees if assignees is not None else [SPECIALIST],
            "subject_rights_duties": "Права и обязанности проверяемого субъекта разъяснены.",
            "subject_location": "г. Алматы, ул. Абая, 1", "subject_bin_iin": BIN} | changes
