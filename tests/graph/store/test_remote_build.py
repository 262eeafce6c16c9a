"""The real build from data/ into a remote store holds exactly what the embedded build holds."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph.build import build_store
from graph.stats import figures_report
from graph.store import OxigraphStore, Store
from graph.store.remote import RemoteStore
from tests.support import IRIS
from tests.support.servers import Endpoint

SERVERS = ["oxigraph_endpoint", pytest.param("virtuoso_endpoint", marks=pytest.mark.virtuoso)]


@pytest.fixture(scope="module")
def embedded() -> Store:
    store = OxigraphStore(None)
    build_store(store, IRIS)
    return store


@pytest.fixture(scope="module", params=SERVERS)
def built(request: pytest.FixtureRequest) -> Iterator[tuple[str, RemoteStore]]:
    endpoint: Endpoint = request.getfixturevalue(request.param)
    store = RemoteStore(**endpoint.store_kwargs(timeout=120))
    build_store(store, IRIS, rebuild=True)
    try:
        yield endpoint.name, store
    finally:
        store._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g, _ in store._graphs()))
        store.close()


def test_same_graphs_and_same_quads(built: tuple[str, RemoteStore], embedded: Store) -> None:
    _, remote = built
    assert remote.named_graphs() == embedded.named_graphs()
    for graph in embedded.named_graphs():
        assert remote.count(graph) == embedded.count(graph), graph
    assert set(remote.dump(ox.RdfFormat.N_QUADS).splitlines()) == set(
        embedded.dump(ox.RdfFormat.N_QUADS).splitlines()
    )


def test_same_figures(built: tuple[str, RemoteStore], embedded: Store) -> None:
    # The recomputed-figure queries cast the count to xsd:decimal: Virtuoso divides integers as integers.
    _, remote = built
    assert figures_report(remote, IRIS) == figures_report(embedded, IRIS)
