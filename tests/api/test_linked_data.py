"""Instance, concept and ontology IRIs dereference with conneg; never from the restricted graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tests.support.rdf import parse_answer
from tests.support.stores import BASE, CANARY_EMAIL, RESPONDENT

FORMATS = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]


@pytest.mark.parametrize(("media", "fmt"), FORMATS)
def test_mission_iri_in_every_rdf_format(client: TestClient, media: str, fmt: ox.RdfFormat) -> None:
    r = client.get("/id/mission/eu-mission-cancer", headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "accept" in r.headers["vary"].lower()
    triples = parse_answer(client, r.content, fmt)
    mission = ox.NamedNode(f"{BASE}id/mission/eu-mission-cancer")
    assert (
        ox.Triple(
            mission, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal("eu-mission-cancer")
        )
        in triples
    )


def test_html_for_browsers(client: TestClient) -> None:
    r = client.get(
        "/id/mission/eu-mission-cancer",
        headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "EU Mission: Cancer" in r.text and 'rel="alternate"' in r.text


def test_format_parameter_and_406_and_404(client: TestClient) -> None:
    r = client.get("/id/mission/eu-mission-cancer", params={"format": "nt"})
    assert r.headers["content-type"].startswith("application/n-triples")
    assert client.get("/id/mission/eu-mission-cancer", headers={"accept": "image/png"}).status_code == 406
    r = client.get("/id/mission/no-such-thing")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_respondent_iri_has_no_personal_data(client: TestClient) -> None:
    for media, _fmt in FORMATS + [("text/html", None)]:
        r = client.get(f"/id/respondent/{RESPONDENT}", headers={"accept": media})
        assert r.status_code == 200
        assert CANARY_EMAIL not in r.text and "Canary Person" not in r.text and "mbox" not in r.text


def test_concept_scheme_and_ontology(client: TestClient) -> None:
    r = client.get("/vocab/risk/silos", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    triples = [q.triple for q in ox.parse(r.content, format=ox.RdfFormat.TURTLE)]
    silos = ox.NamedNode("https://w3id.org/missiongraph/vocab/risk/silos")
    assert any(t.subject == silos and t.predicate.value.endswith("#prefLabel") for t in triples)
    r = client.get("/vocab/risk/", headers={"accept": "application/n-triples"})
    assert r.status_code == 200 and b"ConceptScheme" in r.content
    r = client.get("/def", headers={"accept": "application/n-triples"})
    assert r.status_code == 200 and b"https://w3id.org/missiongraph/def#Mission" in r.content
    assert client.get("/vocab/risk/no-such-code").status_code == 404


def test_a_synthetic_resource_says_so_at_the_top_and_in_its_turtle(client: TestClient) -> None:
    synthetic = ox.NamedNode("https://w3id.org/missiongraph/def#synthetic")
    r = client.get(f"/id/respondent/{RESPONDENT}", headers={"accept": "text/html"})
    assert r.status_code == 200
    notice, heading = r.text.find('class="synthetic-notice"'), r.text.find("<h1>")
    assert 0 < notice < heading and "This resource is made up" in r.text
    r = client.get(f"/id/respondent/{RESPONDENT}", headers={"accept": "text/turtle"})
    person = ox.NamedNode(f"{BASE}id/respondent/{RESPONDENT}")
    assert ox.Triple(person, synthetic, ox.Literal(True)) in parse_answer(
        client, r.content, ox.RdfFormat.TURTLE
    )
    # a real (catalogue) mission is never labelled made up
    r = client.get("/id/mission/eu-mission-cancer", headers={"accept": "text/html"})
    assert r.status_code == 200 and "synthetic-notice" not in r.text
