"""Who can help me, workshop groups and the cohort benchmark on a small synthetic wave."""

from __future__ import annotations

import pytest

from graph.errors import InvalidInputError, NotFoundError
from graph.network.benchmark import benchmark
from graph.network.groups import form_groups
from graph.network.view import NetworkView
from graph.network.who_can_help import helpers
from tests.support import IRIS
from tests.support.stores import survey_store


@pytest.fixture(scope="module")
def view() -> NetworkView:
    return NetworkView.build(survey_store(IRIS), IRIS)


def _ids(body: dict, need: str) -> list[str]:
    return [h["id"] for n in body["needs"] if n["need"] == need for h in n["helpers"]]


def test_helpers_show_the_matching_strength_in_a_related_field(view: NetworkView) -> None:
    body = helpers(view.model, "s-t1-needy")
    assert [n["need"] for n in body["needs"]] == ["evaluation", "target-setting"]
    # an M&E plan and the same field: helps; an M&E plan elsewhere, or the field without a plan: does not
    assert _ids(body, "evaluation") == ["s-t1-planner"]
    assert set(_ids(body, "target-setting")) == {"s-t1-planner", "s-t1-target"}
    helper = body["needs"][0]["helpers"][0]
    assert "Mental health" in helper["fields"]["same"]
    assert any("monitoring" in s.lower() for s in helper["strengths"])
    assert "Mental health" in helper["reason"]


def test_helpers_for_named_needs_and_bad_needs(view: NetworkView) -> None:
    assert helpers(view.model, "eu-mission-cancer")["note"]  # catalogue missions name no needs
    body = helpers(view.model, "eu-mission-cancer", needs=["funding"])
    assert body["needs"][0]["need"] == "funding"
    assert all(h["id"] != "eu-mission-cancer" for h in body["needs"][0]["helpers"])
    with pytest.raises(InvalidInputError):
        helpers(view.model, "eu-mission-cancer", needs=["no-such-need"])
    with pytest.raises(NotFoundError):
        helpers(view.model, "no-such-mission")


def test_benchmark_suppresses_small_counts(view: NetworkView) -> None:
    body = benchmark(view.model, "s-t1-needy", k=5)
    items = {i["item"]: i for i in body["items"]}
    target = items["clear-target"]
    assert target["mission"] == ["no"]
    assert target["base"] == "<5"  # four survey missions answered
    assert all(c["missions"] == "<5" and c["share"] is None for c in target["cohort"])
    funding = items["funding-source"]
    shown = {c["value"]: c for c in funding["cohort"]}
    assert shown["National state funding"]["missions"] == 191  # 190 catalogue missions + one survey mission
    assert isinstance(shown["National state funding"]["share"], float)
    assert shown["Local funding"]["this_mission"] is True
    # with k = 1 nothing is hidden
    small = {i["item"]: i for i in benchmark(view.model, "s-t1-needy", k=1)["items"]}
    assert small["clear-target"]["base"] == 4


PARTICIPANTS = [
    "s-t1-needy",
    "s-t1-planner",
    "s-t1-target",
    "s-t1-offtopic",
    "eu-mission-cities",
    "se-viable-cities",
    "at-climate-neutral-city",
    "de-hts-plastics",
    "es-cdti-polymer-recycling",
    "au-mrff-million-minds",
    "jp-moonshot-goal9",
    "gb-lu-wellbeing",
]


