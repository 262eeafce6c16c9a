"""The running service's parts (settings, store, IRIs, index ...), built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from api.settings import Settings
from graph.iris import Iris
from graph.store import Store

__all__ = ["AppContext", "get_context"]


@dataclass
class AppContext:
    settings: Settings
    store: Store
    iris: Iris
    #: the search index (search.Index) once built; None until then
    index: Any = None
    #: derived views and helpers that routers share (peers model, job runner ...), keyed by name
    extras: dict[str, Any] = field(default_factory=dict)


def get_context(request: Request) -> AppContext:
    """FastAPI dependency: the context of the app handling this request."""
    ctx: AppContext = request.app.state.ctx
    return ctx
