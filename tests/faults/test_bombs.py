"""Issue 12, finding 2: a 5 KB workbook with one cell at XFD1048576 (9 GB before) and an 800 MB
shared-strings zip bomb are refused from the zip directory and a streamed scan, before any cell is
materialised; CSV rows, columns and fields are capped while reading. The store stays as it was."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import IngestError
from graph.ingest import reader
from graph.ingest.reader import read_table
from tests.faults.xlsx_bombs import far_cell_workbook, shared_strings_bomb
from tests.support.settings import LAB, make_settings
from tests.support.stores import small_store


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "far-cell": far_cell_workbook(folder / "far-cell.xlsx"),
        "shared-strings": shared_strings_bomb(folder / "shared-strings.xlsx"),
    }


def test_the_bombs_are_what_the_report_says(bombs: dict[str, Path]) -> None:
    assert bombs["far-cell"].stat().st_size < 8_000
    assert bombs["shared-strings"].stat().st_size < 1_000_000
    with zipfile.ZipFile(bombs["shared-strings"]) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 800_000_000
        with z.open("xl/sharedStrings.xml") as part:  # a real deflate stream, not a broken one
            assert part.read(2_000_000).count(b"A") > 1_900_000


@pytest.mark.parametrize(
    ("kind", "message"),
    [("far-cell", "has a cell at XFD1048576"), ("shared-strings", "the workbook unpacks to 838,")],
)
def test_refused_with_a_clear_problem(bombs: dict[str, Path], kind: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        read_table(bombs[kind])
    assert message in str(caught.value)
    assert caught.value.problems[0].expected


@pytest.mark.parametrize("kind", ["far-cell", "shared-strings"])
def test_memory_stays_small(bombs: dict[str, Path], kind: str) -> None:
    """In a fresh process: the peak RSS of refusing the file stays near that of importing the reader."""
    code = (
        "import json, resource, sys\n"
        "from graph.errors import IngestError\n"
        "from graph.ingest.reader import read_table\n"
        "import openpyxl\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    read_table(__import__('pathlib').Path(sys.argv[1]))\n"
        "except IngestError:\n"
        "    pass\n"
        "print(json.dumps([base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(bombs[kind])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    base, peak = json.loads(out.stdout)
    assert peak - base < 50_000, (base, peak)  # KiB: less than 50 MB over the imports


@pytest.mark.parametrize("kind", ["far-cell", "shared-strings"])
def test_upload_fails_and_the_store_is_unchanged(tmp_path: Path, bombs: dict[str, Path], kind: str) -> None:
    store = small_store()
    before = store.count()
    app = create_app(make_settings(tmp_path), store=store)
    with TestClient(app) as client:
        r = client.post("/api/loads", files={"file": (f"{kind}.xlsx", bombs[kind].read_bytes())}, headers=LAB)
        assert r.status_code == 202
        deadline = time.monotonic() + 120
        while (job := client.get(f"/api/loads/{r.json()['id']}", headers=LAB).json())["status"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert job["status"] == "failed"
    assert job["problems"] and job["problems"][0]["expected"]
    assert store.count() == before


def test_csv_row_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 100)
    path = tmp_path / "many.csv"
    path.write_text("respondent_id,name\n" + "".join(f"r{i},x\n" for i in range(150)))
    with pytest.raises(IngestError) as caught:
        read_table(path)
    assert "more than 100 data rows" in str(caught.value)
    assert caught.value.problems[0].row == 102


def test_csv_column_cap(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(reader.MAX_COLUMNS + 5)) + "\n1\n")
    with pytest.raises(IngestError) as caught:
        read_table(path)
    assert f"at most {reader.MAX_COLUMNS} columns" in str(caught.value)


def test_csv_giant_field_is_reported_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "giant.csv"
    path.write_text('respondent_id,name\nr1,x\nr2,"' + "y" * 2_000_000 + '"\n')
    with pytest.raises(IngestError) as caught:
        read_table(path)
    assert caught.value.problems[0].row == 3
