"""Rosters and introductions of people through the API (real uvicorn, the built store, a Lab token)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from api.schemas import IntroductionsResponse, LabGroupsResponse, MatchPeopleResponse
from api.settings import Settings
from graph.iris import Iris
from tests.support.stores import built_store
from tests.support.uvicorn_server import free_port, running_server

TOKEN = "people-test-lab-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PARTICIPANTS = (
    "name,organisation,email,mission,mission_description,risks,needs,sector,consent\n"
    "Ana Lima,City of Aarhus,ana@example.org,,Halve loneliness among young people in our city,silos,"
    "evaluation,local-government,yes\n"
    "Ben Ode,Climate KIC,ben@example.org,eu-mission-cities,,silos;momentum,funding,private-sector,yes\n"
    "Cleo Park,Lund University,cleo@example.org,se-viable-cities,,momentum,evaluation,academia,no\n"
    "Dan Roe,Harbour Foundation,dan@example.org,,Zero plastic waste in the harbour,short-termism,funding,"
    "foundation,yes\n"
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    port = free_port()
    base = "http://127.0.0.1:8000/"
    settings = Settings(
        store="memory",
        semantic=False,
        rate_limit_per_minute=0,
        lab_token_hashes=[hashlib.sha256(TOKEN.encode()).hexdigest()],
    )
    app = create_app(settings, store=built_store(Iris(base)))
    with running_server(app, port=port) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


def test_people_endpoints_need_a_lab_token(client: httpx.Client) -> None:
    for path in ("/api/lab/groups", "/api/lab/introductions"):
        r = client.post(path, json={"wave": "2021"})
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "ana@example.org" not in r.text


def test_rosters_of_a_waves_consenting_respondents(client: httpx.Client) -> None:
    r = client.post("/api/lab/groups", json={"wave": "2021", "size": 4, "seed": 1}, headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    LabGroupsResponse.model_validate(body)  # the answer is what the OpenAPI description says
    members = [m for g in body["groups"] for m in g["members"]]
    assert body["participants"] == len(members) > 100
    assert all(m["contact_consent"] and m["email"] and m["name"] for m in members)
    assert all(m["synthetic"] is True and m["source"] == "survey-2021" for m in members)
    assert all(
        g["synthetic"] is True and g["source"] == "survey-2021" and g["shares"] for g in body["groups"]
    )
    assert body["summary"][0] == "Every group shares at least one challenge, risk, need or field."
    assert body["quality"]["points"] > body["random_split"]["points"]
    assert body["quality"]["sectors_per_group"] > body["random_split"]["sectors_per_group"]
    assert not any("Objective" in line for line in body["summary"])
    again = client.post("/api/lab/groups", json={"wave": "2021", "size": 4, "seed": 1}, headers=AUTH)
    assert again.json() == body
    # the same as CSV: one row per member
    r = client.post("/api/lab/groups", params={"format": "csv"}, json={"wave": "2021"}, headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(members) and all(row["email"] and row["synthetic"] == "true" for row in rows)


def test_rosters_and_introductions_from_a_participant_list(client: httpx.Client) -> None:
    r = client.post("/api/lab/groups", json={"participants_csv": PARTICIPANTS, "size": 2}, headers=AUTH)
    assert r.status_code == 200, r.text
    members = {m["name"]: m for g in r.json()["groups"] for m in g["members"]}
    assert set(members) == {"Ana Lima", "Ben Ode", "Cleo Park", "Dan Roe"}
    assert members["Cleo Park"]["email"] is None  # consent: no
    assert members["Ben Ode"]["mission"]["id"] == "eu-mission-cities"
    assert members["Ben Ode"]["source"] == "participant-list" and members["Ben Ode"]["synthetic"] is False
    assert members["Ana Lima"]["mission"] == {
        "description": "Halve loneliness among young people in our city"
    }

    r = client.post("/api/lab/introductions", json={"participants_csv": PARTICIPANTS}, headers=AUTH)
    assert r.status_code == 200, r.text
    IntroductionsResponse.model_validate(r.json())
    items = r.json()["introductions"]
    assert items and all(i["reason"] and {"synthetic", "source"} <= set(i) for i in items)
    assert all(len(i["people"]) == 2 for i in items)
    r = client.post(
        "/api/lab/introductions",
        params={"format": "csv"},
        json={"participants_csv": PARTICIPANTS},
        headers=AUTH,
    )
    assert r.status_code == 200 and r.text.startswith("introduction,kind,person_a")


def test_introductions_of_respondents_and_one_person(client: httpx.Client) -> None:
    groups = client.post("/api/lab/groups", json={"wave": "2021"}, headers=AUTH).json()
    ids = [m["id"] for g in groups["groups"] for m in g["members"]][:30]
    body = {"respondents": ids, "per_person": 1, "limit": 5}
    r = client.post("/api/lab/introductions", json=body, headers=AUTH)
    assert r.status_code == 200
    items = r.json()["introductions"]
    assert 0 < len(items) <= 5
    seen = [p["id"] for i in items for p in i["people"]]
    assert len(seen) == len(set(seen))  # one introduction per person
    r = client.post("/api/lab/introductions", json={**body, "person": ids[0]}, headers=AUTH)
    assert all(ids[0] in {p["id"] for p in i["people"]} for i in r.json()["introductions"])
    # respondent ids through POST /api/groups too, with the token
    r = client.post("/api/groups", json={"participants": ids[:8], "size": 4}, headers=AUTH)
    assert r.status_code == 200 and len(r.json()["groups"]) == 2


def test_bad_input_is_a_clear_problem(client: httpx.Client) -> None:
    bad = "name,email,sector\nAna,not-a-mail,wizards\n"
    r = client.post("/api/lab/groups", json={"participants_csv": bad}, headers=AUTH)
    assert r.status_code == 400
    problems = r.json()["problems"]
    assert {(p["row"], p["column"]) for p in problems} >= {(2, "email"), (2, "sector"), (2, "mission")}
    assert all(p["file"] == "participants.csv" for p in problems)
    r = client.post("/api/lab/groups", json={"respondents": ["0123456789abcdef"]}, headers=AUTH)
    assert r.status_code == 404
    r = client.post("/api/lab/groups", json={"wave": "2021", "size": 1}, headers=AUTH)
    assert r.status_code == 400
    r = client.post("/api/lab/groups", json={}, headers=AUTH)
    assert r.status_code == 400 and "nobody to match" in r.json()["detail"]
    r = client.post("/api/lab/groups", json={"participants": [{"name": 3}]}, headers=AUTH)
    assert r.status_code == 400


# --- the match page's "people to talk to", as JSON -------------------------------------------------
MATCH = "/api/lab/match/people"


def test_people_to_talk_to_need_a_lab_token(client: httpx.Client) -> None:
    r = client.get(MATCH, params={"risk": "silos"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_people_to_talk_to_are_consenting_respondents_with_a_reason(client: httpx.Client) -> None:
    params = {"risk": ["silos", "momentum"], "support-need": "evaluation", "limit": 6}
    r = client.get(MATCH, params=params, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    MatchPeopleResponse.model_validate(body)
    assert body["criteria"] == {"risk": ["silos", "momentum"], "support-need": ["evaluation"]}
    people = body["people"]
    assert 0 < len(people) <= 6 and body["total"] == len(people)
    assert all(p["contact_consent"] is True and p["email"] and p["kind"] == "respondent" for p in people)
    assert all(p["synthetic"] is True and p["source"] == "survey-2021" for p in people)
    assert body["synthetic"] is True
    assert all(p["reason"] and p["match"] for p in people)
    # the same people the page lists
    with httpx.Client(base_url=client.base_url, cookies={"missiongraph_lab": TOKEN}, timeout=120) as browser:
        page = browser.get("/lab/match", params=params)
    assert page.status_code == 200
    assert all(p["email"] in page.text for p in people)


def test_people_to_talk_to_refuse_bad_parameters(client: httpx.Client) -> None:
    for params, named in (
        ({"risk": "no-such-risk"}, "risk"),
        ({"challenge-field": "nowhere"}, "challenge-field"),
        ({}, "challenge-field"),
        ({"risk": "silos", "limit": 0}, "limit"),
        ({"risk": "silos", "limit": "many"}, "limit"),
    ):
        r = client.get(MATCH, params=params, headers=AUTH)
        assert r.status_code == 400, (params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert named in r.text


def test_people_to_talk_to_are_in_the_openapi_description(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"][MATCH]["get"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/MatchPeopleResponse"
    )
    assert {"400", "401"} <= set(op["responses"])
