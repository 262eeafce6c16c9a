"""Exports that are odd but valid, as survey tools write them: each loads to the same graph as the base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.ingest import load_survey
from graph.iris import Iris
from graph.store import OxigraphStore
from tests.graph.ingest.exports import BASE, base_table, csv_text, data_graph_dump, write_csv

SOURCE = "<http://purl.org/dc/terms/source>"


def _bom(tmp: Path) -> Path:
    out = tmp / "export.csv"
    out.write_bytes(b"\xef\xbb\xbf" + BASE.read_bytes())
    return out


def _crlf(tmp: Path) -> Path:
    return write_csv(tmp / "export.csv", newline="\r\n")


def _semicolons(tmp: Path) -> Path:
    return write_csv(tmp / "export.csv", delimiter=";")  # multi-select lists get quoted


def _tabs(tmp: Path) -> Path:
    return write_csv(tmp / "export.tsv", delimiter="\t")


def _utf16(tmp: Path) -> Path:  # Excel's "Unicode text"
    out = tmp / "export.txt"
    header, rows = base_table()
    out.write_bytes(csv_text(header, rows, delimiter="\t", newline="\r\n").encode("utf-16"))
    return out


def _extra_columns(tmp: Path) -> Path:
    header, rows = base_table()
    for i, row in enumerate(rows):
        row["ip_address"] = f"10.0.0.{i}"
        row["Collector"] = "Web link 1"
    return write_csv(tmp / "export.csv", ["ip_address", *header, "Collector"], rows)


def _trailing_blank_rows(tmp: Path) -> Path:
    out = write_csv(tmp / "export.csv")
    with out.open("a", encoding="utf-8") as fh:
        fh.write(",,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n\n,,,\n\n")
    return out


def _excel_sep_hint(tmp: Path) -> Path:
    out = tmp / "export.csv"
    header, rows = base_table()
    out.write_text("sep=;\n" + csv_text(header, rows, delimiter=";"), encoding="utf-8")
    return out


def _quote_all(tmp: Path) -> Path:
    import csv
    import io

    header, rows = base_table()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (tmp / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    return tmp / "export.csv"


def _spaces_and_case(tmp: Path) -> Path:
    header, rows = base_table()
    rows[0]["sector"] = "  National Government "
    rows[0]["risks"] = "Silos ; MOMENTUM"
    rows[1]["country"] = "se"
    return write_csv(tmp / "export.csv", header, rows)


CASES: dict[str, Callable[[Path], Path]] = {
    "UTF-8 with BOM": _bom,
    "Windows line endings": _crlf,
    "semicolon delimiters": _semicolons,
    "tab delimiters": _tabs,
    "UTF-16 tab-separated text": _utf16,
    "extra unmapped columns": _extra_columns,
    "trailing blank rows": _trailing_blank_rows,
    "Excel sep= hint": _excel_sep_hint,
    "every cell quoted": _quote_all,
    "spaces and letter case": _spaces_and_case,
}


@pytest.fixture(scope="module")
def reference() -> set[str]:
    store = OxigraphStore(None)
    load_survey(store, Iris(), BASE)
    return {q for q in data_graph_dump(store) if SOURCE not in q}


@pytest.mark.parametrize("kind", list(CASES))
def test_odd_but_valid_export_loads_like_the_base(
    kind: str, reference: set[str], iris: Iris, tmp_path: Path
) -> None:
    store = OxigraphStore(None)
    report = load_survey(store, iris, CASES[kind](tmp_path))
    assert report.rows == 5
    assert {q for q in data_graph_dump(store) if SOURCE not in q} == reference


def test_extra_columns_are_a_notice(iris: Iris, tmp_path: Path) -> None:
    report = load_survey(OxigraphStore(None), iris, _extra_columns(tmp_path))
    assert any("ip_address" in n and "Collector" in n and "ignored" in n for n in report.notices)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_declared_latin1_encoding(encoding: str, reference: set[str], iris: Iris, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", encoding=encoding)
    assert "Søren".encode() not in path.read_bytes()  # really not UTF-8
    store = OxigraphStore(None)
    load_survey(store, iris, path, encoding=encoding)
    assert {q for q in data_graph_dump(store) if SOURCE not in q} == reference


def test_encoding_declared_in_the_mapping(reference: set[str], iris: Iris, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", encoding="cp1252")
    default = (Path(__file__).resolve().parents[3] / "data" / "mappings" / "default.toml").read_text(
        encoding="utf-8"
    )
    mapping = tmp_path / "cp1252.toml"
    mapping.write_text(default.replace('encoding = ""', 'encoding = "cp1252"', 1), encoding="utf-8")
    store = OxigraphStore(None)
    load_survey(store, iris, path, mapping=mapping)
    assert {q for q in data_graph_dump(store) if SOURCE not in q} == reference


def test_mapping_aliases_resolve_to_codes(reference: set[str], iris: Iris, tmp_path: Path) -> None:
    header, rows = base_table()
    rows[0]["risks"] = "stuck in our boxes;momentum"  # r001 said silos;momentum
    rows[3]["clear_target"] = "Not sure"  # r004 said Don't know
    path = write_csv(tmp_path / "export.csv", header, rows)
    default = (Path(__file__).resolve().parents[3] / "data" / "mappings" / "default.toml").read_text(
        encoding="utf-8"
    )
    text = default.replace(
        'scheme = "risk"\n', 'scheme = "risk"\naliases = { "Stuck in our boxes" = "silos" }\n', 1
    ).replace("[aliases]\n", '[aliases]\n"not sure" = "dont-know"\n', 1)
    mapping = tmp_path / "aliases.toml"
    mapping.write_text(text, encoding="utf-8")
    store = OxigraphStore(None)
    load_survey(store, iris, path, mapping=mapping)
    assert {q for q in data_graph_dump(store) if SOURCE not in q} == reference
