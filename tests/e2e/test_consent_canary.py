"""Consent at the door: contact details of respondents who did not consent are never stored, so no output
shows them — every route of the service (public and Lab, with a token), SPARQL over every graph including
the restricted one in every format, the dumps, an export of the store files, the search index and the CLI.

An export with unique canary strings is loaded through the Lab's upload (the real ingest path). A
consenting respondent's canary is the positive control: it must be found in the Lab's outputs, so the
search for the others is known to look in the right places.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi.routing import APIRoute
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli_app
from graph.iris import Iris
from ontology.vocab import concepts
from tests.graph.ingest.exports import base_table
from tests.support.settings import LAB_TOKEN, make_settings
from tests.support.stores import small_store
from tests.support.uvicorn_server import running_server, wait_ok

WAVE = "2031"
#: respondent id -> (name, e-mail, phone, organisation) of people who did NOT consent
DROPPED = {
    "r002": ("Quillon Vexmark", "quillon.4b7e1@nonconsent.example", "+45 7031 9926", "Vexmark Canary Bureau"),
    "r003": ("Oriel Zanthorpe", "oriel.9c2d3@nonconsent.example", "+46 8813 4471", "Zanthorpe Canary Lab"),
    "r005": ("Ysolde Karrigan", "ysolde.e5f60@nonconsent.example", "+33 6620 5538", "Karrigan Canary Trust"),
}
#: a consenting respondent: the positive control
KEPT = ("Tamsin Orlebar", "tamsin.a1b2c@consent.example", "+45 5512 8834", "Orlebar Design Office")


def _needles(values: tuple[str, str, str, str]) -> list[str]:
    name, email, phone, org = values
    digits = re.sub(r"[^0-9]", "", phone)
    return [name, name.split()[1], email, email.split("@")[0], digits, org]


SECRETS = [s for values in DROPPED.values() for s in _needles(values)]


def _export(tmp: Path) -> Path:
    header, rows = base_table()
    for row in rows:
        values = DROPPED.get(row["respondent_id"]) or (KEPT if row["respondent_id"] == "r001" else None)
        if values is None:
            continue
        row["name"], row["email"], row["phone"], row["organisation"] = values
        if row["respondent_id"] == "r003":
            row["consent_contact"] = ""  # no answer is no consent
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp / "canary-export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


class Collected:
    """Every output gathered, by where it came from."""

    def __init__(self) -> None:
        self.outputs: dict[str, str] = {}

    def add(self, where: str, text: str | bytes) -> None:
        self.outputs[where] = text.decode("utf-8", "replace") if isinstance(text, bytes) else text

    def leaks(self, needles: list[str]) -> list[tuple[str, str]]:
        return [(n, where) for where, text in self.outputs.items() for n in needles if n in text]


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Collected, dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("canary")
    export = _export(tmp)
    store = small_store(tmp / "store")
    settings = make_settings(tmp, store="oxigraph", sparql_workers=1)
    app = create_app(settings, store=store)
    got = Collected()
    iris = app.state.ctx.iris  # the service's own (keyed) pseudonyms
    people = [iris.opaque(WAVE, rid) for rid in ("r001", "r002", "r003", "r004", "r005")]
    lab_headers = {"Authorization": f"Bearer {LAB_TOKEN}"}
    with running_server(app) as base:
        wait_ok(f"{base}/health", timeout=120)
        with (
            httpx.Client(base_url=base, timeout=60) as http,
            httpx.Client(base_url=base, timeout=60, headers=lab_headers) as lab,
        ):
            with export.open("rb") as f:
                r = lab.post("/api/loads", files={"file": (export.name, f, "text/csv")}, data={"wave": WAVE})
            assert r.status_code == 202, r.text
            job_id = r.json()["id"]
            job = _wait(lab, job_id)
            got.add("load job", json.dumps(job))
            values = {
                "respondent_id": people,
                "job_id": [job_id],
                "path": [f"respondent/{p}" for p in people] + [f"response/{WAVE}/{p}" for p in people],
                "scheme": ["sector", "role"],
                "name": [q["name"] for q in http.get("/api/queries").json()],
            }
            _every_route(app, http, lab, got, values)
            _lab_matching(lab, got, people)
            _sparql(http, lab, got)
            _search(http, lab, got)
            for f in http.get("/dumps").json()["files"]:
                got.add(f"dump {f['url']}", http.get(f["url"]).content)
        for graph in store.named_graphs():  # the store files' export: every graph, the restricted one too
            got.add(f"store dump {graph}", store.dump(ox.RdfFormat.N_TRIPLES, graphs=[graph]))
        got.add("store dump (all)", store.dump(ox.RdfFormat.N_QUADS))
    store.close()
    for path in sorted(p for p in settings.index_path.rglob("*") if p.is_file()):  # the search index
        got.add(f"index file {path.name}", path.read_bytes())
    got.add("load job file", (settings.jobs_path / f"{job_id}.json").read_bytes())
    _cli(tmp, got)
    yield got, job


def _wait(lab: httpx.Client, job_id: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        body: dict[str, Any] = lab.get(f"/api/loads/{job_id}").json()
        if body["status"] in ("succeeded", "failed"):
            assert body["status"] == "succeeded", body
            return body
        time.sleep(0.2)
    raise AssertionError("the load job did not finish")


def _every_route(
    app: Any, http: httpx.Client, lab: httpx.Client, got: Collected, values: dict[str, list[str]]
) -> None:
    """Every GET route of the app, with its path parameters filled where we know values."""
    values = {**values, "mission_id": ["dk-innomission-greenfuels"], "id": ["dk-innomission-greenfuels"]}
    seen = 0
    for route in _routes(app.routes):
        methods = getattr(route, "methods", None) or set()
        if "GET" not in methods:
            continue
        params = re.findall(r"{([^}:]+)(?::[^}]*)?}", route.path)
        if any(p not in values for p in params):
            continue
        paths = [route.path]
        for p in params:
            paths = [re.sub(r"{" + p + r"(?::[^}]*)?}", v, path) for path in paths for v in values[p]]
        for path in paths:
            for client, who in ((http, "public"), (lab, "lab")):
                for accept in ("application/json", "text/html", "text/turtle"):
                    r = client.get(path, headers={"accept": accept})
                    assert r.status_code < 500, (path, who, accept, r.status_code, r.text[:300])
                    got.add(f"{who} GET {path} as {accept}", r.content)
                    seen += 1
    assert seen > 100, "the route walk must reach the service's routes"


def _routes(routes: list[Any], prefix: str = "") -> Iterator[Any]:
    """Every route, also those of included routers (however this FastAPI version nests them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute) or hasattr(route, "methods"):
            if prefix and not route.path.startswith(prefix):

                class _Prefixed:
                    path = prefix + route.path
                    methods = route.methods

                yield _Prefixed
            else:
                yield route


