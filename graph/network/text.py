"""Lexical goal-text vectors (TF-IDF over title and goal words), kept inside graph/ with scipy."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.stopwords import MISSION_WORDS, STOP_WORDS

__all__ = ["TextMatrix", "build_text_matrix", "tokens", "embedding_text"]

_WORD = re.compile(r"[a-z][a-z\-]+[a-z]")
#: function words and words every mission uses: they say nothing about what a mission is about
STOPWORDS = STOP_WORDS | MISSION_WORDS


def tokens(text: str) -> list[str]:
    """Lower-cased content words; a trailing plural "s" is dropped so that the stem stays a substring."""
    out = []
    # hyphenated compounds count by their parts too ("climate-resilient" meets "climate resilient")
    words = []
    for w in _WORD.findall(text.lower()):
        words.append(w)
        if "-" in w:
            words.extend(part for part in w.split("-") if len(part) > 2)
    for word in words:
        if word in STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in STOPWORDS:
            out.append(word)
    return out


def embedding_text(title: str, goal: str, fields: Sequence[str] = (), answers: str = "") -> str:
    """The one text a mission (or a response) is embedded by, in the search index, the peer model, the
    CLI and ``make eval`` alike: title, goal (or answers) and the labels of its challenge fields."""
    parts = [title, goal, answers]
    if fields:
        parts.append("Fields: " + ", ".join(fields))
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip())


@dataclass
class TextMatrix:
    """L2-normalised TF-IDF rows (missions × terms); a row product is the cosine similarity."""

    matrix: sp.csr_matrix
    terms: list[str]
    idf: np.ndarray


def build_text_matrix(texts: list[str]) -> TextMatrix:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    df: Counter[int] = Counter()
    for r, text in enumerate(texts):
        counts = Counter(tokens(text))
        for word, n in counts.items():
            c = vocab.setdefault(word, len(vocab))
            rows.append(r)
            cols.append(c)
            vals.append(1.0 + math.log(n))
            df[c] += 1
    n = max(len(texts), 1)
    idf = np.ones(len(vocab), dtype=np.float32)
    for c, d in df.items():
        idf[c] = math.log((1 + n) / (1 + d)) + 1.0
    m = sp.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocab)))
    m = sp.csr_matrix(m.multiply(idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = sp.csr_matrix(sp.diags(1.0 / norms) @ m, dtype=np.float32)
    m.sort_indices()
    return TextMatrix(m, list(vocab), idf)
