"""The index a running service searches: opened or built on first use, kept in step with the store."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from graph.errors import StaleIndexError
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
        read_only: bool = False,
    ) -> None:
        self.store = store
        #: never build or update: the index at ``path`` belongs to a writer in another process; a
        #: follower installs each new version with ``replace`` (the service's worker processes)
        self.read_only = read_only
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
        if self.read_only:
            return self._get_read_only()
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

    def _get_read_only(self) -> Index:
        with self._lock:
            if self._index is None and self.path is not None:
                self._index = open_index(self.path, engine=self.engine, semantic=self.semantic)
            if self._index is None:
                raise StaleIndexError(
                    f"no search index at {self.path} yet: the writer builds it",
                    index_state="",
                    store_state="",
                )
            return self._index

    def replace(self, index: Index) -> None:
        """Serve ``index`` from now on (read-only providers); searches under way finish on the old one."""
        with self._lock:
            self._index = index

    @property
    def indexed_state(self) -> str | None:
        """The store state the open index matches, or None when no index is open (never opens one)."""
        index = self._index
        return index.store_state if index is not None else None

    def ready(self) -> bool:
        """True when the index is open and matches the store (opening or updating it if needed)."""
        try:
            self.get()
        except Exception as exc:  # readiness reports any failure
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
