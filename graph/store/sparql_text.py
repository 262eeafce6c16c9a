"""What a query text holds for a remote store: the form, dataset clauses (FROM, FROM NAMED), SERVICE and
GROUP_CONCATs to rewrite, found with the one SPARQL tokenizer (graph.sparql_lexer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import QueryError
from graph.sparql_lexer import QUERY_FORMS, Token, tokenize

__all__ = ["QueryText", "scan"]

_FORMS = QUERY_FORMS


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
    #: offsets of the closing parenthesis of each GROUP_CONCAT without a SEPARATOR
    bare_group_concats: list[int] = field(default_factory=list)
    #: why the text could not be read to its end (None when it could)
    unreadable: str | None = None

    def rewritten(self, *, cut_dataset_clauses: bool) -> str:
        """The query with FROM / FROM NAMED cut out (when asked; the protocol's dataset then applies) and
        the default separator spelt out in every GROUP_CONCAT (Virtuoso 7.2 fails without one)."""
        edits = [(pos, pos, '; SEPARATOR=" "') for pos in self.bare_group_concats]
        if cut_dataset_clauses:
            edits += [(start, end, " ") for start, end in self.dataset_clauses]
        out, last = [], 0
        for start, end, replacement in sorted(edits):
            out.append(self.text[last:start])
            out.append(replacement)
            last = end
        out.append(self.text[last:])
        return "".join(out)

    def without_dataset_clauses(self) -> str:
        return self.rewritten(cut_dataset_clauses=True)


def scan(text: str) -> QueryText:
    """Read ``text`` once; a text the tokenizer cannot read to its end says why in ``unreadable``."""
    found = QueryText(text)
    tokens: list[tuple[str, str, int, int]] = []
    try:
        for token in tokenize(text):
            tokens.append(_plain(token))
            if token.kind == "iri":
                found.iris.append(token.value)
    except QueryError as exc:
        found.unreadable = exc.detail
    i = 0
    while i < len(tokens):
        kind, value, start, _ = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper in _FORMS and found.form is None:
            found.form = upper
        elif upper == "SERVICE":
            found.has_service = True
        elif upper == "GROUP_CONCAT":
            _group_concat(tokens, i, found)
        elif upper == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED":
                j += 1
            if j < len(tokens) and tokens[j][0] in ("iri", "pname"):
                found.dataset_clauses.append((start, tokens[j][3]))
                i = j
        i += 1
    return found


def _plain(token: Token) -> tuple[str, str, int, int]:
    # punctuation is "other" to _group_concat, as it always was
    return ("other" if token.kind == "punct" else token.kind, token.text, token.start, token.end)


def _group_concat(tokens: list[tuple[str, str, int, int]], i: int, found: QueryText) -> None:
    """Note the closing parenthesis of the GROUP_CONCAT at token ``i`` when it has no separator."""
    if i + 1 >= len(tokens) or tokens[i + 1][1] != "(":
        return
    depth = 0
    for kind, value, start, _ in tokens[i + 1 :]:
        if kind != "other":
            continue
        if value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
            if depth == 0:
                found.bare_group_concats.append(start)
                return
        elif value == ";" and depth == 1:
            return  # a separator is given
