"""Linked data: instance IRIs (/id/...), concepts (/vocab/...) and the ontology (/def), negotiated."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.conneg import FORMAT_ALIASES, RDF_OFFERS, negotiate
from api.context import AppContext, get_context
from api.responses import problem_responses
from api.sparql.dataset import public_graphs
from api.sparql.endpoint import PREFIXES
from graph.describe import describe
from graph.errors import NotFoundError
from graph.sparql_results import serialize_triples
from ontology.vocab import country_label, label

router = APIRouter(tags=["linked data"])

VOCAB = "https://w3id.org/missiongraph/vocab/"
DEF = "https://w3id.org/missiongraph/def"
HTML = "text/html"
#: Turtle first: what a client that accepts anything gets
OFFERS = ["text/turtle", HTML, "application/ld+json", "application/n-triples", "application/rdf+xml"]

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resource's description, in the negotiated format.",
        "content": {
            m: {
                "schema": {"oneOf": [{"type": "array"}, {"type": "object"}]}
                if m.endswith("json")
                else {"type": "string"}
            }
            for m in OFFERS
        },
    },
    **problem_responses(400, 404, 406),
}
_FORMAT = Query(None, description="Overrides Accept: html, ttl, jsonld, nt, rdfxml.", max_length=32)


def local_href(ctx: AppContext, iri: str) -> str:
    """Where an IRI dereferences on this server (its own address when it is not ours)."""
    if iri.startswith(ctx.iris.base + "id/"):
        return "/" + iri[len(ctx.iris.base) :]
    if iri.startswith(VOCAB):
        return "/vocab/" + iri[len(VOCAB) :]
    if iri.startswith(DEF):
        return "/def" + iri[len(DEF) :]
    return iri


def _term_label(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return country_label(term.value) or label(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _represent(
    request: Request, ctx: AppContext, iri: str, fmt: str | None, *, prefix_match: bool = False
) -> Response:
    accept = FORMAT_ALIASES.get(fmt.lower(), fmt) if fmt else request.headers.get("accept")
    media = negotiate(accept, OFFERS)
    triples = describe(ctx.store, iri, tuple(public_graphs(ctx)), prefix_match=prefix_match)
    if not any(t.subject == ox.NamedNode(iri) or prefix_match for t in triples) or not triples:
        raise NotFoundError(f"nothing is known about {iri}", iri=iri)
    headers = {"Vary": "Accept"}
    if media != HTML:
        body = serialize_triples(triples, RDF_OFFERS[media], prefixes=PREFIXES)
        return Response(body, media_type=media, headers=headers)
    from api.routers.pages import render  # noqa: PLC0415 - the pages' template environment

    node = ox.NamedNode(iri)
    outbound = [
        {
            "p_href": local_href(ctx, t.predicate.value),
            "p_label": label(t.predicate.value),
            "o_href": local_href(ctx, t.object.value) if isinstance(t.object, ox.NamedNode) else None,
            "o_label": _term_label(t.object),
        }
        for t in triples
        if t.subject == node or (prefix_match and t.object != node)
    ]
    inbound = [
        {
            "s_href": local_href(ctx, t.subject.value) if isinstance(t.subject, ox.NamedNode) else "#",
            "s_label": _term_label(t.subject),
            "p_label": label(t.predicate.value),
        }
        for t in triples
        if t.subject != node and t.object == node
    ]
    title = next(
        (
            t.object.value
            for t in triples
            if t.subject == node
            and isinstance(t.object, ox.Literal)
            and t.predicate.value.endswith(("/title", "#prefLabel", "#label"))
        ),
        _term_label(node),
    )
    path = str(request.url.path)
    alternates = [(m, f"{path}?format={FORMAT_NAMES[m]}") for m in OFFERS if m != HTML]
    response = render(
        request,
        "resource.html",
        {"title": title, "iri": iri, "outbound": outbound, "inbound": inbound, "alternates": alternates},
    )
    response.headers["Vary"] = "Accept"
    return response


FORMAT_NAMES = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
}


@router.get(
    "/id/{path:path}",
    summary="Dereference an instance IRI ({base}id/...)",
    responses=_RESPONSES,
    response_class=Response,
)
def instance(
    request: Request, path: str, format: str | None = _FORMAT, ctx: AppContext = Depends(get_context)
) -> Response:
    return _represent(request, ctx, f"{ctx.iris.base}id/{path}", format)


@router.get(
    "/vocab/{scheme}/",
    summary="Dereference a concept scheme IRI",
    responses=_RESPONSES,
    response_class=Response,
)
def scheme(
    request: Request, scheme: str, format: str | None = _FORMAT, ctx: AppContext = Depends(get_context)
) -> Response:
    return _represent(request, ctx, f"{VOCAB}{scheme}/", format)


@router.get(
    "/vocab/{scheme}/{code}",
    summary="Dereference a concept IRI",
    responses=_RESPONSES,
    response_class=Response,
)
def concept(
    request: Request,
    scheme: str,
    code: str,
    format: str | None = _FORMAT,
    ctx: AppContext = Depends(get_context),
) -> Response:
    return _represent(request, ctx, f"{VOCAB}{scheme}/{code}", format)


@router.get(
    "/def",
    summary="The missiongraph ontology (classes and properties of mg:)",
    responses=_RESPONSES,
    response_class=Response,
)
def ontology(
    request: Request, format: str | None = _FORMAT, ctx: AppContext = Depends(get_context)
) -> Response:
    return _represent(request, ctx, DEF, format, prefix_match=True)