def test_groups_deterministic_balanced_and_better_than_random(view: NetworkView) -> None:
    a = form_groups(view.model, PARTICIPANTS, 3, seed=7)
    b = form_groups(view.model, PARTICIPANTS, 3, seed=7)
    assert a == b
    members = [m["id"] for g in a["groups"] for m in g["members"]]
    assert sorted(members) == sorted(PARTICIPANTS)
    assert {len(g["members"]) for g in a["groups"]} == {3}
    assert a["quality"]["points"] > a["random_split"]["points"]
    assert a["quality"]["shared_per_pair"] > a["random_split"]["shared_per_pair"]
    assert all(g["summary"] for g in a["groups"])
    cities = next(g for g in a["groups"] if any(m["id"] == "eu-mission-cities" for m in g["members"]))
    assert {m["id"] for m in cities["members"]} == {
        "eu-mission-cities",
        "se-viable-cities",
        "at-climate-neutral-city",
    }
    assert "cities" in cities["summary"]
    # every item says where it comes from: survey missions of wave t1 are synthetic, catalogue ones not
    by_id = {m["id"]: m for g in a["groups"] for m in g["members"]}
    assert by_id["eu-mission-cities"]["synthetic"] is False
    assert by_id["eu-mission-cities"]["source"] == "catalogue"
    assert by_id["s-t1-needy"]["synthetic"] is True
    # the summary is sentences a facilitator reads, not raw objective numbers
    assert a["summary"][0].startswith(("Every group", f"{a['quality']['groups_with_common_ground']} of"))
    assert any("sectors per group against" in line for line in a["summary"])


def test_groups_from_profiles(view: NetworkView) -> None:
    profiles = [
        {
            "id": "p1",
            "challenge-field": ["mental-health"],
            "support-need": ["evaluation"],
            "sector": "foundation",
        },
        {
            "id": "p2",
            "challenge-field": ["mental-health"],
            "support-need": ["evaluation"],
            "sector": "academia",
        },
        {"id": "p3", "challenge-field": ["climate"], "support-need": ["funding"], "sector": "foundation"},
        {"id": "p4", "challenge-field": ["climate"], "support-need": ["funding"], "sector": "academia"},
    ]
    body = form_groups(view.model, profiles, 2, seed=0)
    mixed = form_groups(view.model, [*profiles[:2], {"id": "p5", "country": "DK", "sector": "foundation"}], 3)
    assert mixed["groups"][0]["countries"] == ["Denmark"]
    assert "Foundation or philanthropy" in mixed["groups"][0]["sectors"]
    pairs = sorted(sorted(m["id"] for m in g["members"]) for g in body["groups"])
    assert pairs == [["p1", "p2"], ["p3", "p4"]]
    with pytest.raises(InvalidInputError):
        form_groups(view.model, profiles, 1)
    with pytest.raises(InvalidInputError):
        form_groups(view.model, [*profiles, profiles[0]], 2)


def test_peers_for_a_profile_with_evidence(view: NetworkView) -> None:
    from graph.network.features import public_dataset

    store = survey_store(IRIS)
    profile = {
        "challenge-field": ["mental-health"],
        "support-need": ["evaluation"],
        "goal": ["loneliness young"],
    }
    found = view.model.peers_for_profile(profile, limit=5)
    ids = [p.id for p in found]
    assert ids[0] in {"s-t1-needy", "s-t1-target"}
    for p in found:
        rows = store.select(p.sparql, dataset=public_dataset(store, IRIS))
        shown = {(r["dimension"], r["value"]) for r in rows}
        for d in p.explanation:
            for s in d.shared:
                value = s["term"].strip("<>") if s["term"].startswith("<") else s["term"]
                assert (d.name, value) in shown, (p.id, d.name, value)
    with pytest.raises(InvalidInputError):
        view.model.peers_for_profile({"challenge-field": ["no-such-field"]})
    with pytest.raises(InvalidInputError):
        view.model.peers_for_profile({"no-such-dimension": ["x"]})


