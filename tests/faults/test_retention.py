"""Issue 12, finding 7: uploads deleted once their job ends (or kept N days, 0600), temp folders swept."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.tempfiles import private_tempdir, sweep_stale
from tests.support.settings import LAB, make_settings
from tests.support.stores import small_store

BASE = Path("tests/fixtures/exports/base.csv")


def _wait(client: TestClient, job: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/loads/{job}", headers=LAB).json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError("the load job did not finish")


def _upload(client: TestClient, name: str, data: bytes) -> dict:
    r = client.post(
        "/api/loads", files={"file": (name, data, "text/csv")}, data={"wave": "2022"}, headers=LAB
    )
    assert r.status_code == 202, r.text
    return _wait(client, r.json()["id"])


@pytest.mark.parametrize("data", [BASE.read_bytes(), b"respondent_id\nr1\n"], ids=["succeeded", "failed"])
def test_upload_is_deleted_when_its_job_ends(tmp_path: Path, data: bytes) -> None:
    app = create_app(make_settings(tmp_path), store=small_store())
    with TestClient(app) as client:
        done = _upload(client, "export.csv", data)
    jobs = tmp_path / "jobs"
    assert not (jobs / done["id"]).exists()
    assert (jobs / f"{done['id']}.json").is_file()  # the status stays, the personal data goes
    assert not list(jobs.rglob("*.csv"))


def test_upload_kept_for_n_days_is_private(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, upload_retention_days=2), store=small_store())
    with TestClient(app) as client:
        done = _upload(client, "export.csv", BASE.read_bytes())
    folder = tmp_path / "jobs" / done["id"]
    kept = folder / "export.csv"
    assert kept.is_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # three days later, the next start sweeps it
    old = time.time() - 3 * 86400
    os.utime(kept, (old, old))
    app = create_app(make_settings(tmp_path, upload_retention_days=2), store=small_store())
    with TestClient(app) as client:
        client.get(f"/api/loads/{done['id']}", headers=LAB)
    assert not kept.exists()


def test_a_very_long_file_name_is_no_500(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), store=small_store())
    with TestClient(app) as client:
        done = _upload(client, "x" * 300 + ".csv", BASE.read_bytes())
    assert done["status"] == "succeeded"
    assert len(done["file"]) <= 100 and done["file"].endswith(".csv")


def test_stale_temp_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    """The report: a killed load left missiongraph-load-*/load.nq (restricted quads) in the temp folder."""
    dead = tmp_path / "missiongraph-load-999999999-abc"
    legacy = tmp_path / "missiongraph-build-xyz"
    live = tmp_path / f"missiongraph-load-{os.getpid()}-def"
    recent_legacy = tmp_path / "missiongraph-load-q1w2e3"  # an older version's load, maybe still running
    for folder in (dead, legacy, live, recent_legacy):
        folder.mkdir()
        (folder / "load.nq").write_text("<a:b> <c:d> <e:f> <g:h> .\n")
    old = time.time() - 2 * 86400
    os.utime(legacy, (old, old))
    removed = sweep_stale(tmp_path)
    assert sorted(removed) == sorted([dead, legacy])
    assert live.exists() and recent_legacy.exists()


def test_private_tempdir_is_0700_and_named_for_its_process() -> None:
    with private_tempdir("missiongraph-load-") as tmp:
        assert Path(tmp).name.startswith(f"missiongraph-load-{os.getpid()}-")
        assert stat.S_IMODE(Path(tmp).stat().st_mode) == 0o700
