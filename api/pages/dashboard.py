"""The dashboard: the deck's published figures beside the same figures recomputed from a wave."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.context import AppContext, get_context
from api.pages.rendering import not_found, render
from api.survey_figures import survey_figures
from graph.iris import is_wave
from ontology.namespaces import MG_NS

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


#: the deck's figures as charts: (chart id, title, figure-code prefix or codes)
_CHARTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("sectors", "Respondents by sector", ("sector-",)),
    ("external-drivers", "Main external driver of mission work", ("external-driver-",)),
    ("internal-drivers", "Main internal driver of mission work", ("internal-driver-",)),
    ("design", "Mission design: clear target and monitoring & evaluation plan", ("clear-target", "me-plan")),
    ("involved", "Respondents involved in mission-oriented innovation", ("involved",)),
]


def _short_label(label: str) -> str:
    """Chart labels without the figure's common lead ("External driver of mission work: economic")."""
    return label.split(": ", 1)[1].capitalize() if ": " in label else label


@router.get("/dashboard", response_class=HTMLResponse, name="page_dashboard")
def dashboard_page(
    request: Request, wave: str = "2021", ctx: AppContext = Depends(get_context)
) -> HTMLResponse:
    """The deck's published figures beside the same figures recomputed from the wave (``/api/stats``)."""
    if not is_wave(wave):
        return not_found(request, "No such survey wave.")
    report = survey_figures(ctx, wave)
    by_code = {f.code: f for f in report.figures}
    used: set[str] = set()
    charts = []
    for chart_id, title, codes in _CHARTS:
        rows = []
        for f in report.figures:
            if (
                any(f.code == c or (c.endswith("-") and f.code.startswith(c)) for c in codes)
                and f.unit == "percent"
            ):
                used.add(f.code)
                numeric = f.recomputed if isinstance(f.recomputed, int | float) else None
                rows.append(
                    {
                        "label": _short_label(f.label),
                        "published": f.published,
                        "recomputed": numeric,
                        "recomputed_text": f.recomputed if isinstance(f.recomputed, str) else None,
                    }
                )
        if rows:
            charts.append({"id": chart_id, "title": title, "rows": rows})
    counts = [f for f in report.figures if f.unit == "count"]
    others = [f for f in report.figures if f.code not in used and f.unit != "count"]
    funding = _funding_shares(ctx, wave)
    return render(
        request,
        "dashboard.html",
        {
            "active": "page_dashboard",
            "report": report,
            "charts": charts,
            "counts": counts,
            "others": others,
            "funding": funding,
            "has_data": any(f.recomputed is not None for f in by_code.values()),
        },
    )


def _funding_shares(ctx: AppContext, wave: str) -> list[dict[str, Any]]:
    """Share of the wave's responses naming each funding source (the deck gives no numbers for these)."""
    from graph.disclosure import suppress
    from ontology.vocab import label

    graph = ctx.iris.survey_graph(wave)
    rows = ctx.store.select(
        f"PREFIX mg: <{MG_NS}>\n"
        f"SELECT ?source (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?r a mg:SurveyResponse ; "
        "mg:fundingSource ?source } } GROUP BY ?source ORDER BY DESC(?n) ?source"
    )
    total = ctx.store.select(
        f"PREFIX mg: <{MG_NS}>\n"
        f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?r a mg:SurveyResponse ; "
        "mg:fundingSource ?source } }"
    )
    base = int(total[0]["n"]) if total else 0
    k = ctx.settings.small_count_k
    out = []
    for r in rows:
        n = int(r["n"])
        shown = suppress(n, k)
        out.append(
            {
                "label": label(r["source"]),
                "published": None,
                "recomputed": round(100 * n / base, 1) if isinstance(shown, int) and base else None,
                "recomputed_text": None if isinstance(shown, int) else f"{shown} responses",
            }
        )
    return out
