"""pyoxigraph terms of the vocabulary, concept codes and country IRIs for writers of N-Triples."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ontology import vocab
from ontology.namespaces import MG_NS

__all__ = [
    "Namespace",
    "MG",
    "DCT",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "ORG",
    "CV",
    "QB",
    "DCAT",
    "PROV",
    "FOAF",
    "DISCO",
    "VOCAB_BASE",
    "CODES",
    "concept",
    "is_code",
    "country_iri",
    "sdg_iris",
]


class Namespace:
    """``MG.Mission`` -> ``ox.NamedNode(MG_NS + "Mission")``."""

    def __init__(self, base: str) -> None:
        self._prefix = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return ox.NamedNode(self._prefix + name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._prefix + name)


MG = Namespace(MG_NS)
DCT = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
QB = Namespace("http://purl.org/linked-data/cube#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DISCO = Namespace("http://rdf-vocabulary.ddialliance.org/discovery#")
VOCAB_BASE = "https://w3id.org/missiongraph/vocab/"

#: concept codes per scheme (docs/decisions/0001), read from the ontology's concept schemes
CODES: dict[str, tuple[str, ...]] = {
    scheme: tuple(c.code for c in vocab.concepts(scheme)) for scheme in vocab.schemes()
}


def concept(scheme: str, code: str) -> ox.NamedNode:
    """The concept IRI of a code, e.g. ``concept("risk", "silos")``."""
    return ox.NamedNode(f"{VOCAB_BASE}{scheme}/{code}")


def is_code(scheme: str, code: str) -> bool:
    return code in CODES.get(scheme, ())


def country_iri(code: str) -> str | None:
    """The EU authority IRI of an ISO alpha-2 code (or ``EU``); None when the code is unknown."""
    return vocab.country_iri(code) if code.strip() else None


def sdg_iris(fields: Iterable[str]) -> list[str]:
    """SDG goal IRIs of challenge-field codes via the ontology's crosswalk (sorted, no duplicates)."""
    goals = {goal for code in fields for goal in vocab.sdgs_for_field(code)}
    return sorted(goals, key=lambda iri: int(iri.rsplit("/", 1)[1]))
