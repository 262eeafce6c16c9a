"""A store with the real catalogue, the concept schemes and a few survey responses, and indexes of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.catalogue import load_catalogue
from graph.iris import Iris
from graph.store import OxigraphStore, Store
from search.index import Index, build_index
from tests.support import IRIS

ROOT = Path(__file__).resolve().parents[2]
SCHEMES = ROOT / "ontology" / "schemes"
ENGINES = ["whoosh", "tantivy"]

#: risks per survey response: 3 say silos, 6 momentum; one names both (for OR within a facet)
RESPONSES = [
    ("r1", "dk-innomission-ccus", ["silos"], "Young people feel lonely after school and drift away.", "2021"),
    ("r2", "nl-circular-economy-2050", ["silos", "momentum"], "Plastic packaging waste piles up.", "2021"),
    ("r3", "eu-mission-soil", ["silos"], "Farmers struggle with soil erosion & <script> tags.", "2021"),
    ("r4", "eu-mission-cancer", ["momentum"], "Keeping momentum across ministries is hard.", "2021"),
    ("r5", "eu-mission-cities", ["momentum"], "Cities lose momentum after elections.", "2022"),
    ("r6", "se-viable-cities", ["momentum"], "Municipal budgets cut the programme.", "2022"),
    ("r7", "dk-ddc-thriving-youth", ["momentum"], "Schools and youth clubs work in silos.", "2022"),
    ("r8", "eu-mission-ocean-waters", ["momentum"], "Marine restoration needs long funding.", "2022"),
]
SECRET_NAME = "Quilliam Zebrafinch"


def survey_nquads(iris: Iris = IRIS) -> str:
    """Survey responses as decisions/0002 shapes them, plus personal data in the restricted graph."""
    mg = "https://w3id.org/missiongraph/def#"
    v = "https://w3id.org/missiongraph/vocab/"
    lines = []
    for key, mission, risks, text, wave in RESPONSES:
        g = f"<{iris.survey_graph(wave)}>"
        r = f"<{iris.response(wave, key)}>"
        m = f"<{iris.mission(mission)}>"
        person = f"<{iris.respondent(wave, key)}>"
        lines += [
            f"{r} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{mg}SurveyResponse> {g} .",
            f"{r} <http://www.w3.org/ns/prov#wasGeneratedBy> <{iris.wave(wave)}> {g} .",
            f"{r} <http://www.w3.org/ns/prov#wasAttributedTo> {person} {g} .",
            f"{r} <{mg}describesMission> {m} {g} .",
            f'{r} <{mg}challengeText> "{text}"@en {g} .',
            f"{r} <{mg}phase> <{v}phase/implementation> {g} .",
            f"{m} <{mg}phase> <{v}phase/implementation> {g} .",
            f'{person} <http://xmlns.com/foaf/0.1/name> "{SECRET_NAME}" <{iris.restricted_graph}> .',
        ]
        for risk in risks:
            lines.append(f"{r} <{mg}perceivedRisk> <{v}risk/{risk}> {g} .")
            lines.append(f"{m} <{mg}perceivedRisk> <{v}risk/{risk}> {g} .")
    return "\n".join(lines) + "\n"


def fill_store(store: Store, iris: Iris = IRIS, *, survey: bool = True) -> Store:
    load_catalogue(store, iris)
    for path in sorted(SCHEMES.glob("*.ttl")):
        store.load(path, ox.RdfFormat.TURTLE, graph=iris.vocabulary_graph)
    if survey:
        store.load(survey_nquads(iris).encode(), ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def search_store() -> Iterator[Store]:
    """Shared, read-only: tests that write make their own store."""
    store = fill_store(OxigraphStore(None))
    yield store
    store.close()


@pytest.fixture(scope="session", params=ENGINES)
def built_index(
    request: pytest.FixtureRequest, search_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Index]:
    path = tmp_path_factory.mktemp(f"index-{request.param}")
    index = build_index(search_store, IRIS, path, engine=request.param)
    yield index
    index.close()
