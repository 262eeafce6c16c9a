"""GET /api/stats: every published survey figure beside its recomputation from a wave's respondents."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.context import AppContext, get_context
from api.responses import CountValue, problem_responses
from graph.disclosure import suppress
from graph.stats import figures_report, wave_is_synthetic

router = APIRouter(tags=["stats"])


class FigureModel(BaseModel):
    code: str
    label: str
    unit: str = Field(description="percent or count.")
    published: float = Field(description="The figure as the 2021 workshop deck published it.")
    published_base: int = Field(description="Respondents the published figure is based on.")
    recomputed: float | str | None = Field(
        description="The same figure recomputed from the wave (null without responses; '<k' when it rests "
        "on fewer than k respondents)."
    )
    matching: CountValue = Field(
        description="Respondents with the answer (or distinct answers); '<k' if small."
    )
    base: int = Field(description="Responses in the wave.")
    difference: float | None = Field(description="recomputed - published, when both are shown.")


class StatsModel(BaseModel):
    wave: str
    synthetic: bool = Field(description="True when the wave's respondent data is synthetic.")
    figures: list[FigureModel]

    model_config = {
        "json_schema_extra": {
            "example": {
                "wave": "2021",
                "synthetic": True,
                "figures": [
                    {
                        "code": "clear-target",
                        "label": "Missions with a clearly defined target",
                        "unit": "percent",
                        "published": 25.0,
                        "published_base": 227,
                        "recomputed": 25.1,
                        "matching": 57,
                        "base": 227,
                        "difference": 0.1,
                    }
                ],
            }
        }
    }


@router.get(
    "/api/stats",
    response_model=StatsModel,
    summary="Published survey figures and the same figures recomputed from respondent data",
    responses=problem_responses(404),
)
def stats(
    wave: str = Query("2021", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="Survey wave."),
    ctx: AppContext = Depends(get_context),
) -> StatsModel:
    k = ctx.settings.small_count_k
    figures: list[FigureModel] = []
    for row in figures_report(ctx.store, ctx.iris, wave):
        small = 0 < row.matching < k
        recomputed: float | str | None = row.recomputed
        if small and row.recomputed is not None:
            recomputed = f"<{k}" if row.unit == "count" else f"<{round(100 * k / max(row.base, 1), 1)}"
        figures.append(
            FigureModel(
                code=row.code,
                label=row.label,
                unit=row.unit,
                published=row.published,
                published_base=row.published_base,
                recomputed=recomputed,
                matching=suppress(row.matching, k),
                base=row.base,
                difference=None if small else row.difference,
            )
        )
    return StatsModel(wave=wave, synthetic=wave_is_synthetic(ctx.store, ctx.iris, wave), figures=figures)
