"""One mission as the API and its page show it: summary, facts grouped with where each comes from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.context import AppContext
from api.mission_table import MissionRow, mission_table
from api.sparql.dataset import public_graphs
from graph.errors import NotFoundError
from graph.provenance import CATALOGUE, graph_source, synthetic_waves
from graph.store import Dataset
from ontology.vocab import country_label, label

__all__ = ["Fact", "MissionDetail", "MissionSummary", "mission_detail", "summary_of"]


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


def summary_of(row: MissionRow) -> MissionSummary:
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


def mission_detail(ctx: AppContext, mission_id: str) -> MissionDetail:
    """The mission with id ``mission_id``: its facts from every public graph, each with its source."""
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
    base = summary_of(row).model_dump()
    return MissionDetail(**base, goal=row.goal, sources=sources, facts=facts)


def _label(iri: str) -> str:
    return country_label(iri) or label(iri)
