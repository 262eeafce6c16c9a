"""The OWL ontology agrees with the namespace objects, decisions/0002 and the code that writes mg: terms."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology import vocab
from ontology.namespaces import MG, MG_CLASSES, MG_ONTOLOGY, MG_TERMS, MG_VERSION_IRI, PROV, SCHEMA

ROOT = Path(__file__).parents[2]
DATA_MODEL = ROOT / "docs/decisions/0002-data-model.md"


def declared_terms(g: Graph) -> set[str]:
    return {
        str(s)[len(str(MG)) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(MG))
    }


def test_ontology_header() -> None:
    g = vocab.vocabulary_graph()
    assert (MG_ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert (MG_ONTOLOGY, OWL.versionIRI, MG_VERSION_IRI) in g
    assert g.value(MG_ONTOLOGY, RDFS.label) is not None


def test_namespace_objects_and_ontology_agree() -> None:
    assert declared_terms(vocab.vocabulary_graph()) == set(MG_TERMS)


def test_every_term_has_label_and_definition() -> None:
    g = vocab.vocabulary_graph()
    for term in MG_TERMS:
        iri = MG[term]
        assert g.value(iri, RDFS.label) is not None, term
        assert g.value(iri, SKOS.definition) is not None, term
        assert g.value(iri, RDF.type) is not None, term


def test_every_term_of_the_data_model_is_declared() -> None:
    used = set(re.findall(r"\bmg:([A-Za-z]+)", DATA_MODEL.read_text(encoding="utf-8")))
    assert used, "the data model names mg: terms"
    assert used - MG_TERMS == set()


def test_every_mg_term_written_by_the_code_is_declared() -> None:
    used: set[str] = set()
    for package in ("graph", "search", "api"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bMG\.([A-Za-z]+)\b", text))
            used |= set(re.findall(r"\bMG\[\"([A-Za-z]+)\"\]", text))
            used |= set(re.findall(r"\bmg:([A-Za-z]+)\b", text))
    for path in (ROOT / "ontology/queries").glob("*.rq"):
        used |= set(re.findall(r"\bmg:([A-Za-z]+)\b", path.read_text(encoding="utf-8")))
    assert used - MG_TERMS == set()


def test_classes_and_prov_pitfalls() -> None:
    g = vocab.vocabulary_graph()
    assert set(MG_CLASSES) == {"Mission", "SurveyResponse"}
    assert (MG.Mission, RDFS.subClassOf, PROV.Activity) in g
    assert (MG.SurveyResponse, RDFS.subClassOf, PROV.Entity) in g
    # a property used on missions and on responses must not have an rdfs:domain: with PROV's
    # Activity/Entity disjointness, a domain would make every subject of it inconsistent
    for prop in g.subjects(SCHEMA.domainIncludes, MG.SurveyResponse):
        if (prop, SCHEMA.domainIncludes, MG.Mission) in g:
            assert g.value(prop, RDFS.domain) is None, prop
    # no mg property claims an org:Organization-only range for people, or people for organisations
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        for domain in g.objects(prop, RDFS.domain):
            assert domain not in (PROV.Activity, PROV.Entity), prop


def test_concept_valued_properties_name_their_scheme() -> None:
    g = vocab.vocabulary_graph()
    schemes = {str(s) for s in g.subjects(RDF.type, SKOS.ConceptScheme)}
    for prop in g.subjects(RDFS.range, SKOS.Concept):
        if prop in (MG.concept, MG.driver, MG.matchedByValue):
            continue  # range spans several schemes
        scheme = g.value(prop, MG.answerScheme)
        assert scheme is not None and str(scheme) in schemes, prop


def test_ontology_parses_with_pyoxigraph() -> None:
    import pyoxigraph as ox

    text = (ROOT / "ontology/missiongraph.ttl").read_bytes()
    triples = list(ox.parse(text, ox.RdfFormat.TURTLE))
    assert len(triples) == len(Graph().parse(data=text, format="turtle"))


def test_the_vocabulary_guide_covers_every_term_scheme_and_query() -> None:
    from ontology.queries import catalogue

    guide = (ROOT / "docs/vocabulary.md").read_text(encoding="utf-8")
    assert {t for t in MG_TERMS if f"mg:{t}" not in guide} == set()
    assert {s for s in vocab.schemes() if f"### `{s}`" not in guide} == set()
    for c in (c for s in vocab.schemes() for c in vocab.concepts(s)):
        assert f"| `{c.code}` | {c.pref_label} |" in guide, c.iri
    assert {q.name for q in catalogue() if not q.kind and f"`{q.name}`" not in guide} == set()


def test_every_term_is_defined_by_the_ontology() -> None:
    g = vocab.vocabulary_graph()
    assert {t for t in MG_TERMS if (MG[t], RDFS.isDefinedBy, MG_ONTOLOGY) not in g} == set()
