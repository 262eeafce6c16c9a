"""A k-nearest-neighbour mission graph (networkx) for communities (Louvain) and mission centrality."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.network.knn import nearest
from graph.network.peers import PeerModel

__all__ = [
    "knn_graph",
    "louvain",
    "COARSEN_ROUNDS",
    "communities",
    "communities_json",
    "central_missions",
    "K_NEIGHBOURS",
    "THEMATIC",
]

K_NEIGHBOURS = 10
#: rounds of heavy-edge matching before Louvain: ~1.8x faster at 100k (41 -> 23 s), modularity 0.002 lower
COARSEN_ROUNDS = 2
#: dimensions that say what a mission is about and how it is going (used to describe communities)
THEMATIC = ("challenge-field", "risk", "challenge", "support-need", "learning-need", "phase", "driver")


def knn_graph(model: PeerModel, k: int = K_NEIGHBOURS, *, exact: bool | None = None) -> nx.Graph:
    """Each mission linked to its k best peers, weighted by the peer score (the larger of the two ways).

    Exact up to ``graph.network.knn.EXACT_MAX`` missions, near-exact clustered candidates above
    (``exact`` forces either); see ``graph.network.knn.nearest``.
    """
    f = model.features
    idx, val = nearest(model, k, exact=exact)
    rows = np.repeat(np.arange(len(f)), idx.shape[1])
    cols, weights = idx.ravel(), val.ravel().astype(np.float64)
    keep = cols >= 0
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    # one undirected edge per pair with the larger score: sort by score so the larger is added last
    order = np.argsort(weights, kind="stable")
    g = nx.Graph()
    g.add_nodes_from(f.ids)
    ids = f.ids
    g.add_weighted_edges_from(
        (ids[a], ids[b], w)
        for a, b, w in zip(rows[order].tolist(), cols[order].tolist(), weights[order].tolist(), strict=True)
    )
    return g


def louvain(graph: nx.Graph, *, seed: int = 0, coarsen: int = COARSEN_ROUNDS) -> list[set[str]]:
    """``networkx`` Louvain on an integer-labelled graph: the same seed gives the same communities in
    every process (string hashing varies between processes, and Louvain iterates sets of nodes), and
    integer nodes hash faster (about a fifth less time).

    First ``coarsen`` rounds of heavy-edge matching (each group of missions joined with the neighbour
    group it is most strongly linked to, when that choice is mutual) contract the graph, with the weight
    inside a group kept as a self-loop so that modularity is unchanged; Louvain's first level, most of
    its time, then starts from pairs instead of single missions (see docs/peers.md for the figures).
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    index = {m: i for i, m in enumerate(nodes)}
    edges = list(graph.edges(data="weight"))
    a = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    b = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    w = np.fromiter((1.0 if x is None else x for _, _, x in edges), dtype=np.float64, count=len(edges))
    adjacency = sp.csr_array(
        (np.concatenate([w, w]), (np.concatenate([a, b]), np.concatenate([b, a]))), (n, n)
    )
    group = np.arange(n)
    for _ in range(coarsen if n else 0):
        group = _matched(adjacency, group)
    k = int(group.max()) + 1 if n else 0
    p = sp.csr_array((np.ones(n), (np.arange(n), group)), shape=(n, k))
    contracted = (p.T @ adjacency @ p).tocoo()
    # off-diagonal entries hold each pair twice; the diagonal holds the weight inside a group twice
    upper = contracted.row <= contracted.col
    rows, cols = contracted.row[upper].tolist(), contracted.col[upper].tolist()
    weights = np.where(rows == cols, 0.5, 1.0) * contracted.data[upper]
    h = nx.Graph()
    h.add_nodes_from(range(k))
    h.add_weighted_edges_from(zip(rows, cols, weights.tolist(), strict=True))
    found = nx.community.louvain_communities(h, weight="weight", seed=seed)
    members: list[list[int]] = [[] for _ in range(k)]
    for i, g in enumerate(group.tolist()):
        members[g].append(i)
    return [{nodes[i] for c in part for i in members[c]} for part in found]


