"""Peer scoring with scipy.sparse: per-dimension similarity rows, weighted and explained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from graph.errors import InvalidInputError, NotFoundError
from graph.network.features import DimensionMatrix, Features
from graph.network.weights import DCT, DIMENSIONS, MG, SEMANTIC_SHARE, SKOS_NS, TEXT_DIMENSION
from ontology.vocab import country_iri

__all__ = ["PeerModel", "Peer", "SharedDimension", "Query", "evidence_query", "profile_evidence_query"]

#: goal terms named in an explanation, at most
MAX_TERMS = 8


@dataclass
class SharedDimension:
    name: str
    label: str
    similarity: float
    #: this dimension's part of the peer's score (the parts add up to 1)
    share: float
    #: shared values: {"label", "term"} (term in N-Triples syntax; goal-text terms are plain words)
    shared: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.name,
            "label": self.label,
            "similarity": round(self.similarity, 4),
            "share": round(self.share, 4),
            "shared": [s["label"] for s in self.shared],
            "shared_terms": [s["term"] for s in self.shared],
        }


@dataclass
class Peer:
    id: str
    iri: str
    title: str
    score: float
    explanation: list[SharedDimension]
    sparql: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "title": self.title,
            "score": round(self.score, 4),
            "explanation": [d.as_dict() for d in self.explanation],
            "sparql": self.sparql,
        }


@dataclass
class Query:
    """What peers are sought for: per dimension the column indices set, plus text rows."""

    cols: dict[str, np.ndarray]
    text: np.ndarray | None  # dense TF-IDF row
    vector: np.ndarray | None  # semantic vector
    row: int | None = None  # the mission itself, excluded from its peers


class PeerModel:
    """Scores every mission against one query in one sparse product; explains the top ones.

    Each dimension is a block of unit-length rows (binary, or IDF-weighted for ``idf-cosine``), so a
    block's row product is that dimension's cosine similarity. The blocks, each scaled by its weight,
    and the goal-text TF-IDF block are stacked into one matrix: the weighted sum of every dimension's
    similarity is one ``csr_matvec`` (the per-dimension parts are recomputed only for the top peers).
    """

    def __init__(self, features: Features, text_vectors: np.ndarray | None = None) -> None:
        self.features = features
        n = len(features)
        self.vectors: np.ndarray | None = None
        if text_vectors is not None:
            if text_vectors.shape[0] != n:
                raise InvalidInputError(f"text vectors have {text_vectors.shape[0]} rows for {n} missions")
            v = np.asarray(text_vectors, dtype=np.float32)
            norms = np.linalg.norm(v, axis=1)
            norms[norms == 0] = 1.0
            self.vectors = v / norms[:, np.newaxis]
        probe = {d.name: np.zeros(1) for d in DIMENSIONS} | {"goal-text": np.zeros(1)}
        if self.vectors is not None:
            probe["goal-semantic"] = np.zeros(1)
        self.weights = self.weights_for(probe)
        self._colw: dict[str, np.ndarray] = {}
        self._block: dict[str, sp.csr_matrix] = {}
        self._offset: dict[str, int] = {}
        blocks: list[sp.csr_matrix] = []
        offset = 0
        for name, dm in features.dims.items():
            m = dm.matrix
            if dm.dimension.measure == "idf-cosine":
                df = np.asarray(m.sum(axis=0)).ravel()
                colw = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
            else:
                colw = np.ones(m.shape[1], dtype=np.float32)
            w = sp.csr_matrix(m.multiply(colw[np.newaxis, :]), dtype=np.float32)
            norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            block = sp.csr_matrix(sp.diags(1.0 / norms) @ w, dtype=np.float32)
            self._colw[name] = colw
            self._block[name] = block
            self._offset[name] = offset
            offset += block.shape[1]
            blocks.append(block * self.weights[name])
        self._offset["goal-text"] = offset
        blocks.append(features.text.matrix * self.weights["goal-text"])
        self._stacked = sp.csr_matrix(sp.hstack(blocks, format="csr"), dtype=np.float32)

    # --- queries ---------------------------------------------------------------------------------
    def row(self, mission_id: str) -> int:
        try:
            return self.features.row_of[mission_id]
        except KeyError:
            raise NotFoundError(f"no mission with id {mission_id!r}", id=mission_id) from None

    def query_for_row(self, row: int) -> Query:
        f = self.features
        cols = {name: dm.values_of(row) for name, dm in f.dims.items()}
        text = f.text.matrix[row].toarray().ravel()
        vector = self.vectors[row] if self.vectors is not None else None
        return Query(cols, text, vector, row)

    def query_for_profile(self, profile: Mapping[str, Sequence[str]]) -> Query:
        """A query from a respondent profile: dimension name → codes or IRIs (``{"risk": ["silos"]}``)."""
        cols: dict[str, np.ndarray] = {}
        for name, dm in self.features.dims.items():
            wanted = [str(v) for v in profile.get(name, ())]
            if name == "country":  # alpha-3 (DNK), alpha-2 (DK) or a name: the country's IRI
                wanted = [country_iri(w) or w for w in wanted]
            hits = [
                i
                for i, term in enumerate(dm.terms)
                if any(
                    term == f"<{w}>" or term.strip("<>").rstrip("/").endswith(f"/{w}") or term == f'"{w}"'
                    for w in wanted
                )
            ]
            cols[name] = np.asarray(sorted(hits), dtype=np.int32)
        unknown = set(profile) - set(self.features.dims) - {"goal"}
        if unknown:
            raise InvalidInputError(f"unknown profile dimensions: {', '.join(sorted(unknown))}")
        goal = " ".join(profile.get("goal", ()))
        text = None
        if goal:
            from graph.network.text import tokens

            tm = self.features.text
            index = {t: i for i, t in enumerate(tm.terms)}
            vec = np.zeros(len(tm.terms), dtype=np.float32)
            for tok in tokens(goal):
                if tok in index:
                    vec[index[tok]] += tm.idf[index[tok]]
            norm = float(np.linalg.norm(vec))
            text = vec / norm if norm else None
        return Query(cols, text, None, None)

    # --- scoring ---------------------------------------------------------------------------------
    def _unit(self, name: str, cols: np.ndarray) -> np.ndarray:
        w: np.ndarray = self._colw[name][cols]
        out: np.ndarray = w / float(np.sqrt((w**2).sum()))
        return out

    def similarities(self, q: Query) -> dict[str, np.ndarray]:
        """Per dimension, the similarity of every mission to the query (dense, one float per mission)."""
        out: dict[str, np.ndarray] = {}
        for name, cols in q.cols.items():
            if len(cols) == 0:
                continue
            block = self._block[name]
            qv = np.zeros(block.shape[1], dtype=np.float32)
            qv[cols] = self._unit(name, cols)
            out[name] = block @ qv
        if q.text is not None and q.text.any():
            out["goal-text"] = self.features.text.matrix @ q.text
        if q.vector is not None and self.vectors is not None:
            out["goal-semantic"] = np.clip(self.vectors @ q.vector, 0.0, None)
        return out

    def weights_for(self, sims: Mapping[str, object]) -> dict[str, float]:
        weights = {d.name: d.weight for d in DIMENSIONS if d.name in sims}
        if "goal-text" in sims or "goal-semantic" in sims:
            total = TEXT_DIMENSION.weight
            if "goal-text" in sims and "goal-semantic" in sims:
                weights["goal-text"] = total * (1 - SEMANTIC_SHARE)
                weights["goal-semantic"] = total * SEMANTIC_SHARE
            else:
                weights["goal-text" if "goal-text" in sims else "goal-semantic"] = total
        return weights

    def scores(self, q: Query) -> np.ndarray:
        """The peer score of every mission: Σ weight × similarity / Σ weights the query has values on."""
        qv = np.zeros(self._stacked.shape[1], dtype=np.float32)
        present = 0.0
        for name, cols in q.cols.items():
            if len(cols):
                qv[self._offset[name] + cols] = self._unit(name, cols)
                present += self.weights[name]
        if q.text is not None and q.text.any():
            qv[self._offset["goal-text"] :] = q.text
            present += self.weights["goal-text"]
        total = self._stacked @ qv
        if q.vector is not None and self.vectors is not None:
            total += self.weights["goal-semantic"] * np.clip(self.vectors @ q.vector, 0.0, None)
            present += self.weights["goal-semantic"]
        scores: np.ndarray = total / (present or 1.0)
        return scores

    def top(self, q: Query, limit: int, *, exclude: Sequence[int] = ()) -> list[tuple[int, float]]:
        if limit < 1:
            raise InvalidInputError("limit must be at least 1")
        scores = self.scores(q)
        skip = list(exclude) + ([q.row] if q.row is not None else [])
        if skip:
            scores[skip] = -1.0
        k = min(limit, len(scores) - len(skip))
        if k <= 0:
            return []
        idx = np.argpartition(-scores, k - 1)[:k]
        order = sorted(idx.tolist(), key=lambda i: (-float(scores[i]), self.features.ids[i]))
        return [(i, float(scores[i])) for i in order if scores[i] > 0]

    # --- peers with explanations ------------------------------------------------------------------
    def peers(self, mission_id: str, limit: int = 10) -> list[Peer]:
        row = self.row(mission_id)
        q = self.query_for_row(row)
        return [self.peer(q, other, score) for other, score in self.top(q, limit)]

    def peers_for_profile(self, profile: Mapping[str, Sequence[str]], limit: int = 10) -> list[Peer]:
        """Peers of a respondent profile that is not (yet) a mission in the store."""
        q = self.query_for_profile(profile)
        if not any(len(c) for c in q.cols.values()) and q.text is None:
            raise InvalidInputError(
                "the profile names no known concept and no goal words",
                expected='dimension names with codes, e.g. {"challenge-field": ["climate"]}',
            )
        return [self.peer(q, other, score) for other, score in self.top(q, limit)]

    def peer(self, q: Query, other: int, score: float) -> Peer:
        f = self.features
        explanation = self.explain(q, other)
        sparql = (
            evidence_query(f.mission_iris[q.row], f.mission_iris[other], explanation)
            if q.row is not None
            else profile_evidence_query(f.mission_iris[other], explanation)
        )
        return Peer(f.ids[other], f.mission_iris[other], f.titles[other], score, explanation, sparql)

    def explain(self, q: Query, other: int) -> list[SharedDimension]:
        """Each dimension's similarity, share of the score and shared values for one candidate."""
        f = self.features
        sims: dict[str, float] = {}
        shared: dict[str, list[dict[str, str]]] = {}
        for name, cols in q.cols.items():
            if len(cols) == 0:
                continue
            dm: DimensionMatrix = f.dims[name]
            theirs = dm.values_of(other)
            common = sorted(set(cols.tolist()) & set(theirs.tolist()))
            if common:
                colw = self._colw[name]
                a = float(np.sqrt((colw[cols] ** 2).sum()))
                b = float(np.sqrt((colw[theirs] ** 2).sum()))
                sims[name] = float((colw[common] ** 2).sum()) / (a * b)
            else:
                sims[name] = 0.0
            shared[name] = [{"label": dm.labels[c], "term": dm.terms[c]} for c in common]
        if q.text is not None and q.text.any():
            t = f.text.matrix
            lo, hi = t.indptr[other], t.indptr[other + 1]
            idx, contrib = t.indices[lo:hi], t.data[lo:hi] * q.text[t.indices[lo:hi]]
            sims["goal-text"] = float(contrib.sum())
            best = [int(idx[i]) for i in np.argsort(-contrib)[:MAX_TERMS] if contrib[i] > 0]
            shared["goal-text"] = [{"label": f.text.terms[i], "term": f.text.terms[i]} for i in best]
        if q.vector is not None and self.vectors is not None:
            sims["goal-semantic"] = max(0.0, float(self.vectors[other] @ q.vector))
            shared["goal-semantic"] = []
        weights = self.weights_for(sims)
        parts = {n: weights[n] * s for n, s in sims.items()}
        total = sum(parts.values()) or 1.0
        out = [
            SharedDimension(
                n,
                "goal meaning" if n == "goal-semantic" else _label(n),
                sims[n],
                parts[n] / total,
                shared[n],
            )
            for n in sims
            if parts[n] > 0
        ]
        out.sort(key=lambda d: -d.share)
        return out


