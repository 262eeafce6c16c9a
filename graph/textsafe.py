"""Text from outside, made safe: one identity for lookalike ids, no control or bidi-override characters
in stored names, and any text shown on a terminal with such characters escaped."""

from __future__ import annotations

import unicodedata

__all__ = ["identity", "unsafe_character", "for_terminal", "ascii_digits"]

#: bidirectional embeddings, overrides and isolates: they reorder what a reader sees (Trojan Source)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def identity(text: str) -> str:
    """The form two ids are compared in: NFKC, case-folded, without format characters (zero-width ...)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").strip()


def unsafe_character(text: str, *, allow_newlines: bool = False) -> str | None:
    """The first control or bidirectional-override character of ``text`` (None when there is none)."""
    for c in text:
        if c in BIDI_CONTROLS:
            return c
        if unicodedata.category(c) == "Cc" and not (allow_newlines and c in "\n\r\t"):
            return c
    return None


def for_terminal(text: str) -> str:
    """``text`` with control, bidi-override and other format characters written as escapes."""
    out = []
    for c in text:
        if c in "\n\t":
            out.append(c)
        elif c in BIDI_CONTROLS or unicodedata.category(c) in ("Cc", "Cf"):
            out.append(f"\\u{ord(c):04x}" if ord(c) > 0xFF else f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return "".join(out)


def ascii_digits(text: str) -> bool:
    """True when every digit of ``text`` is 0-9 (int() and fromisoformat take Arabic-Indic, fullwidth ...)."""
    return all(c.isascii() for c in text if c.isdigit())
