"""SHACL validation with pyshacl against the ontology's shapes, vocabulary merged into the data graph."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from pyshacl import validate as _pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.iris import Iris
from ontology.shapes import shapes_graph
from ontology.vocab import vocabulary_graph

__all__ = ["ShapeResult", "validate", "validate_nquads"]

_SEVERITY: dict[Node | None, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL result: which node, which property path, what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None
    #: local name of the constraint component that failed, e.g. "MinCountConstraintComponent"
    constraint: str | None = None
    #: the node shape the result comes from (``https://w3id.org/missiongraph/shapes#MissionShape``)
    shape: str | None = None

    def __str__(self) -> str:
        where = f"<{self.focus}>" + (f" {self.path}" if self.path else "")
        got = f" (value {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{got}"


@cache
def _shapes(public: bool) -> Graph:
    return shapes_graph(public=public)


def _term_text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef | Literal):
        return str(term)
    return f"_:{term}"


def _path_text(report: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):  # complex paths: show the first step, enough to locate the problem
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{inverse}"
        first = report.value(path, RDF.first)
        return str(first) if first is not None else "(complex path)"
    return str(path)


def _message(report: Graph, result: Node) -> str:
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    # an sh:node failure says only "see details": the nested result names the real problem
    details = sorted(
        str(m) for d in report.objects(result, SH.detail) for m in report.objects(d, SH.resultMessage)
    )
    if details and (not messages or "See details" in messages[0]):
        return details[0]
    return messages[0] if messages else "does not conform"


def _node_shape(shapes: Graph, source: Node | None) -> str | None:
    """The named node shape a result comes from (property shapes are blank nodes inside one)."""
    seen: set[Node] = set()
    while isinstance(source, BNode) and source not in seen:
        seen.add(source)
        source = next(iter(shapes.subjects(SH.property, source)), None) or next(
            iter(shapes.subjects(None, source)), None
        )
    return str(source) if isinstance(source, URIRef) else None


def _results(report: Graph, shapes: Graph) -> list[ShapeResult]:
    out: list[ShapeResult] = []
    # top-level results only; nested sh:detail results are folded into their parent's message
    for result in report.objects(None, SH.result):
        component = report.value(result, SH.sourceConstraintComponent)
        out.append(
            ShapeResult(
                focus=_term_text(report.value(result, SH.focusNode)) or "",
                path=_path_text(report, report.value(result, SH.resultPath)),
                message=_message(report, result),
                severity=_SEVERITY.get(report.value(result, SH.resultSeverity), "Violation"),
                value=_term_text(report.value(result, SH.value)),
                constraint=str(component).rsplit("#", 1)[-1] if component is not None else None,
                shape=_node_shape(shapes, report.value(result, SH.sourceShape)),
            )
        )
    out.sort(key=lambda r: (r.focus, r.path or "", r.constraint or "", r.message))
    return out


def validate(data: Graph, *, public: bool = True) -> tuple[bool, list[ShapeResult]]:
    """Check ``data`` against every shape; returns (conforms, results).

    The concept schemes are merged into a copy of the data graph, because pyshacl does not consult an
    ``ont_graph`` for ``skos:inScheme`` checks. ``public=False`` leaves out the no-personal-data shapes
    (for the restricted graph).
    """
    merged = vocabulary_graph()
    for triple in data:
        merged.add(triple)
    conforms, report, _text = _pyshacl_validate(
        merged,
        shacl_graph=_shapes(public),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
    )
    assert isinstance(report, Graph)
    results = _results(report, _shapes(public))
    return bool(conforms) and not any(r.severity == "Violation" for r in results), results


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        # RDF 1.1: a plain literal is an xsd:string; rdflib tells them apart, so keep rdflib's form
        # (otherwise the Turtle-parsed vocabulary and the same terms from the store look like duplicates)
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _graphs(data: bytes, restricted_graph: str) -> tuple[Graph, Graph]:
    public = Graph(bind_namespaces="core")
    restricted = Graph(bind_namespaces="core")
    for quad in ox.parse(data, ox.RdfFormat.N_QUADS):
        g = quad.graph_name
        target = restricted if isinstance(g, ox.NamedNode) and g.value == restricted_graph else public
        obj = quad.object
        if isinstance(obj, ox.Triple):
            continue  # RDF-star terms do not occur in missiongraph data
        target.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(obj)))
    return public, restricted


def validate_nquads(data: bytes, iris: Iris) -> list[ShapeResult]:
    """The violations in N-Quads: public graphs with every shape, the restricted graph without public.ttl.

    ``iris`` names the restricted graph (``Iris.restricted_graph``, decisions/0001) under the data's base.

    The restricted graph is checked together with the public graphs, where its people are typed; a
    subject the restricted graph describes in full detail is taken from there with only its types from
    the public graphs (which show it generalised, decisions/0010: both together would be two countries).
    """
    public, restricted = _graphs(data, iris.restricted_graph)
    violations = [r for r in validate(public, public=True)[1] if r.severity == "Violation"]
    if len(restricted):
        both = Graph(bind_namespaces="core")
        detailed = set(restricted.subjects(RDF.type, None))
        for triple in restricted:
            both.add(triple)
        for triple in public:
            if triple[0] not in detailed or triple[1] == RDF.type:
                both.add(triple)
        seen = set(violations)
        violations += [
            r for r in validate(both, public=False)[1] if r.severity == "Violation" and r not in seen
        ]
    return violations
