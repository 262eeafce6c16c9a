"""Content negotiation, one table for every kind of resource: what each Accept (or format) gets.

Kinds: an instance IRI (mission, respondent), a concept, a concept scheme, the ontology and its version
IRI, a named graph IRI, the DCAT catalogue and a dataset IRI, the dumps index, the SPARQL service
description and the JSON-LD context.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tests.support.rdf import parse_answer
from tests.support.stores import BASE, RESPONDENT

RESOURCES = {
    "mission": ("/id/mission/eu-mission-cancer", f"{BASE}id/mission/eu-mission-cancer"),
    "respondent": (f"/id/respondent/{RESPONDENT}", f"{BASE}id/respondent/{RESPONDENT}"),
    "concept": ("/vocab/answer/yes", "https://w3id.org/missiongraph/vocab/answer/yes"),
    "scheme": ("/vocab/answer/", "https://w3id.org/missiongraph/vocab/answer/"),
    "ontology": ("/def", "https://w3id.org/missiongraph/def"),
    "ontology version": ("/def/1.0.0", "https://w3id.org/missiongraph/def"),
    "survey graph": ("/graph/survey/2021", f"{BASE}graph/survey/2021"),
    "catalogue graph": ("/graph/catalogue", f"{BASE}graph/catalogue"),
    "vocabulary graph": ("/graph/vocabulary", f"{BASE}graph/vocabulary"),
    "figures graph": ("/graph/figures", f"{BASE}graph/figures"),
    "DCAT catalogue": ("/id/catalog/missiongraph", f"{BASE}id/catalog/missiongraph"),
    "DCAT dataset": ("/id/dataset/missions-catalogue", f"{BASE}id/dataset/missions-catalogue"),
}

#: Accept header -> the media type answered (the same table for every linked-data resource)
TABLE = [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/json", "application/json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("*/*", "text/turtle", ox.RdfFormat.TURTLE),
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("application/json;q=0.5, text/turtle;q=0.9", "text/turtle", ox.RdfFormat.TURTLE),
]
FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "json": "application/json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}


@pytest.mark.parametrize("kind", RESOURCES)
@pytest.mark.parametrize(("accept", "media", "fmt"), TABLE, ids=[str(t[0]) for t in TABLE])
def test_every_resource_kind_follows_the_table(
    client: TestClient, kind: str, accept: str | None, media: str, fmt: ox.RdfFormat
) -> None:
    path, iri = RESOURCES[kind]
    r = client.get(path, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, (kind, r.text[:300])
    assert r.headers["content-type"].split(";")[0] == media
    assert "accept" in r.headers["vary"].lower()
    links = r.headers["link"]
    for name, alternate in FORMATS.items():
        if name != "json":  # the same document as jsonld
            assert f'<{path}?format={name}>; rel="alternate"; type="{alternate}"' in links
    triples = parse_answer(client, r.content, fmt)
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert any(s.startswith(iri) for s in subjects), kind


@pytest.mark.parametrize("kind", RESOURCES)
def test_html_format_and_bad_format(client: TestClient, kind: str) -> None:
    path, _ = RESOURCES[kind]
    page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name, media in FORMATS.items():
        r = client.get(path, params={"format": name}, headers={"Accept": "image/png"})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), (kind, name)
    bad = client.get(path, params={"format": "xyz"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert "ttl" in bad.json()["detail"]
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


def test_json_ld_is_compact_with_the_served_context(client: TestClient) -> None:
    r = client.get("/id/mission/eu-mission-cancer", headers={"Accept": "application/ld+json"})
    document = r.json()
    assert document["@context"] == "http://testserver/context.jsonld"
    mission = next(n for n in document["@graph"] if n["@id"] == f"{BASE}id/mission/eu-mission-cancer")
    assert "mg:Mission" in mission["@type"] and "dct:title" in mission
    context = client.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    assert context.json()["@context"]["mg"] == "https://w3id.org/missiongraph/def#"
    assert context.json()["@context"]["answer"] == "https://w3id.org/missiongraph/vocab/answer/"


def test_unknown_and_restricted_resources_are_404(client: TestClient) -> None:
    for path in (
        "/graph/restricted",
        "/graph/survey/1999",
        "/def/9.9.9",
        "/id/dataset/nope",
        "/vocab/risk/nope",
    ):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, path


def test_dcat_has_publisher_modified_and_coverage(client: TestClient) -> None:
    r = client.get("/dumps", headers={"Accept": "text/turtle"})
    triples = parse_answer(client, r.content, ox.RdfFormat.TURTLE)
    dct = "http://purl.org/dc/terms/"
    catalogue = ox.NamedNode(f"{BASE}id/dataset/missions-catalogue")
    about = {(t.predicate.value, t.object) for t in triples if t.subject == catalogue}
    predicates = {p for p, _ in about}
    assert {f"{dct}publisher", f"{dct}modified", f"{dct}temporal", f"{dct}spatial"} <= predicates
    assert (
        f"{dct}spatial",
        ox.NamedNode("http://publications.europa.eu/resource/authority/country/DNK"),
    ) in about
    modified = next(o for p, o in about if p == f"{dct}modified")
    assert isinstance(modified, ox.Literal) and modified.datatype.value.endswith("#dateTime")
    period = next(o for p, o in about if p == f"{dct}temporal")
    dates = {t.predicate.value.rsplit("#", 1)[1]: t.object.value for t in triples if t.subject == period}
    assert int(dates["startDate"]) <= int(dates["endDate"])
    catalog = ox.NamedNode(f"{BASE}id/catalog/missiongraph")
    publisher = next(
        t.object for t in triples if t.subject == catalog and t.predicate.value == f"{dct}publisher"
    )
    assert any(t.subject == publisher and t.predicate.value.endswith("/name") for t in triples)


def test_dumps_and_sparql_negotiate_too(client: TestClient) -> None:
    assert client.get("/dumps", headers={"Accept": "application/json"}).json()["files"] is not None
    r = client.get("/dumps", headers={"Accept": "application/ld+json"})
    assert json.loads(r.content)["@context"].endswith("/context.jsonld")
    for accept, media in [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples")]:
        r = client.get("/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    bad = client.get("/sparql", params={"query": "ASK {}", "format": "xyz"})
    assert bad.status_code == 400 and "json" in bad.json()["detail"]
