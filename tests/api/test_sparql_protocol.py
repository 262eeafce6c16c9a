"""SPARQL 1.1 Protocol cases that apply to a query-only endpoint: methods, media types, errors, refusals."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tests.support.stores import BASE

SELECT = (
    "SELECT ?m ?title WHERE { ?m a <https://w3id.org/missiongraph/def#Mission> ; "
    "<http://purl.org/dc/terms/title> ?title } ORDER BY ?m LIMIT 3"
)
ASK = "ASK { ?m a <https://w3id.org/missiongraph/def#Mission> }"
CONSTRUCT = (
    "CONSTRUCT { ?m <http://purl.org/dc/terms/title> ?t } "
    "WHERE { ?m <http://purl.org/dc/terms/title> ?t } LIMIT 5"
)
DESCRIBE = f"DESCRIBE <{BASE}id/mission/eu-mission-cancer>"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def _bindings(response) -> list[dict]:
    return response.json()["results"]["bindings"]


# --- query operation: three ways to send a query -----------------------------------------------------
def test_get(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    rows = _bindings(r)
    assert len(rows) == 3 and rows[0]["m"]["type"] == "uri"


def test_post_form(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": SELECT})
    assert r.status_code == 200 and len(_bindings(r)) == 3


def test_post_direct(client: TestClient) -> None:
    r = client.post("/sparql", content=SELECT.encode(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 200 and len(_bindings(r)) == 3


def test_post_direct_with_charset(client: TestClient) -> None:
    r = client.post(
        "/sparql", content=ASK.encode(), headers={"content-type": "application/sparql-query; charset=utf-8"}
    )
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_post_other_media_type_is_415(client: TestClient) -> None:
    r = client.post("/sparql", content=SELECT.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert r.headers["content-type"] == "application/problem+json"


def test_two_queries_is_400(client: TestClient) -> None:
    r = client.get("/sparql", params=[("query", ASK), ("query", ASK)])
    assert r.status_code == 400


def test_direct_post_with_query_in_url_is_400(client: TestClient) -> None:
    r = client.post(
        "/sparql",
        params={"query": ASK},
        content=ASK.encode(),
        headers={"content-type": "application/sparql-query"},
    )
    assert r.status_code == 400


# --- result formats by Accept ---------------------------------------------------------------------------
def test_select_xml(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(r.content)
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["m", "title"]
    assert len(list(root.iter(f"{SRX}result"))) == 3


def test_select_csv_and_tsv(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["m", "title"] and len(rows) == 4 and rows[1][0].startswith(BASE)
    r = client.get("/sparql", params={"query": SELECT}, headers={"accept": "text/tab-separated-values"})
    lines = r.text.strip().split("\n")
    assert lines[0] == "?m\t?title" and lines[1].startswith(f"<{BASE}")


def test_csv_neutralises_formulas(client: TestClient) -> None:
    q = 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(\\"http://evil\\")" "+1" "plain" } }'
    r = client.get("/sparql", params={"query": q}, headers={"accept": "text/csv"})
    values = [row[0] for row in csv.reader(io.StringIO(r.text))][1:]
    assert values == ['\'=HYPERLINK("http://evil")', "'+1", "plain"]


def test_ask_json_and_xml(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": ASK}).json() == {"head": {}, "boolean": True}
    r = client.get("/sparql", params={"query": ASK}, headers={"accept": "application/sparql-results+xml"})
    assert ET.fromstring(r.content).find(f"{SRX}boolean").text == "true"


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats(client: TestClient, media: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert len(list(ox.parse(r.content, format=fmt))) == 5


def test_describe(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": DESCRIBE}, headers={"accept": "text/turtle"})
    triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("eu-mission-cancer") for t in triples)


def test_accept_q_values_and_wildcards(client: TestClient) -> None:
    r = client.get(
        "/sparql",
        params={"query": SELECT},
        headers={"accept": "application/sparql-results+json;q=0.5, text/csv"},
    )
    assert r.headers["content-type"].startswith("text/csv")
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "*/*"})
    assert r.headers["content-type"].startswith("text/turtle")
    r = client.get("/sparql", params={"query": SELECT, "format": "xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/turtle"),
        (ASK, "text/csv"),
        (CONSTRUCT, "application/sparql-results+json"),
        (SELECT, "image/png"),
    ],
)
def test_not_acceptable_is_406(client: TestClient, query: str, accept: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert r.status_code == 406
    assert r.headers["content-type"] == "application/problem+json"


# --- bad queries and refusals ---------------------------------------------------------------------------
def test_syntax_error_is_400_with_parser_message(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == 400 and body["detail"].startswith("line 1, column 16: ")
    assert "error at" in body["parser_message"]  # pyoxigraph's own message, kept aside


def test_not_a_query_is_400(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "hello"}).status_code == 400
    assert client.get("/sparql", params={"query": ""}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://127.0.0.1:8000/graph/catalogue>",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service   silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { # comment\n SeRvIcE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
        "SELECT * FROM <ftp://example.org/x> WHERE { ?s ?p ?o }",
    ],
)
def test_refused_operations_are_403(client: TestClient, query: str) -> None:
    for r in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"}),
    ):
        assert r.status_code == 403, (query, r.text)
        body = r.json()
        assert body["type"].endswith("forbidden-query") and body["detail"]


def test_keywords_inside_strings_are_not_refused(client: TestClient) -> None:
    q = 'SELECT ?x WHERE { VALUES ?x { "SERVICE INSERT LOAD" } }'
    assert _bindings(client.get("/sparql", params={"query": q}))[0]["x"]["value"] == "SERVICE INSERT LOAD"


def test_update_parameter_and_update_media_type_are_refused(client: TestClient) -> None:
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 403
    r = client.post("/sparql", content=b"CLEAR ALL", headers={"content-type": "application/sparql-update"})
    assert r.status_code == 403
    # nothing was cleared
    assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


def test_pyoxigraph_would_reach_the_network_for_service() -> None:
    """Why SERVICE must be refused before evaluation: the store's engine tries to resolve the host."""
    store = ox.Store()
    with pytest.raises(OSError):
        list(
            store.query(
                "SELECT * WHERE { SERVICE <http://missiongraph-no-such-host.invalid/sparql> { ?s ?p ?o } }"
            )
        )


