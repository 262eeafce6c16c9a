"""The composition root: ``create_app`` builds the service; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from api.blas import one_blas_thread
from api.context import AppContext
from api.limits import BodyLimitMiddleware
from api.pages import install as install_pages
from api.problems import install_problem_handlers
from api.refresh import Refresher
from api.responses import problem_responses
from api.routers import analytics as analytics_router
from api.routers import (
    dumps,
    health,
    linked_data,
    loads,
    missions,
    queries,
    respondents,
    search,
    sparql,
    stats,
    vocabulary,
)
from api.routers import lab_people as lab_people_router
from api.routers import peers as peers_router
from api.settings import Settings
from api.workers import install_forwarding
from graph.store import Store, open_store
from graph.tempfiles import sweep_stale
from search.index import Index

__all__ = ["create_app", "open_store_from_settings"]


def open_store_from_settings(settings: Settings, *, read_only: bool = False) -> Store:
    """The store the settings ask for (shared by the app and the CLI); ``read_only`` for readers."""
    password = settings.remote_password.get_secret_value() if settings.remote_password else None
    return open_store(
        settings.store,
        path=settings.store_path,
        read_only=read_only,
        snapshots=settings.snapshots_path,
        **(
            {
                "query_url": settings.remote_query_url,
                "update_url": settings.remote_update_url,
                "gsp_url": settings.remote_gsp_url,
                "user": settings.remote_user,
                "password": password,
                "auth": settings.remote_auth,
            }
            if settings.store == "remote"
            else {}
        ),
    )


def create_app(
    settings: Settings | None = None, *, store: Store | None = None, index: Index | None = None
) -> FastAPI:
    """Build the FastAPI app. Tests inject a small in-memory ``store`` (and optionally an ``index``)."""
    settings = settings or Settings()
    one_blas_thread()  # the request threads are the parallelism (api/blas.py)
    worker = settings.writer_url is not None  # a worker of `serve --workers N`: reads, never writes
    store = store if store is not None else open_store_from_settings(settings, read_only=worker)
    read_only = bool(getattr(store, "read_only", False))
    if not worker:
        sweep_stale()  # temporary folders of loads and builds that a killed process left behind
    ctx = AppContext(settings=settings, store=store, iris=settings.iris(), index=index)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the writer derives the views of each store state; a read-only worker follows the writer
        refresher = Refresher(ctx, follow=read_only)
        ctx.refresher = refresher
        refresher.start()
        yield
        refresher.close()
        ctx.close_workers()  # load jobs finish first; then the SPARQL workers stop
        index_provider = ctx.index_provider  # kept: it reopens lazily on a restart
        if index_provider is not None:
            index_provider.close()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served below from vendored assets: FastAPI's default loads them from a CDN
        redoc_url=None,
        title="missiongraph",
        version="0.1.0",
        description=(
            "A knowledge graph of public-policy missions: search, peers, SPARQL and linked data. "
            "Survey respondent data in this deployment is synthetic unless stated otherwise."
        ),
    )
    app.state.ctx = ctx
    install_problem_handlers(app)
    if settings.writer_url is not None:
        install_forwarding(app, settings.writer_url)
    # outermost: body limits and Lab authentication apply before anything reads or forwards a body
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(missions.router)
    app.include_router(respondents.router)
    app.include_router(vocabulary.router)
    app.include_router(linked_data.router)
    app.include_router(loads.router)
    app.include_router(stats.router)
    app.include_router(queries.router)
    app.include_router(dumps.router)
    app.include_router(peers_router.router)  # peers, helpers, benchmark, neighbourhood, groups
    app.include_router(analytics_router.router)
    app.include_router(lab_people_router.router)  # groups and introductions of people (Lab)
    search.install(app)  # /api/search; the index is opened (or built) on first use
    install_pages(app)  # HTML pages and static assets (the SPARQL page route goes first)

    def openapi() -> dict[str, Any]:
        """The description, with every invalid parameter documented as the 400 problem it is (no 422)."""
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            for operation in (op for ops in schema.get("paths", {}).values() for op in ops.values()):
                responses = operation.get("responses", {})
                if responses.pop("422", None) is not None or operation.get("parameters"):
                    bad = problem_responses(400)[400]
                    responses.setdefault(
                        "400", {"description": bad["description"], "content": bad["content"]}
                    )
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The OpenAPI explorer, with every asset served by this server."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="missiongraph API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
        )

    return app
