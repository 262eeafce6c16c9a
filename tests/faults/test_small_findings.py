"""Issue 12, finding 9 (smaller ones): a deeply nested cursor, server paths in job reports."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.jobs import Job, JobRunner
from graph.errors import StoreError
from tests.support.settings import make_settings
from tests.support.stores import small_store


def test_deeply_nested_cursor_is_400_not_500(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), store=small_store())
    nested = base64.urlsafe_b64encode(b"[" * 3_000).decode().rstrip("=")
    short_nested = base64.urlsafe_b64encode(b"[" * 700).decode().rstrip("=")
    with TestClient(app) as client:
        for cursor in (nested, short_nested):
            response = client.get("/api/search", params={"q": "health", "cursor": cursor})
            assert response.status_code == 400, response.text
            assert response.headers["content-type"].startswith("application/problem+json")


def test_job_reports_show_no_server_paths(tmp_path: Path) -> None:
    runner = JobRunner(tmp_path / "jobs")
    secret = f"{tempfile.gettempdir()}/missiongraph-load-1-x/load.nq and {tmp_path}/store"

    def work(progress):  # type: ignore[no-untyped-def]
        raise StoreError(f"cannot read {secret}")

    job = runner.submit(Job(id=runner.new_id(), kind="survey-load", file="a.csv", wave="2021"), work)
    runner.close()
    detail = runner.get(job.id).detail or ""
    assert str(tmp_path) not in detail and tempfile.gettempdir() + "/" not in detail
    assert "<tmp>/missiongraph-load-1-x/load.nq" in detail and "<data>/store" in detail


def test_upload_takes_the_encoding_its_errors_advise(tmp_path: Path) -> None:
    import time

    from tests.support.settings import LAB

    text = Path("tests/fixtures/exports/base.csv").read_text(encoding="utf-8")
    data = text.encode("cp1252")  # "Søren Ærø" in cp1252 is not UTF-8
    app = create_app(make_settings(tmp_path), store=small_store())
    with TestClient(app) as client:

        def load(**form: str) -> dict:  # type: ignore[type-arg]
            r = client.post(
                "/api/loads", files={"file": ("e.csv", data)}, data={"wave": "2022", **form}, headers=LAB
            )
            assert r.status_code == 202, r.text
            while (job := client.get(f"/api/loads/{r.json()['id']}", headers=LAB).json())["status"] in (
                "queued",
                "running",
            ):
                time.sleep(0.05)
            return job  # type: ignore[no-any-return]

        failed = load()
        assert failed["status"] == "failed" and "encoding field" in failed["problems"][0]["expected"]
        assert load(encoding="cp1252")["status"] == "succeeded"
        bad = client.post(
            "/api/loads", files={"file": ("e.csv", data)}, data={"encoding": "../x"}, headers=LAB
        )
        assert bad.status_code == 400