def _matched(adjacency: sp.csr_array, group: np.ndarray) -> np.ndarray:
    """One round of heavy-edge matching: groups whose strongest neighbour group chooses them back are
    joined (ties go to the lower group number, so the result is the same in every run)."""
    n = len(group)
    k = int(group.max()) + 1
    p = sp.csr_array((np.ones(n), (np.arange(n), group)), shape=(n, k))
    pairs = (p.T @ adjacency @ p).tocoo()
    off = pairs.row != pairs.col  # a group's inner weight is no reason to join another
    between = sp.csr_array((pairs.data[off], (pairs.row[off], pairs.col[off])), shape=(k, k))
    best = np.full(k, -1)
    rows = np.repeat(np.arange(k), np.diff(between.indptr))
    if len(rows):
        # the first column holding each row's largest weight
        order = np.lexsort((between.indices, -between.data, rows))
        first = np.unique(rows[order], return_index=True)[1]
        best[rows[order][first]] = between.indices[order][first]
    mutual = (best >= 0) & (best[np.maximum(best, 0)] == np.arange(k))
    rep = np.where(mutual, np.minimum(np.arange(k), best), np.arange(k))
    joined: np.ndarray = np.unique(rep, return_inverse=True)[1][group]
    return joined


def communities(model: PeerModel, graph: nx.Graph, *, seed: int = 0, top: int = 5) -> list[dict[str, Any]]:
    """Louvain communities of the kNN graph, largest first, each with its most common concepts.

    Kept in ``graph.graph`` per (seed, top): the kNN graph lives as long as its view (one store state)
    and is never changed, and Louvain takes ~20 s at 100k missions. Callers get a copy.
    """
    cache = graph.graph.setdefault("communities", {})
    if (seed, top) not in cache:
        cache[(seed, top)] = _communities(model, graph, seed=seed, top=top)
    return copy.deepcopy(cache[(seed, top)])


def communities_json(
    model: PeerModel, graph: nx.Graph, *, seed: int = 0, top: int = 5, members: int | None = None
) -> bytes:
    """The communities answer as JSON bytes, serialised once per (seed, top, members) and kept with the
    kNN graph (one store state): at 100k missions encoding the member lists took seconds per request.

    ``members``: list at most that many members per community (the most central first); ``size``
    still counts them all and ``members_shown`` says how many are listed.
    """
    cache = graph.graph.setdefault("communities_json", {})
    key = (seed, top, members)
    body: bytes | None = cache.get(key)
    if body is None:
        found = graph.graph.setdefault("communities", {}).get((seed, top))
        if found is None:
            found = graph.graph["communities"][(seed, top)] = _communities(model, graph, seed=seed, top=top)
        shown = [
            {**c, "members": c["members"][:members], "members_shown": min(len(c["members"]), members)}
            if members is not None
            else {**c, "members_shown": len(c["members"])}
            for c in found
        ]
        answer = {"k": K_NEIGHBOURS, "seed": seed, "missions": len(model.features), "communities": shown}
        body = json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        cache[key] = body
    return body


def _communities(model: PeerModel, graph: nx.Graph, *, seed: int, top: int) -> list[dict[str, Any]]:
    f = model.features
    found = louvain(graph, seed=seed)
    central = nx.pagerank(graph, weight="weight") if graph.number_of_edges() else {}
    out = []
    for members in sorted(found, key=lambda c: (-len(c), min(c))):
        rows = sorted(f.row_of[m] for m in members)  # set order varies between processes
        common: Counter[tuple[str, str]] = Counter()
        for name in THEMATIC:
            dm = f.dims[name]
            for r in rows:
                for c in dm.values_of(r).tolist():
                    common[(name, dm.labels[c])] += 1
        ordered = sorted(members, key=lambda m: (-central.get(m, 0.0), m))
        out.append(
            {
                "size": len(members),
                **f.marks_of(rows),
                "members": [
                    {"id": m, "title": f.titles[f.row_of[m]], **f.marks(f.row_of[m])} for m in ordered
                ],
                "common_ground": [
                    {"dimension": d, "label": label, "missions": n}
                    for (d, label), n in common.most_common(top)
                ],
            }
        )
    return out


def central_missions(model: PeerModel, graph: nx.Graph, *, limit: int = 10) -> list[dict[str, Any]]:
    """Missions ranked by weighted PageRank in the kNN graph: the ones many others resemble."""
    if graph.number_of_edges() == 0:
        return []
    rank = nx.pagerank(graph, weight="weight")
    f = model.features
    ordered = sorted(rank, key=lambda m: (-rank[m], m))[:limit]
    return [
        {
            "id": m,
            "title": f.titles[f.row_of[m]],
            **f.marks(f.row_of[m]),
            "pagerank": round(rank[m], 5),
            "degree": graph.degree(m),
        }
        for m in ordered
    ]
