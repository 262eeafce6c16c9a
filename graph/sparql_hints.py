"""Predeclared prefixes for SPARQL text, and bad queries explained in one line a person can act on.

``prepare`` adds ``PREFIX`` declarations for the predeclared prefixes a query uses without declaring
them (a query may redeclare any of them), all on the query's first line so that every other line keeps
its number. ``check_bindings`` refuses a SELECT that projects a variable the query never mentions again.
``explain`` turns a parser failure into one line with the line, the column and a hint; the parser's own
message stays available in the error's ``parser_message`` field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from graph.errors import QueryError
from graph.sparql_lexer import tokenize as lex
from ontology.prefixes import prefix_map

__all__ = ["Token", "PreparedQuery", "tokenize", "prepare", "check_bindings", "explain", "KEYWORDS"]

#: every bare word SPARQL 1.1 Query knows: keywords and built-in function names (upper case)
_KEYWORD_TEXT = """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC DESC
    LIMIT OFFSET GROUP HAVING VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND UNION MINUS FILTER NOT
    EXISTS IN A TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES
    DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI
    CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW
    UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK
    ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LOAD CLEAR DROP
    CREATE ADD MOVE COPY INSERT DELETE DATA WITH USING DEFAULT ALL TO INTO LATERAL VERSION
