"""The running service's parts (settings, store, IRIs, index, views, workers), one typed object per app.

Modelled on datasette's ``Datasette`` object: the composition root (``api.app.create_app``) or a CLI
command builds one ``AppContext``; routers, pages, the CLI and the background refresh ask it for what
they share (the network view, the load jobs, the SPARQL workers, the rate limiter ...). Each member is
built on first use, once, under a lock; nothing imports a router to reach another router's state.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Request

from api.settings import Settings
from graph.iris import Iris
from graph.store import Store

if TYPE_CHECKING:
    import numpy as np

    from api.jobs import JobRunner
    from api.mission_table import MissionRow
    from api.ratelimit import RateLimiter
    from api.refresh import Refresher
    from graph.network.features import Features
    from graph.network.view import NetworkView
    from graph.query_runner import QueryRunner
    from search.index import Index
    from search.provider import IndexProvider

__all__ = ["AppContext", "get_context", "MAX_ENCODE"]

#: above this many missions the view is not worth encoding goal texts for on the request path
MAX_ENCODE = 20_000


class AppContext:
    """What one service (or one CLI command) shares, each part typed and built when first asked for."""

    settings: Settings
    store: Store
    iris: Iris
    index: Index | None
    index_provider: IndexProvider | None
    refresher: Refresher | None
    dumps_tmp: Path | None

    def __init__(self, settings: Settings, store: Store, iris: Iris, index: Index | None = None) -> None:
        self.settings = settings
        self.store = store
        self.iris = iris
        #: an index injected by a test or the CLI (the provider serves it instead of opening one)
        self.index = index
        #: the search index of this app (`api.routers.search.install`); None where search is not served
        self.index_provider: IndexProvider | None = None
        #: the writer's (or a worker's) background refresh of derived views, once the app started
        self.refresher: Refresher | None = None
        #: where an in-memory store's dumps go (a temporary folder, removed when the app stops)
        self.dumps_tmp: Path | None = None
        self._lock = threading.RLock()
        #: held while a network view is built (never by a request that can serve the earlier view)
        self._view_lock = threading.Lock()
        self._network: NetworkView | None = None
        self._jobs: JobRunner | None = None
        self._query_runner: QueryRunner | None = None
        self._rate_limiter: RateLimiter | None = None
        self._mission_table: tuple[str, list[MissionRow]] | None = None

    # --- the network view (peers, helpers, groups, analytics) ----------------------------------------
    def network_view(self, *, build: bool = False) -> NetworkView:
        """The network view of the store's current state, built once per state.

        A request never waits while a new view is built: when the store has moved on and a view of an
        earlier state exists, that view is served until the background refresh (api/refresh.py) or the
        load job has built the new one beside it and switched (``build=True``; without a refresh
        running, the first request after a change builds it, the others keep the old one meanwhile).
        """
        state = self.store.state()
        view = self._network
        if view is not None and view.state == state:
            return view
        if view is not None and not build and (self.refresher is not None or self._view_lock.locked()):
            return view  # the earlier state's view, until the new one is complete
        with self._view_lock:
            view = self._network
            if view is None or view.state != state:
                view = self.build_network_view(self.store)
                self._network = view
        return view

    def install_network_view(self, view: NetworkView) -> None:
        """Serve ``view`` from now on (a worker switching to a new snapshot with its view built aside)."""
        self._network = view

    @property
    def cached_network_view(self) -> NetworkView | None:
        """The network view built last (whatever the store's state now), without building one."""
        return self._network

    def build_network_view(self, store: Store, index: Index | None = None) -> NetworkView:
        """A new view of ``store`` (this context's store, or a snapshot about to be switched to), with
        the goal-text vectors of ``index`` (default: the index served now) where it has them."""
        from graph.network.view import NetworkView  # networkx only when asked

        plain = NetworkView.build(store, self.iris)
        vectors = self._text_vectors(plain.features, index)
        if vectors is None:
            return plain
        view = NetworkView(plain.features, text_vectors=vectors, state=plain.state)
        view.model.embed = _embed
        return view

    def _text_vectors(self, features: Features, index: Index | None = None) -> np.ndarray | None:
        """Goal-text embeddings: the search index's (same model, already computed), else encoded here."""
        import numpy as np

        if not self.settings.semantic or not len(features):
            return None
        index = index if index is not None else self.index
        provider = self.index_provider
        if index is None and provider is not None:
            try:  # the index served now, of whatever state: its vectors of the same missions are the same
                index = provider.get()
            except Exception:  # no index to borrow from: encoded below
                index = None
        embeddings = getattr(index, "embeddings", None)
        pos = getattr(index, "pos", None)
        if embeddings is not None and pos is not None and all(mid in pos for mid in features.ids):
            return np.asarray(embeddings[[pos[mid] for mid in features.ids]], dtype=np.float32)
        if len(features) > MAX_ENCODE:
            return None
        return _embed(features.embedding_texts())

    # --- workers --------------------------------------------------------------------------------------
    @property
    def jobs(self) -> JobRunner:
        """The background load jobs; uploads an earlier process left behind are swept when first built."""
        if self._jobs is None:
            with self._lock:
                if self._jobs is None:
                    from api.jobs import JobRunner, sweep_uploads

                    runner = JobRunner(self.settings.jobs_path)
                    # no job runs yet: uploads left by an earlier process (a crash mid-load) go now
                    sweep_uploads(self.settings.jobs_path, self.settings.upload_retention_days)
                    self._jobs = runner
        return self._jobs

    @property
    def query_runner(self) -> QueryRunner:
        """The pool of SPARQL query workers, started on first use and stopped by ``close_workers``."""
        if self._query_runner is None:
            with self._lock:
                if self._query_runner is None:
                    from graph.query_runner import QueryRunner

                    self._query_runner = QueryRunner(self.store, workers=self.settings.sparql_workers)
        return self._query_runner

    @property
    def rate_limiter(self) -> RateLimiter:
        """Per-client limits of expensive requests (search, peers, SPARQL ...)."""
        if self._rate_limiter is None:
            with self._lock:
                if self._rate_limiter is None:
                    from api.ratelimit import RateLimiter

                    self._rate_limiter = RateLimiter(self.settings.rate_limit_per_minute)
        return self._rate_limiter

    def close_workers(self) -> None:
        """Stop what runs beside requests: load jobs finish first, then the SPARQL workers stop."""
        with self._lock:
            jobs, self._jobs = self._jobs, None
            runner, self._query_runner = self._query_runner, None
        if jobs is not None:
            jobs.close()
        if runner is not None:
            runner.close()

    # --- caches of the current store state -------------------------------------------------------
    def cached_mission_table(self, state: str) -> list[MissionRow] | None:
        """The mission table kept for ``state`` (see ``api.mission_table``), or None."""
        kept = self._mission_table
        return kept[1] if kept is not None and kept[0] == state else None

    def keep_mission_table(self, state: str, table: list[MissionRow]) -> None:
        self._mission_table = (state, table)


def _embed(texts: list[str]) -> np.ndarray:
    """Texts as vectors, with the model the search index's vectors come from."""
    from search.index import shared_embedder

    return shared_embedder().encode(texts)


async def get_context(request: Request) -> AppContext:
    """FastAPI dependency: the context of the app handling this request (async: a plain lookup that
    FastAPI would otherwise send through its thread pool, a thread hop on every request)."""
    ctx: AppContext = request.app.state.ctx
    return ctx
