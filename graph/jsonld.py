"""Compact JSON-LD: triples as node objects with prefixed names, under a context served by the service.

Literal values are never converted: a typed literal keeps its lexical form and datatype
(``{"@value": "2030", "@type": "xsd:gYear"}``); only plain strings are written as JSON strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

__all__ = ["context_document", "compact_jsonld"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def context_document(prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-LD context that defines every prefix (served at ``/context.jsonld``)."""
    return {"@context": dict(prefixes)}


def _compactor(prefixes: Mapping[str, str]) -> Any:
    # longest namespace first, so that a more specific namespace wins
    spaces = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for name, namespace in spaces:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if local and not local.startswith("//"):
                    return f"{name}:{local}"
        return iri

    return compact


def _node_id(term: ox.NamedNode | ox.BlankNode | ox.Triple, compact: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return str(compact(term.value))
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise ValueError("RDF-star triples have no JSON-LD form here")


def compact_jsonld(
    triples: Iterable[ox.Triple], prefixes: Mapping[str, str], context: str | Mapping[str, Any]
) -> bytes:
    """``triples`` as compact JSON-LD: ``{"@context": context, "@graph": [node objects]}``.

    ``context`` is the URL of the served context (or the context object itself); it must define
    every prefix of ``prefixes``.
    """
    compact = _compactor(prefixes)
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        node = nodes.setdefault(_node_id(t.subject, compact), {"@id": _node_id(t.subject, compact)})
        obj = t.object
        if t.predicate.value == RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        key = compact(t.predicate.value)
        value: Any
        if isinstance(obj, ox.Literal):
            if obj.language:
                value = {"@value": obj.value, "@language": obj.language}
            elif obj.datatype.value in (XSD_STRING, RDF_LANG_STRING):
                value = obj.value
            else:
                value = {"@value": obj.value, "@type": compact(obj.datatype.value)}
        else:
            value = {"@id": _node_id(obj, compact)}
        node.setdefault(key, []).append(value)
    graph = []
    for node in nodes.values():
        graph.append({k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in node.items()})
    document = {"@context": context, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
