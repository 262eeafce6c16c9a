"""Server-rendered HTML pages (Jinja2, a little vendored JS), one module per page family.

Pages call the same shared functions as the API routes (``api.survey_figures``, ``api.mission_detail``,
``api.uploads``, the context's network view ...), never a route function, and never decode a route's
response. ``install`` mounts the static assets and every page router.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.pages import dashboard, home, lab, lab_people, mission, search, who_can_help
from api.pages.rendering import STATIC_DIR, HtmlPageRoute, render, templates
from api.pages.sparql import sparql_page

__all__ = ["install", "render", "templates"]

ROUTERS = (home.router, search.router, who_can_help.router, dashboard.router, mission.router, lab.router,
           lab_people.router)  # fmt: skip


def install(app: FastAPI) -> None:
    """Mount the static assets and the page routes (the SPARQL page goes first, see ``HtmlPageRoute``)."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for router in ROUTERS:
        app.include_router(router)
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