"""
KEYWORDS = frozenset(_KEYWORD_TEXT.split())
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
_AFTER_GROUP = frozenset({"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"})
_CLOSERS = {"{": "}", "(": ")", "[": "]"}
_OPENERS = {v: k for k, v in _CLOSERS.items()}


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    start: int  # offset in the text


@dataclass(frozen=True)
class PreparedQuery:
    """A query with the predeclared prefixes it needs; ``shift`` characters precede its first line."""

    original: str
    text: str
    shift: int = 0
    added: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)


def tokenize(text: str) -> list[Token]:
    """The tokens of a SPARQL text (comments left out), each with its offset: the one linear tokenizer
    of graph.sparql_lexer, tolerant here (a character that starts no token is an ``other`` token)."""
    return [
        Token("other" if t.kind == "punct" else t.kind, t.text, t.start) for t in lex(text, tolerant=True)
    ]


def _declared(tokens: list[Token]) -> dict[str, int]:
    """Prefix name -> position of each ``PREFIX name: <iri>`` declaration of the query."""
    out: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        if tok.kind == "word" and tok.value.upper() == "PREFIX" and i + 1 < len(tokens):
            name = tokens[i + 1]
            if name.kind == "pname" and name.value.endswith(":"):
                out[name.value[:-1]] = i
    return out


def _used_prefixes(tokens: list[Token]) -> list[Token]:
    declarations = {i + 1 for i, t in enumerate(tokens) if t.kind == "word" and t.value.upper() == "PREFIX"}
    return [t for i, t in enumerate(tokens) if t.kind == "pname" and i not in declarations]


def prepare(text: str, prefixes: dict[str, str] | None = None) -> PreparedQuery:
    """``text`` with a ``PREFIX`` declaration for each predeclared prefix it uses but does not declare."""
    known = prefix_map() if prefixes is None else prefixes
    tokens = tokenize(text)
    declared = _declared(tokens)
    needed: list[str] = []
    for tok in _used_prefixes(tokens):
        name = tok.value.split(":", 1)[0]
        if name in known and name not in declared and name not in needed:
            needed.append(name)
    if not needed:
        return PreparedQuery(text, text, 0, (), known)
    prologue = "".join(f"PREFIX {n}: <{known[n]}> " for n in needed)
    return PreparedQuery(text, prologue + text, len(prologue), tuple(needed), known)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _error(
    query: PreparedQuery,
    kind: str,
    message: str,
    hint: str,
    offset: int | None = None,
    *,
    position: tuple[int, int] | None = None,
    parser_message: str | None = None,
) -> QueryError:
    if position is None and offset is not None:
        position = _line_column(query.original, offset)
    where = f"line {position[0]}, column {position[1]}: " if position else ""
    detail = f"{where}{message}. Hint: {hint}"
    extra: dict[str, object] = {"problem": kind, "hint": hint}
    if position:
        extra["line"], extra["column"] = position
    if parser_message is not None:
        extra["parser_message"] = parser_message
    return QueryError(detail, **extra)


def _outer_select(tokens: list[Token]) -> tuple[int, int] | None:
    """Token range of the outermost SELECT clause's projection (after SELECT, up to WHERE or '{')."""
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.value in "{(":
            depth += 1
        elif tok.value in "})":
            depth -= 1
        elif tok.kind == "word" and tok.value.upper() == "SELECT" and depth == 0:
            j = i + 1
            inner = 0
            while j < len(tokens):
                t = tokens[j]
                ends = t.value == "{" or (t.kind == "word" and t.value.upper() in ("WHERE", "FROM"))
                if inner == 0 and ends:
                    break
                inner += t.value == "("
                inner -= t.value == ")"
                j += 1
            return i + 1, j
    return None


def _plain_projection(tokens: list[Token], span: tuple[int, int]) -> list[Token]:
    """Variables projected as themselves (not inside an ``(expression AS ?v)``)."""
    out: list[Token] = []
    depth = 0
    for tok in tokens[span[0] : span[1]]:
        depth += tok.value == "("
        depth -= tok.value == ")"
        if tok.kind == "var" and depth == 0:
            out.append(tok)
    return out


def check_bindings(query: PreparedQuery) -> None:
    """Refuse a SELECT that projects a variable appearing nowhere else in the query (always unbound)."""
    tokens = tokenize(query.original)
    span = _outer_select(tokens)
    if span is None:
        return
    projected = _plain_projection(tokens, span)
    elsewhere = {
        t.value[1:] for i, t in enumerate(tokens) if t.kind == "var" and not (span[0] <= i < span[1])
    }
    inside = [t.value[1:] for t in tokens[span[0] : span[1]] if t.kind == "var"]
    for tok in projected:
        name = tok.value[1:]
        if name not in elsewhere and inside.count(name) == 1:
            close = difflib.get_close_matches(name, sorted(elsewhere), n=1)
            hint = (
                f"did you mean ?{close[0]}?"
                if close
                else "use the variable in the WHERE pattern, or remove it from SELECT"
            )
            raise _error(
                query,
                "unbound-variable",
                f"?{name} is selected but never bound: it appears nowhere in the WHERE pattern",
                hint,
                tok.start,
            )


def _parser_position(query: PreparedQuery, message: str) -> tuple[int, int] | None:
    match = re.search(r"error at (\d+):(\d+)", message)
    match = match or re.search(r"line:?\s*(\d+),\s*col:?\s*(\d+)", message)
    if match is None:
        only_line = re.search(r"\bline (\d+)\b", message)
        return (int(only_line.group(1)), 1) if only_line else None
    line, column = int(match.group(1)), int(match.group(2))
    if line == 1:
        column = max(1, column - query.shift)
    return line, column


def _offset_of(text: str, position: tuple[int, int]) -> int:
    lines = text.split("\n")
    line = min(position[0], len(lines))
    return sum(len(x) + 1 for x in lines[: line - 1]) + position[1] - 1


def _unknown_prefix(query: PreparedQuery, tokens: list[Token], parser: str | None) -> QueryError | None:
    declared = _declared(tokens)
    for tok in _used_prefixes(tokens):
        name = tok.value.split(":", 1)[0]
        if name in declared or name in query.prefixes:
            continue
        known = sorted(query.prefixes)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        suggestion = f"did you mean {close[0]}:? " if close else ""
        return _error(
            query,
            "unknown-prefix",
            f"unknown prefix {name}: in {tok.value}",
            f"{suggestion}predeclared prefixes: {', '.join(p + ':' for p in known)}; "
            f"or declare it: PREFIX {name}: <...>",
            tok.start,
            parser_message=parser,
        )
    return None


def _unbalanced(query: PreparedQuery, tokens: list[Token], parser: str | None) -> QueryError | None:
    stack: list[Token] = []
    for tok in tokens:
        if tok.kind != "other":
            continue
        if tok.value in _CLOSERS:
            stack.append(tok)
        elif tok.value in _OPENERS:
            if not stack or stack[-1].value != _OPENERS[tok.value]:
                hint = (
                    f"close the '{stack[-1].value}' first with '{_CLOSERS[stack[-1].value]}'"
                    if stack
                    else f"remove it, or add the '{_OPENERS[tok.value]}' it should close"
                )
                return _error(
                    query,
                    "unbalanced",
                    f"'{tok.value}' closes nothing open",
                    hint,
                    tok.start,
                    parser_message=parser,
                )
            stack.pop()
        elif tok.value in "\"'":
            return _error(
                query,
                "unterminated-string",
                "this string is never closed",
                f"end it with {tok.value} on the same line (or use {tok.value * 3} for several lines)",
                tok.start,
                parser_message=parser,
            )
    if stack:
        opened = stack[-1]
        return _error(
            query,
            "unbalanced",
            f"'{opened.value}' is never closed",
            f"add '{_CLOSERS[opened.value]}' where this group ends",
            opened.start,
            parser_message=parser,
        )
    return None


def _unknown_word(query: PreparedQuery, tokens: list[Token], parser: str | None) -> QueryError | None:
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.value.upper() in KEYWORDS:
            continue
        after_literal = i > 0 and tokens[i - 1].value == "^"  # never: datatypes are pnames or IRIs
        if after_literal:
            continue
        close = difflib.get_close_matches(tok.value.upper(), sorted(KEYWORDS), n=1, cutoff=0.7)
        hint = (
            f"did you mean {close[0]}?" if close else "a variable starts with ?, a prefixed name has a colon"
        )
        return _error(query, "syntax", f"unknown word {tok.value!r}", hint, tok.start, parser_message=parser)
    return None


def _aggregate_grouping(query: PreparedQuery, tokens: list[Token], parser: str | None) -> QueryError | None:
    span = _outer_select(tokens)
    if span is None:
        return None
    words = {t.value.upper() for t in tokens if t.kind == "word"}
    if not words & (_AGGREGATES | {"GROUP"}):
        return None
    projected = _plain_projection(tokens, span)
    group_vars: set[str] = set()
    has_group = False
    for i, tok in enumerate(tokens):
        if tok.kind == "word" and tok.value.upper() == "GROUP" and tokens[i + 1 : i + 2]:
            if tokens[i + 1].value.upper() != "BY":
                continue
            has_group = True
            for t in tokens[i + 2 :]:
                if t.value == "}" or (t.kind == "word" and t.value.upper() in _AFTER_GROUP):
                    break
                if t.kind == "var":
                    group_vars.add(t.value)
    loose = [t for t in projected if t.value not in group_vars]
    if not loose:
        return None
    names = " ".join(t.value for t in loose)
    verb = "is" if len(loose) == 1 else "are"
    wrap = f"wrap it in an aggregate: (SAMPLE({loose[0].value}) AS ?any)"
    if not has_group:
        return _error(
            query,
            "missing-group-by",
            f"{names} {verb} selected beside an aggregate, but the query has no GROUP BY",
            f"add GROUP BY {names} after the WHERE block, or {wrap}",
            loose[0].start,
            parser_message=parser,
        )
    return _error(
        query,
        "not-grouped",
        f"{names} {verb} selected but neither grouped nor aggregated",
        f"add {names} to GROUP BY, or {wrap}",
        loose[0].start,
        parser_message=parser,
    )


def _expected(message: str) -> str:
    """The parser's list of expected tokens without its character classes."""
    listed = message.split("expected one of", 1)[-1] if "expected one of" in message else ""
    items = [x.strip() for x in re.split(r",\s*(?![^\[]*\])", listed) if x.strip()]
    keep = [x for x in items if not x.startswith("[") and len(x) < 40 and "\n" not in x]
    return ", ".join(keep[:8])


def explain(query: PreparedQuery, parser_message: str) -> QueryError:
    """One actionable line for a query that failed to parse or evaluate; the parser's text kept aside."""
    tokens = tokenize(query.original)
    for check in (_unknown_prefix, _unbalanced, _unknown_word, _aggregate_grouping):
        found = check(query, tokens, parser_message)
        if found is not None:
            return found
    position = _parser_position(query, parser_message)
    lines = parser_message.strip().splitlines()
    first_line = lines[0] if lines else "the query is not valid"
    if position is None:
        return _error(
            query,
            "invalid",
            first_line[:200],
            "see the SPARQL 1.1 Query Language; the editor at /sparql underlines the mistake",
            parser_message=parser_message,
        )
    offset = _offset_of(query.original, position)
    near = query.original[offset : offset + 20].split("\n")[0].strip()
    expected = _expected(parser_message)
    if near or not tokens:
        message = f"the query does not parse here (near {near!r})"
        hint = f"expected one of {expected}" if expected else "check the syntax just before this point"
    else:
        message = f"the query ends too early, after {tokens[-1].value!r}"
        hint = f"complete what follows {tokens[-1].value!r}"
    return _error(query, "syntax", message, hint, position=position, parser_message=parser_message)
