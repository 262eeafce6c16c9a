"""A small SPARQL lexer: the query form, dataset clauses (FROM, FROM NAMED) and SERVICE in a query text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["QueryText", "scan"]

# Order matters: strings, IRIs and comments first, so keywords inside them are never seen.
_TOKEN = re.compile(
    r"""
    (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<pname>[A-Za-z\u00c0-\uffff][\w\-.\u00b7-\uffff]*:(?:[\w\-.:%\\\u00b7-\uffff]*[\w\-:%\u00b7-\uffff])?
        |:(?:[\w\-.:%\\\u00b7-\uffff]*[\w\-:%\u00b7-\uffff])?)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@dataclass
class QueryText:
    """What the lexer found in one query."""

    text: str
    #: SELECT, ASK, CONSTRUCT or DESCRIBE (None when the text has none of them)
    form: str | None = None
    #: character spans of every ``FROM [NAMED] <graph>`` clause
    dataset_clauses: list[tuple[int, int]] = field(default_factory=list)
    has_service: bool = False
    #: every IRI written in full (without the angle brackets)
    iris: list[str] = field(default_factory=list)

    def without_dataset_clauses(self) -> str:
        """The query with its FROM / FROM NAMED clauses cut out (the protocol's dataset then applies)."""
        out, last = [], 0
        for start, end in self.dataset_clauses:
            out.append(self.text[last:start])
            out.append(" ")
            last = end
        out.append(self.text[last:])
        return "".join(out)


def scan(text: str) -> QueryText:
    """Lex ``text`` once; tolerant of anything (a query that does not parse is caught elsewhere)."""
    found = QueryText(text)
    tokens: list[tuple[str, str, int, int]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        tokens.append((kind, match.group(), match.start(), match.end()))
        if kind == "iri":
            found.iris.append(match.group()[1:-1])
    i = 0
    while i < len(tokens):
        kind, value, start, _ = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper in _FORMS and found.form is None:
            found.form = upper
        elif upper == "SERVICE":
            found.has_service = True
        elif upper == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED":
                j += 1
            if j < len(tokens) and tokens[j][0] in ("iri", "pname"):
                found.dataset_clauses.append((start, tokens[j][3]))
                i = j
        i += 1
    return found