def _label(name: str) -> str:
    from graph.network.weights import dimension

    return dimension(name).label


def evidence_query(a: str, b: str, explanation: Sequence[SharedDimension]) -> str:
    """A SPARQL query that lists, from the store, the values both missions share per dimension."""
    blocks = []
    for d in DIMENSIONS:
        blocks.append(f'  {{ BIND("{d.name}" AS ?dimension) ?a {d.path} ?value . ?b {d.path} ?value . }}')
    words = [s["term"] for e in explanation if e.name == "goal-text" for s in e.shared]
    if words:
        values = " ".join(f'"{w}"' for w in words)
        blocks.append(
            f'  {{ BIND("goal-text" AS ?dimension) VALUES ?value {{ {values} }}\n'
            f"    ?a <{DCT}title>|<{MG}goalStatement> ?ta . FILTER(CONTAINS(LCASE(STR(?ta)), ?value))\n"
            f"    ?b <{DCT}title>|<{MG}goalStatement> ?tb . FILTER(CONTAINS(LCASE(STR(?tb)), ?value)) }}"
        )
    union = "\n  UNION\n".join(blocks)
    return (
        "SELECT ?dimension ?value (SAMPLE(?l) AS ?label) WHERE {\n"
        f"  VALUES (?a ?b) {{ (<{a}> <{b}>) }}\n"
        f"{union}\n"
        f"  OPTIONAL {{ ?value <{SKOS_NS}prefLabel> ?l }}\n"
        "} GROUP BY ?dimension ?value ORDER BY ?dimension ?value"
    )


