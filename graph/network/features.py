"""Mission features read from the public graphs of the store: one sparse concept matrix per dimension."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp

from graph.iris import Iris
from graph.network.text import TextMatrix, build_text_matrix, embedding_text
from graph.network.weights import DCT, DIMENSIONS, MG, SKOS_NS, Dimension
from graph.provenance import CATALOGUE, Provenance, combined, mission_provenance
from graph.store import Dataset, Store
from ontology.vocab import need_strengths

__all__ = [
    "DimensionMatrix",
    "Features",
    "extract_features",
    "public_dataset",
    "mission_answers_dataset",
    "term_label",
]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SDG_BASE = "http://metadata.un.org/sdg/"
#: yes/partly/no answers kept per mission for the cohort benchmark
ANSWER_PROPERTIES = ("hasClearTarget", "hasMonitoringPlan", "hasQuantifiedTarget")


@dataclass
class DimensionMatrix:
    """Missions × values of one dimension (1 where the mission has the value)."""

    dimension: Dimension
    matrix: sp.csr_matrix
    #: each column's value as an RDF term in N-Triples syntax (IRI or literal), for SPARQL
    terms: list[str]
    #: each column's human label
    labels: list[str]

    def values_of(self, row: int) -> np.ndarray:
        """Column indices set on one mission."""
        m = self.matrix
        out: np.ndarray = m.indices[m.indptr[row] : m.indptr[row + 1]]
        return out


@dataclass
class Features:
    """Everything the network view knows about the missions, in one fixed mission order."""

    mission_iris: list[str]
    ids: list[str]
    titles: list[str]
    goals: list[str]
    dims: dict[str, DimensionMatrix]
    text: TextMatrix
    #: answers used by the cohort benchmark: property local name → row → concept IRIs
    answers: dict[str, list[set[str]]] = field(default_factory=dict)
    #: (property IRI, value IRI) of every need→strength pair of the ontology → rows showing it
    strengths: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    row_of: dict[str, int] = field(default_factory=dict)
    #: per row: made-up (synthetic survey sample) or real
    synthetic: list[bool] = field(default_factory=list)
    #: per row: ``catalogue`` or the survey wave the mission comes from
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.row_of = {mid: i for i, mid in enumerate(self.ids)}
        if not self.synthetic:
            self.synthetic = [False] * len(self.ids)
        if not self.sources:
            self.sources = [CATALOGUE] * len(self.ids)

    def provenance(self, row: int) -> Provenance:
        return Provenance(self.synthetic[row], self.sources[row])

    def embedding_texts(self) -> list[str]:
        """Every mission's embedding text (``graph.network.text.embedding_text``): title, goal and the
        labels of its challenge fields in IRI order, as the search index embeds a mission document."""
        dm = self.dims.get("challenge-field")
        out = []
        for row, (title, goal) in enumerate(zip(self.titles, self.goals, strict=True)):
            fields: list[str] = []
            if dm is not None:
                fields = [dm.labels[c] for c in sorted(dm.values_of(row).tolist(), key=lambda c: dm.terms[c])]
            out.append(embedding_text(title, goal, fields))
        return out

    def marks(self, row: int) -> dict[str, bool | str]:
        """``{"synthetic": ..., "source": ...}`` of one mission, for a list item."""
        return {"synthetic": self.synthetic[row], "source": self.sources[row]}

    def marks_of(self, rows: Iterable[int]) -> dict[str, bool | str]:
        """The marks of a figure counted over several missions: synthetic when any of them is, and
        every source named (``catalogue + 2021``); ``catalogue`` for no mission."""
        found = {(self.synthetic[r], self.sources[r]) for r in rows}
        p = combined(Provenance(s, src) for s, src in found)
        return {"synthetic": p.synthetic, "source": p.source}

    def __len__(self) -> int:
        return len(self.ids)


def public_dataset(store: Store, iris: Iris) -> Dataset:
    """The union of the public named graphs (never the restricted graph)."""
    graphs = tuple(g for g in store.named_graphs() if iris.is_public_graph(g))
    return Dataset(default=graphs or (iris.catalogue_graph,))


def mission_answers_dataset(store: Store, iris: Iris) -> Dataset:
    """The public graphs and the restricted graph, for what a mission's own properties say.

    A survey answer about a mission is public only when k responses of one combination link to the
    mission (docs/decisions/0010); the others are in the restricted graph. The peers, helpers and groups
    compare missions on all of them inside the service and show only scores and the shared concepts,
    never a respondent: so only paths that start at the mission itself read this dataset (the sectors
    of the people describing a mission are read from the public graphs alone).
    """
    public = public_dataset(store, iris)
    return Dataset(default=(*public.default, iris.restricted_graph))


def term_label(term: str, labels: dict[str, str]) -> str:
    """A readable label for an N-Triples term: its prefLabel, the literal's text, or the IRI's last part."""
    if term in labels:
        return labels[term]
    if term.startswith('"'):
        return term[1 : term.rindex('"')]
    iri = term.strip("<>")
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"SDG {tail}" if iri.startswith(SDG_BASE) else tail


def _rows(store: Store, sparql: str, dataset: Dataset) -> Any:
    return store.query(sparql, dataset=dataset)


def _labels(store: Store, dataset: Dataset) -> dict[str, str]:
    # English or untagged prefLabel first, then rdfs:label
    query = f"""
        SELECT ?c ?l ?rank WHERE {{
          {{ ?c <{SKOS_NS}prefLabel> ?l BIND(0 AS ?rank) }} UNION {{ ?c <{RDFS_LABEL}> ?l BIND(1 AS ?rank) }}
          FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en"))
        }}"""
    best: dict[str, tuple[int, str]] = {}
    for s in _rows(store, query, dataset):
        key = str(s["c"])
        rank = int(s["rank"].value)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, s["l"].value)
    return {k: v[1] for k, v in best.items()}


#: one group of the grouped query: (name, property path, the values whose missions are wanted)
_Group = tuple[str, str, list[Any]]


def _distinct(store: Store, dataset: Dataset, path: str) -> list[Any]:
    q = f"SELECT DISTINCT ?v WHERE {{ ?m {path} ?v }}"
    return [s[0] for s in _rows(store, q, dataset) if not isinstance(s[0], ox.BlankNode)]


def _coded(
    store: Store, dataset: Dataset, row_of: dict[str, int], groups: list[_Group]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per group, (mission rows, value indices) of every mission that has one of its values.

    Decoding a mission IRI is what a SPARQL row costs most (a dictionary lookup in the store), so every
    value comes back as a short code, concatenated per mission in one grouped query: one decoded IRI per
    mission instead of one per (mission, value) pair.
    """
    blocks: list[str] = []
    first: list[int] = []
    code = 0
    for _name, path, values in groups:
        first.append(code)
        if values:
            pairs = " ".join(f'({v} "{code + i}")' for i, v in enumerate(values))
            blocks.append(f"  {{ VALUES (?v ?k) {{ {pairs} }} ?m {path} ?v }}")
            code += len(values)
    rows: list[int] = []
    codes: list[int] = []
    if blocks:
        # no `?m a mg:Mission` join: rows not in row_of (not missions) are skipped below, at less cost
        q = (
            'SELECT ?m (GROUP_CONCAT(?k; separator=" ") AS ?ks) WHERE {\n'
            + "\n  UNION\n".join(blocks)
            + "\n} GROUP BY ?m"
        )
        for s in _rows(store, q, dataset):
            r = row_of.get(s[0].value)
            if r is None or s[1] is None:
                continue
            ks = s[1].value.split()
            rows.extend([r] * len(ks))
            codes.extend(map(int, ks))
    all_rows = np.asarray(rows, dtype=np.int64)
    all_codes = np.asarray(codes, dtype=np.int64)
    out = {}
    for (name, _path, values), lo in zip(groups, first, strict=True):
        mine = (all_codes >= lo) & (all_codes < lo + len(values))
        out[name] = (all_rows[mine], all_codes[mine] - lo)
    return out


