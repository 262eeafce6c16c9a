"""GET /api/search through a real HTTP server on 127.0.0.1, for both engines."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph.store import Store
from search.index import Index
from tests.support.uvicorn_server import running_server


@pytest.fixture(scope="module")
def client(built_index: Index, search_store: Store) -> Iterator[httpx.Client]:
    """The service over the shared store, serving the session's index (one per engine)."""
    settings = Settings(store="memory", search_engine=built_index.engine.name, rate_limit_per_minute=0)
    app = create_app(settings, store=search_store, index=built_index)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def test_health_reports_the_index(client: httpx.Client) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["checks"]["index"]["status"] == "ok"


def test_search_contract(client: httpx.Client) -> None:
    r = client.get("/api/search", params={"q": "plastic packaging waste", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"total", "results", "facets", "suggestions", "expansion", "next_cursor"}
    assert body["total"] > 5 and len(body["results"]) == 5
    hit = body["results"][0]
    assert set(hit) >= {"id", "type", "title", "score", "snippet", "url"}
    assert "<mark>" in hit["snippet"]
    ids = [h["id"] for h in body["results"]]
    assert "de-hts-plastics" in ids  # the catalogue id
    assert body["expansion"]["plastic"]["label"] == "Circular economy"
    assert set(body["facets"]) >= {"type", "country", "field", "risk", "support", "wave", "me_plan"}


def test_multi_select_facets_over_http(client: httpx.Client) -> None:
    one = client.get("/api/search", params={"risk": "silos"}).json()
    two = client.get("/api/search", params=[("risk", "silos"), ("risk", "momentum")]).json()
    both = client.get(
        "/api/search", params=[("risk", "silos"), ("risk", "momentum"), ("type", "response")]
    ).json()
    assert one["total"] < two["total"]
    assert both["total"] == 8 and all(h["type"] == "response" for h in both["results"])
    counts = {f["value"]: f["count"] for f in both["facets"]["risk"]}
    assert counts == {"momentum": 6, "silos": "<5"}


def test_suggestions_and_cursor_over_http(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "helthy soills", "limit": 3}).json()
    assert body["suggestions"] == ["healthy soils"]
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        params = {"q": "soil farming", "limit": 4, "type": "mission"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/search", params=params).json()
        seen += [h["id"] for h in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == page["total"]


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "many"}, {"colour": "red"}, {"cursor": "garbage"}, [("q", "a"), ("q", "b")]],
)
def test_bad_parameters_are_problems(client: httpx.Client, params: object) -> None:
    r = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 400 and r.json()["detail"]
