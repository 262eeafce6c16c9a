"""CSV that spreadsheets cannot execute: cells that would start a formula are neutralised (OWASP)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "neutralise", "write_csv"]

#: a cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
