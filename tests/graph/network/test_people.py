"""Matching people: respondents, participant lists, workshop groups and introductions (the built store)."""

from __future__ import annotations

import json
import statistics

import pytest

from graph.errors import IngestError, InvalidInputError, NotFoundError
from graph.network.attendees import Attendees, gather_people
from graph.network.groups import group_people
from graph.network.introductions import NEED_MET, SHARED_PROBLEM, introductions
from graph.network.participants import parse_participants
from graph.network.people import Person, respondents, wave_respondents
from graph.network.view import NetworkView
from graph.store import Store
from tests.support import IRIS
from tests.support.stores import built_store

VOCAB = "https://w3id.org/missiongraph/vocab/"


@pytest.fixture(scope="module")
def store() -> Store:
    return built_store(IRIS)


@pytest.fixture(scope="module")
def view(store: Store) -> NetworkView:
    return NetworkView.build(store, IRIS)


@pytest.fixture(scope="module")
def consenting(store: Store) -> list[Person]:
    return wave_respondents(store, IRIS, "2021")


def test_a_waves_consenting_respondents_with_contacts_only_for_them(store: Store) -> None:
    everyone = wave_respondents(store, IRIS, "2021", consenting_only=False)
    consenting = [p for p in everyone if p.consent]
    assert len(everyone) == 227 and 0 < len(consenting) < 227
    assert wave_respondents(store, IRIS, "2021") == consenting
    for p in everyone:
        assert p.synthetic and p.source == "survey-2021" and p.kind == "respondent"
        assert p.has_answers  # every synthetic respondent answered the concept questions
        body = p.as_dict()
        if p.consent:
            assert p.email and "@" in p.email and body["email"] == p.email
        else:
            # no name, no e-mail, no organisation of someone who did not consent
            assert body["email"] is None and body["organisation"] is None
            assert body["name"].startswith("Respondent ")
    with pytest.raises(NotFoundError):
        wave_respondents(store, IRIS, "1999")


def test_respondents_by_id(store: Store, consenting: list[Person]) -> None:
    ids = [consenting[3].key, consenting[0].key]
    assert [p.key for p in respondents(store, IRIS, ids)] == ids
    with pytest.raises(NotFoundError):
        respondents(store, IRIS, ["0123456789abcdef"])
    with pytest.raises(InvalidInputError):
        respondents(store, IRIS, ["not-an-id"])


def test_groups_beat_a_random_split_over_50_seeds(consenting: list[Person]) -> None:
    """The optimiser's own stated objective (common-ground points), against a random split of the same
    people with the same seed; and the facilitator's measures on average."""
    people = consenting[:48]
    runs = [group_people(people, 4, seed=seed) for seed in range(50)]
    for seed, run in enumerate(runs):
        assert run["quality"]["points"] > run["random_split"]["points"], seed
        assert run["quality"]["groups_with_common_ground"] == len(run["groups"]), seed
    mean = {
        k: (
            statistics.mean(r["quality"][k] for r in runs),
            statistics.mean(r["random_split"][k] for r in runs),
        )
        for k in ("points", "shared_per_pair", "sectors_per_group")
    }
    assert mean["shared_per_pair"][0] > 1.5 * mean["shared_per_pair"][1]
    assert mean["sectors_per_group"][0] > mean["sectors_per_group"][1]
    # seeded: the same seed gives the same groups, another seed may not
    assert group_people(people, 4, seed=3) == runs[3]


def _person(
    key: str, *, fields: tuple[str, ...] = (), risks: tuple[str, ...] = (), sector: str = ""
) -> Person:
    values = {
        "challenge-field": {f"{VOCAB}challenge-field/{f}": f for f in fields},
        "risk": {f"{VOCAB}risk/{r}": r for r in risks},
    }
    return Person(key, "participant", key, False, "participant-list", values=values, sectors={sector} - {""})


def test_people_without_answers_are_spread_not_lumped() -> None:
    answered = [
        _person(f"a{i}", fields=("climate",) if i % 2 else ("health",), risks=("silos",), sector=f"s{i % 3}")
        for i in range(9)
    ]
    blank = [_person(f"b{i}") for i in range(3)]
    for seed in range(5):
        body = group_people([*blank, *answered], 4, seed=seed)
        assert body["without_answers"] == 3
        for g in body["groups"]:
            assert sum(m["id"].startswith("b") for m in g["members"]) == 1
            assert g["shares"], g  # no group where nothing is shared
        assert "spread over the groups" in body["summary"][-1]


CSV = (
    "name,organisation,email,mission,mission_description,risks,needs,sector,country\n"
    "Ana Lima,City of Aarhus,ana@example.org,,Halve loneliness among young people in our city,silos,"
    "evaluation,local-government,DK\n"
    "Ben Ode,Climate KIC,ben@example.org,eu-mission-cities,,Effect of silos;momentum,funding,"
    "Private sector,NL\n"
    "Cleo Park,Lund University,cleo@example.org,se-viable-cities,,momentum,evaluation,academia,SE\n"
    "Dan Roe,Harbour Foundation,dan@example.org,,Zero plastic waste reaches the harbour by 2030,"
    "short-termism,funding,foundation,\n"
)


