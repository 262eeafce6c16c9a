"""Server-rendered HTML pages for practitioners, analysts and the Lab (Jinja2, a little vendored JS)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.routing import Match
from starlette.types import Scope

from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from graph.errors import InvalidInputError, MissionGraphError, NotFoundError, StaleIndexError

__all__ = ["router", "install", "templates", "render"]

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = API_DIR / "templates"
#: results per search page
PAGE_SIZE = 20
STATIC_DIR = API_DIR / "static"


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The pages' template environment (built on first use, not at import)."""
    t = Jinja2Templates(directory=str(TEMPLATES_DIR))
    t.env.filters["pct"] = _pct
    return t


def _pct(value: object) -> str:
    """A percentage for display: 34.0 -> "34%", None -> "–"."""
    if isinstance(value, int | float):
        return f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"
    return "–" if value is None else str(value)


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """Render one page template; ``active`` marks the current navigation entry."""
    response: HTMLResponse = templates().TemplateResponse(request, name, context, status_code=status_code)
    return response


class HtmlPageRoute(APIRoute):
    """A route that only answers a browser asking for a page (Accept prefers text/html, no ``query``).

    It lets ``GET /sparql`` serve the query editor to people while the SPARQL protocol handler at the
    same path keeps answering programs: a request this route declines falls through to the next route.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        if not _wants_page(scope):
            return Match.NONE, {}
        return match, child


def _wants_page(scope: Scope) -> bool:
    query_string = scope.get("query_string", b"").decode("latin-1")
    params = {part.split("=", 1)[0] for part in query_string.split("&") if part}
    if "query" in params:
        return False
    accept = ""
    for key, value in scope.get("headers", []):
        if key == b"accept":
            accept = value.decode("latin-1").lower()
    return "text/html" in accept or "application/xhtml+xml" in accept


router = APIRouter(tags=["pages"], include_in_schema=False)


def install(app: FastAPI) -> None:
    """Mount the static assets and the page routes (the SPARQL page goes first, see ``HtmlPageRoute``)."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(router)
    from api.routers import lab_pages  # the Lab's people pages (match, groups, introductions)

    app.include_router(lab_pages.router)
    # the SPARQL page must be tried before the protocol handler that shares its path, whatever the
    # order in which routers are included: add it directly and move it to the front
    app.router.add_api_route(
        "/sparql",
        sparql_page,
        methods=["GET"],
        response_class=HTMLResponse,
        name="page_sparql",
        include_in_schema=False,
        route_class_override=HtmlPageRoute,
    )
    page_routes = [r for r in app.router.routes if isinstance(r, HtmlPageRoute)]
    others = [r for r in app.router.routes if not isinstance(r, HtmlPageRoute)]
    app.router.routes[:] = page_routes + others


# --- home ------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, name="page_home")
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", {"active": "page_home"})


# --- SPARQL ----------------------------------------------------------------------------------------
def query_examples() -> list[dict[str, Any]]:
    """The ontology's query catalogue as editor examples, parameters filled with their defaults."""
    from ontology.errors import VocabularyError
    from ontology.queries import catalogue

    examples: list[dict[str, Any]] = []
    for q in catalogue():
        try:
            text = q.render()
        except VocabularyError:  # a parameter without a default: show it as a variable to fill in
            text = q.text
        examples.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "query": text,
                "figure": q.figure,
                # a shareable link: Yasgui reads the query from the fragment when the page opens
                "link": "/sparql#query=" + quote(text, safe=""),
            }
        )
    return examples


#: the query the editor opens with: real, prefix-free (mg:, skos: ... are predeclared), quick to run
FIRST_QUERY = """# Missions per challenge field. No PREFIX lines needed: mg:, dct:, skos:, field:, answer: ...
# are predeclared (the list is below the editor). Press the run button (or Ctrl+Enter).
SELECT ?field ?label (COUNT(DISTINCT ?mission) AS ?missions)
WHERE {
  ?mission a mg:Mission ;
    mg:challengeField ?field .
  ?field skos:prefLabel ?label .
}
GROUP BY ?field ?label
ORDER BY DESC(?missions) ?label"""


def sparql_page(request: Request) -> HTMLResponse:
    from ontology.prefixes import PREDECLARED, prefix_map  # noqa: PLC0415

    endpoint = str(request.url_for("page_sparql"))
    examples = query_examples()
    tabs = [{"title": ex["title"], "query": ex["query"]} for ex in examples if not ex["figure"]]
    return render(
        request,
        "sparql.html",
        {
            "active": "page_sparql",
            "examples": examples,
            "endpoint": endpoint,
            "first_query": FIRST_QUERY,
            "tabs": tabs,
            "prefixes": PREDECLARED,
            "prefix_map": prefix_map(),
        },
    )


