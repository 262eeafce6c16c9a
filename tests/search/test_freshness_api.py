"""A write to the store shows in search once the background refresh has switched to the new index
version; until then searches answer from the earlier version (issue 12 item 3), and /health says so."""

from __future__ import annotations

import time

import httpx

from api.app import create_app
from api.settings import Settings
from graph.store import OxigraphStore
from tests.search.conftest import IRIS, fill_store
from tests.support.uvicorn_server import running_server


def _index_ready(http: httpx.Client) -> bool:
    deadline = time.monotonic() + 120  # a bound, not a timed assert: the switch takes ~1 s here
    while time.monotonic() < deadline:
        if http.get("/health").json()["checks"]["index"]["status"] == "ok":
            return True
        time.sleep(0.1)
    return False


def test_a_write_to_the_store_is_searchable_once_the_index_switched() -> None:
    store = fill_store(OxigraphStore(None), survey=False)
    # lexical only: this test is about freshness, and it stays fast without the embedding model
    app = create_app(Settings(store="memory", semantic=False, rate_limit_per_minute=0), store=store)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        before = http.get("/api/search", params={"q": "glacier"}).json()
        assert all(r["id"] != "xx-glacier-watch" for r in before["results"])
        mission = IRIS.mission("xx-glacier-watch")
        store.update(
            f"""INSERT DATA {{ GRAPH <{IRIS.catalogue_graph}> {{
                <{mission}> a <https://w3id.org/missiongraph/def#Mission> ;
                  <http://purl.org/dc/terms/identifier> "xx-glacier-watch" ;
                  <http://purl.org/dc/terms/title> "Glacier watch"@en ;
                  <http://purl.org/dc/terms/spatial>
                    <http://publications.europa.eu/resource/authority/country/ISL> . }} }}"""
        )
        assert _index_ready(http)
        after = http.get("/api/search", params={"q": "glacier", "country": "ISL"}).json()
        assert [r["id"] for r in after["results"]] == ["xx-glacier-watch"]
        assert http.get("/health").json()["checks"]["index"]["status"] == "ok"


def test_a_missing_index_is_built_by_the_writer_never_in_a_request(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from api.refresh import Refresher
    from api.routers.search import served_index
    from graph.errors import StaleIndexError

    settings = Settings(data_dir=tmp_path, semantic=False, rate_limit_per_minute=0)
    store = fill_store(OxigraphStore(settings.store_path), survey=False)
    app = create_app(settings, store=store)
    ctx = app.state.ctx
    refresher = Refresher(ctx)  # the writer's background refresh, stepped by hand here
    ctx.refresher = refresher
    with pytest.raises(StaleIndexError, match="not open yet"):
        served_index(ctx)  # what GET /api/search does first: 503, nothing built
    assert not (settings.index_path / settings.search_engine / "CURRENT").exists()
    refresher.refresh_once()  # the writer builds it
    assert (settings.index_path / settings.search_engine / "CURRENT").exists()
    assert any(r["id"] == "eu-mission-soil" for r in served_index(ctx).search("soil")["results"])
    refresher.close()
    assert ctx.index_provider is not None
    ctx.index_provider.close()
    store.close()
