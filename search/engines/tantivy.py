"""The tantivy engine: Rust BM25 through its Python bindings, for large deployments."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Collection, Sequence
from pathlib import Path

import tantivy

from search.documents import SearchDocument
from search.engines.base import CONCEPT_WEIGHT, EXPANSION_WEIGHT, FIELD_BOOSTS, LexicalQuery, directory_size

__all__ = ["TantivyEngine"]

_TEXT_FIELDS = list(FIELD_BOOSTS)
#: heap of the index writer; tantivy needs at least 15 MB per thread
_WRITER_HEAP = 64_000_000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in _TEXT_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    # concept IRIs, one term each (no positions: a concept is matched as a whole)
    builder.add_text_field("concepts", stored=False, tokenizer_name="raw", index_option="freq")
    return builder.build()


class TantivyEngine:
    name = "tantivy"

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        if create and path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        self._schema = _schema()
        self._index = tantivy.Index(self._schema, path=str(path), reuse=not create)
        self._lock = threading.Lock()

    def add(self, docs: Sequence[SearchDocument]) -> None:
        with self._lock:
            writer = self._index.writer(_WRITER_HEAP, 1)
            fresh = self._index.searcher().num_docs == 0
            for doc in docs:
                if not fresh:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(
                    tantivy.Document(
                        id=doc.id,
                        title=doc.title,
                        goal=doc.goal,
                        answers=doc.answers,
                        labels="\n".join(doc.labels),
                        concepts=list(doc.concepts),
                    )
                )
            writer.commit()
            writer.wait_merging_threads()
            self._index.reload()

    def delete(self, ids: Collection[str]) -> None:
        if not ids:
            return
        with self._lock:
            writer = self._index.writer(_WRITER_HEAP, 1)
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            writer.commit()
            writer.wait_merging_threads()
            self._index.reload()

    def _parse(self, words: Sequence[str]) -> tantivy.Query | None:
        # words are plain alphanumerics (search.text.words), so no query syntax can slip through
        safe = [w for w in words if w.isalnum()]
        if not safe:
            return None
        return self._index.parse_query(" ".join(safe), _TEXT_FIELDS, field_boosts=FIELD_BOOSTS)

    def lexical(self, query: LexicalQuery, limit: int) -> list[tuple[str, float]]:
        main = self._parse(query.words)
        extra = self._parse(query.expansion)
        clauses = []
        if main is not None:
            clauses.append((tantivy.Occur.Should, main))
        if extra is not None:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(extra, EXPANSION_WEIGHT)))
        for iri in query.concepts:
            term = tantivy.Query.term_query(self._schema, "concepts", iri, index_option="freq")
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, CONCEPT_WEIGHT)))
        if not clauses:
            return []
        searcher = self._index.searcher()
        hits = searcher.search(tantivy.Query.boolean_query(clauses), limit, count=False).hits
        return [(searcher.doc(address)["id"][0], float(score)) for score, address in hits]

    def doc_count(self) -> int:
        return int(self._index.searcher().num_docs)

    def size_bytes(self) -> int:
        return directory_size(self.path)

    def close(self) -> None:
        del self._index
