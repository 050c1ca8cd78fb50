"""The regulation's text by paragraph (`I.16`, `R.13`), for showing a rule beside its law.

Reads the official Russian text shipped with the package (Order No. 102 of 12 July 2021):
lines 70–1306 are the Instruction, 1307 on the Rules (see shared/regulation/README.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_PARAGRAPH = re.compile(r"^\s{6,8}(\d+)\.\s")
_HEADING = re.compile(r"^\s*(Глава|Параграф)\s")
_SUBITEM = re.compile(r"^\s{6,8}(\d+\)|[а-я]\)|–|-)\s")
_INSTRUCTION, _RULES = (70, 1306), (1307, 10**9)


@lru_cache(maxsize=1)
def paragraphs() -> dict[str, str]:
    lines = resources.files("nadzor.data").joinpath("regulation.txt").read_text(encoding="utf-8").splitlines()
    out: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(lines, start=1):
        book = "I" if _INSTRUCTION[0] <= number <= _INSTRUCTION[1] else "R" if number >= _RULES[0] else None
        if book is None:
            continue
        if _HEADING.match(line):
            current = None
            continue
        match = _PARAGRAPH.match(line)
        if match:
            current = f"{book}.{match.group(1)}"
            out[current] = [line.strip()]
            continue
        if current is None or not line.strip():
            continue
        if _SUBITEM.match(line) or (line.startswith("      ") and not line.startswith("       ")):
            out[current].append("\n" + line.strip())
        else:
            out[current].append(" " + line.strip())
    return {key: re.sub(r"[ \t]+", " ", "".join(parts)).strip() for key, parts in out.items()}


def paragraph(citation: str) -> str | None:
    """The text of `I.16` or `R.13` (None for a citation that is not a paragraph, such as K2)."""
    return paragraphs().get(citation)
