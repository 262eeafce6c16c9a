"""Respondents loaded before: reloading them unchanged is a no-op; with changed answers it is refused."""

from __future__ import annotations

from collections.abc import Mapping, Set

import pyoxigraph as ox

from graph.disclosure import Shown
from graph.errors import Problem
from graph.ingest.to_rdf import response_quads
from graph.iris import Iris
from graph.records import Response
from graph.store.base import Store
from ontology.namespaces import MG_NS

__all__ = ["changed_respondents"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RESPONSE = ox.NamedNode(MG_NS + "SurveyResponse")


def changed_respondents(
    store: Store,
    iris: Iris,
    wave: str,
    responses: list[Response],
    file: str,
    shown: Mapping[str, Shown | None],
    *,
    regeneralised: Set[str] = frozenset(),
) -> tuple[int, list[Problem]]:
    """(how many respondents are new, a problem for each one already in the wave with other answers).

    Adding a changed response next to the old one would give a respondent two sectors, two e-mails ...;
    so a changed respondent is refused (load the corrected export as a new wave, or rebuild the store).
    Only the embedded store is compared; other backends report every respondent as new. Respondents in
    ``regeneralised`` are shown coarser in public by this load: only their full detail is compared.
    """
    raw = getattr(store, "raw", None)
    if not isinstance(raw, ox.Store):
        return len(responses), []
    g = ox.NamedNode(iris.survey_graph(wave))
    rg = ox.NamedNode(iris.restricted_graph)
    Pair = tuple[ox.NamedNode, ox.NamedNode]
    existing: list[tuple[Response, tuple[Pair, ...], tuple[Pair, ...]]] = []
    for r in responses:
        rid = r.respondent.respondent_id
        resp = ox.NamedNode(iris.response(wave, rid))
        if ox.Quad(resp, _RDF_TYPE, _RESPONSE, rg) in raw:  # every response is in the restricted graph
            agent = ox.NamedNode(iris.respondent(wave, rid))
            # the respondent's own mission may be described by colleagues too: it must hold their part
            own: tuple[Pair, ...] = ()
            if r.mission_title and not r.mission_id:
                key = iris.own_mission_key(
                    wave, r.mission_title, r.respondent.country, r.mission_goal, r.target_year
                )
                mission = ox.NamedNode(iris.mission(key))
                own = ((mission, g),) if resp.value in regeneralised else ((mission, g), (mission, rg))
            tiers: tuple[Pair, ...] = ((resp, rg), (agent, rg))
            if resp.value not in regeneralised:
                tiers = ((resp, g), (resp, rg), (agent, g), (agent, rg))
            existing.append((r, tiers, own))
    if not existing:
        return len(responses), []
    # what the file would write for them, through a scratch store: literals get the same canonical form
    scratch = ox.Store()
    lines: list[str] = []
    for r, compared, shared in existing:
        keys = {(str(subject), str(graph)) for subject, graph in (*compared, *shared)}
        public = shown.get(iris.response(wave, r.respondent.respondent_id))
        written = response_quads(iris, wave, r, public)
        lines.extend(f"{s} {p} {o} {gr} .\n" for s, p, o, gr in written if (s, gr) in keys)
    scratch.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def quads(store: ox.Store, pairs: tuple[Pair, ...]) -> set[ox.Quad]:
        return {q for subject, graph in pairs for q in store.quads_for_pattern(subject, None, None, graph)}

    problems: list[Problem] = []
    for r, compared, shared in existing:
        if quads(raw, compared) != quads(scratch, compared) or not quads(scratch, shared) <= quads(
            raw, shared
        ):
            problems.append(
                Problem(
                    file,
                    f"respondent already loaded in wave {wave} with other answers",
                    row=r.row,
                    column="respondent_id",
                    value=r.respondent.respondent_id,
                    expected="the same answers (reloading changes nothing), or load the file as a new wave",
                )
            )
    return len(responses) - len(existing), problems
