"""The search index: a full-text engine, document embeddings and facets, derived from the store."""

from __future__ import annotations

import bisect
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from graph.disclosure import suppress
from graph.errors import InvalidInputError, StaleIndexError
from graph.iris import Iris
from graph.provenance import SYNTHETIC_CHOICES, check_synthetic
from graph.store import Store
from search import ranking
from search.cursor import decode_cursor, encode_cursor, query_fingerprint
from search.documents import FACET_LABELS, FACETS, DocumentSet, SearchDocument, documents_from_store
from search.embeddings import DIMENSIONS, Embedder
from search.engines import LexicalQuery, SearchEngine, open_engine
from search.expansion import Expansion, Thesaurus
from search.ranking import (
    SEMANTIC_FLOOR,
    SYNTHETIC_PRIOR,
    TYPE_PRIOR,
    fuse,
    order_keys,
    relevance_floor,
)
from search.semantic import SemanticIndex
from search.snippets import snippet
from search.suggest import Vocabulary
from search.text import content_words, words
from search.versions import current_version, discard, link_tree, new_version, publish, verify, write_manifest

__all__ = [
    "Index",
    "build_index",
    "open_index",
    "update_index",
    "ensure_fresh",
    "shared_embedder",
    "FORMAT_VERSION",
    "SYNTHETIC_CHOICES",
]

#: 4: passage vectors (a mission's title and goal; taken out again, decisions/0004); 5: versions
#: under a CURRENT pointer with a checksum manifest (search/versions.py); 6: no passage vectors;
#: 7: concepts as terms, derived structures (facets, vocabulary, clusters) saved (decisions/0013)
FORMAT_VERSION = 7
#: most lexical matches taken into fusion, totals and facet counts (a rank window, as hybrid
#: engines have): beyond the 200 best BM25F matches a document adds little to a fused score, and
#: scoring every match of a common word costs whoosh 100 ms at 100k documents. Semantic
#: neighbours (cosine >= SEMANTIC_FLOOR) are not capped.
LEXICAL_CAP = 200
MAX_LIMIT = 100

_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """One embedding model per process: it takes ~90 MB and a second to load."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            _embedder = Embedder()
        return _embedder


#: from this many texts on, an index build or update embeds with every core (``build_embedder``)
BUILD_EMBED_MIN = 256
_build_embedder: Embedder | None = None


def build_embedder() -> Embedder:
    """The model with one onnxruntime thread per core, for index builds (not for queries: a query
    is a dozen tokens and the server's other requests need the cores)."""
    global _build_embedder
    with _embedder_lock:
        if _build_embedder is None:
            _build_embedder = Embedder(threads=os.cpu_count() or 1)
        return _build_embedder


@dataclass
class _Facet:
    """Which documents carry which values of one facet, as parallel arrays for numpy counting."""

    values: list[str]
    doc: np.ndarray  # int32 positions, ascending
    val: np.ndarray  # int32 value numbers
    indptr: np.ndarray  # doc -> its entries doc[indptr[d]:indptr[d + 1]] (CSR)
    by_value: np.ndarray  # positions of the documents carrying each value, grouped by value
    value_bounds: np.ndarray  # value v's documents: by_value[value_bounds[v]:value_bounds[v + 1]]

    @classmethod
    def build(cls, values: list[str], doc: np.ndarray, val: np.ndarray, n: int) -> _Facet:
        order = np.argsort(val, kind="stable")
        return cls(
            values,
            doc,
            val,
            np.searchsorted(doc, np.arange(n + 1)),
            doc[order],
            np.searchsorted(val[order], np.arange(len(values) + 1)),
        )

    def count(self, base: np.ndarray) -> np.ndarray:
        """How many documents of the mask ``base`` carry each value."""
        return self.count_at(np.flatnonzero(base), len(base))

    def count_at(self, chosen: np.ndarray, n: int) -> np.ndarray:
        """How many of the documents at ``chosen`` (ascending positions among ``n``) carry each value."""
        if not len(self.doc):
            return np.zeros(len(self.values), dtype=np.int64)
        if len(chosen) * 2 > n:
            # most documents (an empty query lists them all): count the others, subtract from the totals
            rest = np.ones(n, dtype=bool)
            rest[chosen] = False
            counts: np.ndarray = self.totals - self._gather(np.flatnonzero(rest))
            return counts
        return self._gather(chosen)

    def _gather(self, chosen: np.ndarray) -> np.ndarray:
        # the entries of the chosen documents through the CSR pointers: O(chosen), not O(n)
        starts, ends = self.indptr[chosen], self.indptr[chosen + 1]
        lengths = ends - starts
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.bincount(self.val[np.repeat(starts, lengths) + offsets], minlength=len(self.values))

    @cached_property
    def totals(self) -> np.ndarray:
        """How many documents carry each value."""
        return np.bincount(self.val, minlength=len(self.values))


def _joined(facets: dict[str, _Facet], n: int) -> tuple[_Facet, dict[str, tuple[int, int]]]:
    """Every facet as one: value numbers offset per facet, so one count serves every facet at once."""
    spans: dict[str, tuple[int, int]] = {}
    values: list[str] = []
    docs, vals = [], []
    for name, facet in facets.items():
        spans[name] = (len(values), len(values) + len(facet.values))
        docs.append(facet.doc)
        vals.append(facet.val + len(values))
        values += facet.values
    doc = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int32)
    val = np.concatenate(vals) if vals else np.zeros(0, dtype=np.int32)
    by_doc = np.argsort(doc, kind="stable")
    return _Facet.build(values, doc[by_doc], val[by_doc], n), spans


