"""Lab access (bearer tokens stored hashed), rate limits, and load jobs."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import is_lab_token, token_digest
from tests.support.settings import LAB, make_settings
from tests.support.stores import CANARY_EMAIL, RESPONDENT, small_store

MBOX = "SELECT ?m WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?m }"


def test_token_check() -> None:
    digests = [token_digest("a"), token_digest("b")]
    assert is_lab_token("b", digests) and not is_lab_token("c", digests) and not is_lab_token("a", [])
    assert is_lab_token("a", [token_digest("a").upper()])  # hex case does not matter


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}])
def test_lab_routes_need_a_valid_token(client: TestClient, headers: dict[str, str]) -> None:
    for r in (
        client.get(f"/api/lab/respondents/{RESPONDENT}", headers=headers),
        client.get("/lab/sparql", params={"query": MBOX}, headers=headers),
        client.get("/api/loads/" + "0" * 32, headers=headers),
    ):
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert CANARY_EMAIL not in r.text


def test_lab_sees_contact_of_consenting_respondent(client: TestClient) -> None:
    body = client.get(f"/api/lab/respondents/{RESPONDENT}", headers=LAB).json()
    assert body["contact"]["email"] == CANARY_EMAIL
    r = client.get("/lab/sparql", params={"query": MBOX}, headers=LAB)
    assert CANARY_EMAIL in r.text
    # ... and the lab endpoint is query-only too
    assert client.post("/lab/sparql", data={"update": "CLEAR ALL"}, headers=LAB).status_code == 403


def test_rate_limit_answers_429_with_retry_after(tmp_path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=3), store=small_store())
    with TestClient(app) as c:
        codes = [c.get("/sparql", params={"query": "ASK {}"}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = c.get("/sparql", params={"query": "ASK {}"})
        assert r.headers["content-type"] == "application/problem+json" and int(r.headers["retry-after"]) >= 1
        assert c.get("/api/missions").status_code == 200  # cheap routes are not limited
        assert c.get("/api/search", params={"q": "health"}).status_code == 429  # search is expensive


def _wait(client: TestClient, job: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = client.get(f"/api/loads/{job}", headers=LAB).json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError("the load job did not finish")


def test_load_job_success_and_failure(tmp_path) -> None:
    app = create_app(make_settings(tmp_path, upload_max_bytes=100_000), store=small_store())
    with TestClient(app) as c:
        with open("tests/fixtures/exports/base.csv", "rb") as f:
            r = c.post(
                "/api/loads", files={"file": ("base.csv", f, "text/csv")}, data={"wave": "2022"}, headers=LAB
            )
        assert r.status_code == 202 and r.headers["location"] == f"/api/loads/{r.json()['id']}"
        done = _wait(c, r.json()["id"])
        assert done["status"] == "succeeded" and done["progress"] == 1.0
        assert done["report"]["rows"] == 5 and done["report"]["triples_added"] > 0
        q = "ASK { GRAPH <http://127.0.0.1:8000/graph/survey/2022> { ?s ?p ?o } }"
        assert c.get("/sparql", params={"query": q}).json()["boolean"] is True  # workers see the new data
        # the report tells the truth: phases with counts, ISO 8601 times, the file's name only
        assert [(p["name"], p["status"]) for p in done["phases"]] == [
            ("read", "done"), ("validate", "done"), ("write", "done"), ("index", "done"),
        ]  # fmt: skip
        assert {p["name"]: p["total"] for p in done["phases"]}["validate"] == 5
        for stamp in (
            done["created"],
            done["started"],
            done["finished"],
            *(p["finished"] for p in done["phases"]),
        ):
            assert datetime.fromisoformat(stamp).tzinfo is not None
        assert done["file"] == done["report"]["file"] == "base.csv" and str(tmp_path) not in str(done)
        assert done["report"]["contacts_dropped"] == 1 and done["report"]["contacts_kept"] == 2
        assert done["report"]["disclosure"]["respondents"] == 5
        # index counts are what search can return now: every new searchable item is counted
        index = done["report"]["index"]
        assert index["added"] >= 1 and index["searchable"] >= index["added"]
        assert c.get("/api/search", params={"limit": 1}).json()["total"] == index["searchable"]

        bad = b"respondent_id,country\nr1,ZZ\n"
        r = c.post("/api/loads", files={"file": ("bad.csv", bad, "text/csv")}, headers=LAB)
        failed = _wait(c, r.json()["id"])
        assert failed["status"] == "failed" and failed["problems"]
        assert all(p["file"] == "bad.csv" for p in failed["problems"])
        assert any(p.get("column") == "sector" for p in failed["problems"])

        r = c.post("/api/loads", files={"file": ("big.csv", b"x" * 100_001, "text/csv")}, headers=LAB)
        assert r.status_code == 413
        assert (
            c.post("/api/loads", files={"file": ("a.csv", b"", "text/csv")}, headers=LAB).status_code == 400
        )
        assert c.post("/api/loads", files={"file": ("a.csv", b"x", "text/csv")}).status_code == 401
        assert c.get("/api/loads/" + "f" * 32, headers=LAB).status_code == 404
