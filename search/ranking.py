"""Fusion of lexical (BM25F) and semantic (cosine) scores into one ranking."""

from __future__ import annotations

import numpy as np

__all__ = ["fuse", "SEMANTIC_WEIGHT", "SEMANTIC_FLOOR", "TYPE_PRIOR"]

#: share of the fused score that comes from the sentence embedding
SEMANTIC_WEIGHT = 0.7
#: a document with no query word is a candidate only when its cosine reaches this
SEMANTIC_FLOOR = 0.3
#: concepts are the vocabulary's entries, not missions or experiences: short texts that match many
#: queries loosely. They lead only when the query names them ("silos"), not for a description of work
TYPE_PRIOR = {"mission": 1.0, "response": 1.0, "concept": 0.7}


def fuse(lex: np.ndarray, top: float, sem: np.ndarray | None) -> np.ndarray:
    """Fused scores of the candidates from their BM25F scores (``top`` the best) and cosines.

    BM25F scores are divided by the best one (so they lie in 0..1 like cosines) and mixed linearly
    with the cosine similarity. The candidates are the lexical matches and the semantic neighbours
    (cosine >= ``SEMANTIC_FLOOR``); the caller chooses them.
    """
    lex_norm = lex / top if top > 0 else lex
    if sem is None:
        return lex_norm.astype(np.float64)
    scores: np.ndarray = SEMANTIC_WEIGHT * sem.astype(np.float64) + (1 - SEMANTIC_WEIGHT) * lex_norm
    return scores
