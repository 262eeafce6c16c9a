"""RFC 9457 problem+json responses for every error; the one place HTTP meets graph/errors.py."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.conneg import NotAcceptableError
from api.http_errors import PayloadTooLargeError, UnsupportedMediaTypeError
from graph import errors

__all__ = ["PROBLEM_MEDIA_TYPE", "problem_response", "install_problem_handlers", "STATUS_BY_ERROR"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/missiongraph/problems/"

STATUS_BY_ERROR: dict[type[errors.MissionGraphError], int] = {
    errors.NotFoundError: 404,
    errors.QueryError: 400,
    errors.InvalidInputError: 400,
    errors.ForbiddenQueryError: 403,
    errors.QueryTimeoutError: 503,
    errors.StoreError: 503,
    errors.DiskFullError: 507,
    errors.StaleIndexError: 503,
    errors.NotReadyError: 503,
    errors.AuthError: 401,
    errors.RateLimitedError: 429,
    NotAcceptableError: 406,
    UnsupportedMediaTypeError: 415,
    PayloadTooLargeError: 413,
}


def _status_for(exc: errors.MissionGraphError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Map our errors, HTTP errors and request validation errors to problem+json."""

    @app.exception_handler(errors.MissionGraphError)
    async def _domain(request: Request, exc: errors.MissionGraphError) -> JSONResponse:
        extra: dict[str, Any] = dict(exc.extra)
        if isinstance(exc, errors.IngestError):
            extra["problems"] = [p.as_dict() for p in exc.problems]
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, errors.AuthError) else None
        if isinstance(exc, errors.RateLimitedError):
            headers = {"Retry-After": str(exc.extra.get("retry_after", 60))}
        if isinstance(exc, errors.NotReadyError):
            headers = {"Retry-After": str(exc.extra.get("retry_after", 5))}
        return problem_response(
            _status_for(exc),
            exc.title,
            exc.detail,
            type_=PROBLEM_BASE + exc.code,
            instance=str(request.url.path),
            headers=headers,
            **extra,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(
            exc.status_code,
            _reason(exc.status_code),
            str(exc.detail),
            instance=str(request.url.path),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{p['location']}: {p['message']}" for p in problems)
        return problem_response(
            400,  # every invalid parameter is a 400, as the SPARQL protocol's (decisions/0011)
            "Invalid request",
            detail,
            type_=PROBLEM_BASE + "invalid-request",
            instance=str(request.url.path),
            errors=problems,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            500,
            "Internal server error",
            "An unexpected error occurred; it has been logged.",
            instance=str(request.url.path),
        )


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
