"""Issue 12, finding 3 / item 3: a load never blocks reads.

A real server (uvicorn on 127.0.0.1) loads an upload while clients ask search, peers and /health. The
index update of the load is held open at the point where the store has the new data and the next index
version is being built (the embedding step of a big upload): every request must be answered meanwhile,
from the earlier state, and once the update is let go the answers come from the new state. The test
asserts behaviour (who answers what, and that nothing hangs), not timing: with the former provider lock
the search below waited for the update and the client's timeout ended the test.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from search.index import Index
from tests.api.conftest import LAB, make_settings
from tests.support.stores import small_store
from tests.support.uvicorn_server import running_server

BASE = Path("tests/fixtures/exports/base.csv")
WAVE = "2033"


def _until(predicate: Any, what: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not reached: {what}")


def test_search_peers_and_health_answer_from_the_old_state_while_a_load_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    original = Index.updated

    def held(self: Index, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(timeout=300)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Index, "updated", held)
    store = small_store(tmp_path / "store")
    app = create_app(make_settings(tmp_path, store="oxigraph"), store=store)
    # a client timeout well below the test's: a request that waits for the update fails the test
    with running_server(app) as base, httpx.Client(base_url=base, timeout=20) as http:
        _until(lambda: http.get("/health").status_code == 200, "the index is built")
        old_state = http.get("/health").json()["checks"]["store"]["state"]

        def wave_total() -> int:
            r = http.get("/api/search", params={"q": "", "wave": WAVE})
            assert r.status_code == 200, r.text
            return int(r.json()["total"])

        assert wave_total() == 0
        peers_before = http.get("/api/missions/eu-mission-soil/peers", params={"limit": 5})
        assert peers_before.status_code == 200
        with BASE.open("rb") as f:
            r = http.post(
                "/api/loads", files={"file": ("base.csv", f, "text/csv")}, data={"wave": WAVE}, headers=LAB
            )
        assert r.status_code == 202, r.text
        job = r.json()["id"]
        assert entered.wait(timeout=300), "the load reached its index update"
        try:
            # the store has the new wave; the index and the network view of it are being built aside
            assert store.state() != old_state
            for _ in range(5):
                assert wave_total() == 0  # answered, from the earlier index version
                peers = http.get("/api/missions/eu-mission-soil/peers", params={"limit": 5})
                assert peers.status_code == 200
                assert peers.json()["peers"] == peers_before.json()["peers"]
                health = http.get("/health")
                assert health.status_code == 503  # honest: the served index is of the earlier state
                assert "older store state" in health.json()["checks"]["index"]["detail"]
            status = http.get(f"/api/loads/{job}", headers=LAB).json()
            assert status["status"] == "running" and status["phase"] == "index"
        finally:
            release.set()
        _until(
            lambda: http.get(f"/api/loads/{job}", headers=LAB).json()["status"] != "running", "the job ends"
        )
        assert http.get(f"/api/loads/{job}", headers=LAB).json()["status"] == "succeeded"
        assert wave_total() > 0  # now from the new version
        _until(lambda: http.get("/health").status_code == 200, "health once the new state is served")
        assert http.get("/health").json()["checks"]["store"]["state"] == store.state()


def test_the_snapshot_published_after_a_streaming_load_carries_the_new_state(tmp_path: Path) -> None:
    """Workers follow the writer by the snapshot's state: it must be the state of what it holds."""
    import pyoxigraph as ox

    from graph.store import OxigraphStore
    from graph.store.snapshots import current_snapshot

    store = OxigraphStore(tmp_path / "store", snapshots=tmp_path / "snapshots")
    store.update('INSERT DATA { GRAPH <urn:g0> { <urn:a> <urn:b> "c" } }')  # a checkpoint with content
    before = store.state()
    data = tmp_path / "data.nq"
    data.write_text('<urn:s> <urn:p> "o" <urn:g> .\n', encoding="utf-8")
    store.stream_load(data, ox.RdfFormat.N_QUADS)
    published = current_snapshot(tmp_path / "snapshots")
    assert published is not None and store.state() != before
    assert published.state == store.state()
    store.close()
