"""The vocabulary as data: ontology, schemes, crosswalks and countries, loaded once from package data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ontology.errors import UnknownSchemeError
from ontology.namespaces import COUNTRY, MG, SDG, VOCAB_BASE, concept_iri, scheme_iri

__all__ = [
    "Concept",
    "SCHEMES",
    "vocabulary_graph",
    "write_vocabulary_ntriples",
    "schemes",
    "concepts",
    "concept",
    "resolve_code",
    "country_iri",
    "country_label",
    "world_regions",
    "organisation_type",
    "REGION_SCHEME",
    "ORGANISATION_TYPE_SCHEME",
    "countries",
    "sdgs_for_field",
    "need_strengths",
    "label",
    "normalise_label",
]

#: every concept scheme of decisions/0001, in the order the decision lists them
SCHEMES: tuple[str, ...] = (
    "role",
    "sector",
    "level",
    "phase",
    "challenge-field",
    "external-driver",
    "internal-driver",
    "funding-source",
    "risk",
    "challenge",
    "learning-need",
    "support-need",
    "answer",
)

_FILES: tuple[str, ...] = ("missiongraph.ttl", "crosswalks.ttl", "countries.ttl", "disclosure.ttl")


@dataclass(frozen=True)
class Concept:
    """One SKOS concept of a missiongraph scheme."""

    iri: str
    code: str
    scheme: str
    pref_label: str
    alt_labels: tuple[str, ...]
    definition: str


def normalise_label(text: str) -> str:
    """The form labels are compared in: case-folded, typographic apostrophes, '&' as 'and', -/_ as space."""
    text = text.casefold().replace("\u2019", "'").replace("&", " and ")
    return re.sub(r"[\s_\-]+", " ", text).strip()


@cache
def _graph() -> Graph:
    # bind_namespaces="core": rdflib would otherwise rebind well-known prefixes (schema.org pitfall)
    graph = Graph(bind_namespaces="core")
    root = resources.files("ontology")
    names = [name for name in _FILES if root.joinpath(name).is_file()]
    names += [f"schemes/{s}.ttl" for s in SCHEMES]
    for name in names:
        graph.parse(data=root.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def vocabulary_graph() -> Graph:
    """A copy of the whole vocabulary (ontology, schemes, crosswalks, countries); safe to modify."""
    copy = Graph(bind_namespaces="core")
    for prefix, ns in _graph().namespaces():
        copy.bind(prefix, ns, override=True)
    for triple in _graph():
        copy.add(triple)
    return copy


@cache
def write_vocabulary_ntriples() -> bytes:
    """The vocabulary as sorted N-Triples (deterministic bytes, for the store's vocabulary graph)."""
    lines = _graph().serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(line for line in lines if line.strip())) + b"\n"


def schemes() -> list[str]:
    """The scheme codes (``risk``, ``support-need`` ...) in decisions/0001 order."""
    return list(SCHEMES)


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise UnknownSchemeError(f"unknown concept scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")


def _text(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    values = sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal))
    return values[0] if values else ""


@cache
def _concepts(scheme: str) -> tuple[Concept, ...]:
    graph = _graph()
    base = str(scheme_iri(scheme))
    found: list[Concept] = []
    for subject in graph.subjects(SKOS.inScheme, URIRef(base)):
        if not isinstance(subject, URIRef):
            continue
        found.append(
            Concept(
                iri=str(subject),
                code=_text(graph, subject, SKOS.notation),
                scheme=scheme,
                pref_label=_text(graph, subject, SKOS.prefLabel),
                alt_labels=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))),
                definition=_text(graph, subject, SKOS.definition),
            )
        )
    # RDF keeps no order; the scheme file lists codes in decisions/0001 order, so sort by that
    order = _source_order(scheme)
    return tuple(sorted(found, key=lambda c: order.get(c.code, len(order))))


def _source_order(scheme: str) -> dict[str, int]:
    text = resources.files("ontology").joinpath(f"schemes/{scheme}.ttl").read_text(encoding="utf-8")
    codes = re.findall(r'^\s*skos:notation "([^"]+)"', text, flags=re.MULTILINE)[1:]  # [0]: the scheme
    return {code: i for i, code in enumerate(codes)}


def concepts(scheme: str) -> list[Concept]:
    """The concepts of one scheme, in the order decisions/0001 lists their codes."""
    _check_scheme(scheme)
    return list(_concepts(scheme))


def concept(scheme: str, code: str) -> Concept | None:
    """One concept by scheme and exact code, or None."""
    _check_scheme(scheme)
    return next((c for c in _concepts(scheme) if c.code == code), None)


