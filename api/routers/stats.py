"""GET /api/stats: every published survey figure beside its recomputation from a wave's respondents."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.context import AppContext, get_context
from api.responses import problem_responses
from api.survey_figures import StatsModel, survey_figures
from graph.iris import WAVE_PATTERN

router = APIRouter(tags=["stats"])


@router.get(
    "/api/stats",
    response_model=StatsModel,
    summary="Published survey figures and the same figures recomputed from respondent data",
    responses=problem_responses(404),
)
def stats(
    wave: str = Query("2021", pattern=WAVE_PATTERN, description="Survey wave."),
    ctx: AppContext = Depends(get_context),
) -> StatsModel:
    return survey_figures(ctx, wave)