# --- dataset ---------------------------------------------------------------------------------------------
def test_protocol_dataset_overrides_from(client: TestClient) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": f"{BASE}graph/catalogue"})
    assert [b["g"]["value"] for b in _bindings(r)] == [f"{BASE}graph/catalogue"]
    r = client.get("/sparql", params={"query": q})
    graphs = {b["g"]["value"] for b in _bindings(r)}
    assert f"{BASE}graph/catalogue" in graphs and f"{BASE}graph/restricted" not in graphs


def test_protocol_dataset_cannot_name_the_restricted_graph(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ASK, "default-graph-uri": f"{BASE}graph/restricted"})
    assert r.status_code == 403


def test_from_clause_selects_a_public_graph(client: TestClient) -> None:
    q = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/figures> WHERE {{ ?s ?p ?o }}"
    n = int(_bindings(client.get("/sparql", params={"query": q}))[0]["n"]["value"])
    q_all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n_all = int(_bindings(client.get("/sparql", params={"query": q_all}))[0]["n"]["value"])
    assert 0 < n < n_all


# --- service description, row cap, timeout --------------------------------------------------------------
def test_service_description(client: TestClient) -> None:
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    store = ox.Store()
    store.load(r.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert store.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> }}")
    names = {row["n"].value for row in store.query(f"SELECT ?n WHERE {{ ?x <{sd}name> ?n }}")}
    assert f"{BASE}graph/catalogue" in names and f"{BASE}graph/restricted" not in names
    r = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert r.status_code == 200 and json.loads(r.content)


def test_row_cap_is_stated(tmp_path) -> None:
    from api.app import create_app
    from tests.support.settings import make_settings
    from tests.support.stores import small_store

    app = create_app(make_settings(tmp_path, sparql_row_cap=7), store=small_store())
    with TestClient(app) as c:
        q = "SELECT ?s WHERE { ?s ?p ?o }"
        r = c.get("/sparql", params={"query": q})
        assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-row-cap"] == "7"
        assert r.json()["truncated"] is True and len(_bindings(r)) == 7
        r = c.get("/sparql", params={"query": q + " LIMIT 3"})
        assert r.headers["x-result-truncated"] == "false" and "truncated" not in r.json()


SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {' '.join(str(j) for j in range(40))} }}" for i in range(8))
    + " }"
)


def test_timeout_parameter_stops_the_query(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SLOW, "timeout": "0.5"})
    assert r.status_code == 503
    assert r.json()["type"].endswith("query-timeout")
    # the endpoint still answers afterwards (the worker was replaced)
    assert client.get("/sparql", params={"query": ASK}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "-1", "0"])
def test_bad_timeout_is_rejected(client: TestClient, value: str) -> None:
    r = client.get("/sparql", params={"query": ASK, "timeout": value})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"


