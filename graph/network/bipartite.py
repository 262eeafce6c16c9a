"""The mission–concept bipartite graph (networkx): explanations and the neighbourhood of a mission."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.network.features import Features
from graph.network.peers import PeerModel

__all__ = ["bipartite_graph", "neighbourhood", "mission_node", "concept_node", "VOCABULARY"]

#: the ``source`` of a concept node: the concept schemes, not a mission's data
VOCABULARY = "vocabulary"


def mission_node(mission_id: str) -> str:
    return f"mission:{mission_id}"


def concept_node(dimension: str, term: str) -> str:
    return f"{dimension}:{term}"


def bipartite_graph(features: Features, rows: Iterable[int] | None = None) -> nx.Graph:
    """Missions on one side, the concepts of every dimension on the other; edges carry the dimension.

    With ``rows``, only those missions and their concepts (what one neighbourhood needs: built in
    microseconds where the whole graph takes seconds at 100k missions).
    """
    g = nx.Graph()
    wanted = range(len(features)) if rows is None else sorted(set(rows))
    for row in wanted:
        mid = features.ids[row]
        g.add_node(
            mission_node(mid),
            kind="mission",
            id=mid,
            label=features.titles[row] or mid,
            bipartite=0,
            **features.marks(row),
        )
    for name, dm in features.dims.items():
        pairs: Iterable[tuple[int, int]]
        if rows is None:
            coo = dm.matrix.tocoo()
            pairs = zip(coo.row.tolist(), coo.col.tolist(), strict=True)
            cols: Iterable[int] = range(len(dm.terms))
        else:
            pairs = ((r, c) for r in wanted for c in dm.values_of(r).tolist())
            cols = sorted({c for r in wanted for c in dm.values_of(r).tolist()})
        for col in cols:
            term = dm.terms[col]
            g.add_node(
                concept_node(name, term),
                kind="concept",
                dimension=name,
                term=term,
                label=dm.labels[col],
                bipartite=1,
                synthetic=False,
                source=VOCABULARY,
            )
        g.add_edges_from(
            (mission_node(features.ids[r]), concept_node(name, dm.terms[c]), {"dimension": name})
            for r, c in pairs
        )
    return g


def neighbourhood(
    graph: nx.Graph | None,
    model: PeerModel,
    mission_id: str,
    depth: int = 2,
    *,
    max_missions: int = 12,
    synthetic: str = "include",
) -> dict[str, Any]:
    """Nodes and edges around a mission for a picture on its page.

    depth 1: the mission and its concepts; depth 2 adds the missions that share them (its best peers
    first, at most ``max_missions``); depth 3 adds those missions' other concepts. ``graph`` is the whole
    bipartite graph, or None to build just the part around the mission and its peers (same answer).
    """
    if depth < 1 or depth > 3:
        from graph.errors import InvalidInputError

        raise InvalidInputError("depth must be 1, 2 or 3", depth=depth)
    row = model.row(mission_id)  # NotFoundError for an unknown id
    peers = (
        [p.id for p in model.peers(mission_id, limit=max_missions, synthetic=synthetic)] if depth >= 2 else []
    )
    if graph is None:
        graph = bipartite_graph(model.features, [row, *(model.features.row_of[p] for p in peers)])
    start = mission_node(mission_id)
    nodes = {start}
    concepts = set(graph.neighbors(start))
    nodes |= concepts
    if depth >= 2:
        for pid in peers:
            pnode = mission_node(pid)
            if concepts & set(graph.neighbors(pnode)):
                nodes.add(pnode)
                if depth >= 3:
                    nodes |= set(graph.neighbors(pnode))
    sub = graph.subgraph(nodes)
    return {
        "mission": mission_id,
        "depth": depth,
        "nodes": [
            {
                "id": n,
                "kind": d["kind"],
                "label": d["label"],
                **({"dimension": d["dimension"]} if "dimension" in d else {}),
                "synthetic": d["synthetic"],
                "source": d["source"],
            }
            for n, d in sorted(sub.nodes(data=True))
        ],
        # always mission → concept: networkx's edge orientation follows set order, which varies
        "edges": sorted(
            (
                {
                    "source": a,
                    "target": b,
                    "dimension": d["dimension"],
                    # the edge is a fact about the mission: it has the mission's provenance
                    "synthetic": sub.nodes[a]["synthetic"],
                    "provenance": sub.nodes[a]["source"],
                }
                for a, b, d in (
                    (u, v, d) if sub.nodes[u]["kind"] == "mission" else (v, u, d)
                    for u, v, d in sub.edges(data=True)
                )
            ),
            key=lambda e: (e["source"], e["target"]),
        ),
    }
