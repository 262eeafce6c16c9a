"""Snippets: the passage of a document that best matches the query, HTML-escaped, words in <mark>."""

from __future__ import annotations

import html
import re

from search.text import stem

__all__ = ["snippet"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def snippet(text: str, query_words: list[str], *, width: int = 30) -> str:
    """About ``width`` words of ``text`` around the densest cluster of query words, marked up."""
    stems = {stem(w) for w in query_words if len(w) >= 2}
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return ""
    hits = [i for i, t in enumerate(tokens) if _matches(t.group().lower(), stems)]
    start = 0
    if hits:
        # the window of `width` tokens holding the most hits
        best, j = (0, 0), 0
        for i, h in enumerate(hits):
            while hits[j] < h - width + 1:
                j += 1
            if i - j + 1 > best[0]:
                best = (i - j + 1, hits[j])
        start = max(0, best[1] - width // 4)
    end = min(len(tokens), start + width)
    begin_char = tokens[start].start() if start > 0 else 0
    end_char = tokens[end - 1].end() if end < len(tokens) else len(text)
    out: list[str] = ["… " if begin_char > 0 else ""]
    cursor = begin_char
    for t in tokens[start:end]:
        out.append(html.escape(text[cursor : t.start()]))
        word = html.escape(t.group())
        out.append(f"<mark>{word}</mark>" if _matches(t.group().lower(), stems) else word)
        cursor = t.end()
    out.append(html.escape(text[cursor:end_char]))
    if end_char < len(text):
        out.append(" …")
    return "".join(out).strip()


def _matches(token: str, stems: set[str]) -> bool:
    return bool(stems) and stem(token) in stems
