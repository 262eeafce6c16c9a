"""Honest health and GET requests that only read: /health is 503 with the reason until the store holds
the expected graphs and the index matches the store's state; dumps are written by the writer's
background refresh when the store changes, never by GET /dumps."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.settings import make_settings
from tests.support.stores import BASE, small_store
from tests.support.uvicorn_server import running_server, wait_ok


def files_under(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")} if folder.exists() else {}


def test_a_fresh_empty_data_dir_is_503_with_the_reason(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, store="oxigraph"))
    with running_server(app) as base:
        r = httpx.get(f"{base}/health", timeout=30)
        assert r.status_code == 503
        body = r.json()
        assert body["status"] == "unavailable" and body["checks"]["store"]["graphs"] == 0
        assert any("missiongraph build" in reason for reason in body["reasons"])
        dumps = httpx.get(f"{base}/dumps", timeout=30)
        assert dumps.status_code == 404 and "missiongraph build" in dumps.json()["detail"]
    assert not (tmp_path / "dumps").exists()


def test_get_requests_never_write_dumps_nor_the_index(tmp_path: Path) -> None:
    # no lifespan, so no writer refresh: what GET does on its own shows
    app = create_app(make_settings(tmp_path, store="oxigraph"), store=small_store(tmp_path / "store"))
    before = files_under(tmp_path)
    client = TestClient(app)
    health = client.get("/health")
    assert health.status_code == 503 and "index" in health.json()["checks"]
    r = client.get("/dumps")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/dumps/missiongraph.ttl").status_code == 503
    assert files_under(tmp_path) == before


def test_the_writer_derives_index_and_dumps_of_each_new_state(tmp_path: Path) -> None:
    store = small_store(tmp_path / "store")
    app = create_app(make_settings(tmp_path, store="oxigraph"), store=store)
    with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        wait_ok(f"{base}/health", timeout=120)
        first = wait_ok(f"{base}/dumps", timeout=120).json()
        written = files_under(tmp_path / "dumps")
        for _ in range(3):  # reading again writes nothing
            assert http.get("/dumps").status_code == 200
            assert http.get("/dumps/missiongraph.nq").status_code == 200
        assert files_under(tmp_path / "dumps") == written
        store.update(
            f"""INSERT DATA {{ GRAPH <{BASE}graph/catalogue> {{
                <{BASE}id/mission/xx-fjord-care> a <https://w3id.org/missiongraph/def#Mission> ;
                  <http://purl.org/dc/terms/identifier> "xx-fjord-care" ;
                  <http://purl.org/dc/terms/title> "Fjord care"@en . }} }}"""
        )
        state = store.state()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            h = http.get("/health").json()
            if h["checks"]["store"]["state"] == state and h["checks"].get("dumps", {}).get("status") == "ok":
                break
            time.sleep(0.2)
        assert h["status"] == "ok" and h["checks"]["index"]["status"] == "ok", h
        second = http.get("/dumps").json()
        turtle = {f["name"]: f["bytes"] for f in second["files"]}["missiongraph.ttl"]
        assert turtle > {f["name"]: f["bytes"] for f in first["files"]}["missiongraph.ttl"]
        assert b"Fjord care" in http.get("/dumps/missiongraph.ttl").content


def test_communities_say_computing_until_the_writer_has_them(tmp_path: Path) -> None:
    from api.refresh import Refresher

    app = create_app(make_settings(tmp_path), store=small_store())
    ctx = app.state.ctx
    refresher = Refresher(ctx)  # not started: this test drives it by hand
    ctx.refresher = refresher
    client = TestClient(app)
    r = client.get("/api/analytics/communities")
    assert r.status_code == 202 and r.headers["retry-after"] == "5"
    assert r.json()["status"] == "computing"
    refresher.refresh_once()
    assert ctx.cached_network_view.knn.graph["communities"]  # computed by the refresh, not a request
    r = client.get("/api/analytics/communities")
    assert r.status_code == 200 and r.json()["communities"]
    assert client.get("/api/analytics/communities", params={"seed": 3}).status_code == 200


def test_health_body_and_status_agree_as_the_index_opens(tmp_path: Path) -> None:
    """The index is looked at once per request: the status code and the body tell the same story."""
    app = create_app(make_settings(tmp_path, store="oxigraph"), store=small_store(tmp_path / "store"))
    client = TestClient(app)  # no lifespan: nothing opens the index but this test
    before = client.get("/health")
    provider = app.state.ctx.index_provider
    assert provider is not None and provider.indexed_state is None
    provider.get()  # builds the index of the store's state, as the writer's refresh would
    after = client.get("/health")
    for r in (before, after):
        body = r.json()
        ok = r.status_code == 200
        assert ok == (body["status"] == "ok") == ("reasons" not in body)
        assert ok == (body["checks"]["index"]["status"] == "ok"), body
    assert before.status_code == 503 and after.status_code == 200