@dataclass
class _Derived:
    """What ``Index`` derives from its documents, as saved beside them (``derived.npz`` and
    ``derived.json``): facet tables, the spelling vocabulary and the vector cluster centres."""

    facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]]
    vocabulary: Vocabulary
    centroids: np.ndarray | None

    @classmethod
    def load(cls, path: Path, documents: int) -> _Derived | None:
        """The saved structures when they belong to these ``documents``; None otherwise."""
        try:
            body = json.loads((path / "derived.json").read_text(encoding="utf-8"))
            if body.get("documents") != documents or set(body["facet_values"]) != set(FACETS):
                return None
            with np.load(path / "derived.npz") as arrays:
                facets = {
                    name: (
                        list(body["facet_values"][name]),
                        arrays[f"facet.{name}.doc"],
                        arrays[f"facet.{name}.val"],
                    )
                    for name in FACETS
                }
                centroids = arrays["centroids"] if "centroids" in arrays.files else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # derived data: computed again from the documents
        return cls(facets, Vocabulary.from_counts(body["vocabulary"]), centroids)


@dataclass
class _Ranked:
    """A query's candidates in fused order before filters: what a second page or a facet click reuses."""

    cand: np.ndarray
    scores: np.ndarray
    qwords: list[str]
    expansion: Expansion | None
    notice: dict[str, Any] | None
    suggestions: list[str]


#: queries whose ranked candidates are kept (a few hundred KB at most each)
RANKED_CACHE = 256


