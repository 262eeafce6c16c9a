"""A load job cut off by a stop of the service: after a restart it is reported as failed, the store holds
exactly what it held before, and the job's report tells the phase it was in.

A real `missiongraph serve` process (uvicorn on 127.0.0.1) is killed with SIGKILL while it validates a big
upload, then started again on the same data directory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.store import OxigraphStore
from tests.graph.ingest.exports import base_table, data_graph_dump
from tests.support.settings import LAB_TOKEN
from tests.support.stores import small_store
from tests.support.uvicorn_server import free_port, wait_ok

REPO = Path(__file__).resolve().parents[2]
LAB = {"Authorization": f"Bearer {LAB_TOKEN}"}


def _big_export(path: Path, rows: int) -> Path:
    """``rows`` respondents (the base export's rows again and again, with new ids): seconds to validate."""
    header, base = base_table()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for i in range(rows):
        row = dict(base[i % len(base)])
        row["respondent_id"] = f"big-{i:06d}"
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@contextmanager
def serving(data_dir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "MISSIONGRAPH_DATA_DIR": str(data_dir),
        "MISSIONGRAPH_STORE": "oxigraph",
        "MISSIONGRAPH_SEMANTIC": "false",
        "MISSIONGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "MISSIONGRAPH_SPARQL_WORKERS": "1",
        "MISSIONGRAPH_WORKERS": "1",
        "MISSIONGRAPH_LAB_TOKEN_HASHES": f'["{hashlib.sha256(LAB_TOKEN.encode()).hexdigest()}"]',
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from api.cli import app; app()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",  # one process: the one that runs the load job is the one killed
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ok(f"http://127.0.0.1:{port}/health", timeout=180)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/loads/{job_id}").json()
    return body


@pytest.mark.slow
def test_a_job_cut_off_by_a_stop_is_failed_after_restart_and_the_store_is_intact(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    store = small_store(data_dir / "store")
    before = data_graph_dump(store)
    store.close()
    export = _big_export(tmp_path / "big-export.csv", 40_000)
    port = free_port()

    url = f"http://127.0.0.1:{port}"
    with serving(data_dir, port) as server, httpx.Client(base_url=url, headers=LAB, timeout=60) as lab:
        upload = {"file": (export.name, export.read_bytes(), "text/csv")}
        r = lab.post("/api/loads", files=upload, data={"wave": "2040"})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        deadline = time.monotonic() + 120
        while True:  # wait until the job is busy reading or validating, then pull the plug
            body = _job(lab, job_id)
            if body["status"] == "running" and body["phase"] in ("read", "validate"):
                break
            assert body["status"] in ("queued", "running"), body
            assert body["phase"] not in ("write", "index"), "the load got to its write before the kill"
            assert time.monotonic() < deadline, body
            time.sleep(0.05)
        killed_in = body["phase"]
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)

    # the store files hold what they held before the upload
    reopened = OxigraphStore(data_dir / "store")
    assert data_graph_dump(reopened) == before
    reopened.close()

    with (
        serving(data_dir, port),
        httpx.Client(base_url=url, headers=LAB, timeout=60) as lab,
    ):
        body = _job(lab, job_id)
        assert body["status"] == "failed", body
        assert body["phase"] == killed_in
        assert "stopped" in body["detail"] and "nothing of it was written" in body["detail"]
        assert body["finished"] is not None and body["finished"].endswith("Z")
        assert [p["name"] for p in body["phases"]] == ["read", "validate", "write", "index"]
        assert {p["name"]: p["status"] for p in body["phases"]}[killed_in] == "failed"
        assert body["file"] == "big-export.csv"
        ask = "ASK { GRAPH <http://127.0.0.1:8000/graph/survey/2040> { ?s ?p ?o } }"
        assert lab.get("/sparql", params={"query": ask}).json()["boolean"] is False
