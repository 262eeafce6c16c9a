"""Goal-meaning candidates at scale: mission vectors projected on their main directions when the view is
built, so that a query scores every mission on a few dozen numbers and the full product runs on a few
hundred candidates only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Projection",
    "project",
    "candidate_count",
    "recall",
    "PROJECTION_DIMS",
    "CANDIDATE_MIN",
    "MIN_CANDIDATES",
    "PER_RESULT",
]

#: dimensions kept of the 384 (MiniLM vectors: ~0.8 of the energy in 64 directions on the missions)
PROJECTION_DIMS = 64
#: from this many missions up, ``PeerModel.top`` takes the candidate stage; below, the full product costs
#: less than a millisecond and stays exact
CANDIDATE_MIN = 20_000
#: missions rescored with the full vectors per query, at least ...
MIN_CANDIDATES = 500
#: ... and per result asked for (limit 100 rescores 2,000)
PER_RESULT = 20
#: rows per block while building (bounds the float32 temporaries to ~25 MB whatever n is)
BATCH = 16_384


@dataclass(frozen=True)
class Projection:
    """An orthonormal basis of the vectors' main directions and every mission's coordinates in it."""

    #: 384 × d, orthonormal columns (the leading eigenvectors of the vectors' second-moment matrix)
    basis: np.ndarray
    #: n × d float32, each mission's vector times ``basis``
    rows: np.ndarray

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Every mission's approximate cosine to a unit query vector (the projected inner product)."""
        out: np.ndarray = self.rows @ (vector @ self.basis).astype(np.float32)
        return out


def project(vectors: np.ndarray, dims: int = PROJECTION_DIMS) -> Projection:
    """The rank-``dims`` projection that best keeps the inner products among ``vectors`` (unit rows).

    The second-moment matrix is summed a block of rows at a time (float64, 384 × 384), its leading
    eigenvectors are the basis; then the rows are projected block by block. ~1 s for 100k missions.
    """
    n, width = vectors.shape
    d = max(1, min(dims, width))
    gram = np.zeros((width, width), dtype=np.float64)
    for start in range(0, n, BATCH):
        block = vectors[start : start + BATCH]
        gram += (block.T @ block).astype(np.float64)
    values, vecs = np.linalg.eigh(gram)  # ascending
    basis = np.ascontiguousarray(vecs[:, ::-1][:, :d], dtype=np.float32)
    rows = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, BATCH):
        rows[start : start + BATCH] = vectors[start : start + BATCH] @ basis
    return Projection(basis, rows)


def candidate_count(
    limit: int, n: int, *, minimum: int = MIN_CANDIDATES, per_result: int = PER_RESULT
) -> int:
    """How many candidates to rescore exactly for ``limit`` results among ``n`` missions."""
    return min(n, max(minimum, per_result * limit))


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    """The share of the exact top lists' members that the found lists hold (1.0 when both are empty)."""
    total = sum(len(e) for e in exact)
    if total == 0:
        return 1.0
    hit = sum(len(set(f) & set(e)) for f, e in zip(found, exact, strict=True))
    return hit / total