def _matrix(
    dim: Dimension, values: list[Any], coded: tuple[np.ndarray, np.ndarray], n: int, labels: dict[str, str]
) -> DimensionMatrix:
    dr, dc = coded
    # only values some mission has become columns, in the order the store listed them
    used = np.unique(dc)
    remap = np.full(len(values), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    terms = [str(values[i]) for i in used.tolist()]  # N-Triples syntax, ready for SPARQL
    matrix = sp.csr_matrix((np.ones(len(dr), dtype=np.float32), (dr, remap[dc])), shape=(n, len(terms)))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # a value stated in two graphs is still one value
    matrix.sort_indices()
    return DimensionMatrix(dim, matrix, terms, [term_label(t, labels) for t in terms])


def extract_features(store: Store, iris: Iris) -> Features:
    """Read every mission and its values per dimension (SPARQL only; see ``mission_answers_dataset``)."""
    dataset = public_dataset(store, iris)
    missions: dict[str, dict[str, str]] = {}
    query = f"""
        SELECT ?m ?title ?goal WHERE {{
          ?m a <{MG}Mission> .
          OPTIONAL {{ ?m <{DCT}title> ?title }}
          OPTIONAL {{ ?m <{MG}goalStatement> ?goal }}
        }}"""
    for s in _rows(store, query, dataset):
        iri = s["m"].value
        entry = missions.setdefault(iri, {"title": "", "goal": ""})
        for key in ("title", "goal"):
            term = s[key]
            if term is not None and not entry[key]:
                entry[key] = term.value
    mission_iris = sorted(missions)
    row_of = {m: i for i, m in enumerate(mission_iris)}
    ids = [iris.mission_id(m) or m for m in mission_iris]
    labels = _labels(store, dataset)

    # every dimension, the yes/partly/no answers and the need→strength pairs in one grouped query: what
    # a mission says of itself from the public and the restricted graph, what leads to a respondent
    # (the sectors of the people describing it, an inverse path) from the public graphs only
    answers_ds = mission_answers_dataset(store, iris)
    own = [d for d in DIMENSIONS if not d.path.startswith("^")]
    groups: list[_Group] = [(d.name, d.path, _distinct(store, answers_ds, d.path)) for d in own]
    for prop in ANSWER_PROPERTIES:
        path = f"<{MG}{prop}>"
        groups.append((f"answer:{prop}", path, _distinct(store, answers_ds, path)))
    pairs = sorted({pair for pairs in need_strengths().values() for pair in pairs})
    for p in sorted({p for p, _ in pairs}):
        groups.append((f"strength:{p}", f"<{p}>", [ox.NamedNode(v) for q, v in pairs if q == p]))
    coded = _coded(store, answers_ds, row_of, groups)
    people = [(d.name, d.path, _distinct(store, dataset, d.path)) for d in DIMENSIONS if d not in own]
    coded.update(_coded(store, dataset, row_of, people))
    groups += people
    values = {name: vals for name, _path, vals in groups}
    n = len(mission_iris)
    dims = {d.name: _matrix(d, values[d.name], coded[d.name], n, labels) for d in DIMENSIONS}

    answers: dict[str, list[set[str]]] = {}
    for prop in ANSWER_PROPERTIES:
        per_row: list[set[str]] = [set() for _ in mission_iris]
        vals = values[f"answer:{prop}"]
        for r, c in zip(*(a.tolist() for a in coded[f"answer:{prop}"]), strict=True):
            per_row[r].add(vals[c].value)
        answers[prop] = per_row

    strengths: dict[tuple[str, str], set[int]] = {}
    for name, _path, vals in groups:
        if name.startswith("strength:"):
            p = name.removeprefix("strength:")
            for r, c in zip(*(a.tolist() for a in coded[name]), strict=True):
                strengths.setdefault((p, vals[c].value), set()).add(r)

    titles = [missions[m]["title"] for m in mission_iris]
    goals = [missions[m]["goal"] for m in mission_iris]
    text = build_text_matrix([f"{t}. {g}" for t, g in zip(titles, goals, strict=True)])
    known = mission_provenance(store, iris, dataset.default)
    origin = [known.get(m, Provenance(False, CATALOGUE)) for m in mission_iris]
    return Features(
        mission_iris,
        ids,
        titles,
        goals,
        dims,
        text,
        answers,
        strengths,
        synthetic=[p.synthetic for p in origin],
        sources=[p.source for p in origin],
    )
