"""Response models for the OpenAPI description of routes that build their answers as dicts.

They document (and schemathesis checks) what search, peers, helpers, benchmark, neighbourhood, groups,
analytics and health answer. Each model names the fields every answer has; ``extra="allow"`` keeps
room for fields a route adds later (a new field is never a schema break).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "HealthModel",
    "SearchResponse",
    "PeersResponse",
    "ProfilePeersResponse",
    "HelpersResponse",
    "BenchmarkResponse",
    "NeighbourhoodResponse",
    "GroupsResponse",
    "LabPerson",
    "LabGroup",
    "LabGroupsResponse",
    "Introduction",
    "IntroductionsResponse",
    "MatchPerson",
    "MatchPeopleResponse",
    "CommunitiesResponse",
    "CentralityResponse",
    "CooccurrenceResponse",
    "JsonLdDocument",
    "JsonLdContext",
    "ok",
]

#: a public count: the number, or "<k" when small-count suppression hides it
Count = int | str


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Provenance(_Open):
    synthetic: bool = Field(description="True for made-up (synthetic) data.")
    source: str = Field(description="catalogue, vocabulary or survey-{wave}.")


# --- health -----------------------------------------------------------------------------------------
class HealthModel(_Open):
    status: Literal["ok", "unavailable"]
    checks: dict[str, dict[str, Any]] = Field(description="One entry per part: store, index, dumps ...")
    reasons: list[str] | None = Field(None, description="Why the service is not ready (503 only).")


# --- search -----------------------------------------------------------------------------------------
class SearchResult(_Provenance):
    id: str
    type: str = Field(description="mission, response or concept.")
    title: str
    score: float
    snippet: str | None = None
    url: str | None = None
    iri: str | None = None
    facets: dict[str, list[str]] = Field(default_factory=dict)


class FacetValue(_Open):
    value: str
    label: str
    count: Count
    selected: bool


class SearchNotice(_Open):
    code: str
    message: str


class SearchResponse(_Open):
    query: str
    total: int
    results: list[SearchResult] = Field(default_factory=list)
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    next_cursor: str | None = None
    synthetic: str = Field(description="The synthetic filter applied: include, exclude or only.")
    notice: SearchNotice | None = None
    engine: str


# --- peers ------------------------------------------------------------------------------------------
class Explanation(_Open):
    dimension: str
    label: str
    similarity: float
    share: float
    shared: list[str]
    assumed: bool


class Peer(_Provenance):
    id: str
    iri: str
    title: str
    score: float
    explanation: list[Explanation] = Field(description="Per dimension: what the two share and how much.")
    sparql: str | None = Field(None, description="A query that shows the shared values in the store.")


class PeersResponse(_Provenance):
    id: str
    title: str
    mode: str
    synthetic_filter: str
    peers: list[Peer]


class ProfilePeersResponse(_Open):
    mode: str
    synthetic_filter: str
    peers: list[Peer]


class Helper(_Provenance):
    id: str
    iri: str
    title: str
    reason: str | None = None


class NeedHelpers(_Open):
    need: str
    label: str
    helpers: list[Helper]


class HelpersResponse(_Open):
    mission: str | None
    synthetic_filter: str
    needs: list[NeedHelpers]
    note: str | None = None


class CohortValue(_Provenance):
    value: str
    missions: Count
    share: float | None
    this_mission: bool


class BenchmarkItem(_Provenance):
    item: str
    label: str
    mission: list[str]
    base: Count
    cohort: list[CohortValue]


class BenchmarkResponse(_Provenance):
    mission: str
    title: str
    synthetic_filter: str
    k: int
    cohort_size: int
    items: list[BenchmarkItem]


class NeighbourhoodNode(_Provenance):
    id: str
    kind: str
    label: str


class NeighbourhoodEdge(_Open):
    source: str
    target: str
    dimension: str
    synthetic: bool


class NeighbourhoodResponse(_Open):
    mission: str
    depth: int
    nodes: list[NeighbourhoodNode]
    edges: list[NeighbourhoodEdge]


class GroupQuality(_Open):
    points: float


class Group(_Open):
    group: int
    members: list[dict[str, Any]]
    synthetic: bool


class GroupsResponse(_Open):
    seed: int
    size: int
    participants: int
    groups: list[Group]
    quality: GroupQuality | None = None
    random_split: GroupQuality | None = None
    synthetic: bool


# --- Lab people (behind a Lab token): rosters and introductions -----------------------------------------
class LabPerson(_Provenance):
    id: str
    kind: str
    name: str
    organisation: str | None = None
    email: str | None = Field(None, description="Only for people who consented to be contacted.")
    contact_consent: bool | None = None
    mission: dict[str, Any] | None = None
    sector: str | None = None
    country: str | None = None


class LabGroup(_Provenance):
    group: int
    members: list[LabPerson]
    shares: list[Any]
    summary: Any
    sectors: list[str]
    countries: list[str]


class LabGroupsResponse(_Open):
    seed: int
    size: int
    participants: int
    objective: str
    summary: list[str] = Field(description="What a facilitator reads: the groups against a random split.")
    groups: list[LabGroup]
    synthetic: bool


class Introduction(_Provenance):
    people: list[LabPerson] = Field(min_length=2, max_length=2)
    kind: str
    reason: str
    needs_met: list[Any]
    shared: list[Any]
    points: float


class IntroductionsResponse(_Open):
    participants: int
    introductions: list[Introduction]
    introduced: int
    not_introduced: list[str]
    synthetic: bool


class MatchPerson(LabPerson):
    reason: str = Field(
        description="Why to talk to them: the shared problem, or the need they can help with."
    )
    match: str = Field(description="The kind of introduction (shared-problem, need-met ...).")


class MatchPeopleResponse(_Open):
    criteria: dict[str, list[str]] = Field(description="The profile matched: dimension → concept codes.")
    total: int
    people: list[MatchPerson] = Field(description="Consenting respondents only, best first.")
    synthetic: bool = Field(description="True when any person listed is made up (synthetic).")


# --- analytics --------------------------------------------------------------------------------------
class CommunityMember(_Provenance):
    id: str
    title: str


class Community(_Provenance):
    size: int
    #: how many of the ``size`` members are listed (all unless the request set ``members``)
    members_shown: int
    members: list[CommunityMember]
    common_ground: list[dict[str, Any]]


class CommunitiesResponse(_Open):
    k: int
    seed: int
    missions: int
    communities: list[Community]


class CentralConcept(_Provenance):
    dimension: str
    label: str
    concept: str
    pagerank: float
    degree_centrality: float
    missions: Count


class CentralityResponse(_Open):
    concepts: list[CentralConcept]


class CooccurrenceResponse(_Open):
    rows: str
    columns: str
    base: Count
    k: int
    cells: list[dict[str, Any]]


# --- linked data ------------------------------------------------------------------------------------
class JsonLdDocument(BaseModel):
    """Compact JSON-LD: the served context by URL, node objects with prefixed names."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    context: str = Field(alias="@context", description="The URL of /context.jsonld.")
    graph: list[dict[str, Any]] = Field(alias="@graph")


class JsonLdContext(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    context: dict[str, str] = Field(alias="@context", description="Prefix -> namespace IRI.")


def ok(model: type[BaseModel], description: str = "Successful answer.") -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry documenting a 200 application/json answer with ``model``."""
    return {200: {"model": model, "description": description}}
