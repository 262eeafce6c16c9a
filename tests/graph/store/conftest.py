"""Every backend as one parametrised fixture: memory, oxigraph on disk, remote oxigraph, remote Virtuoso."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import OxigraphStore, Store
from graph.store.remote import RemoteStore
from tests.support.servers import Endpoint  # the server fixtures come from tests/conftest.py

BACKENDS = [
    "memory",
    "oxigraph",
    "remote-oxigraph",
    pytest.param("remote-virtuoso", marks=pytest.mark.virtuoso),
]


def wipe(store: RemoteStore) -> None:
    """Drop every graph this store owns (and its write marks) so that each test starts empty."""
    graphs = [g for g, _ in store._graphs()] + ["urn:missiongraph:meta"]
    store._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def remote(endpoint: Endpoint) -> Iterator[RemoteStore]:
    store = RemoteStore(**endpoint.store_kwargs())
    wipe(store)
    try:
        yield store
    finally:
        wipe(store)
        store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    kind = request.param
    if kind == "memory":
        yield OxigraphStore(None)
    elif kind == "oxigraph":
        disk = OxigraphStore(tmp_path / "store")
        yield disk
        disk.close()
    elif kind == "remote-oxigraph":
        yield from remote(request.getfixturevalue("oxigraph_endpoint"))
    else:
        yield from remote(request.getfixturevalue("virtuoso_endpoint"))
