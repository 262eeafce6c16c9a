"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages.rendering import render

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse, name="page_home")
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", {"active": "page_home"})