@cache
def _label_index(scheme: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in _concepts(scheme):
        for text in (*c.alt_labels, c.pref_label, c.code):  # code and prefLabel win over an altLabel
            index[normalise_label(text)] = c.code
    return index


def resolve_code(scheme: str, text: str) -> str | None:
    """The code whose code, prefLabel or altLabel matches ``text`` (case-insensitively), or None."""
    _check_scheme(scheme)
    return _label_index(scheme).get(normalise_label(text))


@cache
def _country_index() -> dict[str, str]:
    graph = _graph()
    index: dict[str, str] = {}
    for subject in graph.subjects(SKOS.inScheme, URIRef(str(COUNTRY)[:-1])):
        index[normalise_label(str(subject).rsplit("/", 1)[1])] = str(subject)  # the alpha-3 code
        for predicate in (SKOS.altLabel, SKOS.prefLabel, SKOS.notation):  # notation wins
            for value in graph.objects(subject, predicate):
                index[normalise_label(str(value))] = str(subject)
    return index


def country_iri(code: str) -> str | None:
    """The EU country authority IRI for an alpha-3 code (``DNK``, ``EUR``: the IRI's own), an ISO 3166-1
    alpha-2 code (``DK``, ``EU``) or a country name."""
    return _country_index().get(normalise_label(code))


def countries() -> dict[str, str]:
    """Every country the survey can name: ISO alpha-2 code -> country IRI."""
    graph = _graph()
    return {
        str(code): str(subject)
        for subject in graph.subjects(SKOS.inScheme, URIRef(str(COUNTRY)[:-1]))
        for code in graph.objects(subject, SKOS.notation)
    }


REGION_SCHEME = f"{VOCAB_BASE}region/"
ORGANISATION_TYPE_SCHEME = f"{VOCAB_BASE}organisation-type/"


@cache
def _broader_in(scheme: str) -> dict[str, str]:
    graph = _graph()
    members = set(graph.subjects(SKOS.inScheme, URIRef(scheme)))
    return {str(s): str(o) for s, o in graph.subject_objects(SKOS.broader) if o in members}


def world_regions(country: str) -> tuple[str, ...]:
    """The world regions a country IRI lies in, narrowest first (sub-region, continent); () if unknown."""
    found: list[str] = []
    here = _broader_in(REGION_SCHEME).get(country)
    while here is not None and here not in found:
        found.append(here)
        here = _broader_in(REGION_SCHEME).get(here)
    return tuple(found)


def organisation_type(sector: str) -> str | None:
    """The organisation type IRI a sector concept IRI is narrower than, or None."""
    return _broader_in(ORGANISATION_TYPE_SCHEME).get(sector)


def country_label(iri: str) -> str | None:
    """The English name of a country IRI, or None when the vocabulary does not know it."""
    text = _text(_graph(), URIRef(iri), SKOS.prefLabel)
    return text or None


def sdgs_for_field(code: str) -> list[str]:
    """The SDG goal IRIs (``http://metadata.un.org/sdg/13``) a challenge field relates to, by goal number."""
    _check_scheme("challenge-field")
    matches = [
        str(o)
        for o in _graph().objects(concept_iri("challenge-field", code), SKOS.relatedMatch)
        if str(o).startswith(str(SDG))
    ]
    return sorted(matches, key=lambda iri: int(iri.rsplit("/", 1)[1]))


@cache
def _need_strengths() -> dict[str, tuple[tuple[str, str], ...]]:
    graph = _graph()
    result: dict[str, tuple[tuple[str, str], ...]] = {}
    for c in _concepts("support-need"):
        subject = URIRef(c.iri)
        properties = sorted(str(p) for p in graph.objects(subject, MG.matchedByProperty))
        values = sorted(str(v) for v in graph.objects(subject, MG.matchedByValue))
        result[c.code] = tuple((p, v) for p in properties for v in values)
    return result


def need_strengths() -> dict[str, list[tuple[str, str]]]:
    """Support-need code -> the (property IRI, value IRI) pairs that show strength in that area.

    A mission or response carrying one of the pairs can help someone who needs that support.
    """
    return {need: list(pairs) for need, pairs in _need_strengths().items()}


def label(iri: str) -> str:
    """A human label for any vocabulary IRI (prefLabel, then rdfs:label); else the IRI's last segment."""
    subject = URIRef(iri)
    text = _text(_graph(), subject, SKOS.prefLabel) or _text(_graph(), subject, RDFS.label)
    if text:
        return text
    tail = re.split(r"[#/]", iri.rstrip("/"))[-1]
    return tail or iri
