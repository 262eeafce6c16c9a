"""The service never serves a stale index: a write to the store shows in the next search."""

from __future__ import annotations

import httpx

from api.app import create_app
from api.settings import Settings
from graph.store import OxigraphStore
from tests.search.conftest import IRIS, fill_store
from tests.support.uvicorn_server import running_server


def test_a_write_to_the_store_is_searchable_at_once() -> None:
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
        after = http.get("/api/search", params={"q": "glacier", "country": "ISL"}).json()
        assert [r["id"] for r in after["results"]] == ["xx-glacier-watch"]
        assert http.get("/health").json()["checks"]["index"]["status"] == "ok"