def test_a_participant_list_becomes_people(store: Store, view: NetworkView) -> None:
    people = gather_people(store, IRIS, view.model, Attendees(participant_file=("p.csv", CSV)))
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"Ana Lima", "Ben Ode", "Cleo Park", "Dan Roe"}
    ben = by_name["Ben Ode"]
    assert ben.mission_title and "Cities" in ben.mission_title and ben.source == "participant-list"
    assert not ben.synthetic  # a real person on a catalogue mission
    assert f"{VOCAB}risk/momentum" in ben.concepts("risk")
    ana = by_name["Ana Lima"]
    assert ana.mission_description and ana.mapped_from_description  # mapped to concepts and missions
    assert ana.concepts("challenge-field")
    assert ana.countries == {"Denmark"} and ana.sectors == {"Local government"}
    # JSON rows work the same, lists or ';' strings
    rows = [{"name": "Eve", "mission": "eu-mission-cities", "needs": ["evaluation", "Funding"]}]
    (eve,) = parse_participants(json.dumps(rows), "p.json", known_missions=view.model.features.row_of)
    assert eve.lists["needs"] == ["evaluation", "funding"] and eve.row == 1


def test_a_bad_participant_list_names_every_problem(view: NetworkView) -> None:
    bad = (
        "name,email,mission,risks,sector,colour\n"
        "Ana,ana@example.org,eu-mission-cities,silos,academia,red\n"
        ",not-a-mail,no-such-mission,astrology,wizards,blue\n"
        "Cleo,,,,,\n"
    )
    with pytest.raises(IngestError) as caught:
        parse_participants(bad, "people.csv", known_missions=view.model.features.row_of)
    problems = {(p.row, p.column): p for p in caught.value.problems}
    assert problems[(1, "colour")].expected and "name" in (problems[(1, "colour")].expected or "")
    assert problems[(3, "name")].message
    assert problems[(3, "email")].value == "not-a-mail"
    assert problems[(3, "mission")].value == "no-such-mission"
    assert problems[(3, "risks")].value == "astrology" and "silos" in (problems[(3, "risks")].expected or "")
    assert problems[(3, "sector")].value == "wizards"
    assert (4, "mission") in problems  # neither a mission id nor a description
    assert all(p.file == "people.csv" for p in caught.value.problems)
    assert "people.csv, row 3, column 'sector'" in str(problems[(3, "sector")])
    with pytest.raises(IngestError):
        parse_participants("[1, 2]", "p.json", known_missions={})
    with pytest.raises(IngestError):
        parse_participants("", "empty.csv", known_missions={})


def test_introductions_with_reasons(consenting: list[Person]) -> None:
    body = introductions(consenting, per_person=2, limit=40)
    items = body["introductions"]
    assert len(items) == 40
    counts: dict[str, int] = {}
    for item in items:
        a, b = item["people"]
        assert (
            a["id"] != b["id"]
            and item["reason"]
            and item["synthetic"] is True
            and item["source"] == "survey-2021"
        )
        assert item["kind"] in (NEED_MET, SHARED_PROBLEM)
        if item["kind"] == NEED_MET:
            met = item["needs_met"][0]
            assert met["label"].lower() in item["reason"] and met["strength"]
            assert met["who_needs"] in (a["id"], b["id"]) and met["who_helps"] in (a["id"], b["id"])
        for p in (a, b):
            counts[p["id"]] = counts.get(p["id"], 0) + 1
        assert not (a["organisation"] and a["organisation"] == b["organisation"])
    assert max(counts.values()) <= 2
    points = [i["points"] for i in items]
    assert points == sorted(points, reverse=True)
    one = consenting[5].key
    mine = introductions(consenting, person=one, limit=3)["introductions"]
    assert len(mine) == 3 and all(one in {p["id"] for p in i["people"]} for i in mine)
    with pytest.raises(NotFoundError):
        introductions(consenting, person="nobody")


def test_introductions_shared_problem_and_same_organisation() -> None:
    a = _person("a", fields=("climate",), risks=("silos", "momentum"))
    b = _person("b", fields=("climate",), risks=("silos", "momentum"))
    c = _person("c", fields=("health",), risks=("short-termism",))
    body = introductions([a, b, c])
    assert [sorted(p["id"] for p in i["people"]) for i in body["introductions"]] == [["a", "b"]]
    item = body["introductions"][0]
    assert item["kind"] == SHARED_PROBLEM and "Both face" in item["reason"] and "Climate" in item["reason"]
    labels = {s["label"] for s in item["shared"]}
    assert labels == {"Climate", "Effect of silos", "Keeping momentum and motivation over time"}
    assert body["not_introduced"] == ["c"]
    a.organisation = b.organisation = "Same Org"
    assert introductions([a, b, c])["introductions"] == []
