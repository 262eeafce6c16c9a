"""The search page: a plain GET form with facets, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.context import AppContext, get_context
from api.pages.rendering import render, with_params
from graph.errors import InvalidInputError, StaleIndexError

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)
#: results per search page
PAGE_SIZE = 20


@router.get("/search", response_class=HTMLResponse, name="page_search")
def search_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Search with facets: a plain GET form, so it works without JavaScript."""
    from search import FACETS
    from search.documents import FACET_LABELS

    params = request.query_params
    q = params.get("q", "").strip()
    filters = {name: params.getlist(name) for name in FACETS if params.getlist(name)}
    synthetic = params.get("synthetic") or "include"  # "Real missions only" sends exclude
    context: dict[str, Any] = {
        "active": "page_search", "q": q, "filters": filters, "labels": FACET_LABELS, "synthetic": synthetic,
    }  # fmt: skip
    provider = ctx.index_provider  # the same index /api/search uses (api.routers.search)
    if provider is None:
        context["unavailable"] = "Search is not set up in this deployment."
        return render(request, "search.html", context, status_code=503)
    try:
        index = provider.get()
        result = index.search(
            q,
            filters=filters,
            limit=PAGE_SIZE,
            cursor=params.get("cursor") or None,
            small_count_k=ctx.settings.small_count_k,
            semantic=ctx.settings.semantic,
            synthetic=synthetic,
        )
    except InvalidInputError as exc:
        context["error"] = exc.detail
        return render(request, "search.html", context, status_code=400)
    except StaleIndexError as exc:
        context["unavailable"] = exc.detail
        return render(request, "search.html", context, status_code=503)
    context["result"] = result
    context["source_labels"] = index.value_labels.get("source", {})
    context["facet_order"] = [f for f in FACETS if result["facets"].get(f)]
    if result.get("next_cursor"):
        context["next_url"] = with_params(request, cursor=result["next_cursor"])
    return render(request, "search.html", context)
