"""Dumps: DCAT description with licence, files of the public graphs only."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi.testclient import TestClient

from tests.api.conftest import wait_for_dumps
from tests.support.stores import CANARY_EMAIL


def test_index_and_files(client: TestClient) -> None:
    wait_for_dumps(client)
    index = client.get("/dumps").json()
    assert index["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    names = {f["name"] for f in index["files"]}
    assert {"missiongraph.ttl", "missiongraph.nq", "missions.csv"} <= names
    for f in index["files"]:
        r = client.get(f["url"])
        assert r.status_code == 200 and r.headers["content-type"].startswith(f["media_type"])
        assert len(r.content) == f["bytes"] and CANARY_EMAIL.encode() not in r.content
    nq = client.get("/dumps/missiongraph.nq").content
    graphs = {q.graph_name.value for q in ox.parse(nq, format=ox.RdfFormat.N_QUADS)}
    assert graphs and not any(g.endswith("graph/restricted") for g in graphs)


def test_dcat_description(client: TestClient) -> None:
    wait_for_dumps(client)
    r = client.get("/dumps", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    store = ox.Store()
    store.load(r.content, format=ox.RdfFormat.TURTLE)
    dcat = "http://www.w3.org/ns/dcat#"
    assert store.query(
        f"ASK {{ ?d a <{dcat}Distribution> ; <{dcat}downloadURL> ?u ; "
        f"<http://purl.org/dc/terms/license> ?l }}"
    )
    assert client.get("/dumps/catalog.ttl").status_code == 200
    assert client.get("/dumps/secret.txt").status_code == 404
    assert client.get("/dumps/..%2Fstore").status_code == 404