class Index:
    """Documents, their engine, embeddings and facets; searched by ``search``.

    One index is one version on disk (``path``, a folder under the index root, search/versions.py)
    and does not change once built: ``updated`` makes the next version beside it, and the service
    switches to that one while searches under way finish on this one. Nothing a search does waits on
    a lock. ``apply`` (single-user callers: CLI, tests) updates this object in place instead.
    """

    def __init__(
        self,
        path: Path,
        engine: SearchEngine,
        docs: DocumentSet,
        embeddings: np.ndarray,
        *,
        store_state: str,
        embedder: Embedder | None,
        alive: np.ndarray | None = None,
        derived: _Derived | None = None,
    ) -> None:
        """``derived``: the structures saved with the index (``open_index``), used instead of being
        computed again from every document (the vocabulary alone took most of a cold start)."""
        self.path = path
        self.engine = engine
        self.docs: list[SearchDocument] = list(docs.documents)
        self.value_labels = docs.value_labels
        self.thesaurus = Thesaurus(docs.thesaurus)
        self._vectors: np.ndarray | None = embeddings
        self.store_state = store_state
        self.embedder = embedder
        self.alive = alive if alive is not None else np.ones(len(self.docs), dtype=bool)
        #: ranked candidates per query text (and ranking parameters): paging, facet clicks and
        #: repeated queries reuse them; emptied whenever the documents change (``apply``)
        self._ranked: OrderedDict[tuple[Any, ...], _Ranked] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._rebuild_derived(derived)

    @property
    def root(self) -> Path:
        """The folder holding this index's version and its siblings (what ``open_index`` opens)."""
        return self.path.parent

    @property
    def version(self) -> str:
        return self.path.name

    # --- derived in-memory structures ---------------------------------------------------------
    @property
    def embeddings(self) -> np.ndarray:
        """Document vectors in document order (large indexes keep them only in cluster order)."""
        return self._vectors if self._vectors is not None else self.semantic.vectors()

    @embeddings.setter
    def embeddings(self, value: np.ndarray) -> None:
        self._vectors = value

    def _rebuild_derived(self, derived: _Derived | None = None) -> None:
        self._ranked = OrderedDict()  # a new cache: the old one belongs to the old documents
        if self._vectors is not None:
            centroids = derived.centroids if derived is not None else None
            self.semantic = SemanticIndex(self._vectors, centroids=centroids)
            if self.semantic.centroids is not None:
                self._vectors = None  # one copy in memory, the clustered one
        self.pos = {d.id: i for i, d in enumerate(self.docs) if self.alive[i]}
        self.synthetic = np.array([d.synthetic for d in self.docs], dtype=bool)
        self.prior = np.array([TYPE_PRIOR.get(d.type, 1.0) for d in self.docs], dtype=np.float64)
        self.prior[self.synthetic] *= SYNTHETIC_PRIOR
        order = sorted(range(len(self.docs)), key=lambda i: self.docs[i].id)
        self.id_rank = np.empty(len(self.docs), dtype=np.int64)
        self.id_rank[order] = np.arange(len(self.docs))
        self.facets: dict[str, _Facet] = {}
        if derived is not None:
            for name in FACETS:
                values_list, doc_arr, val_arr = derived.facets[name]
                self.facets[name] = _Facet.build(values_list, doc_arr, val_arr, len(self.docs))
            self.all_facets, self.facet_spans = _joined(self.facets, len(self.docs))
            self.vocabulary = derived.vocabulary
            return
        for name in FACETS:
            values: dict[str, int] = {}
            doc_idx: list[int] = []
            val_idx: list[int] = []
            for i, d in enumerate(self.docs):
                for v in d.facets.get(name, []):
                    doc_idx.append(i)
                    val_idx.append(values.setdefault(v, len(values)))
            # int32 positions and value numbers: ~17 entries a document, half the memory of int64
            self.facets[name] = _Facet.build(
                list(values),
                np.array(doc_idx, dtype=np.int32),
                np.array(val_idx, dtype=np.int32),
                len(self.docs),
            )
        self.all_facets, self.facet_spans = _joined(self.facets, len(self.docs))
        self.vocabulary = Vocabulary()
        for i, d in enumerate(self.docs):
            if self.alive[i]:
                self.vocabulary.add_text((d.title, d.goal, d.answers, *d.labels))

    @property
    def size(self) -> int:
        return int(self.alive.sum())

    # --- persistence ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write documents, embeddings and metadata beside the engine's files, then the manifest.

        Every file is written anew and renamed into place (a name may be a hard link shared with the
        version this one was made from). Publishing the version (CURRENT) is the caller's step.
        """
        keep = np.flatnonzero(self.alive)
        # one document per line: reading them back one at a time keeps the peak memory low
        lines = (json.dumps(self.docs[i].as_dict(), ensure_ascii=False) for i in keep)
        _atomic_write(self.path / "documents.jsonl", "\n".join(lines).encode())
        labels = {
            "value_labels": self.value_labels,
            "thesaurus": {k: [p, a] for k, (p, a) in self.thesaurus.concepts.items()},
        }
        _atomic_write(self.path / "labels.json", json.dumps(labels).encode())
        tmp = self.path / "embeddings.tmp.npy"
        np.save(tmp, self.embeddings[keep])
        os.replace(tmp, self.path / "embeddings.npy")
        self._save_derived(keep)
        meta = {
            "format": FORMAT_VERSION,
            "engine": self.engine.name,
            "store_state": self.store_state,
            "documents": len(keep),
            "semantic": self.embedder is not None,
            "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _atomic_write(self.path / "meta.json", json.dumps(meta, indent=1).encode())
        write_manifest(self.path)

    def _save_derived(self, keep: np.ndarray) -> None:
        """Facet tables, the spelling vocabulary and the vector clusters, so that opening the index
        reads them instead of computing them from every document (decisions/0013)."""
        if len(keep) != len(self.docs):
            return  # only a compact index is saved with them; open_index computes them otherwise
        arrays: dict[str, Any] = {}
        values: dict[str, list[str]] = {}
        for name, facet in self.facets.items():
            arrays[f"facet.{name}.doc"] = facet.doc
            arrays[f"facet.{name}.val"] = facet.val
            values[name] = facet.values
        centroids = self.semantic.centroids if hasattr(self, "semantic") else None
        if centroids is not None:
            arrays["centroids"] = centroids
        tmp = self.path / "derived.tmp.npz"
        with tmp.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, self.path / "derived.npz")
        body = {"documents": len(keep), "facet_values": values, "vocabulary": self.vocabulary.to_counts()}
        _atomic_write(self.path / "derived.json", json.dumps(body, ensure_ascii=False).encode())

    # --- changes -------------------------------------------------------------------------------
    def updated(self, new: DocumentSet, store_state: str) -> tuple[Index, dict[str, int]]:
        """The next version, brought to ``new``, built beside this one and made current on disk.

        Changed and added documents are re-indexed and embedded (in batches, holding no lock anyone
        waits on), removed ones dropped; this index is left as it was and keeps answering searches.
        A failure (disk full ...) removes the unfinished version and leaves CURRENT where it was.
        """
        current = {d.id: d for i, d in enumerate(self.docs) if self.alive[i]}
        wanted = {d.id: d for d in new.documents}
        removed = [i for i in current if i not in wanted]
        changed = [d for i, d in wanted.items() if i not in current or current[i].digest() != d.digest()]
        gone = set(removed) | {d.id for d in changed}
        # the slow part (embedding), before anything is written
        vectors = _embed(self.embedder, changed)
        version = new_version(self.root)
        engine: SearchEngine | None = None
        try:
            link_tree(self.path, version)
            engine = open_engine(self.engine.name, version / self.engine.name)
            engine.delete(removed)
            if changed:
                engine.add(changed)
            keep = [i for i, d in enumerate(self.docs) if self.alive[i] and d.id not in gone]
            embeddings = self.embeddings[keep]
            if changed:
                embeddings = np.vstack([embeddings, vectors])
            docs = DocumentSet([self.docs[i] for i in keep] + changed, new.value_labels, new.thesaurus)
            fresh = Index(
                version,
                engine,
                docs,
                embeddings,
                store_state=store_state,
                embedder=self.embedder,
            )
            fresh.save()
            publish(self.root, version, store_state)
        except BaseException:
            if engine is not None:
                engine.close()
            discard(version)
            raise
        return fresh, {"added_or_changed": len(changed), "removed": len(removed)}

    def document_set(self) -> DocumentSet:
        """The documents, labels and thesaurus this index was made from."""
        return DocumentSet(
            [d for i, d in enumerate(self.docs) if self.alive[i]],
            self.value_labels,
            {k: (p, list(a)) for k, (p, a) in self.thesaurus.concepts.items()},
        )

    def apply(self, new: DocumentSet, store_state: str) -> dict[str, int]:
        """Bring this index object to ``new`` in place (``updated``, then take its place)."""
        fresh, stats = self.updated(new, store_state)
        old = self.engine
        self.__dict__.update(fresh.__dict__)
        old.close()
        return stats

    def close(self) -> None:
        self.engine.close()

    # --- searching -----------------------------------------------------------------------------
    def search(
        self,
        query: str = "",
        *,
        filters: dict[str, list[str]] | None = None,
        limit: int = 10,
        cursor: str | None = None,
        small_count_k: int = 5,
        semantic: bool = True,
        synthetic: str = "include",
    ) -> dict[str, Any]:
        """Ranked results, facet counts, suggestions, the expansion used and the next page's cursor.

        A result counts (in the total, the facet counts and the pages) only when its fused score
        passes the relevance floor (``search.ranking.relevance_floor``). A query made only of stop
        words finds nothing, and ``notice`` says why; the empty query lists every document.
        ``synthetic`` keeps made-up items (``include``), drops them (``exclude``) or keeps only them.
        """
        # the same values, and the same 400, as peers, helpers and the missions list
        synthetic = check_synthetic(synthetic)
        filters = {k: [v for v in vs if v] for k, vs in (filters or {}).items() if vs}
        unknown = sorted(set(filters) - set(FACETS))
        if unknown:
            raise InvalidInputError(
                f"unknown facet(s) {', '.join(unknown)}; facets are {', '.join(FACETS)}", parameter=unknown[0]
            )
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInputError(f"limit must be between 1 and {MAX_LIMIT}", parameter="limit")
        if len(query) > 500:
            raise InvalidInputError("the query is longer than 500 characters", parameter="q")
        fingerprint = query_fingerprint(query, {**filters, "synthetic": [synthetic]})
        after = decode_cursor(cursor, fingerprint) if cursor else None

        n = len(self.docs)
        ranked = self._rank(query, semantic)
        cand, scores, qwords, expansion = ranked.cand, ranked.scores, ranked.qwords, ranked.expansion
        notice = ranked.notice
        masks = {name: self._mask(name, values)[cand] for name, values in filters.items()}
        # the synthetic filter narrows every count, like a facet no count is shown for
        chosen = np.ones(len(cand), dtype=bool)
        if synthetic == "exclude":
            chosen &= ~self.synthetic[cand]
        elif synthetic == "only":
            chosen &= self.synthetic[cand]
        allowed = chosen.copy()
        for m in masks.values():
            chosen &= m
        # a facet without a filter of its own is counted over the chosen: one count serves them all
        shared = self.all_facets.count_at(cand[chosen], n)
        facet_counts = {}
        for name in FACETS:
            if name in masks:
                base = allowed.copy()
                for other, m in masks.items():
                    if other != name:
                        base &= m
                counts = self.facets[name].count_at(cand[base], n)
            else:
                lo, hi = self.facet_spans[name]
                counts = shared[lo:hi]
            facet_counts[name] = self._counts(name, counts, filters.get(name, []), small_count_k)

        positions = cand[chosen]
        total = int(len(positions))
        # results are ordered and paged by these keys: real results first (search.ranking.order_keys)
        pos_shown = np.round(scores[chosen], 6)  # the fused score each result shows
        pos_scores = np.round(order_keys(pos_shown, self.synthetic[positions]), 6)
        if after is not None:
            a_score, a_id = after
            a_rank = self._rank_of(a_id)
            later = (pos_scores < a_score) | ((pos_scores == a_score) & (self.id_rank[positions] > a_rank))
            positions, pos_scores, pos_shown = positions[later], pos_scores[later], pos_shown[later]
        take = min(limit, len(positions))
        more = len(positions) > take
        if take < len(positions):
            # the best `take` by (score desc, id asc); argpartition keeps it linear at 100k documents
            key = -pos_scores
            cut = np.partition(key, take - 1)[take - 1]
            keep = key <= cut
            positions, pos_scores, pos_shown = positions[keep], pos_scores[keep], pos_shown[keep]
        order = np.lexsort((self.id_rank[positions], -pos_scores))[:take]
        page = positions[order]
        page_scores = pos_scores[order]
        page_shown = pos_shown[order]
        extra = expansion.words if expansion else []
        results = [
            self._result(int(p), float(s), qwords, extra) for p, s in zip(page, page_shown, strict=True)
        ]
        next_cursor = None
        if results and more:
            next_cursor = encode_cursor(float(page_scores[-1]), results[-1]["id"], fingerprint)
        suggestions = ranked.suggestions
        return {
            "query": query,
            "total": total,
            "results": results,
            "facets": facet_counts,
            "suggestions": suggestions,
            "expansion": expansion.disclosed if expansion else {},
            "next_cursor": next_cursor,
            "synthetic": synthetic,
            "notice": notice,
        }

    def _rank(self, query: str, semantic: bool) -> _Ranked:
        """The candidates of ``query`` passing the relevance floor, by fused score (cached per text)."""
        # the ranking's parameters are part of the key: a change of them (a test, a tuning run) ranks anew
        key = (query, semantic, ranking.SEMANTIC_WEIGHT, ranking.MIN_SCORE, ranking.RELATIVE_FLOOR)
        ranked_cache = self._ranked  # this version of the documents' cache (replaced on changes)
        with self._cache_lock:
            cached = ranked_cache.get(key)
            if cached is not None:
                ranked_cache.move_to_end(key)
                return cached
        n = len(self.docs)
        qwords = content_words(query)
        expansion = self.thesaurus.expand(query) if qwords else None
        notice: dict[str, Any] | None = None
        if not qwords and words(query):
            # only stop words ("a", "the of"): they would match every document, so nothing matches
            cand = np.zeros(0, dtype=np.int64)
            scores = np.zeros(0, dtype=np.float64)
            notice = {
                "code": "only-stop-words",
                "message": (
                    "The query has only common words (stop words such as "
                    f"{', '.join(repr(w) for w in dict.fromkeys(words(query)))}) that say nothing about "
                    "a topic, so nothing is listed. Add a word about what your mission works on."
                ),
                "ignored": list(dict.fromkeys(words(query))),
            }
        elif qwords:
            lexical = self.engine.lexical(
                LexicalQuery(
                    tuple(qwords),
                    tuple(expansion.words if expansion else ()),
                    tuple(expansion.concepts if expansion else ()),
                ),
                LEXICAL_CAP,
            )
            found = [(self.pos.get(doc_id), score) for doc_id, score in lexical]
            hits = [(p, score) for p, score in found if p is not None]
            lex_pos = np.array([p for p, _ in hits], dtype=np.int64)
            lex_score = np.array([score for _, score in hits], dtype=np.float32)
            top = float(lex_score.max()) if lex_score.size else 0.0
            live = self.alive[lex_pos]
            lex_pos, lex_score = lex_pos[live], lex_score[live]
            in_lex = np.zeros(n, dtype=bool)
            in_lex[lex_pos] = True
            sem = None
            if semantic and self.embedder is not None and n:
                qvec = self.embedder.encode_one(query)
                sem = self.semantic.scores(qvec, np.sort(lex_pos))
            # from here on only the candidates are touched, not every document
            candidates = in_lex | (sem >= SEMANTIC_FLOOR) if sem is not None else in_lex
            cand = np.flatnonzero(candidates & self.alive)
            lex = np.zeros(len(cand), dtype=np.float32)
            lex[np.searchsorted(cand, lex_pos)] = lex_score
            scores = fuse(lex, top, None if sem is None else sem[cand]) * self.prior[cand]
            # the relevance floor: the semantic tail and stray expansion matches do not count
            passing = scores >= relevance_floor(scores)
            cand, scores = cand[passing], scores[passing]
            if not len(cand):
                notice = {
                    "code": "no-match",
                    "message": "No document is relevant enough to this query (none passes the floor).",
                    "ignored": [],
                }
        else:
            # browsing (no query): the priors order the listing, real missions and responses first,
            # then made-up items and concepts; ties by id
            cand = np.flatnonzero(self.alive)
            scores = self.prior[cand].copy()

        suggestions = self.vocabulary.suggest(query) if qwords else []
        ranked = _Ranked(cand, scores, qwords, expansion, notice, suggestions)
        with self._cache_lock:
            ranked_cache[key] = ranked
            while len(ranked_cache) > RANKED_CACHE:
                ranked_cache.popitem(last=False)
        return ranked

    def _rank_of(self, doc_id: str) -> float:
        p = self.pos.get(doc_id)
        if p is not None:
            return float(self.id_rank[p])
        # a document removed since: place the key between its neighbours in id order
        ids = sorted(d.id for d in self.docs)
        return bisect.bisect_left(ids, doc_id) - 0.5

    def _mask(self, name: str, values: Sequence[str]) -> np.ndarray:
        facet = self.facets[name]
        mask = np.zeros(len(self.docs), dtype=bool)
        for i, v in enumerate(facet.values):
            if v in values:
                mask[facet.by_value[facet.value_bounds[i] : facet.value_bounds[i + 1]]] = True
        return mask

    def _counts(self, name: str, counts: np.ndarray, selected: list[str], k: int) -> list[dict[str, Any]]:
        facet = self.facets[name]
        labels = self.value_labels.get(name, {})
        rows = [(int(c), v) for v, c in zip(facet.values, counts, strict=True) if c > 0 or v in selected]
        rows += [(0, v) for v in selected if v not in facet.values]
        rows.sort(key=lambda r: (-r[0], labels.get(r[1], r[1]).lower()))
        return [
            {"value": v, "label": labels.get(v, v), "count": suppress(c, k), "selected": v in selected}
            for c, v in rows
        ]

    def _result(self, p: int, score: float, qwords: list[str], extra: list[str]) -> dict[str, Any]:
        d = self.docs[p]
        text = d.goal or d.answers or d.title
        return {
            "id": d.id,
            "type": d.type,
            "title": d.title,
            "score": score,
            "snippet": snippet(text, qwords + extra),
            "url": d.url,
            "iri": d.iri,
            "synthetic": d.synthetic,
            "source": d.source,
            "facets": {k: v for k, v in d.facets.items() if k != "type"},
        }

    def facet_catalogue(self) -> dict[str, str]:
        return dict(FACET_LABELS)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _embed(embedder: Embedder | None, docs: Sequence[SearchDocument]) -> np.ndarray:
    if embedder is None or not docs:
        return np.zeros((len(docs), DIMENSIONS), dtype=np.float32)
    # identical texts are embedded once
    texts = [d.embed_text for d in docs]
    unique = list(dict.fromkeys(texts))
    # a build or a large update runs the model on every core; queries keep the one-thread model
    worker = build_embedder() if len(unique) >= BUILD_EMBED_MIN else embedder
    vectors = worker.encode(unique, batch_size=64)
    row = {t: i for i, t in enumerate(unique)}
    return vectors[[row[t] for t in texts]]


def build_from_documents(
    path: Path,
    engine_name: str,
    docs: DocumentSet,
    *,
    store_state: str,
    semantic: bool = True,
    embeddings: np.ndarray | None = None,
) -> Index:
    """A fresh index at ``path`` from ready documents (the store path and the benchmarks use this).

    ``path`` is the index root: the index is a new version under it, made current once complete
    (search/versions.py); the version served until then stays as it was. ``embeddings`` (one row per
    document) skips the embedding step when they are already known.
    """
    path.mkdir(parents=True, exist_ok=True)
    _drop_unversioned(path, engine_name)
    embedder = shared_embedder() if semantic else None
    if embeddings is None:
        embeddings = _embed(embedder, docs.documents)
    version = new_version(path)
    engine: SearchEngine | None = None
    try:
        engine = open_engine(engine_name, version / engine_name, create=True)
        engine.add(docs.documents)
        index = Index(version, engine, docs, embeddings, store_state=store_state, embedder=embedder)
        index.save()
        publish(path, version, store_state)
    except BaseException:
        if engine is not None:
            engine.close()
        discard(version)
        raise
    return index


def _drop_unversioned(root: Path, engine_name: str) -> None:
    """Remove an index saved by a version before versions (files straight under the root)."""
    if (root / "CURRENT").exists():
        return
    for name in (
        "meta.json",
        "documents.jsonl",
        "labels.json",
        "embeddings.npy",
        "passages.npy",
        "passages.json",
    ):
        (root / name).unlink(missing_ok=True)
    if (root / engine_name).is_dir():
        shutil.rmtree(root / engine_name, ignore_errors=True)


def build_index(
    store: Store, iris: Iris, path: Path, *, engine: str = "whoosh", semantic: bool = True
) -> Index:
    """Rebuild the index at ``path`` from the store's public graphs."""
    state = store.state()
    return build_from_documents(
        path, engine, documents_from_store(store, iris), store_state=state, semantic=semantic
    )


