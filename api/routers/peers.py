"""Peers, helpers, cohort benchmark, neighbourhood and workshop groups over the network view."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.context import AppContext, get_context
from api.peer_answers import peers_body, profile_peers_body
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.schemas import (
    BenchmarkResponse,
    GroupsResponse,
    HelpersResponse,
    NeighbourhoodResponse,
    PeersResponse,
    ProfilePeersResponse,
    ok,
)
from graph.network.benchmark import benchmark
from graph.network.groups import form_groups
from graph.network.weights import DEFAULT_MODE
from graph.network.who_can_help import helpers

__all__ = ["router"]

router = APIRouter(tags=["peers"])
_ERRORS = problem_responses(400, 404, 429)
_MODE_HELP = "problem (default): the same problem; obstacles: the same risks, challenges and support needs"
_SYNTHETIC_HELP = "include (default), exclude or only the missions of the synthetic survey sample"


@router.get(
    "/api/missions/{mission_id}/peers",
    summary="Peer missions with a score, a per-dimension explanation and the SPARQL showing the evidence",
    response_model=None,
    responses={**_ERRORS, **ok(PeersResponse)},
    dependencies=[Depends(rate_limited)],
)
def peers(
    mission_id: str,
    limit: int = Query(10, ge=1, le=100),
    mode: str = Query(DEFAULT_MODE, description=_MODE_HELP, max_length=64),
    synthetic: str = Query("include", description=_SYNTHETIC_HELP, max_length=64),
    ctx: AppContext = Depends(get_context),
) -> JSONResponse:
    # the body is plain JSON types already: a JSONResponse skips FastAPI's jsonable_encoder walk (as
    # long again as building the body); the bytes are the same
    return JSONResponse(
        peers_body(ctx.network_view(), mission_id, limit=limit, mode=mode, synthetic=synthetic)
    )


@router.get(
    "/api/missions/{mission_id}/helpers",
    summary="Who can help: peers showing the strength that matches each support need",
    response_model=None,
    responses={**_ERRORS, **ok(HelpersResponse)},
    dependencies=[Depends(rate_limited)],
)
def mission_helpers(
    mission_id: str,
    need: list[str] = Query(
        default=[], description="Support-need codes or labels; default: the mission's own"
    ),
    field: list[str] = Query(default=[], description="Only helpers in one of these challenge fields"),
    level: list[str] = Query(default=[], description="Only helpers at one of these levels of government"),
    synthetic: str = Query("include", description=_SYNTHETIC_HELP, max_length=64),
    limit: int = Query(5, ge=1, le=50),
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    return helpers(
        ctx.network_view().model,
        mission_id,
        needs=need,
        fields=field,
        levels=level,
        synthetic=synthetic,
        limit=limit,
    )


@router.get(
    "/api/helpers",
    summary="Where do I need help? Missions whose respondents report the strength matching each need",
    response_model=None,
    responses={**_ERRORS, **ok(HelpersResponse)},
    dependencies=[Depends(rate_limited)],
)
def need_helpers(
    need: list[str] = Query(..., description="Support-need codes or labels, e.g. evaluation"),
    field: list[str] = Query(default=[], description="Only helpers in one of these challenge fields"),
    level: list[str] = Query(default=[], description="Only helpers at one of these levels of government"),
    synthetic: str = Query("include", description=_SYNTHETIC_HELP, max_length=64),
    limit: int = Query(5, ge=1, le=50),
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    return helpers(
        ctx.network_view().model,
        None,
        needs=need,
        fields=field,
        levels=level,
        synthetic=synthetic,
        limit=limit,
    )


@router.get(
    "/api/missions/{mission_id}/benchmark",
    summary="The mission against the cohort (target, M&E plan, drivers, funding); small counts suppressed",
    response_model=None,
    responses={**_ERRORS, **ok(BenchmarkResponse)},
)
def mission_benchmark(
    mission_id: str,
    synthetic: str = Query("include", description=_SYNTHETIC_HELP, max_length=64),
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    return benchmark(ctx.network_view().model, mission_id, k=ctx.settings.small_count_k, synthetic=synthetic)


@router.get(
    "/api/missions/{mission_id}/neighbourhood",
    summary="The mission, its concepts and its best peers as nodes and edges (for a picture)",
    response_model=None,
    responses={**_ERRORS, **ok(NeighbourhoodResponse)},
)
def mission_neighbourhood(
    mission_id: str,
    depth: int = Query(2, ge=1, le=3),
    limit: int = Query(12, ge=1, le=50),
    synthetic: str = Query("include", description=_SYNTHETIC_HELP, max_length=64),
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    return ctx.network_view().neighbourhood(mission_id, depth, max_missions=limit, synthetic=synthetic)


class ProfileRequest(BaseModel):
    profile: dict[str, list[str]] = Field(
        ...,
        description="A respondent profile: dimension → codes, plus optional goal words, e.g. "
        '{"challenge-field": ["mental-health"], "support-need": ["evaluation"], '
        '"goal": ["youth loneliness"]}',
    )
    limit: int = Field(10, ge=1, le=100)
    mode: str = Field(DEFAULT_MODE, description=_MODE_HELP, max_length=64)
    synthetic: str = Field("include", description=_SYNTHETIC_HELP, max_length=64)


@router.post(
    "/api/peers",
    summary="Peer missions for a respondent profile (not a mission in the store)",
    response_model=None,
    responses={**_ERRORS, **ok(ProfilePeersResponse)},
    dependencies=[Depends(rate_limited)],
)
def profile_peers(body: ProfileRequest, ctx: AppContext = Depends(get_context)) -> JSONResponse:
    return JSONResponse(
        profile_peers_body(
            ctx.network_view(), body.profile, limit=body.limit, mode=body.mode, synthetic=body.synthetic
        )
    )


class GroupsRequest(BaseModel):
    participants: list[str | dict[str, str | list[str]]] = Field(
        ...,
        min_length=2,
        max_length=1000,
        description="Mission ids, or respondent profiles such as "
        '{"id": "p1", "challenge-field": ["climate"], "support-need": ["evaluation"], '
        '"sector": "local-government", "country": "DNK"} (countries: alpha-3, alpha-2 or name)',
    )
    size: int = Field(4, ge=2, le=50, description="Members per group (groups differ by at most one)")
    seed: int = Field(0, description="Same seed, same groups")


@router.post(
    "/api/groups",
    summary="Workshop groups that share challenges and needs while mixing sectors and countries",
    description="Mission ids or profiles (public). Respondent ids (16 hex digits) need a Lab token and "
    "return rosters with contacts of consenting people; see also POST /api/lab/groups.",
    response_model=None,
    responses={**problem_responses(400, 401, 404, 429), **ok(GroupsResponse)},
    dependencies=[Depends(rate_limited)],
)
def groups(
    body: GroupsRequest,
    request: Request,
    ctx: AppContext = Depends(get_context),
) -> dict[str, Any]:
    people = [p for p in body.participants if isinstance(p, str) and _RESPONDENT.fullmatch(p)]
    if people:
        from api.auth import require_lab
        from api.lab_people import groups_for
        from graph.network.attendees import Attendees
        from graph.network.groups import profile_people

        require_lab(request, _credentials(request), ctx)
        missions = [p for p in body.participants if isinstance(p, str) and not _RESPONDENT.fullmatch(p)]
        profiles = [p for p in body.participants if not isinstance(p, str)]
        extra = profile_people(ctx.network_view().model, profiles) if profiles else []
        wanted = Attendees(respondent_ids=people, mission_ids=missions, extra=extra)
        return groups_for(ctx, wanted, body.size, body.seed)
    return form_groups(ctx.network_view().model, body.participants, body.size, seed=body.seed)


_RESPONDENT = re.compile(r"[0-9a-f]{16}")


def _credentials(request: Request) -> Any:
    """The bearer credentials of a request, parsed as FastAPI's HTTPBearer would (None when absent)."""
    from fastapi.security import HTTPAuthorizationCredentials

    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not token:
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
