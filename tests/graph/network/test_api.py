"""The peers, helpers, benchmark, groups and analytics routes over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from api.app import create_app
from api.settings import Settings
from graph.store import Store
from tests.support import IRIS
from tests.support.stores import survey_store
from tests.support.uvicorn_server import running_server as serve


@pytest.fixture(scope="module")
def store() -> Store:
    return survey_store(IRIS)


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[httpx.Client]:
    settings = Settings(store="memory", semantic=False, rate_limit_per_minute=0, small_count_k=5)
    app = create_app(settings, store=store)
    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        c.app = app  # type: ignore[attr-defined]
        yield c


def test_peers(client: httpx.Client) -> None:
    r = client.get("/api/missions/eu-mission-cities/peers", params={"limit": 4})
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "eu-mission-cities"
    assert len(body["peers"]) == 4
    first = body["peers"][0]
    assert {"id", "iri", "title", "score", "explanation", "sparql"} <= set(first)
    assert first["explanation"][0]["shared"]
    assert "at-climate-neutral-city" in [p["id"] for p in body["peers"]]


def test_problems(client: httpx.Client) -> None:
    r = client.get("/api/missions/no-such-mission/peers")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404
    assert client.get("/api/missions/eu-mission-cities/peers", params={"limit": 0}).status_code == 400
    r = client.get("/api/missions/eu-mission-cities/helpers", params={"need": "nonsense"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post("/api/groups", json={"participants": ["eu-mission-cities", "nope"], "size": 2})
    assert r.status_code == 404
    assert client.get("/api/missions/nope/benchmark").status_code == 404


def test_helpers_benchmark_neighbourhood(client: httpx.Client) -> None:
    r = client.get("/api/missions/s-t1-needy/helpers")
    assert r.status_code == 200
    needs = {n["need"]: [h["id"] for h in n["helpers"]] for n in r.json()["needs"]}
    assert needs["evaluation"] == ["s-t1-planner"]
    r = client.get("/api/missions/s-t1-needy/benchmark")
    items = {i["item"]: i for i in r.json()["items"]}
    assert items["me-plan"]["base"] == "<5"
    r = client.get("/api/missions/eu-mission-cities/neighbourhood", params={"depth": 2})
    assert r.status_code == 200 and r.json()["edges"]


def test_profile_peers(client: httpx.Client) -> None:
    body = {"profile": {"challenge-field": ["mental-health"], "support-need": ["evaluation"]}, "limit": 3}
    r = client.post("/api/peers", json=body)
    assert r.status_code == 200
    peers = r.json()["peers"]
    assert len(peers) == 3 and peers[0]["id"].startswith("s-t1-") and peers[0]["sparql"]
    r = client.post("/api/peers", json={"profile": {"challenge-field": ["nothing-known"]}})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")


def test_groups(client: httpx.Client) -> None:
    payload = {
        "participants": ["s-t1-needy", "s-t1-planner", "s-t1-target", "s-t1-offtopic"],
        "size": 2,
        "seed": 3,
    }
    a = client.post("/api/groups", json=payload).json()
    b = client.post("/api/groups", json=payload).json()
    assert a == b and len(a["groups"]) == 2
    assert a["quality"]["points"] >= a["random_split"]["points"] and a["summary"]
    assert all({"synthetic", "source"} <= set(m) for g in a["groups"] for m in g["members"])
    # respondent ids are people: a Lab token is needed
    r = client.post("/api/groups", json={"participants": ["0123456789abcdef", "s-t1-needy"], "size": 2})
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_analytics(client: httpx.Client) -> None:
    r = client.get("/api/analytics/communities")
    for _ in range(600):  # computed in the background after start: 202 "computing" until then
        if r.status_code != 202:
            break
        assert r.json()["status"] == "computing" and r.headers["retry-after"]
        time.sleep(0.1)
        r = client.get("/api/analytics/communities")
    assert r.status_code == 200 and r.json()["communities"]
    full = r.json()
    assert all(c["members_shown"] == c["size"] == len(c["members"]) for c in full["communities"])
    assert client.get("/api/analytics/communities").content == r.content  # the cached answer, same bytes
    # a limit on the members listed: the most central first, sizes still count everyone
    short = client.get("/api/analytics/communities", params={"members": 1}).json()
    assert [c["size"] for c in short["communities"]] == [c["size"] for c in full["communities"]]
    for s, f in zip(short["communities"], full["communities"], strict=True):
        assert s["members_shown"] == len(s["members"]) == 1 and s["members"] == f["members"][:1]
        assert s["common_ground"] == f["common_ground"]
    assert client.get("/api/analytics/communities", params={"members": -1}).status_code == 400
    r = client.get("/api/analytics/centrality", params={"limit": 3})
    assert len(r.json()["concepts"]) == 3
    r = client.get("/api/analytics/centrality", params={"limit": 3, "missions": "true"})
    ranked = r.json()["missions"]
    assert len(ranked) == 3 and ranked[0]["pagerank"] >= ranked[-1]["pagerank"]
    r = client.get("/api/analytics/cooccurrence")
    assert r.json()["base"] == "<5"


def test_view_rebuilt_when_the_store_changes(client: httpx.Client, store: Store) -> None:
    before = client.get("/api/missions/s-t1-needy/peers", params={"limit": 100}).json()["peers"]
    assert "s-t1-late" not in [p["id"] for p in before]
    view = client.app.state.ctx.cached_network_view  # type: ignore[attr-defined]
    trig = """
    <http://127.0.0.1:8000/graph/survey/t2> {
      <http://127.0.0.1:8000/id/mission/s-t1-late> a <https://w3id.org/missiongraph/def#Mission> ;
        <http://purl.org/dc/terms/title> "Late youth loneliness mission"@en ;
        <https://w3id.org/missiongraph/def#challengeField>
          <https://w3id.org/missiongraph/vocab/challenge-field/mental-health> ;
        <https://w3id.org/missiongraph/def#supportNeed>
          <https://w3id.org/missiongraph/vocab/support-need/evaluation> .
    }"""
    store.load(trig.encode(), ox.RdfFormat.TRIG)
    # the background refresh builds the new view beside the old one, which answers meanwhile
    for _ in range(1200):
        after = client.get("/api/missions/s-t1-needy/peers", params={"limit": 100}).json()["peers"]
        if "s-t1-late" in [p["id"] for p in after]:
            break
        time.sleep(0.1)
    assert "s-t1-late" in [p["id"] for p in after]
    assert client.app.state.ctx.cached_network_view is not view  # type: ignore[attr-defined]
    # and it is kept while the store does not change
    again = client.app.state.ctx.cached_network_view  # type: ignore[attr-defined]
    client.get("/api/missions/s-t1-needy/peers")
    assert client.app.state.ctx.cached_network_view is again  # type: ignore[attr-defined]
