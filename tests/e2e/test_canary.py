"""A unique e-mail address planted in restricted data never appears in any public answer."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.stores import BASE, CANARY_EMAIL, RESPONDENT

SECRETS = (CANARY_EMAIL, "canary-7f3e9b2c", "Canary Person", "Canary Org")
RESTRICTED = f"{BASE}graph/restricted"
PERSON = f"{BASE}id/respondent/{RESPONDENT}"
FOAF = "http://xmlns.com/foaf/0.1/"

SPARQL_ATTEMPTS = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT * WHERE {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}",
    f"SELECT * FROM <{RESTRICTED}> WHERE {{ ?s ?p ?o }}",
    f"SELECT * FROM NAMED <{RESTRICTED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    f"SELECT * FROM <{RESTRICTED}> FROM NAMED <{RESTRICTED}> "
    "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    f"DESCRIBE <{PERSON}>",
    f"DESCRIBE ?x WHERE {{ ?x <{FOAF}mbox> ?m }}",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"CONSTRUCT {{ <{PERSON}> ?p ?o }} FROM <{RESTRICTED}> WHERE {{ <{PERSON}> ?p ?o }}",
    f"SELECT ?m WHERE {{ ?s <{FOAF}mbox> ?m }}",
    'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "canary")) }',
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
    f"ASK {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}",
    "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { GRAPH <urn:missiongraph:meta> { ?s ?p ?o } }",
]
ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
]


def _clean(response: httpx.Response, what: str) -> None:
    text = response.text
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked through {what}"


def test_the_canary_is_planted(lab: httpx.Client) -> None:
    """Without this, the other tests could pass on an empty restricted graph."""
    r = lab.get("/lab/sparql", params={"query": f"SELECT ?m WHERE {{ ?s <{FOAF}mbox> ?m }}"})
    assert CANARY_EMAIL in r.text
    assert lab.get(f"/api/lab/respondents/{RESPONDENT}").json()["contact"]["email"] == CANARY_EMAIL


@pytest.mark.parametrize("query", SPARQL_ATTEMPTS)
def test_sparql_never_shows_restricted_data(http: httpx.Client, query: str) -> None:
    for accept in ACCEPTS:
        for r in (
            http.get("/sparql", params={"query": query}, headers={"accept": accept}),
            http.post("/sparql", data={"query": query}, headers={"accept": accept}),
        ):
            assert r.status_code in (200, 406), (query, accept, r.status_code, r.text[:200])
            _clean(r, f"/sparql {query!r} as {accept}")
    r = http.get("/sparql", params={"query": query, "default-graph-uri": RESTRICTED})
    assert r.status_code == 403
    _clean(r, "default-graph-uri")
    r = http.get("/sparql", params={"query": query, "named-graph-uri": RESTRICTED})
    assert r.status_code == 403


def test_service_description_does_not_list_the_restricted_graph(http: httpx.Client) -> None:
    r = http.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and "graph/restricted" not in r.text


def test_rest_linked_data_dumps_and_search(http: httpx.Client) -> None:
    urls = [
        f"/api/respondents/{RESPONDENT}",
        "/api/missions?limit=200",
        "/api/missions/dk-innomission-greenfuels",
        "/api/stats",
        "/api/schemes",
        "/api/concepts",
        "/api/queries",
        "/openapi.json",
        "/health",
        "/dumps",
        "/def",
        f"/id/respondent/{RESPONDENT}",
        f"/id/response/2021/{RESPONDENT}",
        "/id/organisation/danish-design-centre",
        "/",
        "/missions/dk-innomission-greenfuels",
        "/api/missions/dk-innomission-greenfuels/peers",
        "/api/missions/dk-innomission-greenfuels/helpers",
        "/api/analytics/communities",
        "/api/analytics/cooccurrence",
    ]
    for q in ("canary", "Canary", "restricted.example", "mbox", "Person", "Org"):
        urls += [f"/api/search?q={q}", f"/search?q={q}"]
    for url in urls:
        for accept in ("application/json", "text/html", "text/turtle", "application/ld+json"):
            r = http.get(url, headers={"accept": accept})
            assert r.status_code < 500, (url, accept, r.status_code, r.text[:300])
            _clean(r, f"{url} as {accept}")
    # searching for a secret itself: the answer echoes the query, everything else must be clean
    for q in SECRETS:
        body = http.get("/api/search", params={"q": q}).json()
        assert body.pop("query") == q
        assert q not in json.dumps(body, ensure_ascii=False), f"{q!r} leaked through search"
    for f in http.get("/dumps").json()["files"]:
        _clean(http.get(f["url"]), f["url"])
    _clean(http.get("/dumps", headers={"accept": "text/turtle"}), "DCAT")
    for q in http.get("/api/queries").json():
        for fmt in ("json", "csv"):
            r = http.get(f"/api/queries/{q['name']}", params={"format": fmt})
            assert r.status_code == 200, (q["name"], r.text[:200])
            _clean(r, f"named query {q['name']}")
