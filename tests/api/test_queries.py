"""The query catalogue over HTTP: list, typed parameters, JSON and CSV, small counts hidden."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient


def test_list(client: TestClient) -> None:
    queries = client.get("/api/queries").json()
    names = {q["name"] for q in queries}
    assert {"missions-per-country", "respondents-per-country", "missions-by-challenge-field"} <= names
    field = next(q for q in queries if q["name"] == "missions-by-challenge-field")
    assert field["params"][0]["type"].startswith("code:")


def test_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/queries/missions-per-country").json()
    assert "missions" in body["variables"] and body["truncated"] is False
    counts = {r["code"]: r["missions"] for r in body["rows"]}
    assert isinstance(counts["GBR"], int) and counts["GBR"] >= 25  # alpha-3 codes, as in REST and CSV
    assert counts["IRL"] == "<5"  # one catalogue mission: hidden
    r = client.get("/api/queries/missions-per-country", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["code"]: row["missions"] for row in rows}["IRL"] == "<5"
    r = client.get("/api/queries/missions-per-country", headers={"accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")


def test_small_respondent_counts_are_hidden(client: TestClient) -> None:
    body = client.get("/api/queries/respondents-per-country").json()
    assert body["rows"] and all(
        r["respondents"] == "<5" for r in body["rows"]
    )  # one respondent in the test wave


def test_typed_parameters(client: TestClient) -> None:
    r = client.get("/api/queries/missions-by-challenge-field", params={"field": "health"})
    assert r.status_code == 200, r.text
    ok = r.json()
    assert ok["params"] == {"field": "health"} and ok["rows"]
    assert (
        client.get("/api/queries/missions-by-challenge-field", params={"field": "no-such-field"}).status_code
        == 400
    )
    r = client.get("/api/queries/missions-with-sdg", params={"goal": "thirteen"})
    assert r.status_code == 400 and "integer" in r.json()["detail"]
    assert client.get("/api/queries/missions-per-country", params={"bogus": "1"}).status_code == 400
    assert client.get("/api/queries/no-such-query").status_code == 404


def test_iri_parameters_take_prefixed_names_with_known_prefixes(client: TestClient) -> None:
    full = client.get(
        "/api/queries/recomputed-share",
        params={
            "property": "https://w3id.org/missiongraph/def#hasMonitoringPlan",
            "concept": "https://w3id.org/missiongraph/vocab/answer/yes",
        },
    ).json()
    short = client.get(
        "/api/queries/recomputed-share", params={"property": "mg:hasMonitoringPlan", "concept": "answer:yes"}
    )
    assert short.status_code == 200, short.text
    assert short.json()["rows"] == full["rows"]
    bracketed = client.get(
        "/api/queries/recomputed-share",
        params={"property": "<https://w3id.org/missiongraph/def#hasMonitoringPlan>", "concept": "answer:yes"},
    )
    assert bracketed.json()["rows"] == full["rows"]


def test_iri_parameters_refuse_anything_else_with_400(client: TestClient) -> None:
    for bad, words in [
        ("foo:hasMonitoringPlan", "unknown prefix foo:"),
        ("mg:hasMonitoringPlanX", "not a term of the ontology"),
        ("hasMonitoringPlan", "expected an IRI"),
        ("file:///etc/passwd", "expected an IRI"),
        ("http://exa mple.org/x", "not a valid IRI"),
    ]:
        r = client.get("/api/queries/recomputed-share", params={"property": bad})
        assert r.status_code == 400, bad
        assert r.headers["content-type"].startswith("application/problem+json")
        assert words in r.json()["detail"], (bad, r.json()["detail"])


def test_country_parameter_takes_alpha3_alpha2_or_name(client: TestClient) -> None:
    answers = [
        client.get("/api/queries/missions-by-country", params={"country": c}).json()["rows"]
        for c in ("GBR", "GB", "United Kingdom", "country:GBR")
    ]
    assert answers[0] and answers[0] == answers[1] == answers[2] == answers[3]
    r = client.get("/api/queries/missions-by-country", params={"country": "Atlantis"})
    assert r.status_code == 400 and "not a known country" in r.json()["detail"]
