"""The predeclared SPARQL prefixes: one table for the endpoint, the CLI, the query editor and the docs."""

from __future__ import annotations

from dataclasses import dataclass

from ontology.vocab import SCHEMES

__all__ = ["Prefix", "PREDECLARED", "SCHEME_PREFIXES", "prefix_map", "sparql_prologue"]

VOCAB = "https://w3id.org/missiongraph/vocab/"


@dataclass(frozen=True)
class Prefix:
    """One predeclared prefix: ``name:`` stands for ``namespace`` in every query."""

    name: str
    namespace: str
    what: str
    example: str


#: concept scheme -> its prefix (short, and a valid SPARQL prefix name: no hyphen at the end)
SCHEME_PREFIXES: dict[str, str] = {
    "role": "role",
    "sector": "sector",
    "level": "level",
    "phase": "phase",
    "challenge-field": "field",
    "external-driver": "extdriver",
    "internal-driver": "intdriver",
    "funding-source": "funding",
    "risk": "risk",
    "challenge": "challenge",
    "learning-need": "learning",
    "support-need": "support",
    "answer": "answer",
}

_SCHEME_EXAMPLES = {
    "role": "role:leader",
    "sector": "sector:national-government",
    "level": "level:national",
    "phase": "phase:implementation",
    "challenge-field": "field:climate",
    "external-driver": "extdriver:global-challenges",
    "internal-driver": "intdriver:strategy",
    "funding-source": "funding:national-state",
    "risk": "risk:silos",
    "challenge": "challenge:measuring-progress",
    "learning-need": "learning:data-insights",
    "support-need": "support:funding",
    "answer": "answer:yes",
}

_MG = Prefix("mg", "https://w3id.org/missiongraph/def#", "missiongraph's own terms", "mg:Mission")

_STANDARD: tuple[Prefix, ...] = (
    Prefix("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "RDF", "rdf:type"),
    Prefix("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "RDF Schema", "rdfs:label"),
    Prefix("owl", "http://www.w3.org/2002/07/owl#", "OWL", "owl:versionIRI"),
    Prefix("xsd", "http://www.w3.org/2001/XMLSchema#", "XML Schema datatypes", "xsd:gYear"),
    Prefix("skos", "http://www.w3.org/2004/02/skos/core#", "SKOS concepts and labels", "skos:prefLabel"),
    Prefix("dct", "http://purl.org/dc/terms/", "Dublin Core terms", "dct:title"),
    Prefix("dc", "http://purl.org/dc/elements/1.1/", "Dublin Core elements 1.1", "dc:title"),
    Prefix("prov", "http://www.w3.org/ns/prov#", "PROV-O provenance", "prov:wasGeneratedBy"),
    Prefix("org", "http://www.w3.org/ns/org#", "the Organization ontology", "org:classification"),
    Prefix("foaf", "http://xmlns.com/foaf/0.1/", "FOAF people", "foaf:Person"),
    Prefix("dcat", "http://www.w3.org/ns/dcat#", "DCAT 3 datasets and distributions", "dcat:Dataset"),
    Prefix("qb", "http://purl.org/linked-data/cube#", "RDF Data Cube (published figures)", "qb:Observation"),
    Prefix("sh", "http://www.w3.org/ns/shacl#", "SHACL shapes", "sh:NodeShape"),
    Prefix("sd", "http://www.w3.org/ns/sparql-service-description#", "service description", "sd:Service"),
    Prefix("disco", "http://rdf-vocabulary.ddialliance.org/discovery#", "DDI-RDF Discovery", "disco:Study"),
    Prefix("cv", "http://data.europa.eu/m8g/", "EU Core Vocabularies", "cv:PublicOrganisation"),
    Prefix("pubtype", "http://purl.org/adms/publishertype/", "ADMS publisher types", "pubtype:Company"),
    Prefix("sdg", "http://metadata.un.org/sdg/", "UN Sustainable Development Goals", "sdg:13"),
    Prefix(
        "country",
        "http://publications.europa.eu/resource/authority/country/",
        "EU Publications Office countries (alpha-3 codes)",
        "country:DNK",
    ),
)

#: every predeclared prefix, in the order the docs list them
PREDECLARED: tuple[Prefix, ...] = (
    (_MG,)
    + tuple(
        Prefix(
            SCHEME_PREFIXES[s],
            f"{VOCAB}{s}/",
            f"the {s} scheme ({SCHEME_PREFIXES[s]}: alone) and its concepts",
            _SCHEME_EXAMPLES[s],
        )
        for s in SCHEMES
    )
    + _STANDARD
)


def prefix_map() -> dict[str, str]:
    """Prefix name -> namespace IRI, for every predeclared prefix."""
    return {p.name: p.namespace for p in PREDECLARED}


def sparql_prologue() -> str:
    """Every predeclared prefix as SPARQL ``PREFIX`` lines."""
    return "".join(f"PREFIX {p.name}: <{p.namespace}>\n" for p in PREDECLARED)
