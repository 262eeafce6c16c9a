"""Cosine scores of the query against the document embeddings: exact, or over the nearest clusters."""

from __future__ import annotations

import numpy as np

__all__ = ["SemanticIndex", "IVF_MIN_DOCUMENTS"]

#: from this many documents on, only the clusters nearest the query are scored (an inverted file,
#: as ANN libraries do): a full product over 100k x 384 floats reads 150 MB per query
IVF_MIN_DOCUMENTS = 20_000
_KMEANS_ROUNDS = 6


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    # einsum, not BLAS: multi-threaded OpenBLAS spins on a busy machine, and a matrix-vector
    # product is bound by memory bandwidth anyway
    result: np.ndarray = np.einsum("ij,j->i", matrix, vector)
    return result


class SemanticIndex:
    """Document vectors (unit length); ``scores`` gives each document's cosine to a query vector.

    Below ``ivf_min`` documents every document is scored. From there on the vectors are clustered
    (seeded k-means, sqrt(n) clusters) and kept in cluster order, so that a query reads only the
    eighth of the clusters nearest to it, as contiguous blocks.
    """

    def __init__(
        self,
        embeddings: np.ndarray,
        *,
        ivf_min: int = IVF_MIN_DOCUMENTS,
        centroids: np.ndarray | None = None,
    ) -> None:
        """``centroids`` saved from an earlier index (``self.centroids``) skip the k-means training."""
        self.n = len(embeddings)
        self.centroids: np.ndarray | None = None
        self._flat: np.ndarray | None = embeddings
        if self.n >= ivf_min:
            if centroids is not None and len(centroids):
                self._cluster(embeddings, np.asarray(centroids, dtype=np.float32))
            else:
                self._train(embeddings)

    def vectors(self) -> np.ndarray:
        """The vectors in document order."""
        if self._flat is not None:
            return self._flat
        out = np.empty_like(self.sorted)
        out[self.order] = self.sorted
        return out

    def _train(self, vectors: np.ndarray) -> None:
        k = int(np.sqrt(self.n))
        rng = np.random.default_rng(0)  # seeded: a rebuild gives the same clusters and answers
        centroids = vectors[rng.choice(self.n, k, replace=False)].astype(np.float32)
        for _ in range(_KMEANS_ROUNDS):
            assign = self._nearest(vectors, centroids)
            order = np.argsort(assign, kind="stable")
            counts = np.bincount(assign, minlength=k)
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            present = counts > 0
            sums = np.zeros_like(centroids)
            sums[present] = np.add.reduceat(vectors[order], starts[present], axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            filled = norms[:, 0] > 0
            centroids[filled] = sums[filled] / norms[filled]  # an empty cluster keeps its centre
        self._cluster(vectors, centroids)

    def _cluster(self, vectors: np.ndarray, centroids: np.ndarray) -> None:
        k = len(centroids)
        assign = self._nearest(vectors, centroids)
        self.centroids = centroids
        self.order = np.argsort(assign, kind="stable")
        self.rank = np.empty(self.n, dtype=np.int64)  # document position -> row in `sorted`
        self.rank[self.order] = np.arange(self.n)
        self.bounds = np.searchsorted(assign[self.order], np.arange(k + 1))
        self.sorted = np.ascontiguousarray(vectors[self.order])
        self._flat = None
        self.probes = max(8, k // 8)

    @staticmethod
    def _nearest(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
        out = np.empty(len(vectors), dtype=np.int64)
        for start in range(0, len(vectors), 8192):  # bounded memory
            out[start : start + 8192] = np.argmax(vectors[start : start + 8192] @ centroids.T, axis=1)
        return out

    def scores(self, query: np.ndarray, must: np.ndarray) -> np.ndarray:
        """Cosines; documents outside the probed clusters and not in ``must`` get -1 (not candidates)."""
        if self._flat is not None:
            return _dot(self._flat, query)
        assert self.centroids is not None
        near = np.argpartition(-_dot(self.centroids, query), self.probes)[: self.probes]
        sem = np.full(self.n, -1.0, dtype=np.float32)
        for c in near:
            lo, hi = self.bounds[c], self.bounds[c + 1]
            sem[self.order[lo:hi]] = _dot(self.sorted[lo:hi], query)
        if len(must):
            sem[must] = _dot(self.sorted[self.rank[must]], query)
        return sem