def test_survey_explanations_link_both_missions(view: NetworkView) -> None:
    from graph.network.features import public_dataset
    from graph.network.weights import dimension

    store = survey_store(IRIS)
    dims_seen = set()
    for mission in ("s-t1-needy", "s-t1-planner", "s-t1-target"):
        a = IRIS.mission(mission)
        for p in view.model.peers(mission, limit=8):
            for d in p.explanation:
                if d.name in ("goal-text", "goal-semantic"):
                    continue
                path = dimension(d.name).path
                for s in d.shared:
                    ask = f"ASK {{ <{a}> {path} {s['term']} . <{p.iri}> {path} {s['term']} . }}"
                    assert store.ask(ask, dataset=public_dataset(store, IRIS)), (mission, p.id, d.name, s)
                    dims_seen.add(d.name)
    assert {"risk", "support-need", "driver", "challenge-field"} <= dims_seen


def test_helpers_for_needs_without_a_mission(view: NetworkView) -> None:
    body = helpers(view.model, None, needs=["evaluation"])
    # both missions with an M&E plan help, whatever their topic; each says where it comes from
    assert set(_ids(body, "evaluation")) == {"s-t1-planner", "s-t1-offtopic"}
    assert all(h["synthetic"] and h["source"] == "survey-t1" for n in body["needs"] for h in n["helpers"])
    # filtered by challenge field (code or label) and level
    assert _ids(helpers(view.model, None, needs=["evaluation"], fields=["Mental health"]), "evaluation") == [
        "s-t1-planner"
    ]
    assert _ids(helpers(view.model, None, needs=["evaluation"], levels=["national"]), "evaluation") == []
    assert _ids(helpers(view.model, None, needs=["evaluation"], synthetic="exclude"), "evaluation") == []
    with pytest.raises(InvalidInputError, match="evaluation"):
        helpers(view.model, None)  # a need is required without a mission
    with pytest.raises(InvalidInputError, match="target-setting"):
        helpers(view.model, None, needs=["telepathy"])  # names the valid codes


def test_obstacles_mode_finds_the_same_obstacles_on_any_topic(view: NetworkView) -> None:
    model = view.model
    peers = model.peers("s-t1-needy", limit=20, mode="obstacles")
    ids = [p.id for p in peers]
    assert ids[0] == "s-t1-target"  # the same risk, challenge and support need
    assert all(i.startswith("s-t1-") for i in ids)  # catalogue missions have no answers to share
    for p in peers:
        lead = [d for d in p.explanation if d.name in ("risk", "challenge", "support-need") and d.shared]
        assert lead, p.id
        assert all(d.name not in ("challenge-field", "goal-text", "sdg") for d in p.explanation)
    # a catalogue mission has no survey answers: nothing to compare on in this mode
    q = model.query_for_row(model.row("eu-mission-cancer"))
    assert not model.has_basis(q, "obstacles") and model.peers("eu-mission-cancer", mode="obstacles") == []
    with pytest.raises(InvalidInputError, match="problem, obstacles"):
        model.peers("s-t1-needy", mode="vibes")


def test_a_dimension_without_answers_is_not_a_mismatch(view: NetworkView) -> None:
    """A mission nobody answered the survey about is not ranked below one whose answers differ."""
    model = view.model
    profile = {"challenge-field": ["mental-health"], "risk": ["short-termism"]}
    q = model.query_for_profile(profile)
    scores = model.scores(q)
    planner = scores[model.row("s-t1-planner")]  # mental health, but other risks
    catalogue = [m for m in model.features.ids if not m.startswith("s-")]
    mental = [
        m
        for m in catalogue
        if "<https://w3id.org/missiongraph/vocab/challenge-field/mental-health>"
        in {
            model.features.dims["challenge-field"].terms[c]
            for c in model.features.dims["challenge-field"].values_of(model.row(m))
        }
        and len(model.features.dims["challenge-field"].values_of(model.row(m))) == 1
    ]
    assert mental, "the catalogue has single-field mental-health missions"
    for m in mental:
        assert scores[model.row(m)] > planner, m
        peer = model.peer(q, model.row(m), float(scores[model.row(m)]))
        risk = next(d for d in peer.explanation if d.name == "risk")
        assert risk.assumed and not risk.shared  # said so in the explanation
