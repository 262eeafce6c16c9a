"""GET /api/search: ranked missions, survey responses and concepts with facet counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.schemas import SearchResponse, ok
from graph.errors import InvalidInputError, StaleIndexError
from search import FACETS
from search.index import MAX_LIMIT, SYNTHETIC_CHOICES, Index
from search.provider import IndexProvider

__all__ = ["router", "install", "provider_from_context", "served_index"]

# search is expensive: rate-limited per client like peers and SPARQL
router = APIRouter(tags=["search"], dependencies=[Depends(rate_limited)])

_PARAMS = {"q", "limit", "cursor", "synthetic"}


def provider_from_context(ctx: AppContext, index: Index | None = None) -> IndexProvider:
    """The index provider of this app: the injected index, or the one at ``settings.index_path``."""
    settings = ctx.settings
    in_memory = ctx.store.kind == "memory"
    return IndexProvider(
        ctx.store,
        ctx.iris,
        path=None if in_memory else settings.index_path / settings.search_engine,
        engine=settings.search_engine,
        semantic=settings.semantic,
        index=index,
        read_only=bool(getattr(ctx.store, "read_only", False)),  # a worker: the writer keeps the index
    )


def install(app: FastAPI) -> None:
    """Attach the index provider to the app's context, report it in /health and add the router."""
    ctx: AppContext = app.state.ctx
    provider = provider_from_context(ctx, ctx.index)
    ctx.index_provider = provider
    app.include_router(router)


def served_index(ctx: AppContext) -> Index:
    """The index requests search. A service over an on-disk store never opens or builds it inside a
    request: until the writer's background refresh has it open, search answers 503 (as /health does)."""
    provider = ctx.index_provider
    if provider is None:  # `install` sets it before the router is added
        raise RuntimeError("search is not installed in this app")
    if provider.indexed_state is None and ctx.store.kind != "memory" and ctx.refresher is not None:
        raise StaleIndexError(
            "the search index is not open yet: the service opens it, or builds it from the store when "
            "it is missing, in the background; retry in a moment (GET /health says when it is ready)",
            index_state="",
            store_state="",
        )
    return provider.get()


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInputError(f"{name} must be a whole number, got {value!r}", parameter=name) from None
    if not low <= number <= high:
        raise InvalidInputError(f"{name} must be between {low} and {high}, got {number}", parameter=name)
    return number


def _documented_parameters() -> list[dict[str, Any]]:
    """The query parameters as OpenAPI parameters (the route reads them itself, facets repeatable)."""
    params: list[dict[str, Any]] = [
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Words to search for."},
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
            "description": "Results per page.",
        },
        {
            "name": "cursor",
            "in": "query",
            "schema": {"type": "string"},
            "description": "The next_cursor of the previous page.",
        },
        {
            "name": "synthetic",
            "in": "query",
            "schema": {"type": "string", "enum": list(SYNTHETIC_CHOICES), "default": "include"},
            "description": "Keep, drop or keep only the made-up (synthetic) items.",
        },
    ]
    for facet in FACETS:
        params.append(
            {
                "name": facet,
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "form",
                "explode": True,
                "description": f"Facet filter on {facet} (a value code as in the facet counts; repeatable).",
            }
        )
    return params


@router.get(
    "/api/search",
    response_model=None,
    responses={**problem_responses(400, 429, 503), **ok(SearchResponse)},
    openapi_extra={"parameters": _documented_parameters()},
    summary="Search missions, survey responses and concepts",
    description=(
        "Plain-language search (any word may match) fused with sentence-embedding similarity. "
        f"Facet parameters ({', '.join(FACETS)}) may repeat: values of one facet combine with OR, "
        "facets combine with AND. Facet counts below the small-count threshold show as '<k'. "
        "`next_cursor` pages on; `expansion` lists the thesaurus words added to the query. "
        f"`synthetic` ({'|'.join(SYNTHETIC_CHOICES)}, default include) keeps, drops or keeps only the "
        "made-up items; every item says `synthetic` and `source` (catalogue, vocabulary or survey-WAVE). "
        "A result counts only when it passes the relevance floor (docs/search.md); a query of stop words "
        "only finds nothing and `notice` says why."
    ),
)
def search(request: Request, ctx: AppContext = Depends(get_context)) -> JSONResponse:
    params = request.query_params
    unknown = sorted(set(params.keys()) - _PARAMS - set(FACETS))
    if unknown:
        raise InvalidInputError(
            f"unknown parameter(s): {', '.join(unknown)}; use q, limit, cursor, synthetic or a facet "
            f"({', '.join(FACETS)})",
            parameter=unknown[0],
        )
    for name in _PARAMS:
        if len(params.getlist(name)) > 1:
            raise InvalidInputError(f"{name} may be given once", parameter=name)
    limit = _int(params.get("limit"), "limit", 10, 1, MAX_LIMIT)
    filters = {name: params.getlist(name) for name in FACETS if params.getlist(name)}
    index = served_index(ctx)
    body: dict[str, Any] = index.search(
        params.get("q", ""),
        filters=filters,
        limit=limit,
        cursor=params.get("cursor") or None,
        small_count_k=ctx.settings.small_count_k,
        semantic=ctx.settings.semantic,
        synthetic=params.get("synthetic") or "include",
    )
    body["engine"] = index.engine.name
    return JSONResponse(body)
