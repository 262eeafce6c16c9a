"""Full-text and semantic search over the knowledge graph's public graphs (derived, never edited)."""

from __future__ import annotations

from search.documents import FACETS, DocumentSet, SearchDocument, documents_from_store
from search.engines import ENGINES, SearchEngine, open_engine
from search.index import Index, build_index, ensure_fresh, open_index, update_index

__all__ = [
    "FACETS",
    "ENGINES",
    "DocumentSet",
    "SearchDocument",
    "SearchEngine",
    "Index",
    "build_index",
    "documents_from_store",
    "ensure_fresh",
    "open_engine",
    "open_index",
    "update_index",
]
