"""The CLI beside a running `missiongraph serve` (a real server process on the same data directory).

Read commands work while the service holds the store's write lock; `load` and `build` say the store is
in use and how to load through the service (never a lock traceback); a load made through the service
shows in the CLI's next read; a missing or empty data directory is exit 3, never a new empty store.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.uvicorn_server import free_port, wait_ok

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ops-test-token-5b1e"
SURVEY = ROOT / "data" / "survey" / "survey-2021-synthetic.csv"


def env_for(data_dir: Path) -> dict[str, str]:
    return {
        "MISSIONGRAPH_DATA_DIR": str(data_dir),
        "MISSIONGRAPH_SEMANTIC": "false",
        "MISSIONGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "MISSIONGRAPH_LAB_TOKEN_HASHES": json.dumps([hashlib.sha256(TOKEN.encode()).hexdigest()]),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COLUMNS": "200",
    }


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        capture_output=True, text=True, cwd=ROOT, env=env_for(data_dir), timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A built data directory and the base URL of `missiongraph serve` running over it."""
    data_dir = tmp_path_factory.mktemp("beside")
    done = cli(data_dir, "build")
    assert done.returncode == 0, done.stderr
    port = free_port()
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT, env=env_for(data_dir), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ok(f"{base}/health", timeout=180)
        yield data_dir, base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_read_commands_work_while_the_service_holds_the_store(served: tuple[Path, str]) -> None:
    data_dir, _ = served
    count = cli(data_dir, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert count.returncode == 0, count.stderr
    assert int(json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"]) > 10_000
    stats = cli(data_dir, "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert len(json.loads(stats.stdout)["figures"]) == 17
    found = cli(data_dir, "search", "youth loneliness", "--json", "--limit", "3")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] > 0
    peers = cli(data_dir, "peers", "eu-mission-cancer", "--json", "--limit", "2")
    assert peers.returncode == 0, peers.stderr
    assert len(json.loads(peers.stdout)["peers"]) == 2
    for done in (count, stats, found, peers):
        assert "LOCK" not in done.stderr and "Traceback" not in done.stderr


def test_load_and_build_beside_the_service_say_so_and_exit_3(served: tuple[Path, str]) -> None:
    data_dir, _ = served
    load = ("load", str(SURVEY), "--wave", "2030", "--wait", "1")
    for args in (load, ("build", "--rebuild", "--wait", "0")):
        done = cli(data_dir, *args)
        assert done.returncode == 3, done.stderr
        assert "in use by another process" in done.stderr and "/api/loads" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_load_through_the_service_shows_in_the_next_cli_read(served: tuple[Path, str]) -> None:
    data_dir, base = served
    ask = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?g), '/graph/survey/2031')) }"
    assert cli(data_dir, "query", ask).stdout.strip() == "false"
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        with SURVEY.open("rb") as f:
            job = http.post("/api/loads", files={"file": (SURVEY.name, f, "text/csv")}, data={"wave": "2031"})
        assert job.status_code == 202, job.text
        url = job.headers["location"]
        for _ in range(600):
            state = http.get(url).json()
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.2)
        assert state["status"] == "succeeded", state
    seen = cli(data_dir, "query", ask)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip() == "true"


def test_a_missing_or_empty_data_dir_is_exit_3_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    for args in (("stats",), ("query", "ASK {}"), ("search", "water"), ("peers", "eu-mission-cancer")):
        done = cli(missing, *args)
        assert done.returncode == 3, (args, done.stderr)
        assert "missiongraph build" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists()
    empty = tmp_path / "empty"
    (empty / "store").mkdir(parents=True)
    done = cli(empty, "stats")
    assert done.returncode == 3 and "missiongraph build" in done.stderr
