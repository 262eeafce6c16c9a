"""Replicas over one store: two service instances over one Virtuoso, each with its own search index.

A survey wave loaded through one instance becomes searchable, with peers, through the other: the other
instance's writer sees the store's state change and brings its own index and network view up to it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graph.store.remote import RemoteStore
from tests.support.servers import Endpoint
from tests.support.settings import LAB_TOKEN, make_settings
from tests.support.stores import fill
from tests.support.uvicorn_server import running_server, wait_ok

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "data" / "survey" / "survey-2021-synthetic.csv"
LAB = {"Authorization": f"Bearer {LAB_TOKEN}"}


@pytest.fixture
def two_instances(virtuoso_endpoint: Endpoint, tmp_path: Path) -> Iterator[tuple[str, str]]:
    stores = [RemoteStore(**virtuoso_endpoint.store_kwargs(timeout=120)) for _ in range(2)]
    first = stores[0]
    graphs = [g for g, _ in first._graphs()] + ["urn:missiongraph:meta"]
    first._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    fill(first)
    try:
        with ExitStack() as stack:
            bases = []
            for i, store in enumerate(stores):
                settings = make_settings(tmp_path / f"instance-{i}", store="remote", sparql_timeout=30.0)
                bases.append(stack.enter_context(running_server(create_app(settings, store=store))))
            for base in bases:
                wait_ok(f"{base}/health", timeout=300)
            yield bases[0], bases[1]
    finally:
        first._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g, _ in first._graphs()))
        for store in stores:
            store.close()


@pytest.mark.virtuoso
def test_a_wave_loaded_through_one_instance_is_searchable_with_peers_through_the_other(
    two_instances: tuple[str, str],
) -> None:
    one, other = two_instances
    with httpx.Client(base_url=other, timeout=120) as b:
        assert b.get("/api/search", params={"q": "", "wave": "2060"}).json()["total"] == 0
    with httpx.Client(base_url=one, timeout=120, headers=LAB) as a, SURVEY.open("rb") as f:
        job = a.post("/api/loads", files={"file": (SURVEY.name, f, "text/csv")}, data={"wave": "2060"})
        assert job.status_code == 202, job.text
        for _ in range(2400):
            status = a.get(job.headers["location"]).json()
            if status["status"] not in ("queued", "running"):
                break
            time.sleep(0.25)
        assert status["status"] == "succeeded", status
        state = a.get("/health").json()["checks"]["store"]["state"]
    with httpx.Client(base_url=other, timeout=120) as b:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            health = b.get("/health").json()
            checks = health["checks"]
            if (  # the network view follows the index (reported in /health, not part of readiness)
                checks["store"]["state"] == state
                and health["status"] == "ok"
                and checks.get("network", {}).get("status") == "ok"
            ):
                break
            time.sleep(0.5)
        assert health["status"] == "ok" and health["checks"]["index"]["status"] == "ok", health
        assert health["checks"]["network"]["status"] == "ok", health
        found = b.get("/api/search", params={"q": "", "wave": "2060", "type": "mission", "limit": 5}).json()
        assert found["total"] > 0
        mission = next(hit["id"] for hit in found["results"] if hit["type"] == "mission")
        peers = b.get(f"/api/missions/{mission}/peers", params={"limit": 3})
        assert peers.status_code == 200, peers.text
        assert len(peers.json()["peers"]) == 3
