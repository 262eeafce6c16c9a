"""Builders of survey exports for the ingest tests: variants of the small valid base export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
BASE = FIXTURES / "base.csv"
OPTION_COLUMNS = FIXTURES / "one-column-per-option.csv"
REPO = Path(__file__).resolve().parents[3]
OPTION_MAPPING = REPO / "data" / "mappings" / "one-column-per-option.toml"


def base_table() -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of the base export (5 respondents, every codebook column)."""
    with BASE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), [dict(r) for r in reader]


def csv_text(
    header: list[str], rows: list[dict[str, str]], *, delimiter: str = ",", newline: str = "\n"
) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=header, delimiter=delimiter, lineterminator=newline, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    path: Path,
    header: list[str] | None = None,
    rows: list[dict[str, str]] | None = None,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
) -> Path:
    base_header, base_rows = base_table()
    text = csv_text(
        header or base_header, base_rows if rows is None else rows, delimiter=delimiter, newline=newline
    )
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str] | None = None, rows: list[dict[str, str]] | None = None) -> Path:
    import openpyxl

    base_header, base_rows = base_table()
    header = header or base_header
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for n, row in enumerate(base_rows if rows is None else rows, start=2):
        sheet.append([row.get(h, "") for h in header])
        for cell in sheet[n]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text cell, as survey tools write one, not a formula
    book.save(path)
    return path


def data_graph_dump(store: Store) -> set[str]:
    """Every quad of every data graph (not the store's bookkeeping), as N-Quads lines."""
    text = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8")
    return {line for line in text.splitlines() if line.strip()}
