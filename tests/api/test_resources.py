"""REST resources: missions (filters, paging, facets, sources), respondents, schemes, concepts, errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.stores import CANARY_EMAIL, RESPONDENT


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/missions/no-such-mission", 404),
        ("/api/missions?limit=0", 400),
        ("/api/schemes/nope", 404),
        ("/api/respondents/not-hex", 400),
        ("/api/lab/respondents/aaaaaaaaaaaaaaaa", 401),
    ],
)
def test_problem_shape(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status and body["instance"] == url.split("?")[0]
    assert isinstance(body["title"], str) and body["title"] and body["detail"]


def test_missions_list_pages_and_counts(client: TestClient) -> None:
    r = client.get("/api/missions", params={"limit": 10})
    body = r.json()
    assert r.status_code == 200 and body["total"] >= 109 and len(body["items"]) == 10
    second = client.get("/api/missions", params={"limit": 10, "offset": 10}).json()
    assert {m["id"] for m in body["items"]}.isdisjoint({m["id"] for m in second["items"]})
    assert body["items"][0]["id"] == sorted(m["id"] for m in body["items"])[0]  # catalogue ids, sorted


def test_missions_filters(client: TestClient) -> None:
    dk = client.get("/api/missions", params={"country": "DNK", "limit": 200}).json()
    assert dk["total"] == 7 and all("DNK" in m["countries"] for m in dk["items"])
    assert client.get("/api/missions", params={"country": "DK"}).json()["total"] == 7  # alpha-2 works too
    climate = client.get(
        "/api/missions", params={"field": "climate", "level": "national", "limit": 200}
    ).json()
    assert climate["total"] > 0
    assert all("climate" in m["fields"] and "national" in m["level"] for m in climate["items"])
    assert client.get("/api/missions", params={"country": "ZZZ"}).json()["total"] == 0


def test_facet_counts_below_k_are_suppressed(client: TestClient) -> None:
    facets = client.get("/api/missions").json()["facets"]
    assert isinstance(facets["country"]["GBR"], int) and facets["country"]["GBR"] >= 25  # shown as is
    assert facets["country"]["IRL"] == "<5"  # Ireland has one catalogue mission
    values = [v for counts in facets.values() for v in counts.values()]
    assert all(v == "<5" or (isinstance(v, int) and (v >= 5 or v == 0)) for v in values)


def test_mission_detail_keeps_catalogue_id_and_sources(client: TestClient) -> None:
    m = client.get("/api/missions/eu-mission-cancer").json()
    assert m["id"] == "eu-mission-cancer" and m["title"] == "EU Mission: Cancer"
    assert m["countries"] == ["EUR"] and m["sources"] and all(s.startswith("http") for s in m["sources"])
    fields = [f for f in m["facts"] if f["property"].endswith("#challengeField")]
    assert fields and fields[0]["value_label"] and fields[0]["references"] == m["sources"]
    assert m["source"] == "catalogue" and not m["synthetic"]
    assert all(
        f["source"] == "catalogue" and not f["synthetic"] for f in m["facts"] if "catalogue" in f["graph"]
    )


def test_mission_detail_shows_survey_facts_with_their_wave(client: TestClient) -> None:
    m = client.get("/api/missions/dk-innomission-greenfuels").json()
    risks = [f for f in m["facts"] if f["property"].endswith("#perceivedRisk")]
    assert (
        risks
        and risks[0]["graph"].endswith("graph/survey/2021")
        and risks[0]["references"][0].endswith("id/wave/2021")
        and risks[0]["source"] == "survey-2021"
        and risks[0]["synthetic"]  # a fact from the synthetic wave says so
    )


def test_public_respondent_has_no_personal_data(client: TestClient) -> None:
    r = client.get(f"/api/respondents/{RESPONDENT}")
    assert r.status_code == 200
    body = r.json()
    assert body["synthetic"] is True and body["countries"] == ["DNK"]
    assert body["places"] == [
        {
            "iri": "http://publications.europa.eu/resource/authority/country/DNK",
            "code": "DNK",
            "label": "Denmark",
            "kind": "country",
        }
    ]
    assert body["responses"][0]["mission"] == "dk-innomission-greenfuels"
    assert "contact" not in body and CANARY_EMAIL not in r.text and "Canary" not in r.text
    assert client.get("/api/respondents/0000000000000000").status_code == 404


def test_schemes_and_concepts(client: TestClient) -> None:
    schemes = client.get("/api/schemes").json()
    assert [s["code"] for s in schemes][:3] == ["role", "sector", "level"] and len(schemes) == 13
    risk = client.get("/api/schemes/risk").json()
    assert risk["concepts"] == len(risk["members"]) == 7 and risk["members"][0]["code"] == "silos"
    assert [c["code"] for c in client.get("/api/concepts", params={"scheme": "answer"}).json()] == [
        "yes",
        "partly",
        "no",
        "dont-know",
    ]
    assert len(client.get("/api/concepts").json()) == sum(s["concepts"] for s in schemes)
    assert client.get("/api/concepts", params={"scheme": "nope"}).status_code == 404


def test_stats_published_and_recomputed_with_small_counts_hidden(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["wave"] == "2021" and body["synthetic"] is True
    by_code = {f["code"]: f for f in body["figures"]}
    assert by_code["clear-target"]["published"] == 25.0 and by_code["involved"]["published"] == 64.0
    # the test wave has one response: its count and the share it yields are hidden
    assert by_code["clear-target"]["matching"] == "<5"
    assert (
        isinstance(by_code["clear-target"]["recomputed"], str)
        and by_code["clear-target"]["difference"] is None
    )
    assert client.get("/api/stats", params={"wave": "1999"}).json()["figures"][0]["recomputed"] is None


def test_a_generalised_place_shows_its_name() -> None:
    from api.routers.respondents import place_of

    region = place_of("https://w3id.org/missiongraph/vocab/region/154")
    assert (region.code, region.label, region.kind) == ("154", "Northern Europe", "region")
    assert place_of("http://publications.europa.eu/resource/authority/country/DNK").label == "Denmark"
