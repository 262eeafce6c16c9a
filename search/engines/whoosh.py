"""The whoosh engine: pure Python BM25F, the default for small deployments."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.scoring import BM25F

from search.documents import SearchDocument
from search.engines.base import CONCEPT_WEIGHT, EXPANSION_WEIGHT, FIELD_BOOSTS, LexicalQuery, directory_size

__all__ = ["WhooshEngine"]

_TEXT_FIELDS = tuple(FIELD_BOOSTS)


def _schema() -> Schema:
    analyzer = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        **{name: TEXT(analyzer=analyzer, field_boost=boost) for name, boost in FIELD_BOOSTS.items()},
        # concept IRIs, one term each (a concept is matched as a whole, not as its labels' words)
        concepts=KEYWORD(scorable=True),
    )


class WhooshEngine:
    name = "whoosh"

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        if create or not windex.exists_in(str(path)):
            path.mkdir(parents=True, exist_ok=True)
            self._index = windex.create_in(str(path), _schema())
        else:
            self._index = windex.open_dir(str(path))
        self._analyzer = self._index.schema["title"].analyzer
        self._lock = threading.Lock()
        self._searcher = self._index.searcher(weighting=BM25F())

    def _terms(self, words: Sequence[str]) -> list[str]:
        out: list[str] = []
        for word in words:
            for token in self._analyzer(word):
                if token.text not in out:
                    out.append(token.text)
        return out

    def add(self, docs: Sequence[SearchDocument]) -> None:
        with self._lock:
            writer = self._index.writer(limitmb=256)
            fresh = self._searcher.doc_count_all() == 0
            for doc in docs:
                fields = {
                    "id": doc.id,
                    "title": doc.title,
                    "goal": doc.goal,
                    "answers": doc.answers,
                    "labels": "\n".join(doc.labels),
                    "concepts": " ".join(doc.concepts),
                }
                if fresh:
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
            writer.commit()
            self._reopen()

    def _reopen(self) -> None:
        # Searcher.refresh() fails on a reader of an empty index; a new searcher is cheap
        self._searcher.close()
        self._searcher = self._index.searcher(weighting=BM25F())

    def delete(self, ids: Collection[str]) -> None:
        if not ids:
            return
        with self._lock:
            writer = self._index.writer()
            for doc_id in ids:
                writer.delete_by_term("id", doc_id)
            writer.commit()
            self._reopen()

    def lexical(self, query: LexicalQuery, limit: int) -> list[tuple[str, float]]:
        clauses: list[wq.Query] = []
        for words, weight in ((query.words, 1.0), (query.expansion, EXPANSION_WEIGHT)):
            for term in self._terms(words):
                clauses.extend(wq.Term(name, term, boost=weight) for name in _TEXT_FIELDS)
        clauses.extend(wq.Term("concepts", iri, boost=CONCEPT_WEIGHT) for iri in query.concepts)
        if not clauses:
            return []
        with self._lock:
            results = self._searcher.search(wq.Or(clauses), limit=limit)
            return [(hit["id"], float(hit.score)) for hit in results]

    def doc_count(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count())

    def size_bytes(self) -> int:
        return directory_size(self.path)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._index.close()
