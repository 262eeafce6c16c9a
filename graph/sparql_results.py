"""SPARQL results and RDF graphs as bytes in every format the service offers (JSON, XML, CSV, TSV, RDF)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "SOLUTION_MEDIA_TYPES",
    "BOOLEAN_MEDIA_TYPES",
    "GRAPH_MEDIA_TYPES",
    "RDF_FORMATS",
    "Term",
    "TEXT_DATATYPES",
    "is_text",
    "term_json",
    "serialize_solutions",
    "serialize_boolean",
    "serialize_triples",
    "serialize_turtle_as",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: result format name -> media type, for SELECT
SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: for ASK (CSV and TSV define no boolean form)
BOOLEAN_MEDIA_TYPES: dict[str, str] = {k: SOLUTION_MEDIA_TYPES[k] for k in ("json", "xml")}
#: for CONSTRUCT and DESCRIBE
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
GRAPH_MEDIA_TYPES: dict[str, str] = {k: f.media_type for k, f in RDF_FORMATS.items()}


def term_json(term: Term) -> dict[str, Any]:
    """One RDF term in the SPARQL 1.1 JSON results shape."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
        f"</predicate><object>{_term_xml(term.object)}</object></triple>"
    )


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


#: literals whose value is text someone typed: the only cells the formula guard touches
TEXT_DATATYPES = frozenset({XSD_STRING, RDF_LANG_STRING})


def is_text(term: Term | None) -> bool:
    """True for a plain or language-tagged string literal (never a number, date, boolean or IRI)."""
    return isinstance(term, ox.Literal) and term.datatype.value in TEXT_DATATYPES


def _csv_cell(term: Term | None) -> str:
    from graph.csvsafe import neutralise  # imported where CSV is written

    value = _csv_value(term)
    # typed literals (numbers, dates, durations, booleans ...) and IRIs are data: written unchanged
    return neutralise(value) if is_text(term) else value


def serialize_solutions(
    variables: Sequence[str],
    rows: Iterable[Sequence[Term | None]],
    fmt: str,
    *,
    truncated: bool = False,
) -> bytes:
    """SELECT results (``rows`` aligned with ``variables``) in ``fmt``: json, xml, csv or tsv."""
    if fmt == "json":
        bindings = [
            {name: term_json(t) for name, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        body: dict[str, Any] = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        if truncated:
            body["truncated"] = True
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated:
            parts.append('<link href="urn:missiongraph:truncated"/>')
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            for name, t in zip(variables, row, strict=True):
                if t is not None:
                    parts.append(f"<binding name={quoteattr(name)}>{_term_xml(t)}</binding>")
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_cell(t) for t in row])
        return buffer.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        for row in rows:
            # str(term) is the N-Triples form, which escapes tabs and line breaks inside literals
            lines.append("\t".join("" if t is None else str(t) for t in row))
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result in ``fmt``: json or xml."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"unknown boolean results format {fmt!r}")


def _used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of ``triples`` (so no unused declarations are written)."""
    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def serialize_triples(
    triples: Iterable[ox.Triple], fmt: str, *, prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples in ``fmt``: turtle, ntriples, jsonld or rdfxml."""
    rdf_format = RDF_FORMATS[fmt]
    items = list(triples)
    used = _used_prefixes(items, prefixes) if prefixes and fmt in ("turtle", "rdfxml", "jsonld") else None
    out = ox.serialize(items, format=rdf_format, prefixes=used)
    return out if isinstance(out, bytes) else b""


def serialize_turtle_as(turtle: str, fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle text re-written in ``fmt`` (turtle, ntriples, jsonld or rdfxml)."""
    if fmt == "turtle":
        return turtle.encode()
    triples = [q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
    return serialize_triples(triples, fmt, prefixes=prefixes)
