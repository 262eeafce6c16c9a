"""Network analytics: communities of missions, central concepts, risks × support needs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.schemas import CentralityResponse, CommunitiesResponse, CooccurrenceResponse, ok
from graph.network.analytics import central_concepts, cooccurrence
from graph.network.communities import K_NEIGHBOURS, central_missions, communities_json

__all__ = ["router"]

router = APIRouter(tags=["analytics"], dependencies=[Depends(rate_limited)])


@router.get(
    "/api/analytics/communities",
    summary=f"Louvain communities of the {K_NEIGHBOURS}-nearest-neighbour mission graph",
    description=(
        "The communities of seed 0 are computed in the background whenever the store changes; until "
        'they are ready this answers 202 with `{"status": "computing"}` and a Retry-After header. '
        "Other seeds are computed on request. `members` lists at most that many members per community "
        "(the most central first; `size` counts them all, `members_shown` says how many are listed)."
    ),
    response_model=None,
    responses={
        202: {"description": "Still being computed for the current store state; retry after Retry-After."},
        **problem_responses(400, 429),
        **ok(CommunitiesResponse),
    },
)
def get_communities(
    seed: int = Query(0),
    members: int | None = Query(
        None, ge=0, le=1_000_000, description="At most this many members per community (default: all)"
    ),
    ctx: AppContext = Depends(get_context),
) -> Any:
    refresher = ctx.refresher
    if seed == 0 and refresher is not None:
        state = ctx.store.state()
        done, detail = refresher.status("network", state)
        if not done and "network" not in refresher.errors:  # after a failure: computed here, errors shown
            waiting = {"status": "computing", "detail": f"communities are {detail}", "state": state}
            return JSONResponse(waiting, status_code=202, headers={"Retry-After": "5"})
    view = ctx.network_view()
    # serialised once per store state: the cached answer is bytes (seconds of encoding at 100k before)
    body = communities_json(view.model, view.knn, seed=seed, members=members)
    return Response(body, media_type="application/json")


@router.get(
    "/api/analytics/centrality",
    summary="The most central concepts (PageRank over co-occurrence); optionally missions (kNN graph)",
    response_model=None,
    responses={**problem_responses(400, 429), **ok(CentralityResponse)},
)
def get_centrality(
    limit: int = Query(15, ge=1, le=200),
    missions: bool = Query(False, description="Also rank missions by PageRank in the kNN mission graph"),
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    view = ctx.network_view()
    body: dict[str, Any] = {
        "concepts": central_concepts(view.features, limit=limit, k=ctx.settings.small_count_k)
    }
    if missions:
        body["missions"] = central_missions(view.model, view.knn, limit=limit)
    return body


@router.get(
    "/api/analytics/cooccurrence",
    summary="How often missions name each risk together with each support need (small counts suppressed)",
    response_model=None,
    responses={**problem_responses(429), **ok(CooccurrenceResponse)},
)
def get_cooccurrence(ctx: AppContext = Depends(get_context)) -> dict[str, Any]:
    return cooccurrence(ctx.network_view().features, k=ctx.settings.small_count_k)
