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
    assert isinstance(counts["GB"], int) and counts["GB"] >= 25
    assert counts["AT"] == "<5"  # one catalogue mission: hidden
    r = client.get("/api/queries/missions-per-country", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["code"]: row["missions"] for row in rows}["AT"] == "<5"
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
