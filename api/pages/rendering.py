"""The pages' template environment and the route class of pages that share a path with an API."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.routing import Match
from starlette.types import Scope

__all__ = ["HtmlPageRoute", "STATIC_DIR", "TEMPLATES_DIR", "not_found", "render", "templates", "with_params"]

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = API_DIR / "templates"
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


def not_found(request: Request, what: str) -> HTMLResponse:
    """The 404 page saying what was not found."""
    return render(request, "not_found.html", {"what": what}, status_code=404)


def with_params(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters replaced (None removes them)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return str(request.url.path) + ("?" + urlencode(items) if items else "")
