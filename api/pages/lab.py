"""The Lab's pages behind a token: sign-in, the Lab home, and uploading a survey export."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.context import AppContext, get_context
from api.pages.rendering import not_found, render
from api.ratelimit import rate_limited
from api.uploads import submit_load
from graph.errors import MissionGraphError, NotFoundError
from graph.iris import is_wave

__all__ = ["router", "lab_gate", "LAB_COOKIE"]

router = APIRouter(tags=["pages"], include_in_schema=False)
LAB_COOKIE = "missiongraph_lab"


def _lab_ok(request: Request, ctx: AppContext) -> bool:
    """True when the browser holds a valid Lab token (set by the sign-in form, sent back as a cookie)."""
    from api.auth import is_lab_token

    token = request.cookies.get(LAB_COOKIE, "")
    return bool(token) and is_lab_token(token, ctx.settings.lab_token_hashes)


def lab_gate(request: Request, ctx: AppContext) -> HTMLResponse | None:
    """The sign-in page (401) when the Lab token is missing or wrong; None when the visitor may go on."""
    if _lab_ok(request, ctx):
        return None
    return render(
        request, "lab_login.html", {"active": "page_lab", "next": request.url.path}, status_code=401
    )


@router.get("/lab", response_class=HTMLResponse, name="page_lab")
def lab_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    return lab_gate(request, ctx) or render(request, "lab.html", {"active": "page_lab"})


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
    return lab_gate(request, ctx) or render(request, "lab_upload.html", {"active": "page_lab"})


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
    gate = lab_gate(request, ctx)
    if gate is not None:
        return gate
    if not is_wave(wave):
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
        job = await submit_load(ctx, file, wave=wave, encoding=encoding)
    except MissionGraphError as exc:
        return render(
            request, "lab_upload.html", {"active": "page_lab", "error": exc.detail}, status_code=400
        )
    return RedirectResponse(str(request.url_for("page_lab_load", job_id=job.id)), status_code=303)


_ENCODING = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")  # as POST /api/loads accepts


@router.get("/lab/loads/{job_id}", response_class=HTMLResponse, name="page_lab_load")
def lab_load_page(job_id: str, request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """A load's progress, then its report or every problem of the file; ``?part=status`` for polling."""
    gate = lab_gate(request, ctx)
    if gate is not None:
        return gate
    if not re.fullmatch(r"[0-9a-f]{32}", job_id):
        return not_found(request, "No such load job.")
    try:
        job = ctx.jobs.get(job_id).as_dict()
    except NotFoundError:
        return not_found(request, "No such load job.")
    name = "_job_status.html" if request.query_params.get("part") == "status" else "lab_load.html"
    return render(request, name, {"active": "page_lab", "job": job})
