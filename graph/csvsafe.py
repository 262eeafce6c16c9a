"""CSV that spreadsheets cannot execute: text cells that would start a formula are neutralised (OWASP).

Only text is touched: numbers, booleans, dates and every other typed value are written as they are
(``-0.2`` stays ``-0.2``); wrap such a value in ``Verbatim`` when it arrives as a string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "Verbatim", "neutralise", "write_csv"]

#: a cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Verbatim(str):
    """A value that is data, not text a person typed (a typed literal, an IRI): written unchanged."""

    __slots__ = ()


def neutralise(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would evaluate (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers are written by us, never a formula (a negative number stays one)
    if isinstance(value, Verbatim):
        return str(value)
    return neutralise(str(value))


def write_csv(rows: Iterable[Mapping[str, Any] | Sequence[Any]], header: Sequence[str]) -> str:
    """Rows (dicts keyed by header names, or sequences in header order) as CSV text, every cell safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        values = [row.get(h) for h in header] if isinstance(row, Mapping) else list(row)
        writer.writerow([_text(v) for v in values])
    return out.getvalue()
