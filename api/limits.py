"""Request bodies bounded per route while they stream in; Lab routes authenticated before a body is read."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import is_lab_token
from api.settings import Settings

__all__ = ["BodyLimitMiddleware", "body_limit_for", "LAB_BODY_ROUTES"]

#: routes whose POST needs a Lab token: refused with 401 before a byte of the body is read
LAB_BODY_ROUTES = ("/api/loads", "/lab/sparql")
#: room for the multipart envelope around an upload (boundaries, part headers, the wave field)
MULTIPART_OVERHEAD = 64 * 1024


def body_limit_for(path: str, settings: Settings) -> int:
    """The largest request body ``path`` accepts, in bytes."""
    if path in ("/api/loads", "/lab/loads"):  # the API and the Lab page's upload form
        return settings.upload_max_bytes + MULTIPART_OVERHEAD
    if path in ("/sparql", "/lab/sparql"):
        return settings.sparql_max_body_bytes
    return settings.max_body_bytes


class _TooLarge(StarletteHTTPException):
    pass


async def _problem(send: Send, status: int, title: str, detail: str, path: str, **headers: str) -> None:
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": path}
    ).encode()
    raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Pure ASGI: checks ``Content-Length`` and counts the bytes of chunked bodies as they arrive."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path in LAB_BODY_ROUTES and not self._lab(headers.get("authorization", "")):
            await _problem(
                send,
                401,
                "Unauthorized",
                "this resource needs a valid Mission Action Lab bearer token (Authorization: Bearer ...); "
                "the request body was not read",
                path,
                www_authenticate="Bearer",
            )
            return
        limit = body_limit_for(path, self.settings)
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _problem(send, 400, "Bad Request", "Content-Length is not a number", path)
                return
            if too_big:
                await _problem(send, 413, "Content Too Large", _detail(path, limit), path)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge(413, _detail(path, limit))
            return message

        await self.app(scope, counted, send)

    def _lab(self, authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        return (
            scheme.lower() == "bearer"
            and bool(token.strip())
            and is_lab_token(token.strip(), self.settings.lab_token_hashes)
        )


def _detail(path: str, limit: int) -> str:
    what = "the upload" if path in ("/api/loads", "/lab/loads") else "the request body"
    return f"{what} is larger than {limit} bytes, the most {path} accepts"
