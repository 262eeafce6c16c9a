"""A real uvicorn server on 127.0.0.1 over an on-disk store: the test dataset with a restricted canary."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from tests.support.settings import LAB_TOKEN, make_settings
from tests.support.stores import small_store
from tests.support.uvicorn_server import running_server, wait_ok

#: the server's default (and maximum) SPARQL timeout in these tests, seconds
TIMEOUT = 3.0


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e")
    store = small_store(tmp / "store")
    settings = make_settings(tmp, store="oxigraph", sparql_timeout=TIMEOUT, sparql_workers=2)
    app = create_app(settings, store=store)
    with running_server(app) as base:
        wait_ok(f"{base}/health", timeout=120)  # the writer builds the search index in the background
        wait_ok(f"{base}/dumps", timeout=120)  # and writes the dumps of the store's state
        yield base
    store.close()


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture
def lab(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30, headers={"Authorization": f"Bearer {LAB_TOKEN}"}) as c:
        yield c
