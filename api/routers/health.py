"""GET /health: 200 only when the store holds the expected graphs and the index matches its state.

Health only looks: it never builds, updates or writes anything (the writer's background refresh does).
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.context import AppContext, get_context
from api.schemas import HealthModel, ok

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Readiness of the store and the search index (503 with the reason)",
    response_model=None,
    responses={
        **ok(HealthModel, "Store and index ready."),
        503: {"model": HealthModel, "description": "Not ready: the body's `reasons` say why."},
    },
)
def health(ctx: AppContext = Depends(get_context)) -> JSONResponse:
    checks: dict[str, Any] = {}
    reasons: list[str] = []
    state: str | None = None
    try:
        graphs = ctx.store.named_graphs()
        state = ctx.store.state()
        expected = {"vocabulary": ctx.iris.vocabulary_graph, "catalogue": ctx.iris.catalogue_graph}
        missing = [name for name, iri in expected.items() if iri not in graphs]
        checks["store"] = {"status": "ok", "kind": ctx.store.kind, "graphs": len(graphs), "state": state}
        if missing:
            detail = (
                f"the store lacks the {' and '.join(missing)} graph{'s' if len(missing) > 1 else ''}: "
                "build it with `missiongraph build`"
            )
            checks["store"].update(status="error", detail=detail)
            reasons.append(detail)
    except Exception as exc:  # health reports any failure
        checks["store"] = {"status": "error", "detail": str(exc)}
        reasons.append(f"the store cannot be read: {exc}")
    provider = ctx.index_provider
    damaged = getattr(provider, "damaged", None)
    if provider is not None and damaged is not None:
        detail = (
            f"the search index is damaged ({damaged}): it is not served, and the writer rebuilds it "
            "from the store"
        )
        checks["index"] = {"status": "damaged", "detail": detail}
        reasons.append(detail)
    elif provider is not None and state is not None:
        indexed = provider.indexed_state
        if indexed == state:
            checks["index"] = {"status": "ok"}
        else:
            detail = (
                "the search index is not open yet"
                if indexed is None
                else "the search index was built from an older store state"
            )
            refresher = ctx.refresher
            if refresher is not None:
                detail += f"; {refresher.status('index', state)[1]}"
            checks["index"] = {"status": "not ready", "detail": detail}
            reasons.append(detail)
    disk = _disk(ctx)
    if disk is not None:
        checks["disk"] = disk
        if disk["status"] != "ok":
            reasons.append(disk["detail"])
    refresher = ctx.refresher
    if refresher is not None and state is not None:
        for part in ("dumps", "network"):  # reported, not part of readiness: they answer "retry" meanwhile
            done, detail = refresher.status(part, state)
            checks[part] = {"status": "ok" if done else "pending", "detail": detail}
    role = "worker" if getattr(ctx.store, "read_only", False) else "writer"
    checks["process"] = {"role": role, "pid": os.getpid()}  # which process of `serve --workers N` answered
    body: dict[str, Any] = {"status": "ok" if not reasons else "unavailable", "checks": checks}
    if reasons:
        body["reasons"] = reasons
    return JSONResponse(body, status_code=200 if not reasons else 503, headers={"Cache-Control": "no-store"})


def _disk(ctx: AppContext) -> dict[str, Any] | None:
    """Free space where the store, index and uploads are written; "full" below MISSIONGRAPH_MIN_FREE_BYTES
    (loads and index updates would fail), with the last out-of-space error of the store if any."""
    if ctx.store.kind == "memory":
        return None
    try:
        free = shutil.disk_usage(ctx.settings.data_dir).free
    except OSError:
        return None
    last = getattr(ctx.store, "disk_error", None)
    out: dict[str, Any] = {"status": "ok", "free_bytes": free}
    if free < ctx.settings.min_free_bytes:
        out["status"] = "full"
        out["detail"] = (
            f"the disk holding the data has {free} bytes free (less than {ctx.settings.min_free_bytes}): "
            "loads and index updates fail until space is freed; the store stays as it is"
        )
    if last is not None:
        out["last_error"] = last
    return out
