"""Broken exports: each gets the right problem (row, column, expected) and leaves the store as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.errors import IngestError, Problem
from graph.ingest import load_survey
from graph.iris import Iris
from graph.store import OxigraphStore
from tests.graph.ingest.exports import BASE, base_table, csv_text, data_graph_dump, write_csv, write_xlsx

# rows as a spreadsheet shows them: header = 1, respondent r001 = 2, r002 = 3, r003 = 4, r004 = 5, r005 = 6


def _edit(row: int, **changes: str) -> Callable[[Path], Path]:
    """A base export with some cells of one row (spreadsheet numbering) changed."""

    def make(tmp: Path) -> Path:
        header, rows = base_table()
        rows[row - 2].update(changes)
        return write_csv(tmp / "export.csv", header, rows)

    return make


def _undecodable(tmp: Path) -> Path:
    data = BASE.read_bytes().replace(b"Ana Lima", b"Ana L\xedma")  # a cp1252 byte in UTF-8
    (tmp / "export.csv").write_bytes(data)
    return tmp / "export.csv"


def _nul_byte(tmp: Path) -> Path:
    (tmp / "export.csv").write_bytes(BASE.read_bytes().replace(b"Ana Lima", b"Ana\x00Lima"))
    return tmp / "export.csv"


def _unclosed_quote(tmp: Path) -> Path:
    (tmp / "export.csv").write_bytes(BASE.read_bytes().replace(b"Ana Lima", b'"Ana Lima'))
    return tmp / "export.csv"


def _missing_column(tmp: Path) -> Path:
    header, rows = base_table()
    return write_csv(tmp / "export.csv", [h for h in header if h != "country"], rows)


def _empty(tmp: Path) -> Path:
    (tmp / "export.csv").write_bytes(b"")
    return tmp / "export.csv"


def _header_only(tmp: Path) -> Path:
    header, _rows = base_table()
    return write_csv(tmp / "export.csv", header, [])


def _truncated_xlsx(tmp: Path) -> Path:
    path = write_xlsx(tmp / "export.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted_xlsx(tmp: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp / "plain.xlsx")
    out = tmp / "export.xlsx"
    with plain.open("rb") as src, out.open("wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    return out


def _csv_named_xlsx(tmp: Path) -> Path:
    out = tmp / "export.xlsx"
    out.write_bytes(BASE.read_bytes())
    return out


def _too_many_fields(tmp: Path) -> Path:
    lines = BASE.read_text(encoding="utf-8").splitlines()
    lines[3] += ",surplus"  # row 4
    out = tmp / "export.csv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _too_few_fields(tmp: Path) -> Path:
    lines = BASE.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1][:30]  # the file was cut short in the last row (row 6)
    out = tmp / "export.csv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _legacy_xls(tmp: Path) -> Path:
    out = tmp / "export.xlsx"
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    return out


def _duplicate_column(tmp: Path) -> Path:
    text = BASE.read_text(encoding="utf-8").replace("support_text,wave_note", "support_text,risks", 1)
    out = tmp / "export.csv"
    out.write_text(text, encoding="utf-8")
    return out


def _has(
    row: int | None, column: str | None, *, message: str, expected: str | None = None
) -> Callable[[Problem], bool]:
    def check(p: Problem) -> bool:
        return (
            p.row == row
            and p.column == column
            and message in p.message
            and (expected is None or expected in (p.expected or ""))
        )

    return check


CASES: dict[str, tuple[Callable[[Path], Path], Callable[[Problem], bool]]] = {
    "undecodable bytes": (_undecodable, _has(3, None, message="byte offset", expected="cp1252")),
    "NUL byte in a cell": (_nul_byte, _has(3, "name", message="NUL byte")),
    "unclosed quote": (_unclosed_quote, _has(3, None, message="but the header has 30")),
    "missing required column": (_missing_column, _has(1, "country", message="required column is missing")),
    "unknown code": (
        _edit(3, sector="ministry of magic"),
        _has(3, "sector", message="unknown code", expected="scheme 'sector'"),
    ),
    "value outside its scheme": (
        _edit(4, sector="silos"),
        _has(4, "sector", message="outside its scheme", expected="scheme 'sector'"),
    ),
    "unknown code in a list": (_edit(2, risks="silos;dragons"), _has(2, "risks", message="unknown code")),
    "duplicate respondent id": (
        _edit(5, respondent_id="r001"),
        _has(5, "respondent_id", message="duplicate respondent id (first seen in row 2)"),
    ),
    "empty file": (_empty, _has(None, None, message="empty")),
    "header only": (_header_only, _has(None, None, message="no data rows")),
    "truncated XLSX": (_truncated_xlsx, _has(None, None, message="truncated or corrupt")),
    "password-protected XLSX": (_encrypted_xlsx, _has(None, None, message="password-protected")),
    "legacy XLS named .xlsx": (_legacy_xls, _has(None, None, message="legacy .xls")),
    "CSV renamed .xlsx": (_csv_named_xlsx, _has(None, None, message="text (CSV) file named .xlsx")),
    "1 MB cell": (
        _edit(5, challenge_text="x" * 1_000_000),
        _has(5, "challenge_text", message="1000000 characters", expected="at most 32768"),
    ),
    "too many fields": (_too_many_fields, _has(4, None, message="has 31 fields but the header has 30")),
    "too few fields (cut short)": (_too_few_fields, _has(6, None, message="but the header has 30")),
    "impossible year": (
        _edit(3, target_year="1850"),
        _has(3, "target_year", message="impossible value", expected="from 2000 to 2100"),
    ),
    "year not a number": (_edit(3, target_year="soon"), _has(3, "target_year", message="not a whole number")),
    "bad e-mail": (_edit(3, email="ana(at)example"), _has(3, "email", message="not an e-mail address")),
    "unknown mission id": (
        _edit(2, mission_id="eu-mission-atlantis"),
        _has(2, "mission_id", message="unknown catalogue mission id"),
    ),
    "unknown country": (_edit(4, country="XX"), _has(4, "country", message="unknown country code")),
    "required value blank": (_edit(6, sector=""), _has(6, "sector", message="a value is required")),
    "bad date": (_edit(2, submitted_at="yesterday"), _has(2, "submitted_at", message="not a date")),
    "bad yes/no": (_edit(2, consent_contact="perhaps"), _has(2, "consent_contact", message="not a yes/no")),
    "mission title missing": (
        _edit(3, mission_title=""),
        _has(3, "mission_title", message="mission title is required"),
    ),
    "column twice in the header": (_duplicate_column, _has(1, "risks", message="appears twice")),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    """An on-disk store that already holds a wave, so 'unchanged' means something."""
    store = OxigraphStore(tmp_path_factory.mktemp("store") / "db")
    load_survey(store, Iris(), BASE, wave="2020")
    return store


@pytest.mark.parametrize("kind", list(CASES))
def test_bad_file_is_refused_with_the_right_problem(
    kind: str, seeded: OxigraphStore, iris: Iris, tmp_path: Path
) -> None:
    make, expected = CASES[kind]
    path = make(tmp_path)
    before = data_graph_dump(seeded)
    with pytest.raises(IngestError) as caught:
        load_survey(seeded, iris, path)
    problems = caught.value.problems
    assert any(expected(p) for p in problems), "\n".join(str(p) for p in problems)
    assert all(p.file == path.name for p in problems)
    assert data_graph_dump(seeded) == before


def test_every_problem_is_reported_at_once(seeded: OxigraphStore, iris: Iris, tmp_path: Path) -> None:
    header, rows = base_table()
    rows[0]["sector"] = "wizardry"
    rows[1]["target_year"] = "3000"
    rows[3]["email"] = "not-an-address"
    rows[4]["respondent_id"] = "r002"
    path = tmp_path / "export.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        load_survey(seeded, iris, path)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "sector"), (3, "target_year"), (5, "email"), (6, "respondent_id")} <= where
    text = str(caught.value)
    assert "export.csv, row 2, column 'sector': unknown code (got 'wizardry'" in text


def test_a_broken_mapping_is_reported(seeded: OxigraphStore, iris: Iris, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[fields.respondent_id]\ncolumn = "id"\n[fields.favourite_colour]\ncolumn = "c"\n'
        '[fields.risks]\ncolumn = "r"\ntype = "multi"\nscheme = "dangers"\n',
        encoding="utf-8",
    )
    before = data_graph_dump(seeded)
    with pytest.raises(IngestError) as caught:
        load_survey(seeded, iris, BASE, mapping=mapping)
    messages = {(p.column, p.message) for p in caught.value.problems}
    assert ("fields.favourite_colour", "unknown field") in messages
    assert ("fields.risks", "unknown concept scheme") in messages
    assert data_graph_dump(seeded) == before
