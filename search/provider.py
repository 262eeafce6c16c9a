"""The index a running service searches: opened or built on first use, kept in step with the store."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from graph.iris import Iris
from graph.store import Store
from search.index import Index, build_index, ensure_fresh, open_index

__all__ = ["IndexProvider"]

logger = logging.getLogger(__name__)


class IndexProvider:
    """Opens the index at ``path`` (building it when absent or made for another engine) on first use.

    ``path=None`` keeps the index in a temporary folder (in-memory stores, tests). Every ``get()``
    checks the store's state and updates the index incrementally when the store has moved on, so
    that a stale index is never served silently.
    """

    def __init__(
        self,
        store: Store,
        iris: Iris,
        *,
        path: Path | None,
        engine: str = "whoosh",
        semantic: bool = True,
        index: Index | None = None,
    ) -> None:
        self.store = store
        self.iris = iris
        self.engine = engine
        self.semantic = semantic
        self._tmp: str | None = None
        self.path = path
        self._index = index
        #: an injected index belongs to the caller: close() lets go of it without closing it
        self._owned = index is None
        self._lock = threading.Lock()
        self.error: str | None = None

    def get(self) -> Index:
        with self._lock:
            if self._index is None:
                if self.path is None:
                    self._tmp = tempfile.mkdtemp(prefix="missiongraph-index-")
                    self.path = Path(self._tmp)
                try:
                    opened = open_index(self.path, engine=self.engine, semantic=self.semantic)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    # a damaged or half-written index is derived data: build it again
                    logger.warning("rebuilding the search index at %s: %s", self.path, exc)
                    opened = None
                self._index = opened or build_index(
                    self.store, self.iris, self.path, engine=self.engine, semantic=self.semantic
                )
            return ensure_fresh(self._index, self.store, self.iris)

    def ready(self) -> bool:
        """True when the index is open and matches the store (opening or updating it if needed)."""
        try:
            self.get()
        except Exception as exc:  # noqa: BLE001 - readiness reports any failure
            self.error = str(exc)
            return False
        self.error = None
        return True

    def close(self) -> None:
        with self._lock:
            if self._index is not None and self._owned:
                self._index.close()
            self._index = None
            self._owned = True  # what get() opens from now on is ours
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None
                self.path = None  # a later get() builds in a new temporary folder