def _lab_matching(lab: httpx.Client, got: Collected, people: list[str]) -> None:
    """The Lab's people matching: rosters and introductions of the wave and of every respondent."""
    bodies: list[dict[str, Any]] = [
        {"wave": WAVE, "size": 2},
        {"respondents": people, "size": 2},
        {"wave": WAVE, "consenting_only": False, "size": 2},
    ]
    for path in ("/api/lab/groups", "/api/lab/introductions"):
        for body in bodies:
            for fmt in ("json", "csv"):
                r = lab.post(path, params={"format": fmt}, json=body)
                assert r.status_code < 500, (path, body, r.status_code, r.text[:300])
                got.add(f"lab POST {path} {body} as {fmt}", r.content)
    r = lab.post("/api/groups", json={"participants": people, "size": 2})
    got.add("lab POST /api/groups", r.content)
    # the match page's people to talk to, as JSON: every risk, challenge and need asked for
    listed = 0
    for dimension in ("risk", "challenge", "support-need", "challenge-field"):
        params = {dimension: [c.code for c in concepts(dimension)], "limit": "50"}
        r = lab.get("/api/lab/match/people", params=params)
        assert r.status_code == 200, (dimension, r.status_code, r.text[:300])
        listed += len(r.json()["people"])
        got.add(f"lab GET /api/lab/match/people {dimension}", r.content)
    assert listed > 0
    # the printable pages, as Lab staff open them in a browser (a login cookie)
    with httpx.Client(base_url=str(lab.base_url), timeout=60) as browser:
        r = browser.post("/lab/login", data={"token": LAB_TOKEN, "next": "/lab"})
        assert r.status_code in (200, 303), r.status_code
        for path in ("/lab", "/lab/groups", "/lab/introductions", "/lab/loads", "/lab/match"):
            got.add(f"page GET {path}", browser.get(path).content)
            for form in (
                {"use_wave": "on", "wave": WAVE, "size": "2"},
                {"participants": "\n".join(people), "size": "2"},
            ):
                for fmt in ("", "csv", "json"):
                    r = browser.post(path, data={**form, "format": fmt})
                    assert r.status_code < 500, (path, form, r.status_code)
                    got.add(f"page POST {path} {form} {fmt}", r.content)


