"""`missiongraph build`, `stats` and `export` as a user runs them: real store on disk, exit codes, labels."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MISSIONGRAPH_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli")
    done = run(data_dir, "build")
    assert done.returncode == 0, done.stderr
    assert "227 synthetic respondents" in done.stdout and "SYNTHETIC" in done.stdout
    assert (data_dir / "store").is_dir()
    return data_dir


def test_build_if_absent_skips_and_a_second_build_needs_rebuild(built: Path) -> None:
    skipped = run(built, "build", "--if-absent")
    assert skipped.returncode == 0 and "not building" in skipped.stdout
    refused = run(built, "build")
    assert refused.returncode == 2
    assert "--rebuild" in refused.stderr and "Traceback" not in refused.stderr


def test_stats_table_json_and_csv(built: Path) -> None:
    table = run(built, "stats")
    assert table.returncode == 0, table.stderr
    assert "synthetic respondents" in table.stdout and "64.0%" in table.stdout and "SYNTHETIC" in table.stdout
    payload = json.loads(run(built, "stats", "--format", "json").stdout)
    assert payload["synthetic"] is True and len(payload["figures"]) == 17
    for figure in payload["figures"]:
        tolerance = 0 if figure["unit"] == "count" else 1.0
        assert abs(figure["recomputed"] - figure["published"]) <= tolerance, figure
    rows = list(csv.DictReader(io.StringIO(run(built, "stats", "-f", "csv").stdout)))
    assert {r["code"]: float(r["published"]) for r in rows}["me-plan"] == 11.0
    bad = run(built, "stats", "--format", "yaml")
    assert bad.returncode == 2 and "unknown format" in bad.stderr


def test_export_writes_public_dumps(built: Path, tmp_path: Path) -> None:
    done = run(built, "export", "--out", str(tmp_path / "dumps"))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "dumps").iterdir())
    assert names == [
        "catalog.ttl",
        "missiongraph-synthetic.jsonld",
        "missiongraph-synthetic.ttl",
        "missiongraph.jsonld",
        "missiongraph.nq",
        "missiongraph.ttl",
        "missions-synthetic.csv",
        "missions.csv",
    ]
    real = (tmp_path / "dumps" / "missions.csv").read_text(encoding="utf-8")
    assert real.count("\n") == 226 and ",true\n" not in real  # the 225 real missions only
    assert "SYNTHETIC" in done.stdout
    assert "@example.org" not in (tmp_path / "dumps" / "missiongraph.nq").read_text(encoding="utf-8")
    bad = run(built, "export", "--out", str(tmp_path / "x"), "--format", "xml")
    assert bad.returncode == 2 and "unknown dump format" in bad.stderr


def test_stats_on_an_empty_store_says_build_first(tmp_path: Path) -> None:
    done = run(tmp_path, "stats")
    assert done.returncode == 3 and "missiongraph build" in done.stderr and "Traceback" not in done.stderr
