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
    # each token is stemmed once: the flags serve both the window search and the markup
    marked = [bool(stems) and stem(t.group().lower()) in stems for t in tokens]
    hits = [i for i, m in enumerate(marked) if m]
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
    for i in range(start, end):
        if marked[i]:  # unmarked words stay in the escaped run between marks
            t = tokens[i]
            out.append(html.escape(text[cursor : t.start()]))
            out.append(f"<mark>{html.escape(t.group())}</mark>")
            cursor = t.end()
    out.append(html.escape(text[cursor:end_char]))
    if end_char < len(text):
        out.append(" …")
    return "".join(out).strip()
