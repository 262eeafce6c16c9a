"""Embeddings: the shipped model runs, and the clustered scorer agrees with the exact one."""

from __future__ import annotations

import numpy as np

from search.embeddings import DIMENSIONS, Embedder
from search.semantic import SemanticIndex


def test_embedder_gives_unit_vectors_that_rank_by_meaning() -> None:
    embedder = Embedder()
    vectors = embedder.encode(
        ["young people feeling lonely", "loneliness among teenagers", "offshore wind turbines"]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    # int8 activations are quantized per batch, so a text alone and in a batch differ a little
    assert embedder.encode_one("young people feeling lonely") @ vectors[0] > 0.98
    assert embedder.encode([]).shape == (0, DIMENSIONS)


def _clustered(n: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, 32))
    vectors = (centres[rng.integers(0, 40, n)] + rng.normal(size=(n, 32)) * 0.7).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_clustered_scores_match_exact_ones_where_computed() -> None:
    vectors = _clustered(3000)
    exact = SemanticIndex(vectors, ivf_min=10**9)
    clustered = SemanticIndex(vectors, ivf_min=1000)
    assert clustered.centroids is not None and exact.centroids is None
    assert np.array_equal(clustered.vectors(), vectors)  # document order restored
    rng = np.random.default_rng(0)
    overlaps = []
    for _ in range(20):
        query = vectors[rng.integers(3000)]
        must = np.array([5, 17, 2999])
        full = exact.scores(query, must)
        approx = clustered.scores(query, must)
        computed = approx > -1
        assert np.allclose(approx[computed], full[computed], atol=1e-5)
        assert computed[must].all()  # lexical matches always get their exact cosine
        overlaps.append(len(set(np.argsort(-full)[:50]) & set(np.argsort(-approx)[:50])) / 50)
    assert np.mean(overlaps) >= 0.9  # the nearest neighbours are found
