"""Query-only checks for public SPARQL: refuse updates, SERVICE, non-http(s) dataset clauses and queries too
deep for the store, decided on the query's terminals; the store then runs the canonical text of exactly
those terminals (``GuardedQuery.text``), never the text that came in."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from graph.errors import ForbiddenQueryError, QueryError
from graph.sparql_lexer import QUERY_FORMS, Token, canonical_with_offsets, tokenize

__all__ = ["GuardedQuery", "check_query", "query_form", "MAX_DEPTH", "MAX_UNIONS"]

#: keywords that only SPARQL Update uses; a query containing one as a keyword is an update
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
    "USING",
}
#: deepest nesting of (), {} and [] the store is asked to parse (deeper queries crash its parser)
MAX_DEPTH = 64
#: most UNIONs in one query (10,000 crash the store's planner; 1,000 take about 2 s to evaluate)
MAX_UNIONS = 1000
_HTTP = re.compile(r"(?i)https?://")
_POSITION = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the checks: the text to run, its form and the dataset IRIs its FROM named."""

    #: the canonical text of the checked terminals; this, not the original, is what the store runs
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    #: the text that was checked, and (canonical offset, offset there) of each token, for messages
    source: str = field(default="", repr=False, compare=False)
    spans: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)
    #: the outermost LIMIT: (start, end) of its number in ``text`` and its value; None without one
    limit: tuple[int, int, int] | None = field(default=None, repr=False, compare=False)
    #: where the trailing VALUES clause starts in ``text`` (None without one)
    values_at: int | None = field(default=None, repr=False, compare=False)

    def capped(self, rows: int) -> str:
        """``text`` with its outermost LIMIT at most ``rows`` (one added when it has none); unchanged for
        forms other than SELECT. The store then stops looking after ``rows`` solutions, and an ORDER BY
        becomes a top-``rows`` selection instead of a sort of everything."""
        if self.form != "SELECT":
            return self.text
        if self.limit is not None:
            start, end, value = self.limit
            return self.text if value <= rows else f"{self.text[:start]}{rows}{self.text[end:]}"
        at = len(self.text) if self.values_at is None else self.values_at
        return f"{self.text[:at].rstrip()}\nLIMIT {rows}\n{self.text[at:]}"

    def in_source_terms(self, message: str) -> str:
        """``message`` from the store's parser with its "error at LINE:COLUMN" pointing into the checked
        text rather than the canonical one the store was given."""
        return _POSITION.sub(lambda m: self._source_position(int(m.group(1)), int(m.group(2))), message)

    def _source_position(self, line: int, column: int) -> str:
        lines = self.text.split("\n")
        line = max(1, min(line, len(lines)))
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + max(0, column - 1)
        if not self.spans:
            return f"error at {line}:{column}"
        starts = [c for c, _ in self.spans]
        k = max(0, bisect.bisect_right(starts, offset) - 1)
        canonical_start, source_start = self.spans[k]
        source_offset = min(len(self.source), source_start + max(0, offset - canonical_start))
        source_line = self.source.count("\n", 0, source_offset) + 1
        source_column = source_offset - (self.source.rfind("\n", 0, source_offset) + 1) + 1
        return f"error at {source_line}:{source_column}"


def _resolve(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        return urljoin(base, token.value) if base else token.value
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def query_form(text: str) -> str | None:
    """The first query-form keyword of ``text`` (SELECT, ASK ...); None if none or unreadable."""
    try:
        for token in tokenize(text):
            if token.keyword in QUERY_FORMS:
                return token.keyword
    except QueryError:
        return None
    return None


def check_query(text: str) -> GuardedQuery:
    """Refuse what a query-only public endpoint must not run; return the text to run, form and FROM IRIs.

    Raises ``ForbiddenQueryError`` for updates, LOAD, SERVICE (SILENT or not) and FROM/FROM NAMED with a
    non-http(s) IRI, ``QueryError`` when the text is not a query or cannot be read. Linear in the text.
    """
    tokens = list(tokenize(text))
    prefixes: dict[str, str] = {}
    base: str | None = None
    form: str | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    depth = 0
    unions = 0
    limit_token: int | None = None
    values_token: int | None = None
    for i, token in enumerate(tokens):
        upper = token.keyword
        if token.kind == "punct":
            if token.text in "({[":
                depth += 1
                if depth > MAX_DEPTH:
                    raise QueryError(f"the query nests deeper than {MAX_DEPTH} levels of brackets")
            elif token.text in ")}]":
                depth -= 1
            continue
        if not upper:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if upper == "PREFIX" and nxt is not None and nxt.kind == "pname" and i + 2 < len(tokens):
            if tokens[i + 2].kind == "iri":
                iri = tokens[i + 2].value
                prefixes[nxt.text.rstrip(":")] = urljoin(base, iri) if base else iri
        elif upper == "BASE" and nxt is not None and nxt.kind == "iri":
            base = urljoin(base, nxt.value) if base else nxt.value
        elif upper == "SERVICE":
            raise ForbiddenQueryError(
                "SERVICE (federated query) is not allowed: this endpoint does not reach other services"
            )
        elif upper in _UPDATE_WORDS:
            raise ForbiddenQueryError(f"{upper} is a SPARQL Update operation: this endpoint is query-only")
        elif upper == "UNION":
            unions += 1
            if unions > MAX_UNIONS:
                raise QueryError(f"the query has more than {MAX_UNIONS} UNIONs")
        elif upper in QUERY_FORMS and form is None:
            form = upper
        elif upper == "LIMIT" and depth == 0 and nxt is not None and nxt.kind == "number":
            limit_token = i + 1  # at depth 0: the query's own, not a subquery's
        elif upper == "VALUES" and depth == 0:
            values_token = i  # a VALUES inside the pattern is within braces: this is the trailing one
        elif upper == "FROM":
            named = nxt is not None and nxt.keyword == "NAMED"
            j = i + 2 if named else i + 1
            target = tokens[j] if j < len(tokens) else None
            graph = _resolve(target, prefixes, base) if target is not None else None
            if graph is None or not _HTTP.match(graph):
                shown = target.text if target is not None else "(nothing)"
                raise ForbiddenQueryError(
                    f"FROM {'NAMED ' if named else ''}{shown} is not allowed: dataset clauses "
                    "may only name http(s) graphs of this dataset; the endpoint reads no files"
                )
            (from_named if named else from_graphs).append(graph)
    if form is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    canonical, offsets = canonical_with_offsets(tokens)
    spans = tuple((offset, token.start) for offset, token in zip(offsets, tokens, strict=True))
    limit: tuple[int, int, int] | None = None
    if limit_token is not None and tokens[limit_token].text.isdigit():
        start = offsets[limit_token]
        limit = (start, start + len(tokens[limit_token].text), int(tokens[limit_token].text))
    values_at = offsets[values_token] if values_token is not None else None
    return GuardedQuery(
        canonical, form, tuple(from_graphs), tuple(from_named), text, spans, limit=limit, values_at=values_at
    )
