"""Network view at 1k, 10k and 100k synthetic missions: view build, kNN graph and Louvain, beside baselines.

For each size the synthetic missions of bench_peers.py are bulk-loaded into an on-disk store, then, in the
same process: the features read with one grouped query (now) beside one query per dimension and answer
property streaming (mission, value) rows (before); the whole view build; the k=10 nearest peers of every
mission
(exact blocked scoring up to 20k missions, clustered candidates above) beside one peer query per mission
(before; above 10k timed on a sample of 1,000 missions and scaled to n, marked "est."), with the overlap
of the clustered neighbour sets with the exact ones on a sample of 500 missions; the networkx kNN graph,
Louvain now (heavy-edge matching first) beside plain networkx Louvain (before), with the modularity and
size distribution of both partitions, and the community summaries; a mission's first neighbourhood
(page picture) built on demand beside building the whole bipartite graph first (before).
Usage: bench_network.py [sizes ...] (default 1000 10000 100000).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import networkx as nx
import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp

from graph.iris import Iris
from graph.network.bipartite import bipartite_graph, neighbourhood
from graph.network.communities import communities, knn_graph, louvain
from graph.network.features import extract_features, public_dataset
from graph.network.knn import EXACT_MAX, _Scorer, _top, nearest
from graph.network.peers import PeerModel
from graph.network.text import build_text_matrix
from graph.network.view import NetworkView
from graph.network.weights import DCT, DIMENSIONS, MG
from graph.store import OxigraphStore
from ontology.vocab import need_strengths
from tests.support.synthetic_missions import synthetic_ntriples

K = 10


def former_extraction(store: OxigraphStore, iris: Iris) -> dict[str, Any]:
    """The former feature extraction (same features): missions, then one SELECT ?m ?v per dimension and
    per answer property and one for the need→strength pairs, every (mission, value) row decoded."""
    dataset = public_dataset(store, iris)
    titles: dict[str, tuple[str, str]] = {}
    q = f"""SELECT ?m ?t ?g WHERE {{ ?m a <{MG}Mission> OPTIONAL {{ ?m <{DCT}title> ?t }}
            OPTIONAL {{ ?m <{MG}goalStatement> ?g }} }}"""
    for s in store.query(q, dataset=dataset):
        titles.setdefault(s[0].value, (s[1].value if s[1] else "", s[2].value if s[2] else ""))
    row_of = {m: i for i, m in enumerate(sorted(titles))}
    out: dict[str, Any] = {}
    paths = [(d.name, d.path) for d in DIMENSIONS]
    paths += [(p, f"<{MG}{p}>") for p in ("hasClearTarget", "hasMonitoringPlan", "hasQuantifiedTarget")]
    for name, path in paths:
        cols: dict[Any, int] = {}
        rows: list[int] = []
        colidx: list[int] = []
        for s in store.query(f"SELECT ?m ?v WHERE {{ ?m {path} ?v }}", dataset=dataset):
            r = row_of.get(s[0].value)
            if r is None:
                continue
            c = cols.setdefault(s[1], len(cols))
            rows.append(r)
            colidx.append(c)
        out[name] = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, colidx)), shape=(len(row_of), len(cols))
        )
    pairs = sorted({pair for pairs in need_strengths().values() for pair in pairs})
    values = " ".join(f"(<{p}> <{v}>)" for p, v in pairs)
    strengths: dict[tuple[str, str], set[int]] = {}
    for s in store.query(
        f"SELECT ?m ?p ?v WHERE {{ VALUES (?p ?v) {{ {values} }} ?m ?p ?v }}", dataset=dataset
    ):
        r = row_of.get(s[0].value)
        if r is not None:
            strengths.setdefault((s[1].value, s[2].value), set()).add(r)
    out["text"] = build_text_matrix([f"{t}. {g}" for t, g in titles.values()])
    return out


def per_query_knn(model: PeerModel, rows: list[int]) -> float:
    """The former kNN: one peer query (``PeerModel.top``) per mission; seconds for ``rows``."""
    t = time.perf_counter()
    for r in rows:
        model.top(model.query_for_row(r), K)
    return time.perf_counter() - t


def size_summary(parts: list[set[str]]) -> str:
    """The size distribution of a partition in a few numbers."""
    s = sorted(map(len, parts), reverse=True)
    return f"{len(s)} communities, largest {s[0]}, median {int(np.median(s))}, smallest {s[-1]}"


def timed(fn: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def run(n: int, workdir: Path) -> None:
    iris = Iris()
    path = workdir / f"missions-{n}.nt"
    path.write_text(synthetic_ntriples(n, iris), encoding="utf-8")
    store = OxigraphStore(workdir / f"store-{n}")
    store.bulk_load(path, ox.RdfFormat.N_TRIPLES, graph=iris.survey_graph("bench"))
    view, build_s = timed(lambda: NetworkView.build(store, iris))
    _, grouped_s = timed(lambda: extract_features(store, iris))
    _, per_dim_s = timed(lambda: former_extraction(store, iris))
    model = view.model
    (idx, _val), knn_s = timed(lambda: nearest(model, K))
    rng = np.random.default_rng(n)
    if n <= 10_000:
        before_s = per_query_knn(model, list(range(n)))
        before = f"{before_s:7.2f} s"
    else:
        sample = rng.choice(n, 1000, replace=False).tolist()
        before_s = per_query_knn(model, sample) * n / len(sample)
        before = f"{before_s:7.2f} s est."
    method = "exact" if n <= EXACT_MAX else "clustered"
    sample_rows = np.sort(rng.choice(n, min(n, 500), replace=False))
    scorer = _Scorer(model)
    exact_idx, exact_val = _top(scorer.scores(sample_rows, None), sample_rows, np.arange(n), K)
    overlap = float(
        np.mean(
            [
                len(set(a) & set(b)) / K
                for a, b in zip(exact_idx.tolist(), idx[sample_rows].tolist(), strict=True)
            ]
        )
    )
    mid = view.features.ids[n // 2]
    _, local_s = timed(lambda: neighbourhood(None, model, mid, 2, max_missions=8))
    whole, whole_s = timed(lambda: bipartite_graph(view.features))
    _, from_whole_s = timed(lambda: neighbourhood(whole, model, mid, 2, max_missions=8))
    graph, graph_s = timed(lambda: knn_graph(model))
    before_parts, before_louvain_s = timed(lambda: louvain(graph, seed=0, coarsen=0))
    parts, louvain_s = timed(lambda: louvain(graph, seed=0))
    before_q = nx.community.modularity(graph, before_parts, weight="weight")
    now_q = nx.community.modularity(graph, parts, weight="weight")
    found, summary_s = timed(lambda: communities(model, graph, seed=0))
    store.close()
    print(
        f"{n:>7} missions | view build {build_s:6.2f} s (features: grouped query {grouped_s:6.2f} s, "
        f"former one query per dimension {per_dim_s:6.2f} s, x{per_dim_s / grouped_s:4.1f}) | "
        f"kNN k={K} {method} {knn_s:6.2f} s vs one query per mission {before} (x{before_s / knn_s:5.1f}), "
        f"overlap with exact {overlap:.3f} | networkx kNN graph {graph_s:6.2f} s | "
        f"Louvain now {louvain_s:6.2f} s (modularity {now_q:.4f}, {size_summary(parts)}) vs plain "
        f"{before_louvain_s:6.2f} s (modularity {before_q:.4f}, {size_summary(before_parts)}) | "
        f"communities with summaries {summary_s:6.2f} s ({len(found)}) | "
        f"first neighbourhood: on demand {local_s * 1000:5.1f} ms vs whole bipartite graph "
        f"{(whole_s + from_whole_s) * 1000:7.0f} ms",
        flush=True,
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    with tempfile.TemporaryDirectory(prefix="bench-network-") as tmp:
        for n in sizes:
            try:
                run(n, Path(tmp))
            except MemoryError as exc:  # a size that does not fit is reported; the others still run
                print(f"{n:>7} missions | failed: {exc!r}", flush=True)


if __name__ == "__main__":
    main()
