"""GET /health: 200 when the store and the index are ready."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.context import AppContext, get_context

router = APIRouter(tags=["health"])


@router.get("/health", summary="Readiness of the store and the search index")
def health(ctx: AppContext = Depends(get_context)) -> JSONResponse:
    checks: dict[str, Any] = {}
    ok = True
    try:
        checks["store"] = {"status": "ok", "kind": ctx.store.kind, "graphs": len(ctx.store.named_graphs())}
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        ok = False
        checks["store"] = {"status": "error", "detail": str(exc)}
    index_ready = ctx.extras.get("index_ready")
    if index_ready is not None:
        checks["index"] = {"status": "ok" if index_ready() else "not ready"}
        ok = ok and index_ready()
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503)
