"""GET /api/missions (filter, facets, paging) and GET /api/missions/{id} (facts with their sources)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from api.context import AppContext, get_context
from api.mission_detail import MissionDetail, MissionSummary, mission_detail, summary_of
from api.mission_table import code_of, mission_table
from api.responses import CountValue, problem_responses
from graph.disclosure import suppress
from graph.provenance import check_synthetic, keeps

router = APIRouter(prefix="/api/missions", tags=["missions"])


class MissionPage(BaseModel):
    total: int = Field(description="Missions matching the filters (before paging).")
    limit: int
    offset: int
    items: list[MissionSummary]
    facets: dict[str, dict[str, CountValue]] = Field(
        description="Counts per country, field and level among the matches; counts below k read '<k'."
    )


@router.get(
    "",
    response_model=MissionPage,
    summary="List missions, filtered by country, challenge field, level and provenance, with facets",
    responses=problem_responses(400),
)
def list_missions(
    country: str | None = Query(
        None,
        description="Alpha-3 code as in country:DNK (alpha-2 codes and English names work too).",
        examples=["DNK"],
        max_length=64,
    ),
    field: str | None = Query(
        None, description="Challenge-field code, e.g. climate.", examples=["climate"], max_length=64
    ),
    level: str | None = Query(
        None,
        description="Level code: supranational, national, regional, local.",
        examples=["national"],
        max_length=64,
    ),
    q: str | None = Query(None, description="Words that must appear in the title.", max_length=200),
    synthetic: str = Query(
        "include",
        description="include (default), exclude or only the missions of the synthetic survey sample.",
        max_length=64,
    ),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
    ctx: AppContext = Depends(get_context),
) -> MissionPage:
    choice = check_synthetic(synthetic)
    rows = [r for r in mission_table(ctx) if keeps(choice, r.synthetic)]
    if country:
        wanted = _country_code(country)
        rows = [r for r in rows if wanted in r.countries]
    if field:
        rows = [r for r in rows if field.lower() in r.fields]
    if level:
        rows = [r for r in rows if level.lower() in r.levels]
    if q:
        words = q.lower().split()
        rows = [r for r in rows if all(w in r.title.lower() for w in words)]
    k = ctx.settings.small_count_k
    facets = {
        "country": _facet(c for r in rows for c in r.countries),
        "field": _facet(f for r in rows for f in r.fields),
        "level": _facet(lv for r in rows for lv in r.levels),
    }
    return MissionPage(
        total=len(rows),
        limit=limit,
        offset=offset,
        items=[summary_of(r) for r in rows[offset : offset + limit]],
        facets={name: {key: suppress(n, k) for key, n in counts.items()} for name, counts in facets.items()},
    )


def _facet(values: Any) -> Counter[str]:
    return Counter(values)


def _country_code(text: str) -> str:
    """The alpha-3 code (as in country:DNK) of an alpha-3 code, an alpha-2 code or an English name."""
    from ontology.vocab import country_iri

    iri = country_iri(text.strip())
    return code_of(iri) if iri else text.strip().upper()


@router.get(
    "/{mission_id}",
    response_model=MissionDetail,
    summary="One mission: its catalogue id, facts and the sources of each fact",
    responses=problem_responses(404),
)
def get_mission(
    mission_id: str = Path(
        description="Catalogue id, e.g. eu-mission-cancer.", examples=["eu-mission-cancer"]
    ),
    ctx: AppContext = Depends(get_context),
) -> MissionDetail:
    return mission_detail(ctx, mission_id)
