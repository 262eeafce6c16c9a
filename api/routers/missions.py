"""GET /api/missions (filter, facets, paging) and GET /api/missions/{id} (facts with their sources)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from api.context import AppContext, get_context
from api.mission_table import MissionRow, code_of, mission_table
from api.responses import CountValue, problem_responses
from api.sparql.dataset import public_graphs
from graph.disclosure import suppress
from graph.errors import NotFoundError
from graph.provenance import CATALOGUE, check_synthetic, graph_source, keeps, synthetic_waves
from graph.store import Dataset
from ontology.vocab import country_label, label

router = APIRouter(prefix="/api/missions", tags=["missions"])


class MissionSummary(BaseModel):
    id: str = Field(
        description="The catalogue id (kept from data/missions.csv) or s-{wave}-{key} for a survey mission."
    )
    iri: str
    title: str
    countries: list[str] = Field(description="ISO 3166 alpha-3 codes (EUR for the EU).")
    level: list[str] = Field(description="Codes of the level scheme.")
    fields: list[str] = Field(description="Codes of the challenge-field scheme.")
    launch_year: int | None = None
    target_year: int | None = None
    synthetic: bool = Field(description="True for missions described in the synthetic survey sample.")
    source: str = Field(
        description="Where the mission comes from: catalogue, or the survey wave (survey-2021)."
    )

    model_config = {
        "json_schema_extra": {
            "example": {
                "id": "eu-mission-cancer",
                "iri": "http://127.0.0.1:8000/id/mission/eu-mission-cancer",
                "title": "EU Mission: Cancer",
                "countries": ["EUR"],
                "level": ["supranational"],
                "fields": ["health"],
                "launch_year": 2021,
                "target_year": 2030,
                "synthetic": False,
                "source": "catalogue",
            }
        }
    }


class MissionPage(BaseModel):
    total: int = Field(description="Missions matching the filters (before paging).")
    limit: int
    offset: int
    items: list[MissionSummary]
    facets: dict[str, dict[str, CountValue]] = Field(
        description="Counts per country, field and level among the matches; counts below k read '<k'."
    )


class Fact(BaseModel):
    property: str
    property_label: str
    value: Any
    value_label: str | None = None
    graph: str = Field(description="The named graph that states the fact.")
    synthetic: bool = Field(description="True when the fact comes from a synthetic survey wave.")
    source: str = Field(description="catalogue, or the survey wave the fact comes from (survey-2021).")
    references: list[str] = Field(
        description="Where to check the fact: the catalogue's source pages, or the survey wave's IRI."
    )


class MissionDetail(MissionSummary):
    goal: str
    sources: list[str] = Field(description="Public pages the catalogue facts were taken from.")
    facts: list[Fact]


def _summary(row: MissionRow) -> MissionSummary:
    return MissionSummary(
        id=row.id,
        iri=row.iri,
        title=row.title,
        countries=row.countries,
        level=row.levels,
        fields=row.fields,
        launch_year=row.launch_year,
        target_year=row.target_year,
        synthetic=row.synthetic,
        source=row.origin,
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
        items=[_summary(r) for r in rows[offset : offset + limit]],
        facets={name: {key: suppress(n, k) for key, n in counts.items()} for name, counts in facets.items()},
    )


def _facet(values: Any) -> Counter[str]:
    return Counter(values)


def _country_code(text: str) -> str:
    """The alpha-3 code (as in country:DNK) of an alpha-3 code, an alpha-2 code or an English name."""
    from ontology.vocab import country_iri  # noqa: PLC0415

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
    row = next((r for r in mission_table(ctx) if r.id == mission_id), None)
    if row is None:
        raise NotFoundError(f"no mission with id {mission_id!r}", id=mission_id)
    graphs = tuple(public_graphs(ctx))
    facts_rows = ctx.store.select(
        f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ <{row.iri}> ?p ?o }} }} ORDER BY ?g ?p ?o",
        dataset=Dataset(named=graphs),
    )
    sources = sorted(
        {
            str(r["o"])
            for r in facts_rows
            if r["p"] in ("http://purl.org/dc/terms/source", "http://www.w3.org/2000/01/rdf-schema#seeAlso")
        }
    )
    facts: list[Fact] = []
    made_up = synthetic_waves(ctx.store, ctx.iris, graphs)
    for r in facts_rows:
        graph = r["g"]
        origin = graph_source(ctx.iris, graph)
        if graph == ctx.iris.catalogue_graph:
            references = sources
        elif graph.startswith(ctx.iris.survey_graph("")):
            references = [ctx.iris.wave(graph[len(ctx.iris.survey_graph("")) :])]
        else:
            references = [graph]
        value = r["o"]
        facts.append(
            Fact(
                property=r["p"],
                property_label=_label(r["p"]),
                value=value,
                value_label=_label(value) if isinstance(value, str) and value.startswith("http") else None,
                graph=graph,
                synthetic=origin in made_up or (row.synthetic and origin != CATALOGUE),
                source=origin,
                references=references,
            )
        )
    base = _summary(row).model_dump()
    return MissionDetail(**base, goal=row.goal, sources=sources, facts=facts)


def _label(iri: str) -> str:
    return country_label(iri) or label(iri)