QUERIES = [
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT * WHERE {{ GRAPH <{Iris().restricted_graph}> {{ ?s ?p ?o }} }}",
]
ACCEPTS = ["application/sparql-results+json", "text/csv", "text/turtle", "application/n-triples"]


def _sparql(http: httpx.Client, lab: httpx.Client, got: Collected) -> None:
    for query in QUERIES:
        for accept in ACCEPTS:
            for client, path in ((http, "/sparql"), (lab, "/lab/sparql")):
                r = client.get(path, params={"query": query}, headers={"accept": accept})
                got.add(f"{path} {query} as {accept}", r.content)


def _search(http: httpx.Client, lab: httpx.Client, got: Collected) -> None:
    for values in (*DROPPED.values(), KEPT):
        for q in _needles(values):
            for client in (http, lab):
                body = client.get("/api/search", params={"q": q}).json()
                body.pop("query", None)  # the answer echoes the query
                got.add(f"search {q}", json.dumps(body, ensure_ascii=False))


def _cli(tmp: Path, got: Collected) -> None:
    runner = CliRunner()
    env = {"MISSIONGRAPH_DATA_DIR": str(tmp), "MISSIONGRAPH_STORE": "oxigraph"}
    everything = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    for args in (
        ["query", everything, "--include-restricted", "-f", "csv"],
        ["query", everything, "-f", "json"],
        ["export", "--out", str(tmp / "cli-dumps")],
        ["stats", "--format", "json", "--wave", WAVE],
    ):
        result = runner.invoke(cli_app, args, env=env, catch_exceptions=False)
        got.add(f"cli {' '.join(args)}", result.output)
    for path in sorted((tmp / "cli-dumps").rglob("*")):
        if path.is_file():
            got.add(f"cli export {path.name}", path.read_bytes())


def test_the_load_report_counts_dropped_contacts(collected: tuple[Collected, dict[str, Any]]) -> None:
    _got, job = collected
    assert job["report"]["contacts_dropped"] == 3
    assert job["report"]["contacts_kept"] == 2  # r001 (the control) and r004


def test_the_positive_control_is_found(collected: tuple[Collected, dict[str, Any]]) -> None:
    """The consenting respondent's contact details are stored and the search finds them."""
    got, _job = collected
    where = {w for n, w in got.leaks([KEPT[1]])}
    assert any(w.startswith("lab GET /api/lab/respondents/") for w in where), where
    assert any(w.startswith("/lab/sparql") for w in where)
    assert any(w.startswith("store dump") for w in where)
    assert any(w.startswith("cli query") for w in where)
    assert any(w.startswith("page POST /lab/groups") for w in where), where  # a printable roster
    assert not any(w.startswith(("public ", "/sparql", "dump ", "cli export")) for w in where), where


def test_no_output_shows_what_was_not_kept(collected: tuple[Collected, dict[str, Any]]) -> None:
    got, _job = collected
    assert len(got.outputs) > 300
    assert got.leaks(SECRETS) == []