def open_index(path: Path, *, engine: str = "whoosh", semantic: bool = True) -> Index | None:
    """The current index version under ``path`` for ``engine``, or None when there is none (or it has
    another format, engine or semantic setting). DamagedIndexError when a file of it does not match
    its manifest (truncated, overwritten, missing): a damaged index is never opened."""
    found = current_version(path)
    if found is None:
        return None
    try:
        meta = json.loads((found.path / "meta.json").read_text())
    except (OSError, ValueError):
        meta = {}
    if meta.get("format") != FORMAT_VERSION or meta.get("engine") != engine:
        return None
    if meta.get("semantic", True) != semantic:
        return None
    verify(found.path)
    path = found.path
    labels = json.loads((path / "labels.json").read_text())
    with (path / "documents.jsonl").open(encoding="utf-8") as lines:
        documents = [SearchDocument.from_dict(json.loads(line)) for line in lines if line.strip()]
    docs = DocumentSet(
        documents,
        labels["value_labels"],
        {k: (v[0], list(v[1])) for k, v in labels["thesaurus"].items()},
    )
    # memory-mapped: pages are read as queries touch them (large indexes copy them into clusters)
    embeddings = np.load(path / "embeddings.npy", mmap_mode="r")
    return Index(
        path,
        open_engine(engine, path / engine),
        docs,
        embeddings,
        store_state=meta["store_state"],
        embedder=shared_embedder() if semantic else None,
        derived=_Derived.load(path, len(documents)),
    )


def update_index(
    index: Index, store: Store, iris: Iris, changed_graphs: Iterable[str] = ()
) -> dict[str, int]:
    """Bring ``index`` up to date after a load; call it after every write to the store.

    Only documents whose content changed are re-indexed and re-embedded. ``changed_graphs`` is a hint:
    when none of them is public, only the recorded store state moves on.
    """
    changed = list(changed_graphs)
    state = store.state()
    if changed and not any(iris.is_public_graph(g) for g in changed):
        return index.apply(index.document_set(), state)  # the same documents, the new state
    return index.apply(documents_from_store(store, iris), state)


def ensure_fresh(index: Index, store: Store, iris: Iris) -> Index:
    """The index, updated when the store has changed since it was built; StaleIndexError if it cannot be."""
    state = store.state()
    if state == index.store_state:
        return index
    try:
        update_index(index, store, iris)
    except Exception as exc:  # any failure means we cannot vouch for the results
        raise StaleIndexError(
            "the search index was built from an older state of the store and could not be updated: "
            f"{exc}; run `missiongraph index`",
            index_state=index.store_state,
            store_state=state,
        ) from exc
    return index
