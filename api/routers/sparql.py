"""SPARQL 1.1 Protocol: GET and POST /sparql over the public graphs, /lab/sparql for Lab staff."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.auth import require_lab
from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.sparql import answer_sparql, lab_graphs, public_graphs
from api.sparql.endpoint import read_call
from graph.sparql_results import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES
from ontology.namespaces import MG_NS

router = APIRouter(tags=["sparql"])

_EXAMPLE = (
    f"SELECT ?mission ?title WHERE {{ ?mission a <{MG_NS}Mission> ; "
    "<http://purl.org/dc/terms/title> ?title } LIMIT 10"
)

_SCHEMAS: dict[str, dict[str, Any]] = {
    "application/sparql-results+json": {
        "type": "object",
        "description": "SPARQL 1.1 Query Results JSON; `truncated: true` when the row cap cut the results.",
        "required": ["head"],
        "properties": {
            "head": {"type": "object"},
            "results": {
                "type": "object",
                "required": ["bindings"],
                "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
            },
            "boolean": {"type": "boolean"},
            "truncated": {"type": "boolean"},
        },
        "example": {
            "head": {"vars": ["mission"]},
            "results": {
                "bindings": [
                    {
                        "mission": {
                            "type": "uri",
                            "value": "http://127.0.0.1:8000/id/mission/eu-mission-cancer",
                        }
                    }
                ]
            },
        },
    },
    "application/ld+json": {"oneOf": [{"type": "array"}, {"type": "object"}]},
}

_OK: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE), chosen by Accept; "
        "without a query, the SPARQL service description. `X-Result-Truncated: true` when the row "
        "cap cut the results.",
        "content": {
            media: {"schema": _SCHEMAS.get(media, {"type": "string"})}
            for media in [*SOLUTION_MEDIA_TYPES.values(), *GRAPH_MEDIA_TYPES.values()]
        },
    },
    **problem_responses(400, 403, 406, 415, 429, 503),
}
_LAB_OK = {**_OK, **problem_responses(400, 401, 403, 406, 415, 429, 503)}

_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "example": _EXAMPLE},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "timeout": {"type": "number", "minimum": 0.5},
                    },
                    "required": ["query"],
                }
            },
            "application/sparql-query": {"schema": {"type": "string", "example": _EXAMPLE}},
        },
    }
}


async def _params(
    query: str | None = Query(None, description="A SPARQL 1.1 query.", examples=[_EXAMPLE]),
    default_graph_uri: list[str] = Query(
        [], alias="default-graph-uri", description="Default graph IRIs (public graphs only)."
    ),
    named_graph_uri: list[str] = Query(
        [], alias="named-graph-uri", description="Named graph IRIs (public graphs only)."
    ),
    timeout: float | None = Query(
        None, ge=0.5, description="Seconds (at least 0.5); lowers the server's default, never raises it."
    ),
    format: str | None = Query(
        None, description="Overrides Accept: json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml."
    ),
) -> None:
    """Documents the protocol parameters; ``read_call`` reads them (repeated ones included)."""


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET), or the service description without a query",
    responses=_OK,
    response_class=Response,
    dependencies=[Depends(_params), Depends(rate_limited)],
)
async def sparql_get(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    call = await read_call(request)
    return await _answer(request, ctx, call, lab=False)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST form-encoded or application/sparql-query)",
    responses=_OK,
    response_class=Response,
    openapi_extra=_POST_BODY,
    dependencies=[Depends(rate_limited)],
)
async def sparql_post(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    call = await read_call(request)
    return await _answer(request, ctx, call, lab=False)


@router.get(
    "/lab/sparql",
    summary="SPARQL over the public and the restricted graph (Lab staff)",
    responses=_LAB_OK,
    response_class=Response,
    dependencies=[Depends(_params), Depends(require_lab), Depends(rate_limited)],
)
async def lab_sparql_get(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    call = await read_call(request)
    return await _answer(request, ctx, call, lab=True)


@router.post(
    "/lab/sparql",
    summary="SPARQL over the public and the restricted graph (Lab staff, POST)",
    responses=_LAB_OK,
    response_class=Response,
    openapi_extra=_POST_BODY,
    dependencies=[Depends(require_lab), Depends(rate_limited)],
)
async def lab_sparql_post(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    call = await read_call(request)
    return await _answer(request, ctx, call, lab=True)


async def _answer(request: Request, ctx: AppContext, call: Any, *, lab: bool) -> Response:
    from starlette.concurrency import run_in_threadpool

    graphs = lab_graphs(ctx) if lab else public_graphs(ctx)
    endpoint = str(request.url.replace(query=""))
    # the query runs in a worker process; waiting for it must not block the event loop
    return await run_in_threadpool(answer_sparql, request, ctx, call, graphs=graphs, endpoint=endpoint)
