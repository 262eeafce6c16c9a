"""Building the store from data/: every graph, the synthetic wave through ingest, shapes, idempotence."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import BuildReport, build_store
from graph.shacl import validate_nquads
from graph.store import OxigraphStore
from graph.store.base import Store
from tests.support import IRIS

MG = "https://w3id.org/missiongraph/def#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, BuildReport]:
    store = OxigraphStore(tmp_path_factory.mktemp("build") / "store")
    steps: list[str] = []
    report = build_store(store, IRIS, progress=lambda step, done, total: steps.append(step))
    assert steps[0] == "vocabulary" and steps[-1] == "survey"
    return store, report


def test_build_fills_every_graph(built: tuple[Store, BuildReport]) -> None:
    store, report = built
    assert store.named_graphs() == sorted(
        [IRIS.vocabulary_graph, IRIS.catalogue_graph, IRIS.figures_graph, IRIS.survey_graph("2021"),
         IRIS.restricted_graph]
    )  # fmt: skip
    assert report.respondents == 227 and report.synthetic
    assert all(n > 0 for n in report.graphs.values())
    responses = store.select(
        f"SELECT (COUNT(DISTINCT ?r) AS ?n) "
        f"{{ GRAPH ?g {{ ?r a <{MG}SurveyResponse> ; <{MG}synthetic> true }} }}"
    )
    assert responses[0]["n"] == 227  # in full detail in the restricted graph, k-anonymous in the public one
    missions = store.select(
        f"SELECT (COUNT(DISTINCT ?m) AS ?n) {{ GRAPH <{IRIS.catalogue_graph}> {{ ?m a <{MG}Mission> }} }}"
    )
    assert missions[0]["n"] == 225


def test_no_personal_data_outside_the_restricted_graph(built: tuple[Store, BuildReport]) -> None:
    store, _ = built
    public = [g for g in store.named_graphs() if g != IRIS.restricted_graph]
    dump = store.dump(ox.RdfFormat.N_QUADS, graphs=public)
    assert b"@example.org" not in dump and b"foaf/0.1/name" not in dump
    assert b"@example.org" in store.dump(ox.RdfFormat.N_QUADS, graphs=[IRIS.restricted_graph])


def test_the_built_data_conforms_to_the_shapes(built: tuple[Store, BuildReport]) -> None:
    store, _ = built
    # every graph, the vocabulary as stored included (its concepts are checked by the concept shapes)
    assert validate_nquads(store.dump(ox.RdfFormat.N_QUADS, graphs=store.named_graphs()), IRIS) == []


def test_building_again_changes_nothing(built: tuple[Store, BuildReport]) -> None:
    store, _ = built
    before = {g: store.count(g) for g in store.named_graphs()}
    build_store(store, IRIS)
    assert {g: store.count(g) for g in store.named_graphs()} == before


def test_another_size_is_generated_and_rebuild_replaces(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    build_store(store, IRIS, respondents=60)
    report = build_store(store, IRIS, respondents=45, rebuild=True)
    assert report.respondents == 45 and report.survey_file.endswith("synthetic-45.csv")
    rows = store.select(
        f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH ?g {{ ?r a <{MG}SurveyResponse> }} }}"
    )
    assert rows[0]["n"] == 45


DISCO = "http://rdf-vocabulary.ddialliance.org/discovery#"
#: a triple in a synthetic wave's graph about (or pointing at) a catalogue mission, or one a synthetic
#: response put on it in the restricted graph (where answers go whose link to the mission is not public)
SYNTHETIC_FACT_ON_CATALOGUE_MISSION = f"""ASK {{
  GRAPH <{IRIS.catalogue_graph}> {{ ?m a <{MG}Mission> }}
  {{
    GRAPH ?g {{ ?wave a <{DISCO}Study> ; <{MG}synthetic> true }}
    GRAPH ?g {{ {{ ?m ?p ?o }} UNION {{ ?s ?p ?m }} }}
  }} UNION {{
    GRAPH <{IRIS.restricted_graph}> {{ ?m ?p ?o . ?r <{MG}describesMission> ?m ; <{MG}synthetic> true }}
  }}
}}"""
#: a synthetic response attributed to a catalogue mission, in any graph
SYNTHETIC_RESPONSE_ON_CATALOGUE_MISSION = f"""ASK {{
  GRAPH <{IRIS.catalogue_graph}> {{ ?m a <{MG}Mission> }}
  GRAPH ?g {{ ?r a <{MG}SurveyResponse> ; <{MG}synthetic> true ; <{MG}describesMission> ?m }}
}}"""


def test_no_catalogue_mission_has_a_fact_from_a_synthetic_wave(built: tuple[Store, BuildReport]) -> None:
    store, _ = built
    assert not store.ask(SYNTHETIC_FACT_ON_CATALOGUE_MISSION)
    assert not store.ask(SYNTHETIC_RESPONSE_ON_CATALOGUE_MISSION)
    # every synthetic response describes a synthetic mission with a country and a level
    # (the Lab's view: the links and the answers about the missions are in the restricted graph, the
    # missions themselves, with their place, public)
    described = store.select(
        f"""SELECT ?m (COUNT(DISTINCT ?r) AS ?n) (SAMPLE(?c) AS ?country) (SAMPLE(?l) AS ?level)
        (SAMPLE(?s) AS ?synthetic) WHERE {{
          GRAPH <{IRIS.restricted_graph}> {{
            ?r a <{MG}SurveyResponse> ; <{MG}synthetic> true ; <{MG}describesMission> ?m }}
          OPTIONAL {{ GRAPH ?g1 {{ ?m <http://purl.org/dc/terms/spatial> ?c }} }}
          OPTIONAL {{ GRAPH ?g2 {{ ?m <{MG}level> ?l }} }}
          OPTIONAL {{ GRAPH ?g3 {{ ?m <{MG}synthetic> ?s }} }} }} GROUP BY ?m"""
    )
    assert len(described) > 100 and sum(int(r["n"]) for r in described) > 150
    assert all(r.get("synthetic") is True and r.get("country") and r.get("level") for r in described)
    assert any(int(r["n"]) > 1 for r in described)  # colleagues describe the same mission


def test_the_check_finds_a_synthetic_answer_on_a_catalogue_mission(tmp_path: Path) -> None:
    # the ingest refuses such data (tests/graph/ingest/test_load.py), so the ASKs are shown to fire on
    # a synthetic wave's response written into the store directly
    from graph.catalogue import load_catalogue

    store = OxigraphStore(tmp_path / "store")
    load_catalogue(store, IRIS)
    g, wave = IRIS.survey_graph("2099"), IRIS.wave("2099")
    response, cancer = IRIS.response("2099", "x1"), IRIS.mission("eu-mission-cancer")
    store.update(
        f"""INSERT DATA {{ GRAPH <{g}> {{
        <{wave}> a <{DISCO}Study> ; <{MG}synthetic> true .
        <{response}> a <{MG}SurveyResponse> ; <{MG}synthetic> true ; <{MG}describesMission> <{cancer}> .
        }} }}"""
    )
    assert store.ask(SYNTHETIC_FACT_ON_CATALOGUE_MISSION)
    assert store.ask(SYNTHETIC_RESPONSE_ON_CATALOGUE_MISSION)
