"""The one interface every store backend implements (embedded Oxigraph, memory, remote SPARQL)."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

__all__ = ["Dataset", "Store", "QueryResult", "to_python"]

#: what ``Store.query`` returns: pyoxigraph's own result objects, whatever the backend
#: (remote backends parse the endpoint's answer into them), so that serialization is shared.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query sees: which graphs form the default graph, which are named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    #: when True (and ``default`` is empty) the default graph is the union of every graph
    union: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def to_python(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Any:
    """An RDF term as a plain Python value: IRIs as str, typed literals as int/float/bool/str."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        text = term.value
        try:
            if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#gYear")):
                return int(text)
            if dt.endswith(("#decimal", "#double", "#float")):
                return float(text)
        except ValueError:
            return text
        if dt.endswith("#boolean"):
            return text in ("true", "1")
        return text
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


class Store(abc.ABC):
    """A quad store. Writes are atomic: a failed or interrupted write leaves the previous content."""

    #: "oxigraph", "memory" or "remote"
    kind: str = "abstract"

    # --- reading --------------------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, sparql: str, *, dataset: Dataset | None = None, timeout: float | None = None) -> Any:
        """Run a SPARQL query; returns pyoxigraph QuerySolutions, QueryBoolean or an iterator of triples.

        Raises ``QueryError`` for a query that does not parse, ``QueryTimeoutError`` when ``timeout``
        (seconds) is exceeded and the backend can stop the work.
        """

    def select(
        self, sparql: str, *, dataset: Dataset | None = None, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of plain Python values (unbound variables are absent)."""
        result = self.query(sparql, dataset=dataset, timeout=timeout)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[dict[str, Any]] = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_python(value)
            rows.append(row)
        return rows

    def ask(self, sparql: str, *, dataset: Dataset | None = None) -> bool:
        result = self.query(sparql, dataset=dataset)
        return bool(result)

    @abc.abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs that hold data."""

    @abc.abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in one named graph, or in the whole store."""

    @abc.abstractmethod
    def dump(self, fmt: ox.RdfFormat, *, graphs: Iterable[str] | None = None) -> bytes:
        """Serialize the given named graphs (all when None). Triple formats need exactly one graph."""

    # --- writing --------------------------------------------------------------------------------
    @abc.abstractmethod
    def load(self, data: bytes | str | Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        """Add RDF in one transaction: all of it lands or none of it does."""

    @abc.abstractmethod
    def replace_graph(self, graph: str, data: bytes | str | Path, fmt: ox.RdfFormat) -> None:
        """Atomically replace the content of one named graph."""

    @abc.abstractmethod
    def update(self, sparql_update: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction (internal use; never from the public endpoint)."""

    def stream_load(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Add a big file all or nothing without holding it in memory where the backend can (the
        embedded store writes in place behind a checkpoint it restores on failure); else ``load``."""
        self.load(path, fmt)

    def bulk_load(self, path: Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        """Fast load for a fresh build; backends without a faster path fall back to ``load``."""
        self.load(path, fmt, graph=graph)

    @abc.abstractmethod
    def state(self) -> str:
        """A token that changes whenever the content changes (derived views record it)."""

    def refresh(self, snapshot: Any = None) -> bool:
        """A read-only store switches to the newest published state; True when it did (others: no-op)."""
        return False

    def is_empty(self) -> bool:
        return self.count() == 0

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release files and connections."""
