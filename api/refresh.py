"""Derived views kept in step with the store by the writer, in the background, never by a GET request.

After every change of the store's state (a load job, a build beside ...), one background thread brings
the search index up to date, writes the dumps of the new state into their own folder, and computes
the network view and its communities, so that requests only read. ``status()`` says what is not ready
yet, for ``/health``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from api.context import AppContext

__all__ = ["Refresher", "dumps_root"]

logger = logging.getLogger(__name__)


def dumps_root(ctx: AppContext, *, create: bool = False) -> Path:
    """Where the dumps of each store state are written: the data directory, or a temporary folder
    for an in-memory store (tests, demos) so that nothing lands in the working directory; only the
    writer (``create=True``) makes that folder."""
    if ctx.store.kind == "memory":
        if ctx.dumps_tmp is None:
            if not create:
                return Path(tempfile.gettempdir()) / "missiongraph-no-dumps-yet"
            ctx.dumps_tmp = Path(tempfile.mkdtemp(prefix="missiongraph-dumps-"))
        return ctx.dumps_tmp
    return ctx.settings.data_dir / "dumps"


class Refresher:
    """One background thread that derives the index, dumps and communities of each new store state.

    ``follow=True`` in a worker process (read-only store): instead of deriving index and dumps it
    follows the writer, switching to the newest snapshot of the store together with the index the
    writer has brought to that state, then computes the network view and communities in memory.
    """

    def __init__(self, ctx: AppContext, *, interval: float = 1.0, follow: bool = False) -> None:
        self.ctx = ctx
        self.interval = interval
        self.follow = follow
        #: the store state whose views are all derived, and per part the state it was derived from
        self.done: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="missiongraph-refresh", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Look at the store now (after a write) instead of at the next tick."""
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)
        tmp, self.ctx.dumps_tmp = self.ctx.dumps_tmp, None
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh_once()
            except Exception as exc:  # the loop reports and goes on
                logger.warning("refreshing the derived views failed: %s", exc)
            self._wake.wait(self.interval)
            self._wake.clear()

    def refresh_once(self) -> None:
        """Derive whatever is behind the store's current state (each part on its own)."""
        if self.follow:
            self._follow()
        state = self.ctx.store.state()
        parts: list[tuple[str, Callable[[], None]]] = [
            ("index", self._index),
            ("network", self._network),
            ("dumps", self._dumps),
        ]
        if self.follow:  # the writer derives index and dumps; a worker only its own in-memory view
            parts = [("network", self._network)]
        for part, work in parts:
            if self._stop.is_set():
                return
            if self.done.get(part) == state:
                continue
            started = time.perf_counter()
            try:
                work()
            except Exception as exc:  # the loop reports and goes on
                self.errors[part] = f"{type(exc).__name__}: {exc}"
                continue
            self.errors.pop(part, None)
            self.done[part] = state
            logger.info("%s derived for store state %s in %.2f s", part, state, time.perf_counter() - started)

    def _follow(self) -> None:
        """Switch to the writer's newest snapshot once the index on disk matches it (both at once)."""
        from search.index import open_index

        store = self.ctx.store
        provider = self.ctx.index_provider
        # at start: the writer's index, once it matches the snapshot this worker opened
        if (
            provider is not None
            and provider.path is not None
            and provider.indexed_state is None
            and _index_state(provider.path) == store.state()
        ):
            opened = open_index(provider.path, engine=provider.engine, semantic=provider.semantic)
            if opened is not None:
                provider.replace(opened)
        newest = getattr(store, "newest_snapshot", lambda: None)()
        if newest is None or newest.state == store.state():
            return
        index = None
        if provider is not None and provider.path is not None:
            meta = _index_state(provider.path)
            if meta != newest.state:
                self.errors.pop("follow", None)
                return  # the writer is still updating the index: stay on the current pair meanwhile
            index = open_index(provider.path, engine=provider.engine, semantic=provider.semantic)
            if index is None or index.store_state != newest.state:
                return
        store.refresh(newest)
        if provider is not None and index is not None:
            provider.replace(index)
        logger.info("following the writer: store state %s", newest.state)

    def _index(self) -> None:
        provider = self.ctx.index_provider
        if provider is not None:
            provider.get()  # opens, builds or updates the index to the store's state

    def _dumps(self) -> None:
        from graph.dumps import public_graphs, publish_dumps

        if public_graphs(self.ctx.store, self.ctx.iris):
            publish_dumps(self.ctx.store, self.ctx.iris, dumps_root(self.ctx, create=True))

    def _network(self) -> None:
        # the network view and the default communities (seconds at 100k missions), so that the first
        # /api/analytics/communities answers from the cache
        from graph.network.communities import communities_json

        view = self.ctx.network_view()
        if len(view.features):
            communities_json(view.model, view.knn, seed=0)  # computed and serialised once

    def status(self, part: str, state: str) -> tuple[bool, str]:
        """Whether ``part`` is derived from ``state``; else why not."""
        if self.follow and part == "dumps":  # the writer writes them; a worker finds them on disk
            from graph.dumps import published_dumps

            if published_dumps(dumps_root(self.ctx), state) is not None:
                return True, "ok"
            return False, "being written by the writer"
        if self.done.get(part) == state:
            return True, "ok"
        if part in self.errors:
            return False, f"failed for the current store state ({self.errors[part]}); retrying"
        return False, "being derived from the current store state"


def _index_state(path: Path) -> str | None:
    """The store state the index saved at ``path`` was derived from (its meta.json), or None."""
    import json

    try:
        return str(json.loads((path / "meta.json").read_text(encoding="utf-8"))["store_state"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
