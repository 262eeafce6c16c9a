"""A Lab upload over real HTTP lands in the on-disk store, and public SPARQL workers see it."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "base.csv"


def test_upload_then_query(lab: httpx.Client, http: httpx.Client) -> None:
    ask = "ASK { GRAPH <http://127.0.0.1:8000/graph/survey/2030> { ?s ?p ?o } }"
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is False
    with EXPORT.open("rb") as f:
        r = lab.post("/api/loads", files={"file": ("base.csv", f, "text/csv")}, data={"wave": "2030"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 120
    while True:
        body = lab.get(f"/api/loads/{job}").json()
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert body["status"] == "succeeded", body
    assert body["report"]["rows"] == 5
    # the read-only workers reopen the store after the write
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True
    emails = "SELECT ?m WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?m }"
    assert "example" not in http.get("/sparql", params={"query": emails}).text
    assert "example" in lab.get("/lab/sparql", params={"query": emails}).text