# --- the restricted graph stays out, on every path of the answer -----------------------------------------
_MBOX = "<http://xmlns.com/foaf/0.1/mbox>"
_RESTRICTED_READS = [
    f"SELECT ?m WHERE {{ ?s {_MBOX} ?m }}",  # the default graph (the public graphs, never their union)
    f"SELECT ?g ?m WHERE {{ GRAPH ?g {{ ?s {_MBOX} ?m }} }}",
    f"SELECT ?m FROM <{BASE}graph/restricted> WHERE {{ ?s {_MBOX} ?m }}",
    f"SELECT ?m FROM NAMED <{BASE}graph/restricted> WHERE {{ GRAPH ?g {{ ?s {_MBOX} ?m }} }}",
    f"SELECT ?m WHERE {{ GRAPH <{BASE}graph/restricted> {{ ?s ?p ?m }} }}",
    "SELECT ?g WHERE { GRAPH ?g { } }",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT ?m WHERE {{ {{ ?s {_MBOX} ?m }} UNION {{ GRAPH ?g {{ ?s {_MBOX} ?m }} }} }}",
    f"ASK {{ GRAPH ?g {{ ?s {_MBOX} ?m }} }}",
    f"CONSTRUCT {{ ?s {_MBOX} ?m }} WHERE {{ GRAPH ?g {{ ?s {_MBOX} ?m }} }}",
]


@pytest.mark.parametrize("query", _RESTRICTED_READS)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_public_endpoint_never_reads_the_restricted_graph(client: TestClient, query: str, fmt: str) -> None:
    """Whatever the query names (GRAPH ?g, FROM, FROM NAMED, the default graph) and whichever serialiser
    writes the answer, neither the restricted graph's data nor its name nor the bookkeeping graph shows."""
    from tests.support.stores import CANARY_EMAIL

    form = "ASK" if query.startswith("ASK") else "CONSTRUCT" if query.startswith("CONSTRUCT") else "SELECT"
    if form != "SELECT" and fmt in ("csv", "tsv"):
        fmt = "json" if form == "ASK" else "ntriples"
    if form == "CONSTRUCT":
        fmt = {"json": "jsonld", "xml": "rdfxml", "csv": "turtle", "tsv": "ntriples"}.get(fmt, fmt)
    r = client.get("/sparql", params={"query": query, "format": fmt})
    assert r.status_code == 200, r.text
    assert CANARY_EMAIL not in r.text and "mailto:" not in r.text
    assert f"{BASE}graph/restricted" not in r.text and "urn:missiongraph:meta" not in r.text
    if form == "ASK":
        assert '"boolean":false' in r.text.replace(" ", "") or "<boolean>false</boolean>" in r.text
    # the Lab endpoint, same query: the canary is there (the test would notice a canary gone missing)
    if "mbox" in query and form == "SELECT" and "FROM <" not in query and "FROM NAMED" not in query:
        lab = client.get("/lab/sparql", params={"query": query, "format": fmt}, headers=_lab())
        assert lab.status_code == 200 and CANARY_EMAIL in lab.text


def _lab() -> dict[str, str]:
    from tests.api.conftest import LAB

    return LAB


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_cuts_every_format_and_a_larger_limit(tmp_path, fmt: str) -> None:
    """The store serialises answers under the cap; at the cap the answer is cut and marked, also when the
    query's own LIMIT is larger or sits before a trailing VALUES clause."""
    from api.app import create_app
    from tests.api.conftest import make_settings
    from tests.support.stores import small_store

    app = create_app(make_settings(tmp_path, sparql_row_cap=7), store=small_store())
    queries = {
        "SELECT ?s WHERE { ?s ?p ?o }": True,
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000": True,
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 2": True,
        "SELECT ?s ?p WHERE { ?s ?p ?o } VALUES ?p { <http://purl.org/dc/terms/title> }": True,
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000 } }": True,
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7": False,
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3": False,
    }
    with TestClient(app) as c:
        for query, cut in queries.items():
            r = c.get("/sparql", params={"query": query, "format": fmt})
            assert r.status_code == 200, (query, r.text)
            assert r.headers["x-result-truncated"] == ("true" if cut else "false"), query
            if fmt == "json":
                rows = len(_bindings(r))
            elif fmt == "xml":
                rows = len(ET.fromstring(r.content).findall(f".//{SRX}result"))
            elif fmt == "csv":
                rows = len(list(csv.reader(io.StringIO(r.text)))) - 1
            else:
                rows = len(r.text.rstrip("\n").split("\n")) - 1
            assert rows == (7 if cut else int(query.rsplit(" ", 1)[1])), query
