"""Predeclared prefixes work without PREFIX lines; bad queries come back as one actionable line.

The same line comes from the /sparql endpoint (problem+json ``detail``) and the CLI (stderr); the
parser's own message stays in ``parser_message``.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app as cli_app
from ontology.prefixes import PREDECLARED, SCHEME_PREFIXES, prefix_map
from ontology.vocab import SCHEMES, concept

JSON = {"Accept": "application/sparql-results+json"}


@pytest.mark.parametrize("prefix", PREDECLARED, ids=lambda p: p.name)
def test_prefix_free_query_runs_for_every_predeclared_prefix(client: TestClient, prefix) -> None:  # type: ignore[no-untyped-def]
    query = f"SELECT ?iri WHERE {{ BIND(STR({prefix.example}) AS ?iri) }}"
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    local = prefix.example.split(":", 1)[1]
    assert r.json()["results"]["bindings"][0]["iri"]["value"] == prefix.namespace + local


def test_scheme_prefixes_name_real_concepts(client: TestClient) -> None:
    assert set(SCHEME_PREFIXES) == set(SCHEMES)
    for p in PREDECLARED:
        scheme = next((s for s, name in SCHEME_PREFIXES.items() if name == p.name), None)
        if scheme is not None:
            assert concept(scheme, p.example.split(":", 1)[1]) is not None, p.example
    # the form the docs use: answer:yes, and answer: is the scheme (v:answer/yes is not valid SPARQL)
    r = client.get(
        "/sparql",
        params={"query": "ASK { answer:yes skos:inScheme answer: ; skos:notation ?n }"},
        headers=JSON,
    )
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_query_may_redeclare_a_predeclared_prefix(client: TestClient) -> None:
    query = "PREFIX mg: <http://example.org/other#> SELECT ?iri WHERE { BIND(STR(mg:x) AS ?iri) }"
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.json()["results"]["bindings"][0]["iri"]["value"] == "http://example.org/other#x"


def test_mission_query_without_prefix_lines(client: TestClient) -> None:
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a mg:Mission ; dct:title ?t }"
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_service_description_lists_the_predeclared_prefixes(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    for name, namespace in prefix_map().items():
        assert f'sh:prefix "{name}"' in r.text and f'"{namespace}"^^xsd:anyURI' in r.text


#: the five kinds of mistake: query, its kind, (line, column) in the text as written, words of the hint
BAD_QUERIES = [
    ("SELECT ?m WHERE { ?m a mgx:Mission }", "unknown-prefix", (1, 24), "did you mean mg:?"),
    ("SELECT ?m ?nmae WHERE {\n  ?m dct:title ?name\n}", "unbound-variable", (1, 11), "did you mean ?name?"),
    (
        "SELECT ?m (COUNT(?f) AS ?n) WHERE { ?m mg:challengeField ?f }",
        "missing-group-by",
        (1, 8),
        "add GROUP BY ?m",
    ),
    ("SELEC ?m WHERE { ?m a mg:Mission }", "syntax", (1, 1), "did you mean SELECT?"),
    ("SELECT ?m WHERE {\n  ?m a mg:Mission .\n  FILTER(?m != mg:x }", "unbalanced", (3, 21), "close the '('"),
]


@pytest.mark.parametrize(("query", "kind", "position", "hint"), BAD_QUERIES, ids=[b[1] for b in BAD_QUERIES])
def test_server_answers_one_line_with_position_and_hint(
    client: TestClient, query: str, kind: str, position: tuple[int, int], hint: str
) -> None:
    r = client.post("/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert "\n" not in body["detail"]
    assert body["detail"].startswith(f"line {position[0]}, column {position[1]}: ")
    assert hint in body["detail"] and hint in body["hint"]
    assert (body["problem"], body["line"], body["column"]) == (kind, *position)
    if kind not in ("unbound-variable", "unknown-prefix"):  # the parser accepts or never sees these
        assert body["parser_message"]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.graph.ingest.exports import BASE

    data_dir = tmp_path_factory.mktemp("cli") / "var"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MISSIONGRAPH_DATA_DIR", str(data_dir))
        mp.setenv("MISSIONGRAPH_STORE", "oxigraph")
        runner = CliRunner()

        def invoke(*args: str):  # type: ignore[no-untyped-def]
            return runner.invoke(cli_app, list(args), catch_exceptions=False)

        assert invoke("load", str(BASE)).exit_code == 0  # a store with data: the CLI refuses an empty one
        yield invoke


@pytest.mark.parametrize(("query", "kind", "position", "hint"), BAD_QUERIES, ids=[b[1] for b in BAD_QUERIES])
def test_cli_prints_the_same_line_as_the_server(
    client: TestClient, cli, query: str, kind: str, position: tuple[int, int], hint: str
) -> None:  # type: ignore[no-untyped-def]
    result = cli("query", query)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    server = client.post("/sparql", data={"query": query}, headers=JSON).json()["detail"]
    assert lines[0] == f"error: bad query: {server}"


def test_cli_predeclares_the_same_prefixes(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("query", "SELECT ?iri WHERE { BIND(STR(risk:silos) AS ?iri) }", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/missiongraph/vocab/risk/silos" in result.stdout
