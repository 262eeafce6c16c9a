"""The kNN mission graph: exact blocked scoring equals one peer query per mission; clustered is near-exact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest

from graph.network.communities import communities, knn_graph, louvain
from graph.network.knn import clustered_nearest, exact_nearest
from graph.network.view import NetworkView
from graph.store import OxigraphStore
from tests.support import IRIS
from tests.support.stores import survey_store
from tests.support.synthetic_missions import synthetic_ntriples


@pytest.fixture(scope="module")
def synthetic() -> NetworkView:
    store = OxigraphStore(None)
    store.load(synthetic_ntriples(2000, IRIS, seed=7), ox.RdfFormat.N_TRIPLES, graph=IRIS.survey_graph("syn"))
    return NetworkView.build(store, IRIS)


def test_exact_blocks_equal_one_query_per_mission() -> None:
    view = NetworkView.build(survey_store(IRIS), IRIS)
    model = view.model
    idx, val = exact_nearest(model, 10)
    for row in range(len(view.features)):
        top = model.top(model.query_for_row(row), 10)
        assert val[row][: len(top)] == pytest.approx([s for _, s in top], abs=1e-5)
        # same peers, up to the order of equal scores
        assert {i for i, _ in top} <= set(idx[row].tolist()) or np.isclose(val[row][len(top) - 1], top[-1][1])
        assert row not in idx[row].tolist()


def test_clustered_neighbours_overlap_the_exact_ones(synthetic: NetworkView) -> None:
    model = synthetic.model
    exact_idx, exact_val = exact_nearest(model, 10)
    # small clusters so that candidates are a fraction (about a third) of the 2,000 missions
    idx, val = clustered_nearest(model, 10, cluster_size=50, probes=8)
    overlap = np.mean(
        [len(set(a) & set(b)) / 10 for a, b in zip(exact_idx.tolist(), idx.tolist(), strict=True)]
    )
    assert overlap >= 0.9
    # the scores found are exact ones: never above the exact best, and mostly within the exact top k
    assert np.all(val[:, 0] <= exact_val[:, 0] + 1e-5)
    assert np.mean(val >= exact_val[:, -1:] - 1e-5) >= 0.9
    again = clustered_nearest(model, 10, cluster_size=50, probes=8)
    assert np.array_equal(again[0], idx)


def test_knn_graph_and_louvain_are_deterministic(synthetic: NetworkView) -> None:
    model = synthetic.model
    a = knn_graph(model, exact=False)
    b = knn_graph(model, exact=False)
    assert nx.utils.graphs_equal(a, b)
    assert a.number_of_nodes() == 2000 and 10 * 2000 / 2 <= a.number_of_edges() <= 10 * 2000
    exact = knn_graph(model, exact=True)
    shared = len(set(map(frozenset, a.edges())) & set(map(frozenset, exact.edges())))
    assert shared / exact.number_of_edges() >= 0.85
    assert communities(model, a, seed=3) == communities(model, b, seed=3)


def test_coarsened_louvain_keeps_the_modularity_of_plain_louvain(synthetic: NetworkView) -> None:
    graph = knn_graph(synthetic.model)
    plain = louvain(graph, seed=0, coarsen=0)
    # coarsen=0 is networkx Louvain itself on the integer-labelled graph
    index = {m: i for i, m in enumerate(graph.nodes)}
    h = nx.relabel_nodes(graph, index)
    direct = nx.community.louvain_communities(h, weight="weight", seed=0)
    assert sorted(sorted(index[m] for m in c) for c in plain) == sorted(sorted(c) for c in direct)
    for rounds in (1, 2, 3):
        found = louvain(graph, seed=0, coarsen=rounds)
        assert sorted(m for c in found for m in c) == sorted(graph.nodes)
        assert sum(map(len, found)) == graph.number_of_nodes()
        q, plain_q = (nx.community.modularity(graph, p, weight="weight") for p in (found, plain))
        assert q >= plain_q - 0.02 and q > 0.5
        assert 0.5 * len(plain) <= len(found) <= 2 * len(plain)


def test_coarsening_keeps_the_weight_inside_groups() -> None:
    # two triangles joined by one weak edge: the matched pairs stay inside a triangle, and Louvain on the
    # contracted graph still finds the two triangles
    g = nx.Graph()
    g.add_weighted_edges_from(
        [("a", "b", 1.0), ("b", "c", 0.9), ("a", "c", 0.8), ("d", "e", 1.0), ("e", "f", 0.9)]
        + [("d", "f", 0.8), ("c", "d", 0.1)]
    )
    for rounds in (0, 1, 2):
        assert sorted(map(sorted, louvain(g, seed=0, coarsen=rounds))) == [["a", "b", "c"], ["d", "e", "f"]]


_COMMUNITIES = """
import json, sys
from graph.iris import Iris
from graph.network.communities import communities
from graph.network.view import NetworkView
from tests.support.stores import survey_store
iris = Iris("http://127.0.0.1:8000/")
view = NetworkView.build(survey_store(iris), iris)
print(json.dumps(communities(view.model, view.knn, seed=int(sys.argv[1]))))
"""


def test_louvain_gives_the_same_communities_in_every_process() -> None:
    # string hashing differs between processes; the communities of a seed must not
    root = Path(__file__).resolve().parents[3]
    outs = []
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": str(root)}
        done = subprocess.run(
            [sys.executable, "-c", _COMMUNITIES, "4"],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        outs.append(json.loads(done.stdout))
    assert outs[0] == outs[1] and len(outs[0]) >= 3


def test_communities_kept_on_the_graph_per_seed(synthetic: NetworkView) -> None:
    model = synthetic.model
    graph = knn_graph(model)
    first = communities(model, graph, seed=1)
    assert list(graph.graph["communities"]) == [(1, 5)]
    first[0]["members"].clear()  # a caller's copy; the kept answer is untouched
    assert communities(model, graph, seed=1)[0]["members"]
    communities(model, graph, seed=2)
    assert set(graph.graph["communities"]) == {(1, 5), (2, 5)}


def test_goal_embeddings_count_in_the_neighbours() -> None:
    features = NetworkView.build(survey_store(IRIS), IRIS).features
    vectors = np.random.default_rng(5).standard_normal((len(features), 16)).astype(np.float32)
    model = NetworkView(features, text_vectors=vectors).model
    idx, val = exact_nearest(model, 5)
    plain_idx, _ = exact_nearest(NetworkView(features).model, 5)
    assert not np.array_equal(idx, plain_idx)  # the vectors change who is nearest
    for row in range(0, len(features), 7):
        top = model.top(model.query_for_row(row), 5)
        assert val[row][: len(top)] == pytest.approx([s for _, s in top], abs=1e-5)
    cidx, cval = clustered_nearest(model, 5, cluster_size=10, probes=4)
    assert np.all(cval[:, 0] <= val[:, 0] + 1e-5) and cidx.shape == idx.shape
