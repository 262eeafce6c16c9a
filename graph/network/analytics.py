"""Network analytics: the most central concepts and co-occurrence of risks with support needs."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.disclosure import suppress
from graph.network.communities import THEMATIC
from graph.network.features import Features

__all__ = ["concept_graph", "central_concepts", "cooccurrence"]

#: concept dimensions whose centrality is worth reporting (context such as country or programme is not)
CENTRALITY_DIMENSIONS = (*THEMATIC, "funding-source")


def concept_graph(features: Features, dimensions: tuple[str, ...] = CENTRALITY_DIMENSIONS) -> nx.Graph:
    """Concepts linked by the number of missions holding both (the bipartite graph projected with sparse
    products: Xᵀ·X over a few hundred concepts, instead of walking mission pairs)."""
    blocks = [features.dims[d].matrix for d in dimensions if features.dims[d].matrix.shape[1]]
    names: list[tuple[str, int]] = [
        (d, c) for d in dimensions for c in range(features.dims[d].matrix.shape[1])
    ]
    g = nx.Graph()
    if not blocks:
        return g
    x = sp.hstack(blocks, format="csr")
    co = (x.T @ x).tocoo()
    counts = np.asarray(x.sum(axis=0)).ravel()
    xc = x.tocsc()
    for i, (d, c) in enumerate(names):
        dm = features.dims[d]
        holders = xc.indices[xc.indptr[i] : xc.indptr[i + 1]].tolist()
        g.add_node(
            i,
            dimension=d,
            label=dm.labels[c],
            term=dm.terms[c],
            missions=int(counts[i]),
            marks=features.marks_of(holders),
        )
    for a, b, w in zip(co.row.tolist(), co.col.tolist(), co.data.tolist(), strict=True):
        if a < b and w > 0:
            g.add_edge(a, b, weight=float(w))
    return g


def central_concepts(features: Features, *, limit: int = 15, k: int = 5) -> list[dict[str, Any]]:
    """Concepts ranked by weighted PageRank in the concept co-occurrence graph, with degree centrality."""
    g = concept_graph(features)
    if g.number_of_nodes() == 0:
        return []
    rank = nx.pagerank(g, weight="weight") if g.number_of_edges() else {n: 0.0 for n in g}
    degree = nx.degree_centrality(g)
    ordered = sorted(g.nodes, key=lambda n: (-rank[n], g.nodes[n]["label"]))[:limit]
    return [
        {
            "dimension": g.nodes[n]["dimension"],
            "label": g.nodes[n]["label"],
            "concept": g.nodes[n]["term"].strip("<>"),
            "pagerank": round(rank[n], 5),
            "degree_centrality": round(degree[n], 4),
            "missions": suppress(g.nodes[n]["missions"], k),
            **g.nodes[n]["marks"],
        }
        for n in ordered
    ]


def cooccurrence(
    features: Features, *, k: int = 5, a: str = "risk", b: str = "support-need"
) -> dict[str, Any]:
    """How many missions name risk r and support need s together, with lift; counts below k suppressed."""
    xa, xb = features.dims[a], features.dims[b]
    co = (xa.matrix.T @ xb.matrix).toarray()
    has_a = np.asarray(xa.matrix.sum(axis=1)).ravel() > 0
    has_b = np.asarray(xb.matrix.sum(axis=1)).ravel() > 0
    both = has_a & has_b
    base = int(both.sum())
    # expected counts under independence, among the missions that answered both questions
    n_a = np.asarray(xa.matrix[both].sum(axis=0)).ravel()
    n_b = np.asarray(xb.matrix[both].sum(axis=0)).ravel()
    cells = []
    ac, bc = xa.matrix.tocsc(), xb.matrix.tocsc()
    for i in range(co.shape[0]):
        rows_a = set(ac.indices[ac.indptr[i] : ac.indptr[i + 1]].tolist())
        for j in range(co.shape[1]):
            count = int(co[i, j])
            rows_b = bc.indices[bc.indptr[j] : bc.indptr[j + 1]].tolist()
            expected = float(n_a[i] * n_b[j] / base) if base else 0.0
            shown = suppress(count, k)
            cells.append(
                {
                    a: xa.labels[i],
                    b: xb.labels[j],
                    "missions": shown,
                    # lift would reveal a suppressed count, so it is only given for counts shown
                    "lift": round(count / expected, 3)
                    if expected and isinstance(shown, int) and count
                    else None,
                    **features.marks_of(r for r in rows_b if r in rows_a),
                }
            )
    cells.sort(key=lambda c: (-float(c["lift"] or 0.0), str(c[a]), str(c[b])))
    return {"rows": a, "columns": b, "base": suppress(base, k), "k": k, "cells": cells}
