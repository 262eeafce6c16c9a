"""Every CSV the service writes neutralises cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest

from graph.csvsafe import neutralise, write_csv


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_starts_get_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "", "1-2", "a=b", " =1", "'already"])
def test_other_cells_are_unchanged(cell: str) -> None:
    assert neutralise(cell) == cell


def test_write_csv_neutralises_text_but_keeps_numbers_and_quoting() -> None:
    rows = [{"id": "=cmd|' /C calc'!A0", "n": -3, "share": 0.25, "note": 'a "quoted", text\nline'}]
    text = write_csv(rows, ["id", "n", "share", "note"])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["id", "n", "share", "note"]
    assert parsed[1] == ["'=cmd|' /C calc'!A0", "-3", "0.25", 'a "quoted", text\nline']
    assert write_csv([["-x", None, True]], ["a", "b", "c"]).splitlines()[1] == "'-x,,true"
