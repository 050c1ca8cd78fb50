"""Finding rules by words and by paragraph (issue 7 §6): «продление» finds «о продлении проверки» and
«продлить» (Russian word forms, by the Snowball stemmer: a query word matches a word of the rule
whose stem begins with the query word's stem, or the other way round); «п. 16», «пункт 16» and «16»
find the rules citing paragraph 16 of any text (I.16, R.16), «I.16» or «R.16» only that text's
paragraph. Every part of the query must match. The rules are passed in; the stemmer keeps this
out of the pure `nadzor.rules` package."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer

from nadzor.rules.base import Rule

_MIN_PREFIX = 4  # a stem shorter than this matches only an equal stem («суд» is not «судебный» here)
_REF = re.compile(r"(?<![\w.])(?:(?P<text>[IRKИ])\s*\.\s*|(?:п|пп|пункт\w*)\s*\.?\s*)?(?P<number>\d{1,3})(?![\d])",
                  re.IGNORECASE)
_WORD = re.compile(r"[0-9a-zа-яёәғқңөұүһі_]+", re.IGNORECASE)
_CITATION = re.compile(r"^(?P<text>[A-Z]+)\.?(?P<number>\d+)")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("russian")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    word = word.lower().replace("ё", "е")
    return str(_stemmer().stemWord(word)) if word.isalpha() else word


def _alike(query: str, word: str) -> bool:
    if query == word:
        return True
    shorter, longer = (query, word) if len(query) <= len(word) else (word, query)
    return len(shorter) >= _MIN_PREFIX and longer.startswith(shorter)


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    #: (text letter or "", paragraph number): "" matches the paragraph in any text.
    paragraphs: tuple[tuple[str, int], ...]


def parse(text: str) -> Query:
    paragraphs = []
    for m in _REF.finditer(text):
        letter = (m.group("text") or "").upper().replace("И", "I")
        paragraphs.append((letter, int(m.group("number"))))
    rest = _REF.sub(" ", text)
    words = tuple(stem(w) for w in _WORD.findall(rest) if not w.isdigit())
    return Query(words, tuple(paragraphs))


def _cites(rule: Rule, letter: str, number: int) -> bool:
    for citation in rule.citations:
        m = _CITATION.match(citation)
        if m and int(m.group("number")) == number and (not letter or m.group("text") == letter):
            return True
    return False


def _stems(rule: Rule) -> tuple[str, ...]:
    words = _WORD.findall(f"{rule.title} {rule.id.replace('.', ' ').replace('_', ' ')}")
    return tuple(stem(w) for w in words)


def search(rules: Iterable[Rule], text: str) -> list[Rule]:
    """The rules matching every word and every paragraph of `text`, in the order given; all of them
    for an empty query."""
    query = parse(text)
    out = []
    for rule in rules:
        own = _stems(rule) if query.words else ()
        if all(any(_alike(q, w) for w in own) for q in query.words) and \
                all(_cites(rule, letter, number) for letter, number in query.paragraphs):
            out.append(rule)
    return out
