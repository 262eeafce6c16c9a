"""Peer scoring with scipy.sparse: per-dimension similarity rows, weighted and explained."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from graph.errors import InvalidInputError, NotFoundError
from graph.network.candidates import (
    CANDIDATE_MIN,
    MIN_CANDIDATES,
    PROJECTION_DIMS,
    Projection,
    candidate_count,
    project,
)
from graph.network.features import DimensionMatrix, Features
from graph.network.text import embedding_text
from graph.network.weights import (
    DCT,
    DEFAULT_MODE,
    DIMENSIONS,
    LEXICAL_ONLY_WEIGHT,
    MG,
    MODES,
    SEMANTIC_SHARE,
    SKOS_NS,
    TEXT_DIMENSION,
    check_mode,
)
from graph.provenance import check_synthetic
from ontology.vocab import concepts, country_iri, resolve_code

__all__ = [
    "PeerModel",
    "Peer",
    "SharedDimension",
    "Query",
    "evidence_query",
    "profile_evidence_query",
    "PROFILE_SCHEMES",
]

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
    #: the candidate has no values here: the similarity is the typical one, assumed (nothing shared)
    assumed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.name,
            "label": self.label,
            "similarity": round(self.similarity, 4),
            "share": round(self.share, 4),
            "shared": [s["label"] for s in self.shared],
            "shared_terms": [s["term"] for s in self.shared],
            "assumed": self.assumed,
        }


@dataclass
class Peer:
    id: str
    iri: str
    title: str
    score: float
    explanation: list[SharedDimension]
    sparql: str
    synthetic: bool = False
    source: str = "catalogue"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "title": self.title,
            "synthetic": self.synthetic,
            "source": self.source,
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
    #: what explaining each peer of this query would otherwise recompute (priors, query-side norms)
    memo: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)


#: profile dimension → the concept schemes its codes (or labels) come from
PROFILE_SCHEMES: dict[str, tuple[str, ...]] = {
    "challenge-field": ("challenge-field",),
    "risk": ("risk",),
    "challenge": ("challenge",),
    "support-need": ("support-need",),
    "learning-need": ("learning-need",),
    "phase": ("phase",),
    "driver": ("external-driver", "internal-driver"),
    "funding-source": ("funding-source",),
    "level": ("level",),
    "sector": ("sector",),
}
SDG = "http://metadata.un.org/sdg/"


class PeerModel:
    """Scores every mission against one query in one sparse product; explains the top ones.

    Each dimension is a block of unit-length rows (binary, or IDF-weighted for ``idf-cosine``), so a
    block's row product is that dimension's cosine similarity. The blocks, each scaled by its weight
    in the default mode, and the goal-text TF-IDF block are stacked into one matrix: the weighted sum of
    every dimension's similarity is one ``csr_matvec`` (another mode rescales the query's entries; the
    per-dimension parts are recomputed only for the top peers). The sum is divided by the weights of
    the dimensions that count for that pair (``graph.network.weights.Mode``): the lead dimensions the
    query has values on, and the refining ones both missions have values on.
    """

    def __init__(
        self,
        features: Features,
        text_vectors: np.ndarray | None = None,
        *,
        projection_dims: int = PROJECTION_DIMS,
    ) -> None:
        self.features = features
        self.projection_dims = projection_dims
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
        #: the default mode's weights, which the stacked matrix carries
        self.weights = self.weights_for(probe)
        self._colw: dict[str, np.ndarray] = {}
        #: per dimension: each column's squared weight (a list, for explaining one pair at a time) and
        #: each mission's norm of its weighted values (its block row before scaling to unit length)
        self._colw2: dict[str, list[float]] = {}
        self._rownorm: dict[str, np.ndarray] = {}
        self._block: dict[str, sp.csr_matrix] = {}
        self._offset: dict[str, int] = {}
        #: per dimension, the mean unit row of the missions that have values on it
        self._mean: dict[str, np.ndarray] = {}
        blocks: list[sp.csr_matrix] = []
        offset = 0
        #: which missions have values on each dimension (columns: dimensions, goal text, goal meaning)
        self.dimension_names = [*features.dims, "goal-text", "goal-semantic"]
        self._has = np.zeros((n, len(self.dimension_names)), dtype=np.float32)
        for i, (name, dm) in enumerate(features.dims.items()):
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
            self._colw2[name] = (colw.astype(np.float64) ** 2).tolist()
            self._rownorm[name] = norms.astype(np.float64)
            self._block[name] = block
            self._offset[name] = offset
            offset += block.shape[1]
            blocks.append(block * self.weights[name])
            self._has[:, i] = np.diff(m.indptr) > 0
            holders = int(self._has[:, i].sum())
            self._mean[name] = (
                np.asarray(block.sum(axis=0)).ravel() / holders if holders else np.zeros(block.shape[1])
            ).astype(np.float32)
        self._offset["goal-text"] = offset
        blocks.append(features.text.matrix * self.weights["goal-text"])
        self._has[:, len(features.dims)] = np.diff(features.text.matrix.indptr) > 0
        if self.vectors is not None:
            self._has[:, len(features.dims) + 1] = np.linalg.norm(text_vectors, axis=1) > 0  # type: ignore[arg-type]
        self._stacked = sp.csr_matrix(sp.hstack(blocks, format="csr"), dtype=np.float32)
        self._lacks = 1.0 - self._has
        self._synthetic = np.asarray(features.synthetic, dtype=bool)
        #: texts → vectors with the model the mission vectors came from (set by whoever injected them):
        #: a profile's goal words then count by meaning too, as a mission's goal does
        self.embed: Callable[[list[str]], np.ndarray] | None = None
        if self.vectors is not None and n >= CANDIDATE_MIN:
            _ = self.projection  # with the view, not inside the first request

    # --- queries ---------------------------------------------------------------------------------
    def row(self, mission_id: str) -> int:
        try:
            return self.features.row_of[mission_id]
        except KeyError:
            raise NotFoundError(f"no mission with id {mission_id!r}", id=mission_id) from None

    def query_for_row(self, row: int) -> Query:
        f = self.features
        cols = {name: dm.values_of(row) for name, dm in f.dims.items()}
        t = f.text.matrix
        text = np.zeros(t.shape[1], dtype=t.dtype)
        lo, hi = t.indptr[row], t.indptr[row + 1]
        text[t.indices[lo:hi]] = t.data[lo:hi]
        vector = self.vectors[row] if self.vectors is not None else None
        return Query(cols, text, vector, row)

    def resolve_profile(self, profile: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """Profile values as RDF terms per dimension: codes, labels (as the named queries accept them)
        or IRIs. Unknown dimensions or values are an ``InvalidInputError`` naming the valid ones."""
        unknown_dims = set(profile) - set(self.features.dims) - {"goal"}
        if unknown_dims:
            raise InvalidInputError(
                f"unknown profile dimensions: {', '.join(sorted(unknown_dims))}",
                expected=", ".join([*self.features.dims, "goal"]),
            )
        out: dict[str, list[str]] = {}
        problems: list[str] = []
        expected: dict[str, str] = {}
        for name, values in profile.items():
            if name == "goal":
                continue
            terms: list[str] = []
            for raw in values:
                term = self._term(name, str(raw).strip())
                if term is None:
                    problems.append(f"{name}: {str(raw)[:80]!r} (valid: {self._valid(name)})")
                    expected[name] = self._valid(name)
                elif term not in terms:
                    terms.append(term)
            out[name] = terms
        if problems:
            raise InvalidInputError(
                f"unknown profile value(s): {'; '.join(problems)}",
                expected="; ".join(f"{k}: {v}" for k, v in expected.items()),
            )
        return out

    def _term(self, name: str, value: str) -> str | None:
        dm = self.features.dims[name]
        if value.startswith(("http://", "https://")):
            term = f"<{value}>"
            schemes = PROFILE_SCHEMES.get(name, ())
            known = term in dm.terms or any(value == c.iri for s in schemes for c in concepts(s))
            return term if known else None
        if name in PROFILE_SCHEMES:
            for scheme in PROFILE_SCHEMES[name]:
                code = resolve_code(scheme, value)
                if code is not None:
                    return f"<https://w3id.org/missiongraph/vocab/{scheme}/{code}>"
            return None
        if name == "country":  # alpha-3 (DNK), alpha-2 (DK) or a name
            iri = country_iri(value)
            return f"<{iri}>" if iri else None
        if name == "sdg":
            digits = value.lower().removeprefix("sdg").strip()
            return f"<{SDG}{int(digits)}>" if digits.isdigit() and 1 <= int(digits) <= 17 else None
        # programme, governing body: one of the values the missions have, by text or label
        wanted = value.casefold()
        for term, lab in zip(dm.terms, dm.labels, strict=True):
            if wanted in (lab.casefold(), term.strip('"<>').casefold()):
                return term
        return None

    def _valid(self, name: str) -> str:
        if name in PROFILE_SCHEMES:
            return ", ".join(c.code for s in PROFILE_SCHEMES[name] for c in concepts(s))
        if name == "country":
            return "ISO 3166 alpha-3 or alpha-2 codes, or country names"
        if name == "sdg":
            return "1 to 17"
        labels = sorted(set(self.features.dims[name].labels))
        return ", ".join(labels[:30]) + (" ..." if len(labels) > 30 else "")

    def query_for_profile(self, profile: Mapping[str, Sequence[str]]) -> Query:
        """A query from a respondent profile: dimension name → codes, labels or IRIs
        (``{"risk": ["silos"]}``); unknown dimensions or values are an ``InvalidInputError``."""
        wanted = self.resolve_profile(profile)
        cols: dict[str, np.ndarray] = {}
        for name, dm in self.features.dims.items():
            terms = set(wanted.get(name, ()))
            hits = [i for i, term in enumerate(dm.terms) if term in terms]
            cols[name] = np.asarray(sorted(hits), dtype=np.int32)
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
        vector = None
        if goal and self.embed is not None and self.vectors is not None:
            dm = self.features.dims["challenge-field"]
            fields = [
                dm.labels[c] for c in sorted(cols["challenge-field"].tolist(), key=lambda c: dm.terms[c])
            ]
            vector = np.asarray(self.embed([embedding_text("", goal, fields)])[0], dtype=np.float32)
            norm = float(np.linalg.norm(vector))
            vector = vector / norm if norm else None
        return Query(cols, text, vector, None)

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

    def weights_for(self, sims: Collection[str], mode: str = DEFAULT_MODE) -> dict[str, float]:
        """The weight of each dimension present in ``sims`` in a mode (0-weight dimensions left out)."""
        table = MODES[mode].weights
        weights = {d.name: table[d.name] for d in DIMENSIONS if d.name in sims and table.get(d.name, 0) > 0}
        total = table.get(TEXT_DIMENSION.name, 0.0)
        if total > 0 and ("goal-text" in sims or "goal-semantic" in sims):
            if "goal-text" in sims and "goal-semantic" in sims:
                weights["goal-text"] = total * (1 - SEMANTIC_SHARE)
                weights["goal-semantic"] = total * SEMANTIC_SHARE
            elif "goal-text" in sims:
                weights["goal-text"] = min(total, LEXICAL_ONLY_WEIGHT)
            else:
                weights["goal-semantic"] = total
        return weights

    def _present(self, q: Query) -> set[str]:
        names = {name for name, cols in q.cols.items() if len(cols)}
        if q.text is not None and q.text.any():
            names.add("goal-text")
        if q.vector is not None and self.vectors is not None:
            names.add("goal-semantic")
        return names

    def has_basis(self, q: Query, mode: str = DEFAULT_MODE) -> bool:
        """Whether the query has values on a lead dimension of the mode (else nothing can be scored)."""
        lead = MODES[mode].lead | ({"goal-semantic"} if "goal-text" in MODES[mode].lead else set())
        return bool(self._present(q) & lead)

    def _is_lead(self, name: str, mode: str) -> bool:
        return (name if name != "goal-semantic" else "goal-text") in MODES[mode].lead

    def prior(self, name: str, cols: np.ndarray) -> float:
        """The query's mean similarity on a dimension to the missions that have values on it: what a
        mission without values there is assumed to score (neither a match nor a mismatch)."""
        return float(self._mean[name][cols] @ self._unit(name, cols))

    def _parts(self, q: Query, mode: str) -> tuple[np.ndarray, float, np.ndarray, float]:
        """The query as the stacked matrix's column vector, the weights it divides by, what a mission
        without values on each refining dimension is assumed to score, and the goal-meaning weight."""
        weights = self.weights_for(self._present(q), mode)
        qv = np.zeros(self._stacked.shape[1], dtype=np.float32)
        present = 0.0
        assumed = np.zeros(len(self.dimension_names), dtype=np.float32)
        for i, name in enumerate(self.dimension_names):
            w = weights.get(name, 0.0)
            if w <= 0:
                continue
            present += w
            if name == "goal-text":
                assert q.text is not None
                qv[self._offset["goal-text"] :] = q.text * (w / self.weights["goal-text"])
            elif name != "goal-semantic":
                cols = q.cols[name]
                qv[self._offset[name] + cols] = self._unit(name, cols) * (w / self.weights[name])
                if not self._is_lead(name, mode):
                    assumed[i] = w * self.prior(name, cols)
        w_sem = weights.get("goal-semantic", 0.0)
        if q.vector is None or self.vectors is None:
            w_sem = 0.0
        return qv, present, assumed, w_sem

    def _finish(
        self, total: np.ndarray, assumed: np.ndarray, present: float, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Weighted similarity sums → scores: the assumed part added where there is evidence, divided
        by the weights that count (``rows``: the missions ``total`` is about, None for every one)."""
        evidence = total > 0
        lacks = self._lacks if rows is None else self._lacks[rows]
        total = total + lacks @ assumed
        scores: np.ndarray = np.where(evidence, total / (present or 1.0), 0.0).astype(np.float32)
        return scores

    def scores(self, q: Query, mode: str = DEFAULT_MODE) -> np.ndarray:
        """The peer score of every mission: Σ weight × similarity / Σ weights the query has values on.

        On a refining dimension of the mode, a mission without values scores the query's mean similarity
        to the missions that have some (``prior``), so a mission nobody answered the survey about is not
        pushed below answered ones by the questions it has no answers to. A mission with no similarity
        at all on what the query has scores 0.
        """
        mode = check_mode(mode)
        qv, present, assumed, w_sem = self._parts(q, mode)
        total = self._stacked @ qv
        if w_sem > 0:
            assert q.vector is not None and self.vectors is not None
            total += w_sem * np.clip(self.vectors @ q.vector, 0.0, None)
        return self._finish(total, assumed, present)

    @cached_property
    def projection(self) -> Projection | None:
        """The mission vectors on their main directions (``graph.network.candidates``); built with the
        view when there are ``CANDIDATE_MIN`` missions or more, else on first use."""
        if self.vectors is None or not len(self.vectors):
            return None
        return project(self.vectors, self.projection_dims)

    def candidate_scores(
        self,
        q: Query,
        mode: str = DEFAULT_MODE,
        *,
        exact: bool | None = None,
        candidates: int | None = None,
        drop: np.ndarray | None = None,
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """(rows, their scores): every mission's exact score (rows None) or, with goal meaning at scale,
        exact scores of the ``candidates`` missions that score best with projected vectors.

        ``exact`` None takes the candidate stage from ``CANDIDATE_MIN`` missions up; ``candidates`` None
        rescores ``MIN_CANDIDATES``; ``drop`` (a mask) marks missions never to take as candidates. Every
        other part of the score is exact for every mission, so only a mission whose goal meaning the
        projection underrates by more than the candidates' margin is missed.
        """
        mode = check_mode(mode)
        qv, present, assumed, w_sem = self._parts(q, mode)
        base = self._stacked @ qv
        n = len(base)
        if exact is None:
            exact = n < CANDIDATE_MIN
        if w_sem <= 0:
            return None, self._finish(base, assumed, present)
        assert q.vector is not None and self.vectors is not None
        projection = None if exact else self.projection
        m = min(n, candidates if candidates is not None else MIN_CANDIDATES)
        if projection is None or m >= n:
            return None, self._finish(
                base + w_sem * np.clip(self.vectors @ q.vector, 0.0, None), assumed, present
            )
        approx = self._finish(
            base + w_sem * np.clip(projection.scores(q.vector), 0.0, None), assumed, present
        )
        if drop is not None:
            approx[drop] = -1.0
        rows = np.sort(np.argpartition(-approx, m - 1)[:m])
        total = base[rows] + w_sem * np.clip(self.vectors[rows] @ q.vector, 0.0, None)
        return rows, self._finish(total, assumed, present, rows)

    def allowed(self, synthetic: str = "include") -> np.ndarray | None:
        """The rows the ``synthetic`` filter keeps (None: every row)."""
        choice = check_synthetic(synthetic)
        if choice == "include":
            return None
        return self._synthetic if choice == "only" else ~self._synthetic

    def top(
        self,
        q: Query,
        limit: int,
        *,
        exclude: Sequence[int] = (),
        mode: str = DEFAULT_MODE,
        synthetic: str = "include",
        exact: bool | None = None,
        candidates: int | None = None,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best missions (score > 0), ties by id; with goal meaning on ``CANDIDATE_MIN``
        missions or more, among candidates (``candidate_scores``; ``exact=True`` scores every mission)."""
        if limit < 1:
            raise InvalidInputError("limit must be at least 1")
        keep = self.allowed(synthetic)
        skip = list(exclude) + ([q.row] if q.row is not None else [])
        n = len(self.features)
        drop = None
        if keep is not None or skip:
            drop = np.zeros(n, dtype=bool) if keep is None else ~keep
            drop[skip] = True
        if candidates is None:
            candidates = candidate_count(limit, n)
        rows, scores = self.candidate_scores(q, mode, exact=exact, candidates=candidates, drop=drop)
        if rows is None:
            rows = np.arange(n)
        if drop is not None:
            scores[drop[rows]] = -1.0
        k = min(limit, len(scores))
        if k <= 0:
            return []
        idx = np.argpartition(-scores, k - 1)[:k]
        ids = self.features.ids
        order = sorted(idx.tolist(), key=lambda i: (-float(scores[i]), ids[int(rows[i])]))
        return [(int(rows[i]), float(scores[i])) for i in order if scores[i] > 0]

    # --- peers with explanations ------------------------------------------------------------------
    def peers(
        self,
        mission_id: str,
        limit: int = 10,
        *,
        mode: str = DEFAULT_MODE,
        synthetic: str = "include",
        query: Query | None = None,
    ) -> list[Peer]:
        """The best peers of a mission, explained (``query``: its ``query_for_row``, when at hand)."""
        q = query if query is not None else self.query_for_row(self.row(mission_id))
        return [
            self.peer(q, other, score, mode=mode)
            for other, score in self.top(q, limit, mode=mode, synthetic=synthetic)
        ]

    def peers_for_profile(
        self,
        profile: Mapping[str, Sequence[str]],
        limit: int = 10,
        *,
        mode: str = DEFAULT_MODE,
        synthetic: str = "include",
        query: Query | None = None,
    ) -> list[Peer]:
        """Peers of a respondent profile that is not (yet) a mission in the store (``query``: the
        profile's ``query_for_profile`` when the caller has it already; its goal is embedded once)."""
        q = query if query is not None else self.query_for_profile(profile)
        if not any(len(c) for c in q.cols.values()) and q.text is None:
            raise InvalidInputError(
                "the profile names no known concept and no goal words",
                expected='dimension names with codes, e.g. {"challenge-field": ["climate"]}',
            )
        return [
            self.peer(q, other, score, mode=mode)
            for other, score in self.top(q, limit, mode=mode, synthetic=synthetic)
        ]

    def peer(self, q: Query, other: int, score: float, *, mode: str = DEFAULT_MODE) -> Peer:
        f = self.features
        explanation = self.explain(q, other, mode=mode)
        sparql = (
            evidence_query(f.mission_iris[q.row], f.mission_iris[other], explanation)
            if q.row is not None
            else profile_evidence_query(f.mission_iris[other], explanation)
        )
        return Peer(
            f.ids[other],
            f.mission_iris[other],
            f.titles[other],
            score,
            explanation,
            sparql,
            f.synthetic[other],
            f.sources[other],
        )

    def explain(self, q: Query, other: int, *, mode: str = DEFAULT_MODE) -> list[SharedDimension]:
        """Each dimension's similarity, share of the score and shared values for one candidate (the
        dimensions that count for the pair in the mode)."""
        f = self.features
        sims: dict[str, float] = {}
        shared: dict[str, list[dict[str, str]]] = {}
        has = dict(zip(self.dimension_names, self._has[other].tolist(), strict=True))
        assumed: set[str] = set()
        for name, cols in q.cols.items():
            if len(cols) == 0:
                continue
            if not has[name] and not self._is_lead(name, mode):
                if ("prior", name) not in q.memo:
                    q.memo[("prior", name)] = self.prior(name, cols)
                sims[name] = q.memo[("prior", name)]
                shared[name] = []
                assumed.add(name)
                continue
            dm: DimensionMatrix = f.dims[name]
            theirs = dm.values_of(other)
            colw2 = self._colw2[name]
            if ("cols", name) not in q.memo:
                q.memo[("cols", name)] = set(cols.tolist())
                q.memo[("norm", name)] = float(np.sqrt(sum(colw2[c] for c in cols.tolist())))
            common = sorted(q.memo[("cols", name)].intersection(theirs.tolist()))
            if common:
                a = q.memo[("norm", name)]
                b = float(self._rownorm[name][other])
                sims[name] = sum(colw2[c] for c in common) / (a * b)
            else:
                sims[name] = 0.0
            shared[name] = [{"label": dm.labels[c], "term": dm.terms[c]} for c in common]
        if ("text", "any") not in q.memo:
            q.memo[("text", "any")] = q.text is not None and bool(q.text.any())
        if q.memo[("text", "any")]:
            assert q.text is not None
            t = f.text.matrix
            lo, hi = t.indptr[other], t.indptr[other + 1]
            idx, contrib = t.indices[lo:hi], t.data[lo:hi] * q.text[t.indices[lo:hi]]
            sims["goal-text"] = float(contrib.sum())
            best = [int(idx[i]) for i in np.argsort(-contrib)[:MAX_TERMS] if contrib[i] > 0]
            shared["goal-text"] = [{"label": f.text.terms[i], "term": f.text.terms[i]} for i in best]
        if q.vector is not None and self.vectors is not None:
            sims["goal-semantic"] = max(0.0, float(self.vectors[other] @ q.vector))
            shared["goal-semantic"] = []
        weights = self.weights_for(sims, mode)
        parts = {n: weights[n] * s for n, s in sims.items() if n in weights}
        total = sum(parts.values()) or 1.0
        out = [
            SharedDimension(
                n,
                "goal meaning" if n == "goal-semantic" else _label(n),
                sims[n],
                parts[n] / total,
                shared[n],
                n in assumed,
            )
            for n in parts
            if parts[n] > 0
        ]
        out.sort(key=lambda d: -d.share)
        return out


def _label(name: str) -> str:
    return _LABELS[name]


_LABELS = {d.name: d.label for d in (*DIMENSIONS, TEXT_DIMENSION)}


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
