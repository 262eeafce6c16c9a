"""Word splitting, stop words and a light stemmer shared by query parsing, snippets and suggestions."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.stopwords import STOP_WORDS

__all__ = ["STOP_WORDS", "words", "content_words", "stem"]

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (hyphenated words split into their parts)."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        out.extend(part for part in re.split(r"['’-]", match.group()) if part)
    return out


def content_words(text: str) -> list[str]:
    """The words of ``text`` without stop words, in order, duplicates removed."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ers", "er", "es", "ed", "ly", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripping stem, good enough to find a query word in a snippet."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
