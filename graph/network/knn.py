"""k nearest peers of every mission at once: exact blocked scoring, or clustered candidates at scale."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

from graph.network.peers import PeerModel
from graph.network.weights import DEFAULT_MODE

__all__ = ["nearest", "exact_nearest", "clustered_nearest", "EXACT_MAX", "Neighbours"]

#: up to this many missions every pair is scored (n² grows fast; above it, clustered candidates)
EXACT_MAX = 20_000
#: score entries held at once per block (float32: 4 bytes each), bounds memory whatever n is
BLOCK_CELLS = 8_000_000
#: n × columns up to which the scoring matrices are held dense (float32: 4 bytes each, twice)
DENSE_CELLS = 40_000_000
#: dimensions of the projection used only to cluster missions (candidates are then scored exactly)
PROJECTION_DIMS = 48

#: (n × k row indices of each mission's peers, best first, -1 where fewer; n × k peer scores)
Neighbours = tuple[np.ndarray, np.ndarray]


class _Scorer:
    """The peer score of a block of query missions against a set of candidates, as in ``PeerModel.scores``.

    A mission's own query vector is its unweighted unit row per dimension plus its TF-IDF row, so a block
    of queries is a row slice of ``queries``; the candidates' side is the model's weighted stacked matrix.
    """

    def __init__(self, model: PeerModel) -> None:
        f = model.features
        w = model.weights
        blocks = [model._block[name] for name in f.dims]
        self.queries = sp.csr_matrix(sp.hstack([*blocks, f.text.matrix], format="csr"), dtype=np.float32)
        #: √weight of each query column's dimension: the weighted similarity as a plain inner product
        self.colscale = np.concatenate(
            [
                np.full(b.shape[1], np.sqrt(w[name]), dtype=np.float32)
                for name, b in zip(f.dims, blocks, strict=True)
            ]
            + [np.full(f.text.matrix.shape[1], np.sqrt(w["goal-text"]), dtype=np.float32)]
        )
        self.targets_t = sp.csr_matrix(model._stacked.T, dtype=np.float32)
        present = np.zeros(len(f), dtype=np.float64)
        for name, dm in f.dims.items():
            present += w[name] * (np.diff(dm.matrix.indptr) > 0)
        present += w["goal-text"] * (np.diff(f.text.matrix.indptr) > 0)
        #: few columns (concept codes, a small vocabulary): dense rows, one BLAS product per block
        self.dense = len(f) * self.queries.shape[1] <= DENSE_CELLS
        if self.dense:
            self.queries_d = self.queries.toarray()
            self.targets_d = np.asarray(model._stacked.toarray(), dtype=np.float32)
        self.vectors = model.vectors
        self.semantic = w.get("goal-semantic", 0.0)
        if self.vectors is not None:
            present += self.semantic
        present[present == 0] = 1.0
        self.inv_present = (1.0 / present).astype(np.float32)
        #: what a candidate without values on a refining dimension is assumed to score (``PeerModel.prior``)
        self.assumed = np.zeros((len(f), len(model.dimension_names)), dtype=np.float32)
        for i, name in enumerate(model.dimension_names):
            if name in f.dims and not model._is_lead(name, DEFAULT_MODE):
                self.assumed[:, i] = w[name] * (model._block[name] @ model._mean[name])
        self.lacks = model._lacks

    def scores(self, rows: np.ndarray, cands: np.ndarray | None) -> np.ndarray:
        """Dense len(rows) × len(cands) scores (every mission when ``cands`` is None)."""
        out: np.ndarray
        if self.dense:
            t = self.targets_d if cands is None else self.targets_d[cands]
            out = self.queries_d[rows] @ t.T
        else:
            ts = self.targets_t if cands is None else self.targets_t[:, cands]
            out = (self.queries[rows] @ ts).toarray()
        if self.vectors is not None:
            v = self.vectors if cands is None else self.vectors[cands]
            out += self.semantic * np.clip(self.vectors[rows] @ v.T, 0.0, None)
        evidence = out > 0
        lacks = self.lacks if cands is None else self.lacks[cands]
        out += self.assumed[rows] @ lacks.T
        out *= evidence
        out *= self.inv_present[rows][:, np.newaxis]
        return out


def _top(scores: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: int) -> Neighbours:
    """Per row the k best columns (score > 0, never the mission itself), ties to the lower row index."""
    scores[cols[np.newaxis, :] == rows[:, np.newaxis]] = -1.0
    kk = min(k, scores.shape[1])
    idx = (
        np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        if kk < scores.shape[1]
        else np.tile(np.arange(scores.shape[1]), (len(rows), 1))
    )
    top_s = np.take_along_axis(scores, idx, axis=1)
    top_c = cols[idx]
    order = np.lexsort((top_c, -top_s), axis=1)
    top_s = np.take_along_axis(top_s, order, axis=1)
    top_c = np.take_along_axis(top_c, order, axis=1)
    out_c = np.full((len(rows), k), -1, dtype=np.int64)
    out_s = np.zeros((len(rows), k), dtype=np.float32)
    keep = top_s > 0
    out_c[:, :kk] = np.where(keep, top_c, -1)
    out_s[:, :kk] = np.where(keep, top_s, 0.0)
    return out_c, out_s


def _chunks(rows: np.ndarray, width: int) -> Iterator[np.ndarray]:
    step = max(1, BLOCK_CELLS // max(width, 1))
    for start in range(0, len(rows), step):
        yield rows[start : start + step]


def exact_nearest(model: PeerModel, k: int) -> Neighbours:
    """Every mission scored against every other, a block of rows at a time (memory bounded)."""
    n = len(model.features)
    scorer = _Scorer(model)
    idx = np.full((n, k), -1, dtype=np.int64)
    val = np.zeros((n, k), dtype=np.float32)
    everyone = np.arange(n)
    for rows in _chunks(everyone, n):
        idx[rows], val[rows] = _top(scorer.scores(rows, None), rows, everyone, k)
    return idx, val


def _embedding(scorer: _Scorer, dims: int) -> np.ndarray:
    """Unit-length low-dimensional rows whose inner products approximate the weighted peer similarity.

    A seeded randomised SVD of the query matrix scaled by the square root of each column's weight.
    """
    x = sp.csr_matrix(scorer.queries @ sp.diags(scorer.colscale), dtype=np.float32)
    rng = np.random.default_rng(0)
    d = x.shape[1]
    r = min(dims, d)
    omega = rng.standard_normal((d, min(r + 8, d))).astype(np.float32)
    y = np.asarray(x @ omega, dtype=np.float64)
    # orthonormal basis of y through the Cholesky factor of its small Gram matrix (much faster than QR
    # for n × ~56; a tiny ridge keeps it defined when y has dependent columns)
    gram = y.T @ y
    chol = np.linalg.cholesky(gram + np.eye(len(gram)) * (1e-9 * max(float(np.trace(gram)), 1.0)))
    q = np.linalg.solve(chol, y.T).T
    b = np.asarray((x.T @ q).T)  # (r+8) × d
    _, _, vt = np.linalg.svd(b, full_matrices=False)
    e = np.asarray(x @ vt[:r].T, dtype=np.float32)
    if scorer.vectors is not None:
        e = np.hstack([e, scorer.vectors * np.float32(np.sqrt(scorer.semantic))])
    norms = np.linalg.norm(e, axis=1)
    norms[norms == 0] = 1.0
    out: np.ndarray = e / norms[:, np.newaxis]
    return out


def _kmeans(e: np.ndarray, clusters: int, iterations: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Seeded spherical k-means: (assignment per row, unit centroids)."""
    rng = np.random.default_rng(0)
    centroids = e[rng.choice(len(e), clusters, replace=False)].copy()
    assign = np.zeros(len(e), dtype=np.int64)
    for _ in range(iterations):
        for rows in _chunks(np.arange(len(e)), clusters):
            assign[rows] = np.argmax(e[rows] @ centroids.T, axis=1)
        member = sp.csr_matrix(
            (np.ones(len(e), dtype=np.float32), (assign, np.arange(len(e)))), (clusters, len(e))
        )
        sums = np.asarray(member @ e)
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        sums[empty] = centroids[empty]
        norms[empty] = 1.0
        centroids = (sums / norms[:, np.newaxis]).astype(np.float32)
    return assign, centroids


