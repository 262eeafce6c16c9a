"""The published survey figures beside the same figures recomputed from a wave (API and dashboard)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.context import AppContext
from api.responses import CountValue
from graph.disclosure import suppress
from graph.stats import figures_report, wave_is_synthetic

__all__ = ["FigureModel", "StatsModel", "survey_figures"]


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


def survey_figures(ctx: AppContext, wave: str) -> StatsModel:
    """Every published figure with its recomputation from ``wave``; counts below k suppressed."""
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
