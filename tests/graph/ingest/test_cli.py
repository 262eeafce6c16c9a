"""`missiongraph load` and `query`: output lines and exit codes (0 ok, 1 bad input, 2 usage, 3 store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.graph.ingest.exports import BASE, base_table, write_csv

MG = "https://w3id.org/missiongraph/def#"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MISSIONGRAPH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("MISSIONGRAPH_STORE", "oxigraph")
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_load_then_query(run) -> None:  # type: ignore[no-untyped-def]
    result = run("load", str(BASE))
    assert result.exit_code == 0, result.output
    assert "loaded 5 rows into wave 2021: 5 respondents" in result.output
    again = run("load", str(BASE))
    assert "0 respondents and 0 triples added" in again.output
    q = f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?r a <{MG}SurveyResponse> }}"
    out = run("query", q, "--format", "json")
    assert out.exit_code == 0
    assert json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"] == "5"
    table = run("query", q)
    assert "1 row(s)" in table.stdout and "5" in table.stdout


def test_query_sees_no_personal_data_unless_asked(run) -> None:  # type: ignore[no-untyped-def]
    run("load", str(BASE))
    q = "SELECT ?n WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?n }"
    assert "Søren" not in run("query", q, "-f", "csv").stdout
    restricted = run("query", q, "-f", "csv", "--include-restricted").stdout
    assert "Søren Ærø" in restricted  # consented to be contacted
    assert "Ana Lima" not in restricted  # did not: her name was never stored


def test_load_reports_dropped_contacts_and_generalisation(run) -> None:  # type: ignore[no-untyped-def]
    out = run("load", str(BASE)).stdout
    assert "contact details of 1 non-consenting respondent(s) dropped" in out
    assert "public graph k=5: of 5 respondent(s)" in out


def test_query_from_file_and_construct(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("load", str(BASE))
    rq = tmp_path / "q.rq"
    rq.write_text(f"CONSTRUCT {{ ?r <{MG}sector> ?s }} WHERE {{ ?r <{MG}sector> ?s }}", encoding="utf-8")
    out = run("query", f"@{rq}", "--format", "ntriples")
    assert out.exit_code == 0
    assert out.stdout.count(f"<{MG}sector>") == 0  # five respondents: fewer than k share a sector
    out = run("query", f"@{rq}", "--format", "ntriples", "--include-restricted")
    assert out.stdout.count(f"<{MG}sector>") == 5


def test_bad_file_exit_1_with_one_line_per_problem(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header, rows = base_table()
    rows[0]["sector"] = "wizardry"
    rows[2]["target_year"] = "1066"
    path = write_csv(tmp_path / "bad.csv", header, rows)
    result = run("load", str(path))
    assert result.exit_code == 1
    assert "bad.csv, row 2, column 'sector': unknown code (got 'wizardry'" in result.stderr
    assert "bad.csv, row 4, column 'target_year': impossible value (got '1066'" in result.stderr
    assert "Traceback" not in result.output
    count = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv")
    assert count.stdout.splitlines()[1] == "0"


def test_dry_run_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("load", str(BASE), "--dry-run")
    assert result.exit_code == 0 and "5 rows valid" in result.stdout
    assert not (tmp_path / "var" / "store").exists()  # not even an empty store
    count = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv")
    assert count.exit_code == 3 and "missiongraph build" in count.stderr
    assert run("load", str(BASE)).exit_code == 0
    assert run("load", str(BASE), "--dry-run").exit_code == 0  # beside a store: read-only
    count = run("query", "SELECT (COUNT(*) AS ?r) WHERE { ?r a <" + MG + "SurveyResponse> }", "-f", "csv")
    assert count.stdout.splitlines()[1] == "5"


def test_usage_errors_exit_2(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("load", str(tmp_path / "missing.csv")).exit_code == 2
    assert run("load", str(BASE)).exit_code == 0  # a store to query (a missing one is exit 3)
    assert run("load", str(BASE), "--mapping", str(tmp_path / "nope.toml")).exit_code == 2
    assert run("query", "ASK {}", "--format", "yaml").exit_code == 2
    assert run("query", "SELECT * WHERE { ?s ?p ?o }", "--format", "turtle").exit_code == 2
    assert run("query", f"@{tmp_path / 'missing.rq'}").exit_code == 2


def test_bad_query_exit_1(run) -> None:  # type: ignore[no-untyped-def]
    assert run("load", str(BASE)).exit_code == 0  # a store to query (a missing one is exit 3)
    result = run("query", "SELECT ?s WHERE { ?s")
    assert result.exit_code == 1 and "bad query" in result.stderr


def test_store_error_exit_3(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("MISSIONGRAPH_DATA_DIR", str(blocker))  # the store cannot be created under a file
    result = run("load", str(BASE))
    assert result.exit_code == 3, result.output


def test_load_with_encoding_and_wave(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "latin.csv", encoding="cp1252")
    refused = run("load", str(path))
    assert refused.exit_code == 1 and "--encoding" in refused.stderr
    result = run("load", str(path), "--encoding", "cp1252", "--wave", "2023")
    assert result.exit_code == 0, result.output
    assert "into wave 2023" in result.stdout
    names = run(
        "query",
        "SELECT ?n WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?n }",
        "-f",
        "csv",
        "--include-restricted",
    )
    assert "Søren Ærø" in names.stdout
