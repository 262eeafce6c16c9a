"""The index a running service searches: opened or built on first use, switched to each new version."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from graph.errors import DamagedIndexError, StaleIndexError
from graph.iris import Iris
from graph.store import Store
from search.documents import documents_from_store
from search.index import Index, build_index, open_index
from search.versions import quick_verify

__all__ = ["IndexProvider"]

logger = logging.getLogger(__name__)

#: how long a replaced index stays open for the searches that took it before the switch
RETIRE_SECONDS = 60.0


class IndexProvider:
    """Opens the index at ``path`` (building it when absent, damaged or made for another engine) on
    first use, and switches to each new version the writer makes.

    ``path=None`` keeps the index in a temporary folder (in-memory stores, tests). A request takes a
    reference to the current index and never waits on a lock while an update runs: ``refresh`` builds
    the next version beside the current one (search/versions.py) and switches the reference once it is
    complete; searches under way finish on the old one. In the service the writer's background
    refresh sets ``background`` and does every update; without it (CLI, scripts) ``get()`` updates the
    index itself when the store has moved on, so that a stale index is never served silently.
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
        self._open_lock = threading.Lock()  # the first open or build (nothing to serve before it)
        self._write_lock = threading.Lock()  # updates and rebuilds; requests never take it
        #: set by the writer's background refresh: requests serve the current index, never update it
        self.background = False
        self.error: str | None = None
        #: why the served version cannot be trusted (a file does not match its manifest), until rebuilt
        self.damaged: str | None = None
        self._retired: list[tuple[float, Index]] = []

    def get(self) -> Index:
        """The current index; never waits while an update or rebuild runs (it serves the old one)."""
        if self.damaged is not None:
            raise DamagedIndexError(
                f"the search index is damaged ({self.damaged}); it is being rebuilt from the store",
            )
        if self.read_only:
            return self._get_read_only()
        current = self._index
        if current is None:
            current = self._open()
        if self.background or self._write_lock.locked():
            return current  # the writer's refresh brings the next version; serve this one meanwhile
        return self.refresh()

    def _open(self) -> Index:
        with self._open_lock:
            if self._index is not None:
                return self._index
            if self.path is None:
                self._tmp = tempfile.mkdtemp(prefix="missiongraph-index-")
                self.path = Path(self._tmp)
            try:
                opened = open_index(self.path, engine=self.engine, semantic=self.semantic)
            except (OSError, ValueError, KeyError, TypeError, DamagedIndexError) as exc:
                # a damaged or half-written index is derived data: build it again from the store
                logger.warning("rebuilding the search index at %s: %s", self.path, exc)
                opened = None
            self._index = opened or build_index(
                self.store, self.iris, self.path, engine=self.engine, semantic=self.semantic
            )
            return self._index

    def refresh(self, changed_graphs: Iterable[str] = ()) -> Index:
        """Bring the index to the store's state (the writer): the next version is built aside and
        switched to once complete. StaleIndexError when that fails (the current one stays served)."""
        with self._write_lock:
            index = self._index if self._index is not None else self._open()
            state = self.store.state()
            if index.store_state == state:
                return index
            changed = list(changed_graphs)
            try:
                if changed and not any(self.iris.is_public_graph(g) for g in changed):
                    fresh, _ = index.updated(index.document_set(), state)  # only the state moves on
                else:
                    fresh, _ = index.updated(documents_from_store(self.store, self.iris), state)
            except Exception as exc:  # any failure means we cannot vouch for the results
                raise StaleIndexError(
                    "the search index was built from an older state of the store and could not be "
                    f"updated: {exc}; run `missiongraph index`",
                    index_state=index.store_state,
                    store_state=state,
                ) from exc
            self._switch(fresh)
            return fresh

    def rebuild(self) -> Index:
        """Build the index anew from the store (a damaged version), beside the one on disk."""
        with self._write_lock:
            assert self.path is not None
            fresh = build_index(self.store, self.iris, self.path, engine=self.engine, semantic=self.semantic)
            self._switch(fresh)
            self.damaged = None
            return fresh

    def check(self) -> bool:
        """Whether the served version's files are all there with their sizes (a cheap check, run
        periodically by the background refresh); a damaged one is never served again (``damaged``)."""
        index = self._index
        if index is None:
            return True
        try:
            quick_verify(index.path)
        except DamagedIndexError as exc:
            if self.damaged is None:
                logger.warning("the search index at %s is damaged: %s", index.path, exc)
            self.damaged = str(exc)
            return False
        return True

    def _switch(self, fresh: Index) -> None:
        old = self._index
        self._index = fresh
        now = time.monotonic()
        if old is not None and old is not fresh and self._owned:
            self._retired.append((now, old))
        # searches that took the old index finish on it: close those retired a while ago
        keep = []
        for retired_at, retired in self._retired:
            if now - retired_at > RETIRE_SECONDS:
                retired.close()
            else:
                keep.append((retired_at, retired))
        self._retired = keep

    def _get_read_only(self) -> Index:
        current = self._index
        if current is not None:
            return current
        with self._open_lock:
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
        self._switch(index)
        self.damaged = None

    @property
    def indexed_state(self) -> str | None:
        """The store state the open index matches, or None when no index is open (never opens one)."""
        index = self._index
        return index.store_state if index is not None else None

    @property
    def version(self) -> str | None:
        """The name of the version served (search/versions.py), or None when none is open."""
        index = self._index
        return index.version if index is not None else None

    def ready(self) -> bool:
        """True when the index is open and matches the store (opening or updating it if needed)."""
        try:
            index = self.get()
            if index.store_state != self.store.state() and not self.read_only:
                raise StaleIndexError("the search index is being updated to the store's state")
        except Exception as exc:  # readiness reports any failure
            self.error = str(exc)
            return False
        self.error = None
        return True

    def close(self) -> None:
        with self._open_lock, self._write_lock:
            if self._index is not None and self._owned:
                self._index.close()
            for _, retired in self._retired:
                retired.close()
            self._retired = []
            self._index = None
            self._owned = True  # what get() opens from now on is ours
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None
                self.path = None  # a later get() builds in a new temporary folder
