"""Linked data: instance IRIs (/id/...), concepts (/vocab/...) and the ontology (/def), negotiated."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from api.conneg import RDF_OFFERS, negotiate
from api.context import AppContext, get_context
from api.responses import problem_responses
from api.schemas import JsonLdContext, JsonLdDocument
from api.sparql.dataset import public_graphs
from api.sparql.endpoint import PREFIXES
from graph.describe import describe
from graph.dumps import DCAT_FILE
from graph.errors import InvalidInputError, NotFoundError
from graph.jsonld import compact_jsonld, context_document
from graph.sparql_results import serialize_triples
from ontology.namespaces import MG_NS, MG_VERSION_IRI
from ontology.vocab import country_label, label

router = APIRouter(tags=["linked data"])

VOCAB = "https://w3id.org/missiongraph/vocab/"
DEF = "https://w3id.org/missiongraph/def"
HTML = "text/html"
JSONLD = "application/ld+json"
#: Turtle first: what a client that accepts anything gets; application/json is the same JSON-LD
OFFERS = ["text/turtle", HTML, JSONLD, "application/n-triples", "application/rdf+xml", "application/json"]
#: ``?format=`` values -> media type (anything else is a 400)
FORMATS = {
    "html": HTML,
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": JSONLD,
    "json": "application/json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}
#: where the JSON-LD context that defines every predeclared prefix is served
CONTEXT_PATH = "/context.jsonld"

_JSONLD_SCHEMA = {"$ref": "#/components/schemas/JsonLdDocument"}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": JsonLdDocument,
        "description": "The resource's description, in the negotiated format.",
        "content": {
            m: {
                "schema": {"$ref": "#/components/schemas/JsonLdDocument"}
                if m.endswith("json")
                else {"type": "string"}
            }
            for m in OFFERS
        },
    },
    **problem_responses(400, 404, 406),
}
_FORMAT = Query(
    None,
    description="Overrides Accept: html, ttl, jsonld, json, nt, rdfxml (anything else is a 400).",
    max_length=32,
)


def local_href(ctx: AppContext, iri: str) -> str:
    """Where an IRI dereferences on this server (its own address when it is not ours)."""
    if iri.startswith((ctx.iris.base + "id/", ctx.iris.base + "graph/")):
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


def media_for(request: Request, fmt: str | None) -> str:
    """The negotiated media type: ``format`` when given (400 when unknown), else the Accept header."""
    if fmt is not None:
        media = FORMATS.get(fmt.lower())
        if media is None:
            raise InvalidInputError(
                f"format must be one of {', '.join(sorted(FORMATS))}, got {fmt!r}", available=sorted(FORMATS)
            )
        return media
    return negotiate(request.headers.get("accept"), OFFERS)


def alternates(request: Request) -> dict[str, str]:
    """``Vary`` and a ``Link`` header naming every representation of the resource at this path."""
    path = str(request.url.path)
    links = [f'<{path}?format={FORMAT_NAMES[m]}>; rel="alternate"; type="{m}"' for m in FORMAT_NAMES]
    links.append(f'<{path}?format=html>; rel="alternate"; type="{HTML}"')
    return {"Vary": "Accept", "Link": ", ".join(links)}


def rdf_response(request: Request, triples: list[ox.Triple], media: str) -> Response:
    """``triples`` in an RDF ``media`` type; JSON-LD is compact, with the served context."""
    headers = alternates(request)
    if media in (JSONLD, "application/json"):
        context = str(request.base_url).rstrip("/") + CONTEXT_PATH
        return Response(compact_jsonld(triples, PREFIXES, context), media_type=media, headers=headers)
    body = serialize_triples(triples, RDF_OFFERS[media], prefixes=PREFIXES)
    return Response(body, media_type=media, headers=headers)


def _represent(
    request: Request,
    ctx: AppContext,
    iri: str,
    fmt: str | None,
    *,
    prefix_match: bool = False,
    known: list[ox.Triple] | None = None,
) -> Response:
    media = media_for(request, fmt)
    if known is None:
        triples = describe(ctx.store, iri, tuple(public_graphs(ctx)), prefix_match=prefix_match)
    else:
        triples = known
    if not any(t.subject == ox.NamedNode(iri) or prefix_match for t in triples) or not triples:
        raise NotFoundError(f"nothing is known about {iri}", iri=iri)
    if media != HTML:
        return rdf_response(request, triples, media)
    from api.pages.rendering import render  # the pages' template environment

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
    links = [(m, f"{path}?format={name}") for m, name in FORMAT_NAMES.items()]
    synthetic = ox.Triple(node, _SYNTHETIC, ox.Literal(True)) in set(triples)
    response = render(
        request,
        "resource.html",
        {
            "title": title,
            "iri": iri,
            "outbound": outbound,
            "inbound": inbound,
            "alternates": links,
            "synthetic": synthetic,
        },
    )
    response.headers.update(alternates(request))
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
    iri = f"{ctx.iris.base}id/{path}"
    if path.split("/", 1)[0] in _CATALOG_KINDS:  # the DCAT description's catalogue, datasets, distributions
        node = ox.NamedNode(iri)
        catalog = catalog_triples(ctx)
        return _represent(
            request, ctx, iri, format, known=[t for t in catalog if node in (t.subject, t.object)]
        )
    return _represent(request, ctx, iri, format)


_CATALOG_KINDS = ("catalog", "dataset", "distribution", "agent")


def catalog_triples(ctx: AppContext) -> list[ox.Triple]:
    """The DCAT description of the dumps (written with them when the store changes)."""
    from api.routers.dumps import current_dumps

    folder = current_dumps(ctx)
    return [q.triple for q in ox.parse(path=str(folder / DCAT_FILE), format=ox.RdfFormat.TURTLE)]


@router.get(
    "/graph/{path:path}",
    summary="Dereference a named graph IRI ({base}graph/...): the DCAT dataset that holds it",
    responses=_RESPONSES,
    response_class=Response,
)
def named_graph(
    request: Request, path: str, format: str | None = _FORMAT, ctx: AppContext = Depends(get_context)
) -> Response:
    iri = f"{ctx.iris.base}graph/{path}"
    if iri not in public_graphs(ctx):  # the restricted graph is never described here
        raise NotFoundError(f"no public graph {iri}", iri=iri)
    graph = ox.NamedNode(iri)
    catalog = catalog_triples(ctx)
    datasets = {t.subject for t in catalog if t.predicate == _NAMED_GRAPH and t.object == graph}
    triples = [ox.Triple(graph, _TYPE, _SD_GRAPH)]
    triples += [ox.Triple(graph, _SEE_ALSO, d) for d in datasets if isinstance(d, ox.NamedNode)]
    triples += [t for t in catalog if t.subject in datasets]
    return _represent(request, ctx, iri, format, known=triples)


_NAMED_GRAPH = ox.NamedNode(MG_NS + "namedGraph")
_SYNTHETIC = ox.NamedNode(MG_NS + "synthetic")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SD_GRAPH = ox.NamedNode("http://www.w3.org/ns/sparql-service-description#Graph")
_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")


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
    CONTEXT_PATH,
    summary="The JSON-LD context: every predeclared prefix (the @context of every JSON-LD answer)",
    response_model=None,
    responses={
        200: {
            "model": JsonLdContext,
            "content": {JSONLD: {"schema": {"$ref": "#/components/schemas/JsonLdContext"}}},
        }
    },
    response_class=JSONResponse,
)
def jsonld_context() -> JSONResponse:
    return JSONResponse(
        context_document(PREFIXES), media_type=JSONLD, headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get(
    "/def/{version}",
    summary="The ontology at its version IRI (https://w3id.org/missiongraph/def/1.0.0)",
    responses=_RESPONSES,
    response_class=Response,
)
def ontology_version(
    request: Request, version: str, format: str | None = _FORMAT, ctx: AppContext = Depends(get_context)
) -> Response:
    if f"{DEF}/{version}" != str(MG_VERSION_IRI):
        raise NotFoundError(f"no ontology version {version!r}; the current one is {MG_VERSION_IRI}")
    return _represent(request, ctx, DEF, format, prefix_match=True)


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
