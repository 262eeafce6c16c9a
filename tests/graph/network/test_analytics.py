"""Neighbourhood, communities, central concepts and co-occurrence."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.errors import InvalidInputError, NotFoundError
from graph.network.analytics import central_concepts, cooccurrence
from graph.network.bipartite import mission_node, neighbourhood
from graph.network.communities import communities
from graph.network.view import NetworkView
from tests.support import IRIS
from tests.support.stores import survey_store


@pytest.fixture(scope="module")
def view() -> NetworkView:
    return NetworkView.build(survey_store(IRIS), IRIS)


def test_neighbourhood(view: NetworkView) -> None:
    one = neighbourhood(view.bipartite, view.model, "eu-mission-cities", 1)
    ids = {n["id"] for n in one["nodes"]}
    assert mission_node("eu-mission-cities") in ids
    labels = {n["label"] for n in one["nodes"] if n["kind"] == "concept"}
    assert {"Cities", "Climate", "Energy", "Mobility"} <= labels
    assert all(n["kind"] == "concept" for n in one["nodes"] if n["id"] != mission_node("eu-mission-cities"))
    two = neighbourhood(view.bipartite, view.model, "eu-mission-cities", 2, max_missions=5)
    missions = {n["id"] for n in two["nodes"] if n["kind"] == "mission"}
    assert mission_node("at-climate-neutral-city") in missions and 2 <= len(missions) <= 6
    node_ids = {n["id"] for n in two["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in two["edges"])
    three = neighbourhood(view.bipartite, view.model, "eu-mission-cities", 3, max_missions=5)
    assert len(three["nodes"]) > len(two["nodes"])
    with pytest.raises(NotFoundError):
        neighbourhood(view.bipartite, view.model, "nope", 1)
    with pytest.raises(InvalidInputError):
        neighbourhood(view.bipartite, view.model, "eu-mission-cities", 4)


def test_communities_partition_the_missions(view: NetworkView) -> None:
    found = communities(view.model, view.knn, seed=0)
    members = [m["id"] for c in found for m in c["members"]]
    assert sorted(members) == sorted(view.features.ids)
    assert len(found) >= 3
    assert found == communities(view.model, view.knn, seed=0)
    # the communities are real structure: far more modular than a shuffle of the same sizes
    parts = [{m["id"] for m in c["members"]} for c in found]
    order = list(view.features.ids)
    random.Random(0).shuffle(order)
    shuffled, start = [], 0
    for part in parts:
        shuffled.append(set(order[start : start + len(part)]))
        start += len(part)
    found_q = nx.community.modularity(view.knn, parts, weight="weight")
    random_q = nx.community.modularity(view.knn, shuffled, weight="weight")
    assert found_q > 0.3 and found_q > random_q + 0.2
    assert all(c["common_ground"] for c in found)


def test_central_concepts(view: NetworkView) -> None:
    top = central_concepts(view.features, limit=5, k=5)
    assert len(top) == 5
    assert [c["pagerank"] for c in top] == sorted((c["pagerank"] for c in top), reverse=True)
    labels = [c["label"] for c in top]
    assert "Climate" in labels or "National state funding" in labels
    assert all(c["dimension"] not in ("country", "programme", "governing-body") for c in top)


def test_cooccurrence_suppresses_small_counts(view: NetworkView) -> None:
    body = cooccurrence(view.features, k=5)
    assert body["base"] == "<5"
    cells = {(c["risk"], c["support-need"]): c for c in body["cells"]}
    silos_eval = cells[("Effect of silos", "Evaluation")]
    assert silos_eval["missions"] == "<5" and silos_eval["lift"] is None
    open_body = cooccurrence(view.features, k=1)
    cells = {(c["risk"], c["support-need"]): c for c in open_body["cells"]}
    # silos and evaluation: s-t1-needy only (s-t1-planner fears silos but needs funding)
    assert cells[("Effect of silos", "Evaluation")]["missions"] == 1
    assert cells[("Keeping momentum and motivation over time", "Evaluation")]["missions"] == 2
    assert cells[("Keeping momentum and motivation over time", "Evaluation")]["lift"] == pytest.approx(
        2 / (2 * 2 / 4)
    )


def test_neighbourhood_built_on_demand_equals_the_whole_graph(view: NetworkView) -> None:
    for mission in ("eu-mission-cities", "s-t1-needy"):
        for depth in (1, 2, 3):
            whole = neighbourhood(view.bipartite, view.model, mission, depth, max_missions=5)
            assert neighbourhood(None, view.model, mission, depth, max_missions=5) == whole
    fresh = NetworkView(view.features)
    assert fresh.neighbourhood("eu-mission-cities", 2)["nodes"]
    assert "bipartite" not in fresh.__dict__  # the whole graph was not built for it
