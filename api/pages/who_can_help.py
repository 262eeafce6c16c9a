"""The "who can help" page: pick risks and support needs, see missions that reported the same."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.context import AppContext, get_context
from api.pages.rendering import render
from api.ratelimit import rate_limited
from graph.errors import InvalidInputError

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


#: what the help page lets people pick: (form field and peer dimension, concept scheme, legend)
_HELP_CHOICES = [
    ("risk", "risk", "Risks you face"),
    ("support-need", "support-need", "Support you need"),
]


@router.get("/help", response_class=HTMLResponse, name="page_help", dependencies=[Depends(rate_limited)])
def help_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Pick risks and support needs; see the missions whose respondents reported the same."""
    from graph.network.who_can_help import helpers
    from ontology.vocab import concepts

    params = request.query_params
    picked = {name: [c for c in params.getlist(name) if c] for name, _, _ in _HELP_CHOICES}
    choices = [
        {"name": name, "legend": legend, "concepts": concepts(scheme), "picked": set(picked[name])}
        for name, scheme, legend in _HELP_CHOICES
    ]
    field, level = params.get("field", "").strip(), params.get("level", "").strip()
    real_only = params.get("synthetic") == "exclude"
    synthetic = "exclude" if real_only else "include"
    context: dict[str, Any] = {
        "active": "page_help",
        "choices": choices,
        "asked": any(picked.values()),
        "fields": concepts("challenge-field"),
        "levels": concepts("level"),
        "field": field,
        "level": level,
        "real_only": real_only,
    }
    if context["asked"]:
        view = ctx.network_view()
        model = view.model
        try:
            q = model.query_for_profile({k: v for k, v in picked.items() if v})
            found = [model.peer(q, row, score) for row, score in model.top(q, 10, synthetic=synthetic)]
            if picked["support-need"]:
                context["helpers"] = helpers(
                    model,
                    None,
                    needs=picked["support-need"],
                    fields=[field] if field else [],
                    levels=[level] if level else [],
                    synthetic=synthetic,
                    limit=5,
                )["needs"]
        except InvalidInputError as exc:
            context["error"] = exc.detail
            return render(request, "help.html", context, status_code=400)
        dims = view.features.dims
        context["peers"] = [
            {
                "peer": p,
                "reported": [
                    {"label": e.label, "vals": [s["label"] for s in e.shared]}
                    for e in p.explanation
                    if e.name in picked and e.shared
                ],
                "support": _labels_of(dims["support-need"], model.row(p.id)),
                "risks": _labels_of(dims["risk"], model.row(p.id)),
            }
            for p in found
        ]
    return render(request, "help.html", context)


def _labels_of(dm: Any, row: int) -> list[str]:
    return sorted(dm.labels[c] for c in dm.values_of(row).tolist())
