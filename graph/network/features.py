"""Mission features read from the public graphs of the store: one sparse concept matrix per dimension."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp

from graph.iris import Iris
from graph.network.text import TextMatrix, build_text_matrix
from graph.network.weights import DCT, DIMENSIONS, MG, SKOS_NS, Dimension
from graph.store import Dataset, Store
from ontology.vocab import need_strengths

__all__ = ["DimensionMatrix", "Features", "extract_features", "public_dataset", "term_label"]

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

    def __post_init__(self) -> None:
        self.row_of = {mid: i for i, mid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


def public_dataset(store: Store, iris: Iris) -> Dataset:
    """The union of the public named graphs (never the restricted graph)."""
    graphs = tuple(g for g in store.named_graphs() if iris.is_public_graph(g))
    return Dataset(default=graphs or (iris.catalogue_graph,))


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


def _dimensions(
    store: Store, dataset: Dataset, row_of: dict[str, int], labels: dict[str, str]
) -> dict[str, DimensionMatrix]:
    """Every dimension's missions × values matrix from one grouped query.

    Decoding a mission IRI is what a SPARQL row costs most (a dictionary lookup in the store), so the
    values of every dimension come back as short codes, concatenated per mission: one decoded IRI per
    mission instead of one per (mission, value) pair (~3× faster at 100k missions). The codes are the
    distinct values per dimension, read first (cheap: only distinct values are decoded).
    """
    values: dict[str, list[Any]] = {}
    blocks: list[str] = []
    code = 0
    for dim in DIMENSIONS:
        q = f"SELECT DISTINCT ?v WHERE {{ ?m {dim.path} ?v }}"
        found = [s[0] for s in _rows(store, q, dataset) if not isinstance(s[0], ox.BlankNode)]
        values[dim.name] = found
        if found:
            pairs = " ".join(f'({v} "{code + i}")' for i, v in enumerate(found))
            blocks.append(f"  {{ VALUES (?v ?k) {{ {pairs} }} ?m {dim.path} ?v }}")
            code += len(found)
    n = len(row_of)
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
    dims: dict[str, DimensionMatrix] = {}
    first = 0
    for dim in DIMENSIONS:
        found = values[dim.name]
        mine = (all_codes >= first) & (all_codes < first + len(found))
        dr, dc = all_rows[mine], all_codes[mine] - first
        first += len(found)
        # only values some mission has become columns, in the order the store listed them
        used = np.unique(dc)
        remap = np.full(len(found), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        terms = [str(found[i]) for i in used.tolist()]  # N-Triples syntax, ready for SPARQL
        matrix = sp.csr_matrix((np.ones(len(dr), dtype=np.float32), (dr, remap[dc])), shape=(n, len(terms)))
        matrix.sum_duplicates()
        matrix.data[:] = 1.0  # a value stated in two graphs is still one value
        matrix.sort_indices()
        dims[dim.name] = DimensionMatrix(dim, matrix, terms, [term_label(t, labels) for t in terms])
    return dims


def extract_features(store: Store, iris: Iris) -> Features:
    """Read every mission and its values per dimension from the public graphs (SPARQL only)."""
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

    dims = _dimensions(store, dataset, row_of, labels)

    answers: dict[str, list[set[str]]] = {}
    for prop in ANSWER_PROPERTIES:
        per_row: list[set[str]] = [set() for _ in mission_iris]
        q = f"SELECT ?m ?v WHERE {{ ?m <{MG}{prop}> ?v }}"
        for s in _rows(store, q, dataset):
            r = row_of.get(s["m"].value)
            if r is not None:
                per_row[r].add(s["v"].value)
        answers[prop] = per_row

    strengths: dict[tuple[str, str], set[int]] = {}
    pairs = sorted({pair for pairs in need_strengths().values() for pair in pairs})
    if pairs:
        values = " ".join(f"(<{p}> <{v}>)" for p, v in pairs)
        q = f"SELECT ?m ?p ?v WHERE {{ VALUES (?p ?v) {{ {values} }} ?m ?p ?v }}"
        for s in _rows(store, q, dataset):
            r = row_of.get(s["m"].value)
            if r is not None:
                strengths.setdefault((s["p"].value, s["v"].value), set()).add(r)

    titles = [missions[m]["title"] for m in mission_iris]
    goals = [missions[m]["goal"] for m in mission_iris]
    text = build_text_matrix([f"{t}. {g}" for t, g in zip(titles, goals, strict=True)])
    return Features(mission_iris, ids, titles, goals, dims, text, answers, strengths)
