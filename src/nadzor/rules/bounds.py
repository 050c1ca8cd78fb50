"""What any input from outside must respect to be stored and sent back (the HTTP bodies, the command
line and `replay` alike): integers within signed 64 bits (what both databases store), text without
NUL characters or unpaired UTF-16 surrogates (neither can be stored or sent back as UTF-8)."""

from __future__ import annotations

import re

from nadzor.rules.base import Message

INT64 = (-(2**63), 2**63 - 1)
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why a text cannot be accepted (None when it can)."""
    found = _BAD_TEXT.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return Message("недопустимый символ NUL (\\u0000) в тексте")
    return Message("недопустимый символ: одиночный суррогат UTF-16 (\\ud800–\\udfff) в тексте")


def int_problem(value: int) -> str | None:
    """Why an integer cannot be accepted (None when it can)."""
    if INT64[0] <= value <= INT64[1]:
        return None
    return Message("число вне допустимого диапазона (%(low)s … %(high)s)", low=INT64[0], high=INT64[1])
