"""A linear-time SPARQL 1.1 tokenizer following the grammar's terminals, and the canonical text of its tokens.

The public endpoint does not run the text it received: it runs ``canonical(tokens)``, the tokens the
guard inspected written one per line, with comments dropped, strings re-escaped and nothing a second
lexer could read differently. Whatever the store's parser makes of that text, it cannot find a keyword
(``SERVICE``) or a clause that the guard did not see as a token of its own. The scanner is written by
hand (one pass over the characters, no backtracking regular expressions), so its time is linear in the
length of the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graph.errors import QueryError

__all__ = ["Token", "tokenize", "canonical", "canonical_with_offsets", "QUERY_FORMS"]

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

#: characters that may not appear in an IRIREF (besides the controls and space, < 0x21)
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\')
#: characters a local name may carry after a backslash (PN_LOCAL_ESC)
_LOCAL_ESCAPES = frozenset("_~.-!$&'()*+,;=/?#@%")
_STRING_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD_CHARS = _ASCII_LETTERS | _DIGITS | {"_"}
_SPACE = frozenset(" \t\r\n")
_PUNCT_2 = ("!=", "<=", ">=", "&&", "||", "^^", "<<", ">>")
_PUNCT_1 = frozenset("{}()[],;.*/|^!=<>+-?")


def _base(c: str) -> bool:
    """PN_CHARS_BASE of the SPARQL grammar."""
    if c in _ASCII_LETTERS:
        return True
    o = ord(c)
    return (
        0xC0 <= o <= 0xD6
        or 0xD8 <= o <= 0xF6
        or 0xF8 <= o <= 0x2FF
        or 0x370 <= o <= 0x37D
        or 0x37F <= o <= 0x1FFF
        or 0x200C <= o <= 0x200D
        or 0x2070 <= o <= 0x218F
        or 0x2C00 <= o <= 0x2FEF
        or 0x3001 <= o <= 0xD7FF
        or 0xF900 <= o <= 0xFDCF
        or 0xFDF0 <= o <= 0xFFFD
        or 0x10000 <= o <= 0xEFFFF
    )


def _chars_u(c: str) -> bool:
    return c == "_" or _base(c)


def _chars(c: str) -> bool:
    """PN_CHARS of the SPARQL grammar."""
    if c == "-" or c in _DIGITS or _chars_u(c):
        return True
    o = ord(c)
    return o == 0xB7 or 0x300 <= o <= 0x36F or 0x203F <= o <= 0x2040


@dataclass(frozen=True)
class Token:
    """One terminal: its kind, its text as written, where it is, and (for strings and IRIs) its value."""

    kind: str  # word, var, iri, pname, bnode, string, lang, number, punct
    text: str
    start: int
    end: int
    value: str = ""

    @property
    def keyword(self) -> str:
        """The upper-cased word for a ``word`` token, else the empty string."""
        return self.text.upper() if self.kind == "word" else ""


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def _error(text: str, pos: int, message: str) -> QueryError:
    return QueryError(f"{message} at {_where(text, pos)}", line=text.count("\n", 0, pos) + 1)


def _hex_escape(text: str, i: int) -> tuple[str, int]:
    """Decode ``\\uXXXX`` or ``\\UXXXXXXXX`` starting at the backslash ``i``; return (char, next index)."""
    width = 4 if text[i + 1] == "u" else 8
    digits = text[i + 2 : i + 2 + width]
    if len(digits) != width or not all(d in _HEX for d in digits):
        raise _error(text, i, f"a \\{text[i + 1]} escape needs {width} hexadecimal digits")
    code = int(digits, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _error(text, i, f"\\{text[i + 1]}{digits} is not a Unicode character")
    return chr(code), i + 2 + width


def _string(text: str, i: int) -> Token:
    quote = text[i]
    n = len(text)
    long = text.startswith(quote * 3, i)
    j = i + 3 if long else i + 1
    out: list[str] = []
    while True:
        if j >= n:
            raise _error(text, i, "a string is not closed")
        c = text[j]
        if long and text.startswith(quote * 3, j):
            return Token("string", text[i : j + 3], i, j + 3, "".join(out))
        if not long and c == quote:
            return Token("string", text[i : j + 1], i, j + 1, "".join(out))
        if not long and c in "\n\r":
            raise _error(text, j, 'a line break in a short string (use \\n or a """long string""")')
        if c == "\\":
            if j + 1 >= n:
                raise _error(text, j, "a string ends with a lone backslash")
            e = text[j + 1]
            if e in "uU":
                ch, j = _hex_escape(text, j)
                out.append(ch)
                continue
            if e not in _STRING_ESCAPES:
                raise _error(text, j, f"\\{e} is not an escape sequence in a string")
            out.append(_STRING_ESCAPES[e])
            j += 2
            continue
        out.append(c)
        j += 1


def _iri(text: str, i: int) -> Token | None:
    """An IRIREF at ``i`` (which holds '<'), or None when '<' is an operator here."""
    n = len(text)
    j = i + 1
    out: list[str] = []
    while j < n:
        c = text[j]
        if c == ">":
            return Token("iri", text[i : j + 1], i, j + 1, "".join(out))
        if c == "\\" and j + 1 < n and text[j + 1] in "uU":
            ch, j = _hex_escape(text, j)
            if ch in _IRI_FORBIDDEN or ord(ch) <= 0x20:
                raise _error(text, j, f"an escape in an IRI stands for {ch!r}, which no IRI may contain")
            out.append(ch)
            continue
        if c in _IRI_FORBIDDEN or ord(c) <= 0x20:
            return None
        out.append(c)
        j += 1
    return None


def _local(text: str, j: int) -> int:
    """End of the PN_LOCAL starting at ``j`` (``j`` itself when there is none)."""
    n = len(text)
    k = j
    last_ok = j  # end of the longest prefix that does not end with '.'
    first = True
    while k < n:
        c = text[k]
        if c == "\\":
            if k + 1 < n and text[k + 1] in _LOCAL_ESCAPES:
                k += 2
                last_ok = k
                first = False
                continue
            break
        if c == "%":
            if k + 2 < n and text[k + 1] in _HEX and text[k + 2] in _HEX:
                k += 3
                last_ok = k
                first = False
                continue
            break
        if first:
            if not (_chars_u(c) or c == ":" or c in _DIGITS):
                break
        elif not (_chars(c) or c in ".:"):
            break
        k += 1
        first = False
        if c != ".":
            last_ok = k
    return last_ok


def _prefix_end(text: str, i: int) -> int:
    """End of the PN_PREFIX starting at ``i`` (a PN_CHARS_BASE); trailing dots are not part of it."""
    n = len(text)
    k = i + 1
    last_ok = k
    while k < n and (_chars(text[k]) or text[k] == "."):
        k += 1
        if text[k - 1] != ".":
            last_ok = k
    return last_ok


def _number(text: str, i: int) -> int:
    """End of the INTEGER, DECIMAL or DOUBLE at ``i`` (a sign, digit or '.' followed by a digit)."""
    n = len(text)
    k = i + 1 if text[i] in "+-" else i
    while k < n and text[k] in _DIGITS:
        k += 1
    if k < n and text[k] == ".":
        if k + 1 < n and text[k + 1] in _DIGITS:
            k += 1
            while k < n and text[k] in _DIGITS:
                k += 1
        elif _exponent(text, k + 1) > k + 1 and k > i and text[k - 1] in _DIGITS:
            k += 1  # 1.e3
    return _exponent(text, k)


def _exponent(text: str, k: int) -> int:
    n = len(text)
    if k < n and text[k] in "eE":
        m = k + 1
        if m < n and text[m] in "+-":
            m += 1
        if m < n and text[m] in _DIGITS:
            while m < n and text[m] in _DIGITS:
                m += 1
            return m
    return k


def _starts_number(text: str, i: int) -> bool:
    n = len(text)
    c = text[i]
    if c in "+-":
        i += 1
        if i >= n:
            return False
        c = text[i]
    if c in _DIGITS:
        return True
    return c == "." and i + 1 < n and text[i + 1] in _DIGITS


def tokenize(text: str, *, tolerant: bool = False) -> Iterator[Token]:
    """The terminals of ``text`` in order, comments and white space left out.

    Raises ``QueryError`` (with line and column) at the first character that starts no terminal; with
    ``tolerant``, that character becomes an ``other`` token and reading goes on (for hints on bad text).
    """
    n = len(text)
    i = 0
    # end of the last run of name characters already known not to hold a prefix: a name starting
    # inside it cannot be a prefixed name either, so it is not scanned again (keeps the lexer linear)
    state = [-1]
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
            continue
        if c == "#":
            while i < n and text[i] not in "\n\r":
                i += 1
            continue
        try:
            token = _token_at(text, i, state)
        except QueryError:
            if not tolerant:
                raise
            token = Token("other", c, i, i + 1)
        yield token
        i = token.end


def _token_at(text: str, i: int, state: list[int]) -> Token:
    """The terminal starting at ``i`` (not a space or comment); ``state[0]`` is the lexer's plain_until."""
    n = len(text)
    c = text[i]
    if 0xD800 <= ord(c) <= 0xDFFF:
        raise _error(text, i, "a lone surrogate code point")
    token: Token | None = None
    if c in "\"'":
        token = _string(text, i)
    elif c == "<":
        token = _iri(text, i)
    elif c in "?$":
        k = i + 1
        if k < n and (_chars_u(text[k]) or text[k] in _DIGITS):
            k += 1
            while k < n and (
                _chars_u(text[k])
                or text[k] in _DIGITS
                or text[k] == "\u00b7"
                or 0x300 <= ord(text[k]) <= 0x36F
                or 0x203F <= ord(text[k]) <= 0x2040
            ):
                k += 1
            token = Token("var", text[i:k], i, k)
    elif c == "_" and text.startswith("_:", i):
        k = i + 2
        if k < n and (_chars_u(text[k]) or text[k] in _DIGITS):
            k = _prefix_end(text, k)
            token = Token("bnode", text[i:k], i, k)
        else:
            raise _error(text, i, "a blank node label needs a name after '_:'")
    elif c == "@":
        k = i + 1
        while k < n and text[k] in _ASCII_LETTERS:
            k += 1
        if k == i + 1:
            raise _error(text, i, "'@' must start a language tag such as @en")
        while k + 1 < n and text[k] == "-" and (text[k + 1] in _ASCII_LETTERS or text[k + 1] in _DIGITS):
            k += 1
            while k < n and (text[k] in _ASCII_LETTERS or text[k] in _DIGITS):
                k += 1
        token = Token("lang", text[i:k], i, k)
    elif c == ":" or _base(c):
        # a prefixed name (prefix:local or :local), else a keyword
        k = i if c == ":" else (state[0] if i < state[0] else _prefix_end(text, i))
        if k < n and text[k] == ":":
            end = _local(text, k + 1)
            token = Token("pname", text[i:end], i, end)
        elif c in _ASCII_LETTERS:
            state[0] = k
            k = i + 1
            while k < n and text[k] in _WORD_CHARS:
                k += 1
            token = Token("word", text[i:k], i, k)
    elif (c in _DIGITS or c in "+-.") and _starts_number(text, i):
        k = _number(text, i)
        token = Token("number", text[i:k], i, k)
    if token is None:
        two = text[i : i + 2]
        if two in _PUNCT_2:
            token = Token("punct", two, i, i + 2)
        elif c in _PUNCT_1:
            token = Token("punct", c, i, i + 1)
        else:
            raise _error(text, i, f"unexpected character {c!r}")
    return token


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def canonical(tokens: list[Token]) -> str:
    """The canonical text of ``tokens`` (see ``canonical_with_offsets``)."""
    return canonical_with_offsets(tokens)[0]


def canonical_with_offsets(tokens: list[Token]) -> tuple[str, list[int]]:
    """The tokens written one per line: no comments, strings and IRIs in one plain spelling each.

    Each token sits on its own line (a "(" right after a name stays on that name's line), so that even a
    parser that read a token differently could not carry that reading past the end of it (a comment ends
    at the line break).
    """
    out: list[str] = []
    offsets: list[int] = []  # where each token starts in the canonical text
    length = 0
    previous = ""
    for token in tokens:
        if token.text == "(" and previous in ("word", "pname", "iri"):
            piece = "("  # no line break before a call's "(": the store's parser wants CONCAT( together
        else:
            if out:
                out.append("\n")
                length += 1
            if token.kind == "string":
                piece = _quoted(token.value)
            elif token.kind == "iri":
                piece = f"<{token.value}>"
            else:
                piece = token.text
        offsets.append(length)
        out.append(piece)
        length += len(piece)
        previous = token.kind
    return "".join(out), offsets
