"""Fusion of lexical (BM25F) and semantic (cosine) scores into one ranking."""

from __future__ import annotations

import numpy as np

__all__ = [
    "fuse",
    "order_keys",
    "relevance_floor",
    "SEMANTIC_WEIGHT",
    "SYNTHETIC_PRIOR",
    "SYNTHETIC_DEMOTION",
    "SEMANTIC_FLOOR",
    "TYPE_PRIOR",
    "MIN_SCORE",
    "RELATIVE_FLOOR",
]

#: share of the fused score that comes from the sentence embedding
SEMANTIC_WEIGHT = 0.7
#: a document with no query word is a candidate only when its cosine reaches this
SEMANTIC_FLOOR = 0.3
#: concepts are the vocabulary's entries, not missions or experiences: short texts that match many
#: queries loosely. They lead only when the query names them ("silos"), not for a description of work
TYPE_PRIOR = {"mission": 1.0, "response": 1.0, "concept": 0.7}
#: made-up items (``mg:synthetic true``) rank below equally relevant real ones: real missions first.
#: A synthetic item still leads when it matches clearly better, and it is always marked.
SYNTHETIC_PRIOR = 0.8
#: the relevance floor (docs/search.md, decisions/0004): a candidate counts as a result only when its
#: fused score reaches MIN_SCORE (a cosine of ~0.36 with no query word, or the best lexical match
#: with a cosine near 0) and RELATIVE_FLOOR times the best candidate's score (the semantic tail of a
#: one-word query: "soil" had 203 candidates down to 0.09)
MIN_SCORE = 0.2
RELATIVE_FLOOR = 0.33
#: real first (issue 9, decisions/0004): the order of results is by ``score - SYNTHETIC_DEMOTION`` for
#: made-up items. Fused scores lie in 0..1, so 1.0 puts every synthetic result after every real result
#: that passes the relevance floor; among the real ones, and among the synthetic ones, the score orders
SYNTHETIC_DEMOTION = 1.0


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


def relevance_floor(scores: np.ndarray) -> float:
    """The least fused score that counts as a result among candidates scored ``scores``."""
    best = float(scores.max()) if len(scores) else 0.0
    return max(MIN_SCORE, RELATIVE_FLOOR * best)


def order_keys(scores: np.ndarray, synthetic: np.ndarray) -> np.ndarray:
    """The keys results are ordered (and paged) by: the score, made-up items demoted after real ones.

    ``scores`` are the candidates' fused scores (after the priors), ``synthetic`` their flags. The
    score a result shows stays its fused score; only the order puts real results first.
    """
    keys: np.ndarray = scores - SYNTHETIC_DEMOTION * synthetic.astype(np.float64)
    return keys
