"""The SPARQL 1.1 Service Description of an endpoint, as Turtle."""

from __future__ import annotations

from collections.abc import Sequence

from graph.sparql_results import GRAPH_MEDIA_TYPES
from ontology.prefixes import PREDECLARED

__all__ = ["service_description"]

_RESULT_FORMATS = {
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "http://www.w3.org/ns/formats/Turtle",
    "http://www.w3.org/ns/formats/N-Triples",
    "http://www.w3.org/ns/formats/JSON-LD",
    "http://www.w3.org/ns/formats/RDF_XML",
}


_DESCRIPTION = (
    "Query-only SPARQL 1.1 endpoint of missiongraph: the default graph is the union of the public named "
    "graphs; UPDATE, LOAD and SERVICE are refused."
)


def service_description(endpoint: str, graphs: Sequence[str]) -> str:
    """Turtle describing ``endpoint``: query language, result formats and its dataset of ``graphs``."""
    named = "".join(f"    sd:namedGraph [ sd:name <{g}> ] ;\n" for g in graphs)
    formats = ", ".join(f"<{f}>" for f in sorted(_RESULT_FORMATS))
    default_parts = " , ".join(f"<{g}>" for g in graphs)
    sources = f"\n      rdfs:seeAlso {default_parts} ;" if graphs else ""
    # the prefixes every query may use without declaring them, as SHACL prefix declarations
    declares = " ,\n".join(
        f'    [ sh:prefix "{p.name}" ; sh:namespace "{p.namespace}"^^xsd:anyURI ]' for p in PREDECLARED
    )
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat {formats} ;
  sd:feature sd:UnionDefaultGraph ;
  rdfs:comment "Queries may use the prefixes of sh:declare without declaring them (or redeclare them)." ;
  sh:declare
{declares} ;
  dct:description "{_DESCRIPTION} Graph results: {", ".join(sorted(GRAPH_MEDIA_TYPES.values()))}." ;
  sd:defaultDataset [
    a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ;{sources}
      rdfs:comment "The union of the named graphs below." ] ;
{named}  ] .
"""
