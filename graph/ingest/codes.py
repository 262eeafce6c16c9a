"""Concept codes and country IRIs for ingest, read from the ontology's vocabulary (ontology.vocab)."""

from __future__ import annotations

from functools import cache

from ontology import vocab
from ontology.namespaces import VOCAB_BASE

__all__ = ["SCHEMES", "resolve_code", "country_iri", "concept_iri", "scheme_of_code", "scheme_codes"]

SCHEMES: tuple[str, ...] = tuple(vocab.SCHEMES)


@cache
def scheme_codes(scheme: str) -> tuple[str, ...]:
    """Every code of a scheme, in decision 0001 order (empty for an unknown scheme)."""
    if scheme not in SCHEMES:
        return ()
    return tuple(c.code for c in vocab.concepts(scheme))


@cache
def resolve_code(scheme: str, text: str) -> str | None:
    """The code of ``text`` in ``scheme``: a code, prefLabel or altLabel (case-insensitive), or None."""
    if scheme not in SCHEMES:
        return None
    return vocab.resolve_code(scheme, text)


@cache
def scheme_of_code(text: str) -> tuple[str, ...]:
    """Schemes in which ``text`` names a concept (to say 'a risk, not a sector')."""
    return tuple(s for s in SCHEMES if vocab.resolve_code(s, text) is not None)


def concept_iri(scheme: str, code: str) -> str:
    return f"{VOCAB_BASE}{scheme}/{code}"


@cache
def country_iri(code: str) -> str | None:
    """The EU Publications Office IRI of an ISO 3166-1 alpha-2 code (or ``EU``), or None."""
    return vocab.country_iri(code.strip())
