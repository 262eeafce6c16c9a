"""Browser tests: a real uvicorn server on 127.0.0.1 over an on-disk store, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_executable
from tests.support.uvicorn_server import free_port, running_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "api" / "static" / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "pages"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAB_TOKEN = "pages-test-lab-token"

pytestmark = pytest.mark.browser


def build_store(data_dir: Path, base_iri: str) -> tuple[Any, Any]:
    """The store the pages run on (everything ``missiongraph build`` loads: vocabulary, the real
    catalogue, the published figures and the committed synthetic survey sample), on disk, and its
    search index (lexical only, to keep the tests fast)."""
    from graph.build import build_store as build
    from graph.iris import Iris
    from graph.store import open_store
    from search import build_index

    iris = Iris(base_iri)
    store = open_store("oxigraph", path=data_dir / "store")
    build(store, iris)
    index = build_index(store, iris, data_dir / "index", engine="whoosh", semantic=False)
    return store, index


def build_catalogue_store(data_dir: Path, base_iri: str) -> tuple[Any, Any]:
    """A store with the vocabulary and the catalogue only, and its lexical index."""
    import pyoxigraph as ox

    from graph.catalogue import load_catalogue
    from graph.iris import Iris
    from graph.store import open_store
    from ontology.vocab import write_vocabulary_ntriples
    from search import build_index

    iris = Iris(base_iri)
    store = open_store("oxigraph", path=data_dir / "store")
    store.replace_graph(iris.vocabulary_graph, write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES)
    load_catalogue(store, iris)
    index = build_index(store, iris, data_dir / "index", engine="whoosh", semantic=False)
    return store, index


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    app: Any
    extra: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def serve(data_dir: Path, *, full: bool = True) -> Iterator[LiveServer]:
    """A uvicorn server on a free 127.0.0.1 port over a store built in ``data_dir``.

    ``full`` builds everything ``missiongraph build`` loads; otherwise only the vocabulary and the
    catalogue (for tests that load a survey themselves).
    """
    import hashlib

    from api.app import create_app
    from api.settings import Settings

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    settings = Settings(
        data_dir=data_dir,
        base_iri=base,
        store="oxigraph",
        semantic=False,
        lab_token_hashes=[hashlib.sha256(LAB_TOKEN.encode()).hexdigest()],
        rate_limit_per_minute=100_000,
    )
    store, index = build_store(data_dir, base) if full else build_catalogue_store(data_dir, base)
    app = create_app(settings, store=store, index=index)
    try:
        with running_server(app, port=port, startup_timeout=60):
            yield LiveServer(url=base.rstrip("/"), data_dir=data_dir, app=app)
    finally:
        store.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session over the full build; tests must not change its store."""
    with serve(tmp_path_factory.mktemp("pages-data")) as server:
        yield server


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server of its own over vocabulary and catalogue only, for a test that loads data."""
    with serve(tmp_path / "data", full=False) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = require_executable("chromium", "the page tests drive Debian's headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class PageSession:
    """One browser page plus the requests it made, the console errors it logged, and helpers."""

    def __init__(self, page: Any, server: LiveServer, name: str) -> None:
        self.page = page
        self.server = server
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.server.url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / f"{self.name}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)}.png"
        self.page.screenshot(path=str(out), full_page=True)
        return out

    def shot_of(self, selector: str, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.locator(selector).first.screenshot(path=str(out))
        return out

    def external_requests(self) -> list[str]:
        local = (self.server.url + "/", "data:", "blob:", "about:")
        return [u for u in self.requests if not u.startswith(local)]

    def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core (vendored) run in the page: violations of impact serious or critical."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})); }"
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    def assert_accessible(self) -> None:
        serious = self.axe_violations()
        assert serious == [], json.dumps(serious, indent=2)


@pytest.fixture
def session(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[PageSession]:
    """A fresh browser context (desktop size); no request may leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    s = PageSession(page, live_server, request.node.name)
    try:
        yield s
        assert s.external_requests() == [], "requests left the server: " + ", ".join(s.external_requests())
    finally:
        context.close()


@pytest.fixture
def fresh_session(
    browser: Any, fresh_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[PageSession]:
    """A browser page on a server of its own (see ``fresh_server``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    s = PageSession(context.new_page(), fresh_server, request.node.name)
    try:
        yield s
        assert s.external_requests() == []
    finally:
        context.close()


@pytest.fixture
def phone(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[PageSession]:
    """A 375 px wide touch screen."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    s = PageSession(page, live_server, request.node.name + "-phone")
    try:
        yield s
        assert s.external_requests() == []
    finally:
        context.close()
