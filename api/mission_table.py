"""Every public mission as one row (id, title, countries, level, fields ...), cached per store state."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from api.context import AppContext
from api.sparql.dataset import public_graphs
from graph.provenance import CATALOGUE, mission_provenance
from graph.store import Dataset
from ontology.namespaces import MG_NS

__all__ = ["MissionRow", "mission_table", "code_of", "MG", "DCT"]

MG = MG_NS
DCT = "http://purl.org/dc/terms/"
_lock = threading.Lock()


def code_of(iri: str) -> str:
    """The last path segment of a concept or country IRI (``.../level/national`` -> ``national``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class MissionRow:
    id: str
    iri: str
    title: str = ""
    goal: str = ""
    countries: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    launch_year: int | None = None
    target_year: int | None = None
    synthetic: bool = False
    source: str | None = None
    catalogue: bool = False
    #: ``catalogue`` or the survey wave the mission comes from (graph.provenance)
    origin: str = "catalogue"


_QUERY = f"""
SELECT ?m ?p ?o WHERE {{
  ?m a <{MG}Mission> ; ?p ?o .
  VALUES ?p {{ <{DCT}title> <{MG}goalStatement> <{DCT}spatial> <{MG}level> <{MG}challengeField>
              <{MG}launchYear> <{MG}targetYear> <{MG}synthetic> <{DCT}source> <{DCT}identifier> }}
}}"""


def _build(ctx: AppContext) -> list[MissionRow]:
    graphs = tuple(public_graphs(ctx))
    rows: dict[str, MissionRow] = {}
    for r in ctx.store.select(_QUERY, dataset=Dataset(default=graphs)):
        mission_id = ctx.iris.mission_id(r["m"])
        if mission_id is None:
            continue
        row = rows.setdefault(mission_id, MissionRow(id=mission_id, iri=r["m"]))
        p, o = r["p"], r["o"]
        name = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if name == "title" and not row.title:
            row.title = str(o)
        elif name == "goalStatement" and not row.goal:
            row.goal = str(o)
        elif name == "spatial":
            row.countries.append(code_of(str(o)))
        elif name == "level":
            row.levels.append(code_of(str(o)))
        elif name == "challengeField":
            row.fields.append(code_of(str(o)))
        elif name in ("launchYear", "targetYear"):
            value = o if isinstance(o, int) else int(str(o)[:4]) if str(o)[:4].isdigit() else None
            setattr(row, "launch_year" if name == "launchYear" else "target_year", value)
        elif name == "synthetic":
            row.synthetic = bool(o)
        elif name == "source" and row.source is None:
            row.source = str(o)
        elif name == "identifier":
            row.catalogue = True
    known = mission_provenance(ctx.store, ctx.iris, graphs)
    for row in rows.values():
        p = known.get(row.iri)
        if p is not None:
            row.synthetic = row.synthetic or p.synthetic
            row.origin = p.source
            row.catalogue = p.source == CATALOGUE
        row.countries = sorted(set(row.countries))
        row.levels = sorted(set(row.levels))
        row.fields = sorted(set(row.fields))
    return sorted(rows.values(), key=lambda m: (not m.catalogue, m.id))


def mission_table(ctx: AppContext) -> list[MissionRow]:
    """The public missions, rebuilt only when the store's content changed."""
    state = ctx.store.state()
    cached = ctx.cached_mission_table(state)
    if cached is not None:
        return cached
    with _lock:
        table = _build(ctx)
        ctx.keep_mission_table(state, table)
    return table
