"""A mission's page: facts with sources, peers with reasons, who can help, the neighbourhood."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.context import AppContext, get_context
from api.mission_detail import mission_detail
from api.pages.rendering import not_found, render
from api.ratelimit import rate_limited
from graph.errors import NotFoundError
from ontology.namespaces import MG_NS

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


#: facts shown in the table, in this order (the rest are listed under "More facts")
_FACT_ORDER = [
    "http://purl.org/dc/terms/identifier",
    MG_NS + "goalStatement",
    "http://purl.org/dc/terms/spatial",
    MG_NS + "place",
    MG_NS + "level",
    MG_NS + "challengeField",
    "http://purl.org/dc/terms/subject",
    MG_NS + "launchYear",
    MG_NS + "targetYear",
    MG_NS + "programme",
    MG_NS + "governingBody",
    MG_NS + "fundingSource",
    MG_NS + "hasQuantifiedTarget",
]
_HIDDEN_FACTS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://purl.org/dc/terms/title",
    "http://purl.org/dc/terms/source",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://www.w3.org/ns/prov#qualifiedAssociation",
    MG_NS + "synthetic",  # shown as the synthetic badge instead
}


def _group_facts(ctx: AppContext, facts: list[Any]) -> list[dict[str, Any]]:
    """Facts grouped by property (values with their labels), each with where it comes from."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for f in facts:
        if f.property in _HIDDEN_FACTS:
            continue
        survey = f.graph != ctx.iris.catalogue_graph
        key = (f.property, f.graph)
        g = groups.setdefault(
            key,
            {
                "property": f.property,
                "label": f.property_label,
                "vals": [],
                "references": f.references,
                "origin": f.source,
                "synthetic": f.synthetic,
                "survey": survey,
                "graph": f.graph,
            },
        )
        text = f.value_label or str(f.value)
        g["vals"].append(
            {
                "text": text,
                "iri": f.value if isinstance(f.value, str) and f.value.startswith("http") else None,
            }
        )
    order = {p: i for i, p in enumerate(_FACT_ORDER)}
    return sorted(groups.values(), key=lambda g: (g["survey"], order.get(g["property"], 99), g["label"]))


@router.get(
    "/missions/{mission_id}",
    response_class=HTMLResponse,
    name="page_mission",
    dependencies=[Depends(rate_limited)],
)
def mission_page(mission_id: str, request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Facts with sources, peers with reasons, who can help, and a picture of the neighbourhood."""
    from api.neighbourhood_svg import layout
    from graph.network.weights import DEFAULT_MODE, DIMENSIONS, MODES
    from graph.network.who_can_help import helpers

    try:
        mission = mission_detail(ctx, mission_id)
    except NotFoundError:
        return not_found(request, f"No mission has the id “{mission_id}”.")
    real_only = request.query_params.get("synthetic") == "exclude"
    synthetic = "exclude" if real_only else "include"
    mode = request.query_params.get("mode", DEFAULT_MODE)
    if mode not in MODES:
        mode = DEFAULT_MODE
    context: dict[str, Any] = {
        "active": "page_search",
        "mission": mission,
        "facts": _group_facts(ctx, mission.facts),
        "real_only": real_only,
        "mode": mode,
        "modes": MODES,
    }
    view = ctx.network_view()
    try:
        context["peers"] = [
            p.as_dict() for p in view.model.peers(mission_id, limit=8, mode=mode, synthetic=synthetic)
        ]
        context["helpers"] = helpers(view.model, mission_id, limit=3, synthetic=synthetic)["needs"]
        nb = view.neighbourhood(mission_id, 2, max_missions=8, synthetic=synthetic)  # around the mission
        labels = {d.name: d.label for d in DIMENSIONS}
        context["picture"] = layout(
            nb, lambda mid: str(request.url_for("page_mission", mission_id=mid)), labels
        )
    except NotFoundError:  # a mission the network view does not know (yet): facts only
        context["peers"], context["helpers"], context["picture"] = [], [], None
    return render(request, "mission.html", context)
