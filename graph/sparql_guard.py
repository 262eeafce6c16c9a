"""Query-only checks for public SPARQL: refuse updates, LOAD, SERVICE and non-http(s) dataset clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import ForbiddenQueryError, QueryError

__all__ = ["GuardedQuery", "check_query", "query_form"]

# One token at a time; strings, IRIs and comments are matched first so that keywords inside them
# (e.g. "SERVICE" in a literal) are never mistaken for the real thing.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\U000effff]+)
  | (?P<pname>[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7-\U000effff]*?:[^\s{}()\[\];,<>"'=!|&*+/^]*
              |:[^\s{}()\[\];,<>"'=!|&*+/^]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

#: keywords that only SPARQL Update uses; a query containing one as a keyword is an update
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the checks: its form and the dataset IRIs its FROM clauses named."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "comment":
            continue
        out.append((kind, m.group()))
    return out


def _resolve(kind: str, value: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if kind == "iri":
        iri = value[1:-1]
        if ":" not in iri.split("/", 1)[0] and base:  # relative IRI: resolved against BASE
            return base + iri
        return iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword of ``text`` (None if none)."""
    for kind, value in _tokens(text):
        if kind == "word" and value.upper() in _FORMS:
            return value.upper()
    return None


def check_query(text: str) -> GuardedQuery:
    """Refuse what a query-only public endpoint must not run; return the query's form and FROM IRIs.

    Raises ``ForbiddenQueryError`` for updates, LOAD, SERVICE and FROM/FROM NAMED with a non-http(s)
    IRI, ``QueryError`` when the text is not a query at all. The store's parser checks the rest.
    """
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    form: str | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = tokens[i + 1][1][1:-1]
        elif upper == "SERVICE":
            raise ForbiddenQueryError(
                "SERVICE (federated query) is not allowed: this endpoint does not reach other services"
            )
        elif upper in _UPDATE_WORDS:
            raise ForbiddenQueryError(f"{upper} is a SPARQL Update operation: this endpoint is query-only")
        elif upper in _FORMS and form is None:
            form = upper
        elif upper == "FROM":
            named = i + 1 < len(tokens) and tokens[i + 1][0] == "word" and tokens[i + 1][1].upper() == "NAMED"
            j = i + 2 if named else i + 1
            if j < len(tokens):
                iri = _resolve(tokens[j][0], tokens[j][1], prefixes, base)
                if iri is None or not re.match(r"(?i)https?://", iri):
                    raise ForbiddenQueryError(
                        f"FROM {'NAMED ' if named else ''}{tokens[j][1]} is not allowed: dataset clauses "
                        "may only name http(s) graphs of this dataset; the endpoint reads no files"
                    )
                (from_named if named else from_graphs).append(iri)
            i = j
        i += 1
    if form is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return GuardedQuery(text, form, tuple(from_graphs), tuple(from_named))
