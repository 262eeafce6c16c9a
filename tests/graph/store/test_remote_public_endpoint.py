"""The service's public SPARQL endpoint over a remote store: the restricted canary never shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graph.store.remote import RemoteStore
from tests.e2e.test_canary import SECRETS, SPARQL_ATTEMPTS
from tests.support.servers import Endpoint
from tests.support.settings import LAB_TOKEN, make_settings
from tests.support.stores import CANARY_EMAIL, fill
from tests.support.uvicorn_server import running_server, wait_ok

SERVERS = ["oxigraph_endpoint", pytest.param("virtuoso_endpoint", marks=pytest.mark.virtuoso)]


@pytest.fixture(scope="module", params=SERVERS)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    endpoint: Endpoint = request.getfixturevalue(request.param)
    store = RemoteStore(**endpoint.store_kwargs(timeout=60))
    graphs = [g for g, _ in store._graphs()] + ["urn:missiongraph:meta"]
    store._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    fill(store)
    tmp: Path = tmp_path_factory.mktemp("remote-service")
    settings = make_settings(tmp, store="remote", sparql_timeout=10.0)
    try:
        with running_server(create_app(settings, store=store)) as base:
            wait_ok(f"{base}/health", timeout=180)
            yield base
    finally:
        store._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g, _ in store._graphs()))
        store.close()


def test_the_canary_is_in_the_remote_store(service: str) -> None:
    with httpx.Client(base_url=service, timeout=30) as lab:
        r = lab.get(
            "/lab/sparql",
            params={"query": "SELECT ?m WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?m }"},
            headers={"Authorization": f"Bearer {LAB_TOKEN}"},
        )
    assert r.status_code == 200 and CANARY_EMAIL in r.text


@pytest.mark.parametrize("query", SPARQL_ATTEMPTS)
def test_public_sparql_never_shows_restricted_data(service: str, query: str) -> None:
    with httpx.Client(base_url=service, timeout=30) as http:
        for accept in ("application/sparql-results+json", "text/csv", "application/n-triples"):
            r = http.post("/sparql", data={"query": query}, headers={"accept": accept})
            assert r.status_code in (200, 406), (query, accept, r.status_code, r.text[:300])
            for secret in SECRETS:
                assert secret not in r.text, (secret, query, accept)


def test_public_sparql_answers_from_the_remote_store(service: str) -> None:
    with httpx.Client(base_url=service, timeout=30) as http:
        r = http.post(
            "/sparql",
            data={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/missiongraph/def#Mission> }"
            },
            headers={"accept": "application/sparql-results+json"},
        )
    assert r.status_code == 200
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 100  # the catalogue's 109 missions
