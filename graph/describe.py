"""The description of one resource (its triples out and in) from a chosen set of graphs."""

from __future__ import annotations

import pyoxigraph as ox

from graph.errors import InvalidInputError
from graph.store import Dataset, Store

__all__ = ["describe", "MAX_INBOUND"]

#: inbound links kept per resource (a concept can be the object of thousands of answers)
MAX_INBOUND = 500


def describe(
    store: Store, iri: str, graphs: tuple[str, ...], *, prefix_match: bool = False
) -> list[ox.Triple]:
    """Triples whose subject is ``iri`` (or, with ``prefix_match``, starts with it) and up to
    ``MAX_INBOUND`` triples pointing at it, read from ``graphs`` only."""
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise InvalidInputError(f"not an IRI: {iri!r}") from exc
    dataset = Dataset(default=graphs)
    if prefix_match:
        literal = ox.Literal(iri)
        out = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {literal})) }}"
    else:
        out = f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}"
    inbound = (
        f"CONSTRUCT {{ ?s ?p {node} }} WHERE {{ SELECT ?s ?p WHERE {{ ?s ?p {node} }} LIMIT {MAX_INBOUND} }}"
    )
    triples = list(store.query(out, dataset=dataset))
    triples += list(store.query(inbound, dataset=dataset))
    return triples
