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
from typing import TYPE_CHECKING

from api.context import AppContext

if TYPE_CHECKING:
    from graph.network.view import NetworkView
    from graph.store.snapshots import Snapshot
    from search.index import Index

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
        provider = self.ctx.index_provider
        if provider is not None:
            provider.background = True  # from now on requests serve the current index, never update it
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
        self._check_index()
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
        """Switch to the writer's newest snapshot once the index on disk matches it, all at once.

        The index version and the network view of the new state are opened and built beside the ones
        served (the view from the new snapshot, opened on its own), then store, index and view switch
        together: a request sees the old state or the new one, and never waits for the build.
        """
        from search.index import open_index
        from search.versions import current_version

        store = self.ctx.store
        provider = self.ctx.index_provider
        newest = getattr(store, "newest_snapshot", lambda: None)()
        if provider is None or provider.path is None:
            if newest is not None and newest.state != store.state():
                store.refresh(newest)
            return
        version = current_version(provider.path)
        if version is None:
            return  # the writer has not built the index yet
        same_version = provider.version == version.path.name
        if version.state == store.state():
            if not same_version:  # at start, or the writer rebuilt a damaged index of this state
                opened = open_index(provider.path, engine=provider.engine, semantic=provider.semantic)
                if opened is not None and opened.store_state == store.state():
                    provider.replace(opened)
            return
        if newest is None or newest.state != version.state:
            return  # the writer is still updating the index: stay on the current pair meanwhile
        index = open_index(provider.path, engine=provider.engine, semantic=provider.semantic)
        if index is None or index.store_state != newest.state:
            return
        view = self._view_aside(newest, index)
        store.refresh(newest)
        provider.replace(index)
        if view is not None:
            self.ctx.install_network_view(view)
            self.done["network"] = newest.state
        logger.info("following the writer: store state %s", newest.state)

    def _view_aside(self, snapshot: Snapshot, index: Index) -> NetworkView | None:
        """The network view of ``snapshot``, built from its own read-only handle (None if that fails:
        the view is then derived after the switch, as before)."""
        from graph.store.oxigraph import OxigraphStore

        store = self.ctx.store
        if not isinstance(store, OxigraphStore):
            return None
        try:
            reader = OxigraphStore(store.path, read_only=True, snapshots=store.snapshots)
            reader.refresh(snapshot)
            if reader.state() != snapshot.state:
                return None
            return self.ctx.build_network_view(reader, index)
        except Exception as exc:  # the switch goes on; the view follows it
            logger.warning("building the network view beside the served one failed: %s", exc)
            return None

    def _check_index(self) -> None:
        """The served index version still matches its manifest (sizes); the writer rebuilds a damaged
        one from the store, a worker stops serving it until the writer's rebuild is there."""
        provider = self.ctx.index_provider
        if provider is None or provider.path is None or provider.check():
            return
        if not self.follow:
            try:
                provider.rebuild()
            except Exception as exc:  # recorded for /health, tried again next tick
                self.errors["index"] = f"{type(exc).__name__}: {exc}"

    def _index(self) -> None:
        provider = self.ctx.index_provider
        if provider is not None:
            provider.refresh()  # opens, builds or updates the index to the store's state (aside)

    def _dumps(self) -> None:
        from graph.dumps import public_graphs, publish_dumps

        if public_graphs(self.ctx.store, self.ctx.iris):
            publish_dumps(self.ctx.store, self.ctx.iris, dumps_root(self.ctx, create=True))

    def _network(self) -> None:
        # the network view and the default communities (seconds at 100k missions), so that the first
        # /api/analytics/communities answers from the cache
        from graph.network.communities import communities_json

        view = self.ctx.network_view(build=True)
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
