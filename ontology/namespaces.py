"""Python namespace objects mirroring the ontology and the concept schemes (see docs/decisions/0001)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "MG",
    "MG_NS",
    "MG_TERMS",
    "MG_CLASSES",
    "MG_ONTOLOGY",
    "V",
    "DCT",
    "SCHEMA",
    "VANN",
    "MG_VERSION_IRI",
    "VOCAB_BASE",
    "scheme_iri",
    "concept_iri",
    "DISCO",
    "QB",
    "CV",
    "ADMS_PUBLISHER_TYPE",
    "COUNTRY",
    "SDG",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "XSD",
]

MG = Namespace("https://w3id.org/missiongraph/def#")
#: the ontology namespace as a plain string: for string keys, SPARQL text and pyoxigraph terms
MG_NS: str = str(MG)
MG_ONTOLOGY = URIRef("https://w3id.org/missiongraph/def")
MG_VERSION_IRI = URIRef("https://w3id.org/missiongraph/def/1.0.0")
VOCAB_BASE = "https://w3id.org/missiongraph/vocab/"

DISCO = Namespace("http://rdf-vocabulary.ddialliance.org/discovery#")
QB = Namespace("http://purl.org/linked-data/cube#")
CV = Namespace("http://data.europa.eu/m8g/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
SDG = Namespace("http://metadata.un.org/sdg/")
#: concept IRIs: ``V["risk/silos"]``
V = Namespace(VOCAB_BASE)
DCT = DCTERMS
# schema.org only for schema:domainIncludes in the ontology (bind it explicitly: rdflib rebinds it otherwise)
SCHEMA = Namespace("http://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: the classes missiongraph.ttl declares
MG_CLASSES: frozenset[str] = frozenset({"Mission", "SurveyResponse"})

#: every term missiongraph.ttl declares (a test checks the two agree). Write ``MG["count"]``, not
#: ``MG.count``: rdflib namespaces are strings, and ``str.count`` wins over the term.
MG_TERMS: frozenset[str] = MG_CLASSES | frozenset(
    {
        # data structure of the published figures and its components
        "figuresStructure",
        "figureCodeComponent",
        "questionComponent",
        "conceptComponent",
        "shareComponent",
        "countComponent",
        "baseComponent",
        # mission facts
        "goalStatement",
        "launchYear",
        "targetYear",
        "place",
        "programme",
        "governingBody",
        "fundingNote",
        "hasQuantifiedTarget",
        # mission-level answers
        "level",
        "phase",
        "challengeField",
        "fundingSource",
        "perceivedRisk",
        "facedChallenge",
        "learningNeed",
        "supportNeed",
        "hasClearTarget",
        "hasMonitoringPlan",
        "driver",
        "mainExternalDriver",
        "mainInternalDriver",
        # responses, questions, people
        "describesMission",
        "sector",
        "respondentRole",
        "organisationType",
        "involvedInMissionWork",
        "challengeText",
        "supportText",
        "synthetic",
        "recordedAs",
        "answerScheme",
        "contactConsent",
        "organisationName",
        # published figures
        "figureCode",
        "question",
        "concept",
        "share",
        "count",
        "base",
        # datasets and dumps
        "namedGraph",
        # support-need matching
        "matchedByProperty",
        "matchedByValue",
        "matchNote",
    }
)


def scheme_iri(scheme: str) -> URIRef:
    """The IRI of a concept scheme, e.g. ``scheme_iri("risk")``."""
    return URIRef(f"{VOCAB_BASE}{scheme}/")


def concept_iri(scheme: str, code: str) -> URIRef:
    """The IRI of a concept, e.g. ``concept_iri("risk", "silos")``."""
    return URIRef(f"{VOCAB_BASE}{scheme}/{code}")