def profile_evidence_query(b: str, explanation: Sequence[SharedDimension]) -> str:
    """A SPARQL query showing, from the store, that mission ``b`` holds the profile values it shares."""
    by_name = {d.name: d for d in DIMENSIONS}
    blocks = []
    for e in explanation:
        if e.name in by_name and e.shared:
            values = " ".join(s["term"] for s in e.shared)
            path = by_name[e.name].path
            blocks.append(
                f'  {{ BIND("{e.name}" AS ?dimension) VALUES ?value {{ {values} }} ?b {path} ?value . }}'
            )
    words = [s["term"] for e in explanation if e.name == "goal-text" for s in e.shared]
    if words:
        values = " ".join(f'"{w}"' for w in words)
        blocks.append(
            f'  {{ BIND("goal-text" AS ?dimension) VALUES ?value {{ {values} }}\n'
            f"    ?b <{DCT}title>|<{MG}goalStatement> ?tb . FILTER(CONTAINS(LCASE(STR(?tb)), ?value)) }}"
        )
    union = "\n  UNION\n".join(blocks) or "  FILTER(false)"
    return (
        "SELECT ?dimension ?value (SAMPLE(?l) AS ?label) WHERE {\n"
        f"  VALUES ?b {{ <{b}> }}\n"
        f"{union}\n"
        f"  OPTIONAL {{ ?value <{SKOS_NS}prefLabel> ?l }}\n"
        "} GROUP BY ?dimension ?value ORDER BY ?dimension ?value"
    )
