"""The pages over plain HTTP (no browser): who gets the SPARQL page, Lab gate, status codes."""

from __future__ import annotations

import httpx
import pytest

from tests.pages.conftest import LAB_TOKEN

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def client(live_server):
    """A fresh client per test: no cookie carries over from one test to the next."""
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


def test_sparql_path_serves_people_the_editor_and_programs_the_protocol(client):
    page = client.get("/sparql", headers={"Accept": HTML})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "yasgui.min.js" in page.text
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and "sd:Service" in described.text
    answer = client.get(
        "/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    posted = client.post(
        "/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert posted.json()["boolean"] is True


@pytest.mark.parametrize("path", ["/lab", "/lab/loads", "/lab/match", "/lab/groups", "/lab/introductions"])
def test_lab_pages_need_the_token(client, path):
    anonymous = client.get(path)
    assert anonymous.status_code == 401
    assert 'id="lab-login"' in anonymous.text
    wrong = client.get(path, headers={"Cookie": "missiongraph_lab=wrong"})
    assert wrong.status_code == 401
    right = client.get(path, headers={"Cookie": f"missiongraph_lab={LAB_TOKEN}"})
    assert right.status_code == 200
    assert 'id="lab-login"' not in right.text


def test_sign_in_sets_a_strict_http_only_cookie_and_only_redirects_inside_the_lab(client):
    ok = client.post("/lab/login", data={"token": LAB_TOKEN, "next": "https://elsewhere.example/"})
    assert ok.status_code == 303
    assert ok.headers["location"] == "/lab"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    bad = client.post("/lab/login", data={"token": "nope"})
    assert bad.status_code == 401 and "not valid" in bad.text


def test_upload_without_the_token_loads_nothing(client, live_server):
    before = live_server.app.state.ctx.store.state()
    response = client.post("/lab/loads", files={"file": ("x.csv", b"respondent_id\n1\n")})
    assert response.status_code == 401
    assert live_server.app.state.ctx.store.state() == before


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/missions/no-such-mission", 404),
        ("/search?limit=0&field=nonsense-facet-value", 200),
        ("/dashboard?wave=..%2F..", 404),
        ("/help?risk=not-a-risk", 400),  # an unknown code names the valid ones
    ],
)
def test_bad_input_is_a_page_not_a_traceback(client, path, status):
    response = client.get(path, headers={"Accept": HTML})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text


@pytest.mark.parametrize("wave", ["-x", "2021²", "2021\n", "a" * 65, "x y"])
def test_dashboard_of_a_malformed_wave_is_not_found(client, wave):
    """The dashboard accepts only what a wave can be (graph.iris.WAVE_PATTERN), as the API and loads do."""
    r = client.get("/dashboard", params={"wave": wave})
    assert r.status_code == 404 and "No such survey wave" in r.text
    assert client.get("/api/stats", params={"wave": wave}).status_code == 400


def test_dashboard_of_a_wellformed_wave_is_shown(client):
    assert client.get("/dashboard", params={"wave": "2021"}).status_code == 200
    assert client.get("/dashboard", params={"wave": "2023.b_x-1"}).status_code == 200