# --- search and help ------------------------------------------------------------------------------
@router.get("/search", response_class=HTMLResponse, name="page_search")
def search_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Search with facets: a plain GET form, so it works without JavaScript."""
    from search import FACETS
    from search.documents import FACET_LABELS

    params = request.query_params
    q = params.get("q", "").strip()
    filters = {name: params.getlist(name) for name in FACETS if params.getlist(name)}
    synthetic = params.get("synthetic") or "include"  # "Real missions only" sends exclude
    context: dict[str, Any] = {
        "active": "page_search", "q": q, "filters": filters, "labels": FACET_LABELS, "synthetic": synthetic,
    }  # fmt: skip
    provider = ctx.extras.get("index_provider")  # the same index /api/search uses (api.routers.search)
    if provider is None:
        context["unavailable"] = "Search is not set up in this deployment."
        return render(request, "search.html", context, status_code=503)
    try:
        index = provider.get()
        result = index.search(
            q,
            filters=filters,
            limit=PAGE_SIZE,
            cursor=params.get("cursor") or None,
            small_count_k=ctx.settings.small_count_k,
            semantic=ctx.settings.semantic,
            synthetic=synthetic,
        )
    except InvalidInputError as exc:
        context["error"] = exc.detail
        return render(request, "search.html", context, status_code=400)
    except StaleIndexError as exc:
        context["unavailable"] = exc.detail
        return render(request, "search.html", context, status_code=503)
    context["result"] = result
    context["source_labels"] = index.value_labels.get("source", {})
    context["facet_order"] = [f for f in FACETS if result["facets"].get(f)]
    if result.get("next_cursor"):
        context["next_url"] = _with_params(request, cursor=result["next_cursor"])
    return render(request, "search.html", context)


def _with_params(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters replaced (None removes them)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return str(request.url.path) + ("?" + urlencode(items) if items else "")


#: what the help page lets people pick: (form field and peer dimension, concept scheme, legend)
_HELP_CHOICES = [
    ("risk", "risk", "Risks you face"),
    ("support-need", "support-need", "Support you need"),
]


@router.get("/help", response_class=HTMLResponse, name="page_help", dependencies=[Depends(rate_limited)])
def help_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Pick risks and support needs; see the missions whose respondents reported the same."""
    from api.routers.peers import network_view
    from graph.network.helpers import helpers
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
        view = network_view(ctx)
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
    from api.routers.stats import stats

    if not wave.replace("-", "").replace("_", "").replace(".", "").isalnum() or len(wave) > 64:
        return render(request, "not_found.html", {"what": "No such survey wave."}, status_code=404)
    report = stats(wave=wave, ctx=ctx)
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
        "PREFIX mg: <https://w3id.org/missiongraph/def#>\n"
        f"SELECT ?source (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?r a mg:SurveyResponse ; "
        "mg:fundingSource ?source } } GROUP BY ?source ORDER BY DESC(?n) ?source"
    )
    total = ctx.store.select(
        "PREFIX mg: <https://w3id.org/missiongraph/def#>\n"
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


# --- mission ---------------------------------------------------------------------------------------
#: facts shown in the table, in this order (the rest are listed under "More facts")
_FACT_ORDER = [
    "http://purl.org/dc/terms/identifier",
    "https://w3id.org/missiongraph/def#goalStatement",
    "http://purl.org/dc/terms/spatial",
    "https://w3id.org/missiongraph/def#place",
    "https://w3id.org/missiongraph/def#level",
    "https://w3id.org/missiongraph/def#challengeField",
    "http://purl.org/dc/terms/subject",
    "https://w3id.org/missiongraph/def#launchYear",
    "https://w3id.org/missiongraph/def#targetYear",
    "https://w3id.org/missiongraph/def#programme",
    "https://w3id.org/missiongraph/def#governingBody",
    "https://w3id.org/missiongraph/def#fundingSource",
    "https://w3id.org/missiongraph/def#hasQuantifiedTarget",
]
_HIDDEN_FACTS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://purl.org/dc/terms/title",
    "http://purl.org/dc/terms/source",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://www.w3.org/ns/prov#qualifiedAssociation",
    "https://w3id.org/missiongraph/def#synthetic",  # shown as the synthetic badge instead
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
    from api.routers.missions import get_mission
    from api.routers.peers import network_view
    from graph.network.helpers import helpers
    from graph.network.weights import DEFAULT_MODE, DIMENSIONS, MODES

    try:
        mission = get_mission(mission_id, ctx)
    except NotFoundError:
        return render(
            request, "not_found.html", {"what": f"No mission has the id “{mission_id}”."}, status_code=404
        )
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
    view = network_view(ctx)
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


# --- Lab (behind a token) --------------------------------------------------------------------------
LAB_COOKIE = "missiongraph_lab"


def _lab_ok(request: Request, ctx: AppContext) -> bool:
    """True when the browser holds a valid Lab token (set by the sign-in form, sent back as a cookie)."""
    from api.auth import is_lab_token

    token = request.cookies.get(LAB_COOKIE, "")
    return bool(token) and is_lab_token(token, ctx.settings.lab_token_hashes)


def _lab_gate(request: Request, ctx: AppContext) -> HTMLResponse | None:
    """The sign-in page (401) when the Lab token is missing or wrong; None when the visitor may go on."""
    if _lab_ok(request, ctx):
        return None
    return render(
        request, "lab_login.html", {"active": "page_lab", "next": request.url.path}, status_code=401
    )


@router.get("/lab", response_class=HTMLResponse, name="page_lab")
def lab_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    return _lab_gate(request, ctx) or render(request, "lab.html", {"active": "page_lab"})


@router.post("/lab/login", response_class=HTMLResponse, name="page_lab_login")
def lab_login(
    request: Request, token: str = Form(""), next: str = Form("/lab"), ctx: AppContext = Depends(get_context)
) -> Response:
    from api.auth import is_lab_token

    if not token or not is_lab_token(token, ctx.settings.lab_token_hashes):
        return render(
            request,
            "lab_login.html",
            {"active": "page_lab", "next": next, "error": "That token is not valid."},
            status_code=401,
        )
    target = next if next.startswith("/lab") and "//" not in next else "/lab"
    response = RedirectResponse(target, status_code=303)
    # SameSite=Strict keeps other sites from posting to the Lab with this cookie
    response.set_cookie(
        LAB_COOKIE, token, httponly=True, samesite="strict", path="/", secure=request.url.scheme == "https"
    )
    return response


@router.post("/lab/logout", name="page_lab_logout")
def lab_logout() -> Response:
    response = RedirectResponse("/lab", status_code=303)
    response.delete_cookie(LAB_COOKIE, path="/")
    return response


@router.get("/lab/loads", response_class=HTMLResponse, name="page_lab_loads")
def lab_loads_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    return _lab_gate(request, ctx) or render(request, "lab_upload.html", {"active": "page_lab"})


@router.post(
    "/lab/loads", response_class=HTMLResponse, name="page_lab_upload", dependencies=[Depends(rate_limited)]
)
async def lab_upload(
    request: Request,
    file: UploadFile = File(...),
    wave: str = Form("2021"),
    encoding: str | None = Form(None),
    ctx: AppContext = Depends(get_context),
) -> Response:
    """Hand the upload to the same job as ``POST /api/loads``; then follow it on its own page."""
    from api.routers.loads import create_load

    gate = _lab_gate(request, ctx)
    if gate is not None:
        return gate
    if not _WAVE.fullmatch(wave):
        return render(
            request,
            "lab_upload.html",
            {"active": "page_lab", "error": "A wave is letters, digits, . _ or -."},
            status_code=400,
        )
    encoding = (encoding or "").strip() or None
    if encoding is not None and not _ENCODING.fullmatch(encoding):
        return render(
            request,
            "lab_upload.html",
            {"active": "page_lab", "error": "An encoding is a name such as utf-8 or cp1252."},
            status_code=400,
        )
    try:
        # called as a function: every parameter is passed, so no FastAPI default object reaches the job
        created = await create_load(file=file, wave=wave, encoding=encoding, ctx=ctx)
    except MissionGraphError as exc:
        return render(
            request, "lab_upload.html", {"active": "page_lab", "error": exc.detail}, status_code=400
        )
    job = json.loads(bytes(created.body))
    return RedirectResponse(str(request.url_for("page_lab_load", job_id=job["id"])), status_code=303)


_WAVE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ENCODING = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")  # as POST /api/loads accepts


@router.get("/lab/loads/{job_id}", response_class=HTMLResponse, name="page_lab_load")
def lab_load_page(job_id: str, request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """A load's progress, then its report or every problem of the file; ``?part=status`` for polling."""
    from api.routers.loads import get_load

    gate = _lab_gate(request, ctx)
    if gate is not None:
        return gate
    if not re.fullmatch(r"[0-9a-f]{32}", job_id):
        return render(request, "not_found.html", {"what": "No such load job."}, status_code=404)
    try:
        job = get_load(job_id=job_id, ctx=ctx)
    except NotFoundError:
        return render(request, "not_found.html", {"what": "No such load job."}, status_code=404)
    name = "_job_status.html" if request.query_params.get("part") == "status" else "lab_load.html"
    return render(request, name, {"active": "page_lab", "job": job})