def clustered_nearest(
    model: PeerModel, k: int, *, probes: int = 8, cluster_size: int = 300, spread: int = 2
) -> Neighbours:
    """Missions clustered in a low-dimensional projection; each cluster's missions are scored exactly
    against the members of its ``probes`` nearest clusters (its own first). Near-exact, ~n·probes·size work.
    """
    n = len(model.features)
    scorer = _Scorer(model)
    clusters = max(1, min(n // max(cluster_size, 1), n))
    e = _embedding(scorer, PROJECTION_DIMS)
    assign, centroids = _kmeans(e, clusters)
    # a candidate sits in its `spread` nearest clusters, so a query near a border still meets it
    owners = np.empty((n, min(spread, clusters)), dtype=np.int64)
    for rows in _chunks(np.arange(n), clusters):
        sims = e[rows] @ centroids.T
        owners[rows] = np.argpartition(-sims, owners.shape[1] - 1, axis=1)[:, : owners.shape[1]]
    owners[:, 0] = assign
    flat = owners.ravel()
    sorted_rows = np.repeat(np.arange(n), owners.shape[1])[np.argsort(flat, kind="stable")]
    bounds = np.searchsorted(np.sort(flat), np.arange(clusters + 1))
    pool = [sorted_rows[bounds[c] : bounds[c + 1]] for c in range(clusters)]
    members = [np.flatnonzero(assign == c) for c in range(clusters)]
    near = np.argsort(-(centroids @ centroids.T), axis=1, kind="stable")[:, : min(probes, clusters)]
    idx = np.full((n, k), -1, dtype=np.int64)
    val = np.zeros((n, k), dtype=np.float32)
    for c in range(clusters):
        if not len(members[c]):
            continue
        cands = np.unique(np.concatenate([pool[p] for p in near[c]]))
        for rows in _chunks(members[c], len(cands)):
            idx[rows], val[rows] = _top(scorer.scores(rows, cands), rows, cands, k)
    return idx, val


def nearest(model: PeerModel, k: int, *, exact: bool | None = None) -> Neighbours:
    """The k best peers of every mission: exact up to ``EXACT_MAX`` missions, clustered above."""
    if exact is None:
        exact = len(model.features) <= EXACT_MAX
    if len(model.features) == 0:
        return np.zeros((0, k), dtype=np.int64), np.zeros((0, k), dtype=np.float32)
    return exact_nearest(model, k) if exact else clustered_nearest(model, k)
