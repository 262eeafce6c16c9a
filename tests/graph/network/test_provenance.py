"""Every item of every list endpoint says ``synthetic`` and ``source``; filters and modes are checked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from search import build_index
from tests.support import IRIS
from tests.support.stores import survey_store
from tests.support.uvicorn_server import running_server as serve

TOKEN = "provenance-test-lab-token"
LAB = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The catalogue, the vocabulary and a small synthetic wave (tests/graph/network/survey.trig), indexed."""
    store = survey_store(IRIS)
    index = build_index(store, IRIS, Path(tmp_path_factory.mktemp("index")), engine="whoosh", semantic=False)
    settings = Settings(
        store="memory",
        semantic=False,
        rate_limit_per_minute=0,
        small_count_k=5,
        lab_token_hashes=[hashlib.sha256(TOKEN.encode()).hexdigest()],
    )
    app = create_app(settings, store=store, index=index)
    with serve(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


def _each(*keys: str) -> Callable[[Any], list[dict[str, Any]]]:
    """Items under a path of keys; a list on the way is walked item by item."""

    def items(body: Any) -> list[dict[str, Any]]:
        found = [body]
        for key in keys:
            step: list[Any] = []
            for x in found:
                value = x[key]
                step.extend(value if isinstance(value, list) else [value])
            found = step
        return found

    return items


PARTICIPANTS = [
    {"name": "Ana Example", "organisation": "Example City", "mission": "s-t1-needy", "consent": "yes"},
    {"name": "Bo Example", "organisation": "Example Region", "mission": "s-t1-planner", "consent": "yes"},
    {"name": "Cy Example", "organisation": "Example Agency", "mission": "eu-mission-cancer", "consent": "no"},
    {"name": "Di Example", "organisation": "Example Ministry", "mission": "s-t1-target", "consent": "yes"},
]

#: (name, method, path, JSON body or query parameters, how to find the items)
ENDPOINTS: list[tuple[str, str, str, dict[str, Any], Callable[[Any], list[dict[str, Any]]]]] = [
    ("search", "GET", "/api/search", {"q": "mental health young people"}, _each("results")),
    ("missions", "GET", "/api/missions", {"limit": 200}, _each("items")),
    ("peers", "GET", "/api/missions/eu-mission-cities/peers", {}, _each("peers")),
    ("peers, obstacles", "GET", "/api/missions/s-t1-needy/peers", {"mode": "obstacles"}, _each("peers")),
    (
        "profile peers",
        "POST",
        "/api/peers",
        {"profile": {"challenge-field": ["mental-health"]}},
        _each("peers"),
    ),
    ("helpers of a mission", "GET", "/api/missions/s-t1-needy/helpers", {}, _each("needs", "helpers")),
    (
        "helpers for needs",
        "GET",
        "/api/helpers",
        {"need": ["evaluation", "target-setting"]},
        _each("needs", "helpers"),
    ),
    ("benchmark items", "GET", "/api/missions/s-t1-needy/benchmark", {}, _each("items")),
    ("benchmark cohort", "GET", "/api/missions/s-t1-needy/benchmark", {}, _each("items", "cohort")),
    ("neighbourhood", "GET", "/api/missions/s-t1-needy/neighbourhood", {"depth": 3}, _each("nodes")),
    ("communities", "GET", "/api/analytics/communities", {}, _each("communities")),
    ("community members", "GET", "/api/analytics/communities", {}, _each("communities", "members")),
    ("central concepts", "GET", "/api/analytics/centrality", {"missions": "true"}, _each("concepts")),
    ("central missions", "GET", "/api/analytics/centrality", {"missions": "true"}, _each("missions")),
    ("cooccurrence", "GET", "/api/analytics/cooccurrence", {}, _each("cells")),
    (
        "groups",
        "POST",
        "/api/groups",
        {"participants": ["s-t1-needy", "s-t1-planner", "eu-mission-cancer", "eu-mission-cities"], "size": 2},
        _each("groups"),
    ),
    (
        "group members",
        "POST",
        "/api/groups",
        {"participants": ["s-t1-needy", "s-t1-planner", "eu-mission-cancer", "eu-mission-cities"], "size": 2},
        _each("groups", "members"),
    ),
    ("lab groups", "POST", "/api/lab/groups", {"participants": PARTICIPANTS, "size": 2}, _each("groups")),
    (
        "lab group members",
        "POST",
        "/api/lab/groups",
        {"participants": PARTICIPANTS, "size": 2},
        _each("groups", "members"),
    ),
    ("lab match", "POST", "/api/lab/introductions", {"participants": PARTICIPANTS}, _each("introductions")),
]


@pytest.mark.parametrize(
    ("method", "path", "payload", "items"),
    [pytest.param(m, p, b, i, id=name) for name, m, p, b, i in ENDPOINTS],
)
def test_every_item_says_synthetic_and_source(
    client: httpx.Client,
    method: str,
    path: str,
    payload: dict[str, Any],
    items: Callable[[Any], list[dict[str, Any]]],
) -> None:
    headers = LAB if path.startswith("/api/lab/") else {}
    if method == "GET":
        r = client.get(path, params=payload, headers=headers)
    else:
        r = client.post(path, json=payload, headers=headers)
    assert r.status_code == 200, r.text
    found = items(r.json())
    assert found, f"{path} returned no items to check"
    for item in found:
        assert isinstance(item.get("synthetic"), bool), (path, item)
        assert isinstance(item.get("source"), str) and item["source"], (path, item)


def test_made_up_missions_are_marked_and_real_ones_are_not(client: httpx.Client) -> None:
    missions = [
        m
        for offset in (0, 200)
        for m in client.get("/api/missions", params={"limit": 200, "offset": offset}).json()["items"]
    ]
    by_id = {m["id"]: m for m in missions}
    assert by_id["s-t1-needy"]["synthetic"] and by_id["s-t1-needy"]["source"] == "survey-t1"
    assert not by_id["eu-mission-cancer"]["synthetic"] and by_id["eu-mission-cancer"]["source"] == "catalogue"
    peers = client.get("/api/missions/s-t1-target/peers", params={"limit": 20}).json()["peers"]
    assert {p["id"]: p["synthetic"] for p in peers}["s-t1-needy"] is True
    assert all(p["synthetic"] == p["id"].startswith("s-") for p in peers)
    assert all(p["source"] == ("survey-t1" if p["synthetic"] else "catalogue") for p in peers)


@pytest.mark.parametrize(
    ("path", "params", "items"),
    [
        ("/api/missions", {"limit": 200, "offset": 100}, _each("items")),  # real ones, then made-up
        ("/api/missions/s-t1-target/peers", {"limit": 30}, _each("peers")),
        ("/api/helpers", {"need": "evaluation"}, _each("needs", "helpers")),
        ("/api/missions/s-t1-needy/helpers", {}, _each("needs", "helpers")),
    ],
)
def test_synthetic_filter(
    client: httpx.Client, path: str, params: dict[str, Any], items: Callable[[Any], list[dict[str, Any]]]
) -> None:
    every = items(client.get(path, params=params).json())
    real = items(client.get(path, params={**params, "synthetic": "exclude"}).json())
    made_up = items(client.get(path, params={**params, "synthetic": "only"}).json())
    assert not any(i["synthetic"] for i in real)
    assert all(i["synthetic"] for i in made_up)
    assert any(i["synthetic"] for i in every)
    r = client.get(path, params={**params, "synthetic": "maybe"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    assert "include, exclude, only" in r.json()["detail"]


def test_unknown_mode_and_profile_codes_are_400_naming_the_valid_ones(client: httpx.Client) -> None:
    r = client.get("/api/missions/eu-mission-cities/peers", params={"mode": "vibes"})
    assert r.status_code == 400 and "problem, obstacles" in r.json()["detail"]
    r = client.post(
        "/api/peers", json={"profile": {"challenge-field": ["mental-health"], "risk": ["nonsense"]}}
    )
    assert r.status_code == 400
    assert "nonsense" in r.json()["detail"] and "silos" in r.json()["detail"]
    r = client.post(
        "/api/peers", json={"profile": {"risk": ["silos"]}, "mode": "obstacles", "synthetic": "no"}
    )
    assert r.status_code == 400 and "include, exclude, only" in r.json()["detail"]
    # labels are accepted as in the named queries
    r = client.post("/api/peers", json={"profile": {"risk": ["working in silos"]}, "mode": "obstacles"})
    assert r.status_code == 200 and r.json()["peers"]
    r = client.get("/api/helpers", params={"need": "Evaluation", "field": "nonsense"})
    assert r.status_code == 400 and "mental-health" in r.json()["detail"]


def test_fact_provenance_in_mission_detail(client: httpx.Client) -> None:
    m = client.get("/api/missions/s-t1-needy").json()
    assert m["synthetic"] and m["source"] == "survey-t1"
    assert m["facts"] and all(f["synthetic"] and f["source"] == "survey-t1" for f in m["facts"])
    real = client.get("/api/missions/eu-mission-cancer").json()
    assert all(not f["synthetic"] and f["source"] == "catalogue" for f in real["facts"])
