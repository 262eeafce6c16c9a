"""What every full-text engine implements (the protocol, the query, field weights); no engine lives here."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from search.documents import SearchDocument

__all__ = [
    "LexicalQuery",
    "SearchEngine",
    "FIELD_BOOSTS",
    "EXPANSION_WEIGHT",
    "CONCEPT_WEIGHT",
    "directory_size",
]

#: BM25F field weights: a word in the title says more than one in a long goal statement; concept
#: labels (the preferred labels of a document's concepts) weigh less than the title
FIELD_BOOSTS = {"title": 2.0, "goal": 1.0, "answers": 1.0, "labels": 0.7}
#: words added by query expansion count less than the user's own words
EXPANSION_WEIGHT = 0.4
#: a concept the query names (by any of its labels) matched as one term in the ``concepts`` field;
#: it stands for the ~10 alternative labels no longer indexed as text, hence the weight (decisions/0013)
CONCEPT_WEIGHT = 5.0


@dataclass(frozen=True)
class LexicalQuery:
    """Words any of which may match (OR semantics), plus thesaurus words at a lower weight and the
    concepts (IRIs) the query names, matched against the documents' ``concepts``."""

    words: tuple[str, ...]
    expansion: tuple[str, ...] = field(default_factory=tuple)
    concepts: tuple[str, ...] = field(default_factory=tuple)


class SearchEngine(Protocol):
    """A BM25F full-text index of search documents, keyed by document id."""

    name: str

    def add(self, docs: Sequence[SearchDocument]) -> None:
        """Add documents, replacing any with the same id; committed on return."""

    def delete(self, ids: Collection[str]) -> None:
        """Remove documents by id; committed on return."""

    def lexical(self, query: LexicalQuery, limit: int) -> list[tuple[str, float]]:
        """The best ``limit`` matching documents as (id, BM25F score), best first."""

    def doc_count(self) -> int: ...

    def size_bytes(self) -> int: ...

    def close(self) -> None: ...


def directory_size(path: Path) -> int:
    """Bytes of all files under ``path`` (an engine's on-disk size)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
