"""The bad-input corpus (issue 12): every kind of broken export, through the CLI and through HTTP.

The ingest suite's kinds (tests/graph/ingest/test_bad_input.py) and the hardening ones: lookalike ids,
e-mail addresses that could not be stored, non-ASCII digits, implausible dates, control and bidi
characters, workbook bombs and CSV caps. Each is refused with its problem (row, column, expected)
and leaves the store exactly as it was.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from graph.errors import Problem
from graph.ingest import reader
from tests.faults.xlsx_bombs import far_cell_workbook, shared_strings_bomb
from tests.graph.ingest.exports import BASE, base_table, write_csv
from tests.graph.ingest.test_bad_input import CASES as INGEST_CASES
from tests.graph.ingest.test_bad_input import _edit, _has
from tests.support.settings import LAB, make_settings
from tests.support.stores import small_store

Case = tuple[Callable[[Path], Path], Callable[[Problem], bool]]


def _xlsx(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return lambda tmp: build(tmp / "export.xlsx")


def _wide(tmp: Path) -> Path:
    path = tmp / "export.csv"
    path.write_text(",".join(f"c{i}" for i in range(reader.MAX_COLUMNS + 5)) + "\n1\n", encoding="utf-8")
    return path


def _giant_field(tmp: Path) -> Path:
    header, rows = base_table()
    rows[2]["challenge_text"] = "y" * 2_000_000
    return write_csv(tmp / "export.csv", header, rows)


def _many_rows(tmp: Path) -> Path:
    header, rows = base_table()
    extra = [dict(rows[0], respondent_id=f"x{i}") for i in range(reader.MAX_ROWS + 1)]
    return write_csv(tmp / "export.csv", header, rows + extra)


HARDENING: dict[str, Case] = {
    "lookalike id (zero-width space)": (
        _edit(5, respondent_id="r\u200b001"),
        _has(5, "respondent_id", message="duplicate respondent id (first seen in row 2)"),
    ),
    "lookalike id (fullwidth)": (
        _edit(5, respondent_id="\uff52\uff10\uff10\uff11"),
        _has(5, "respondent_id", message="duplicate respondent id"),
    ),
    "lookalike id (case)": (_edit(5, respondent_id="R001"), _has(5, "respondent_id", message="duplicate")),
    "e-mail that no mailto: IRI can hold": (
        _edit(3, email="a{b}|c^d@example.org"),
        _has(3, "email", message="not an e-mail address"),
    ),
    "e-mail with two dots in a row": (
        _edit(3, email="ana..lima@example.org"),
        _has(3, "email", message="not an e-mail address"),
    ),
    "year in Arabic-Indic digits": (
        _edit(3, target_year="\u0662\u0660\u0663\u0660"),
        _has(3, "target_year", message="not a whole number"),
    ),
    "year in fullwidth digits": (
        _edit(3, target_year="\uff12\uff10\uff13\uff10"),
        _has(3, "target_year", message="not a whole number"),
    ),
    "date in year 9999": (
        _edit(2, submitted_at="9999-12-31"),
        _has(2, "submitted_at", message="outside the plausible window"),
    ),
    "date in 1900": (
        _edit(2, submitted_at="1900-01-01"),
        _has(2, "submitted_at", message="plausible window"),
    ),
    "date in fullwidth digits": (
        _edit(2, submitted_at="\uff12\uff10\uff12\uff11-12-01"),
        _has(2, "submitted_at", message="not a date"),
    ),
    "bidi override in a name": (
        _edit(3, name="Ana \u202eamiL"),
        _has(3, "name", message="U+202E", expected="bidirectional-override"),
    ),
    "terminal escape in an organisation": (
        _edit(4, organisation="\x1b[2J\x1b[31mViable Cities"),
        _has(4, "organisation", message="U+001B"),
    ),
    "bell character in a mission title": (
        _edit(3, mission_title="Climate\x07 cities"),
        _has(3, "mission_title", message="U+0007"),
    ),
    "workbook with a cell at XFD1048576": (
        _xlsx(far_cell_workbook),
        _has(None, None, message="has a cell at XFD1048576"),
    ),
    "shared-strings zip bomb (800 MB)": (
        _xlsx(shared_strings_bomb),
        _has(None, None, message="the workbook unpacks to"),
    ),
    "more columns than the cap": (_wide, _has(1, None, message="fields", expected="columns")),
    "a 2 MB CSV field": (_giant_field, _has(4, None, message="cannot be read as CSV")),
    "more rows than the cap": (_many_rows, _has(5, None, message="more than 3 data rows")),
}

CORPUS: dict[str, Case] = {**INGEST_CASES, **HARDENING}


def test_the_corpus_has_at_least_40_kinds() -> None:
    assert len(CORPUS) >= 40


@pytest.fixture(autouse=True)
def _small_row_cap(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if "more rows than the cap" in request.node.name:
        monkeypatch.setattr(reader, "MAX_ROWS", 3)


# --- CLI ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-var")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MISSIONGRAPH_DATA_DIR", str(data))
        mp.setenv("MISSIONGRAPH_STORE", "oxigraph")
        result = CliRunner().invoke(cli, ["load", str(BASE), "--wave", "2020"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return data


def _cli(data: Path, monkeypatch: pytest.MonkeyPatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MISSIONGRAPH_DATA_DIR", str(data))
    monkeypatch.setenv("MISSIONGRAPH_STORE", "oxigraph")
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _quads(data: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    out = _cli(data, monkeypatch, "query", q, "--format", "json", "--include-restricted")
    assert out.exit_code == 0, out.output
    return out.stdout


@pytest.mark.parametrize("kind", list(CORPUS))
def test_cli_refuses(kind: str, cli_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make, expected = CORPUS[kind]
    path = make(tmp_path)
    before = _quads(cli_data, monkeypatch)
    result = _cli(cli_data, monkeypatch, "load", str(path), "--wave", "2022")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert any(expected(_parse(line, path.name)) for line in lines if line.startswith(path.name)), (
        result.stderr
    )
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr  # shown escaped, never acted on
    assert _quads(cli_data, monkeypatch) == before


def _parse(line: str, name: str) -> Problem:
    """A CLI problem line (file, row N, column 'c': message (got ..., expected ...)) back into its parts."""
    match = re.match(r"^(?:, row (\d+))?(?:, column '([^']*)')?: (.*)$", line[len(name) :], re.S)
    assert match is not None, line
    row, column, rest = match.groups()
    expected = rest.rsplit("expected ", 1)[1].rstrip(")") if "expected " in rest else None
    return Problem(name, rest, int(row) if row else None, column, expected=expected)


# --- HTTP -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, object]]:
    store = small_store()
    app = create_app(
        make_settings(tmp_path_factory.mktemp("http-var"), upload_max_bytes=20_000_000), store=store
    )
    with TestClient(app) as client:
        yield client, store


@pytest.mark.parametrize("kind", list(CORPUS))
def test_http_refuses(kind: str, http: tuple[TestClient, object], tmp_path: Path) -> None:
    client, store = http
    make, expected = CORPUS[kind]
    path = make(tmp_path)
    before = store.count()  # type: ignore[attr-defined]
    r = client.post(
        "/api/loads", files={"file": (path.name, path.read_bytes())}, data={"wave": "2022"}, headers=LAB
    )
    if r.status_code == 400:  # refused at once (an empty upload): a problem+json, no job
        assert r.headers["content-type"].startswith("application/problem+json")
        assert store.count() == before  # type: ignore[attr-defined]
        return
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/loads/{r.json()['id']}", headers=LAB).json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["status"] == "failed", json.dumps(job)[:500]
    problems = [Problem(**p) for p in job["problems"]]
    assert any(expected(p) for p in problems), job["problems"]
    assert store.count() == before  # type: ignore[attr-defined]
