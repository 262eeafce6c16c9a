"""The public graphs are k-anonymous: a SPARQL query over every combination of a respondent's
quasi-identifiers (place, sector, role, organisation, organisation type) finds none shared by fewer than
k respondents, on the default build and on a 10,000-respondent synthetic wave (docs/decisions/0010)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from graph.build import build_store
from graph.disclosure import LEVELS, Quasi, anonymise
from graph.iris import Iris
from graph.store import OxigraphStore
from graph.store.base import Dataset, Store
from ontology import vocab

K = 5
MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"

PREFIXES = """PREFIX mg: <https://w3id.org/missiongraph/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
#: every combination, as the response shows it
BY_RESPONSE = (
    PREFIXES
    + """SELECT ?place ?sector ?role ?org ?otype (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?r a mg:SurveyResponse ; prov:wasAttributedTo ?a .
  OPTIONAL { ?r dct:spatial ?place } OPTIONAL { ?r mg:sector ?sector }
  OPTIONAL { ?r mg:respondentRole ?role }
  OPTIONAL { ?a org:memberOf ?org } OPTIONAL { ?a mg:organisationType ?otype }
} GROUP BY ?place ?sector ?role ?org ?otype ORDER BY ?n"""
)
#: the other places a quasi-identifier shows must agree with the response (or the combinations above
#: would not be the whole story): the respondent's place, the mission association's role, the sector of
#: a shown organisation
DISAGREEING = (
    PREFIXES
    + """SELECT ?r ?kind ?other WHERE {
  ?r a mg:SurveyResponse ; prov:wasAttributedTo ?a .
  OPTIONAL { ?r dct:spatial ?place } OPTIONAL { ?r mg:sector ?sector }
  OPTIONAL { ?r mg:respondentRole ?role }
  {
    ?a dct:spatial ?other BIND ("place" AS ?kind)
  } UNION {
    ?assoc prov:agent ?a ; prov:hadRole ?other BIND ("role" AS ?kind)
  } UNION {
    ?a org:memberOf/org:classification ?other BIND ("sector" AS ?kind)
  }
  FILTER (
    (?kind = "place" && (!BOUND(?place) || ?other != ?place))
    || (?kind = "role" && (!BOUND(?role) || ?other != ?role))
    || (?kind = "sector" && (!BOUND(?sector) || ?other != ?sector))
  )
}"""
)


def public(store: Store, iris: Iris) -> Dataset:
    return Dataset(default=tuple(g for g in store.named_graphs() if iris.is_public_graph(g)))


def assert_k_anonymous(store: Store, iris: Iris, respondents: int) -> None:
    by_response = store.select(BY_RESPONSE, dataset=public(store, iris))
    assert by_response
    assert [r for r in by_response if int(r["n"]) < K] == []  # type: ignore[call-overload]
    assert store.select(DISAGREEING, dataset=public(store, iris)) == []
    assert sum(int(r["n"]) for r in by_response) == respondents  # type: ignore[call-overload]
    # the full detail is in the restricted graph: there, some combinations are small
    full = store.select(BY_RESPONSE, dataset=Dataset(default=(iris.restricted_graph,)))
    assert min(int(r["n"]) for r in full) < K  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, object]]:
    store = OxigraphStore(Path(tmp_path_factory.mktemp("kanon")) / "store")
    report = build_store(store, Iris(), k=K)
    return store, report.disclosure


def test_default_build_is_k_anonymous(default_build: tuple[Store, dict[str, object]]) -> None:
    store, disclosure = default_build
    assert_k_anonymous(store, Iris(), 227)
    # and the build reports what it generalised
    assert disclosure["k"] == K and disclosure["respondents"] == 227
    assert disclosure["countries_generalised"] > 0  # type: ignore[operator]
    assert disclosure["withheld"] == 0


def test_public_countries_are_countries_or_regions(default_build: tuple[Store, dict[str, object]]) -> None:
    store, _ = default_build
    iris = Iris()
    rows = store.select(
        f"SELECT DISTINCT ?p WHERE {{ ?r a <{MG}SurveyResponse> ; <http://purl.org/dc/terms/spatial> ?p }}",
        dataset=public(store, iris),
    )
    countries = set(vocab.countries().values())
    regions = {r for c in countries for r in vocab.world_regions(c)}
    places = {str(r["p"]) for r in rows}
    assert places and places <= countries | regions
    assert places & regions, "with 227 respondents some countries must be generalised"


def test_the_lab_sees_full_detail(default_build: tuple[Store, dict[str, object]]) -> None:
    store, _ = default_build
    iris = Iris()
    countries = store.select(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a a <http://xmlns.com/foaf/0.1/Person> ; "
        "<http://purl.org/dc/terms/spatial> ?c }",
        dataset=Dataset(default=(iris.restricted_graph,)),
    )
    assert countries[0]["n"] == 40  # the deck's 40 countries, in full detail


@pytest.mark.slow
def test_a_10k_synthetic_wave_is_k_anonymous(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    iris = Iris()
    report = build_store(store, iris, respondents=10_000, k=K)
    assert_k_anonymous(store, iris, 10_000)
    assert report.disclosure["respondents"] == 10_000


# --- the algorithm on its own ------------------------------------------------------------------


def _records(n: int, seed: int) -> list[Quasi]:
    rng = random.Random(seed)
    countries = list(vocab.countries().values())
    sectors = [f"{V}sector/{c}" for c in ("national-government", "private-sector", "academia", "foundation")]
    roles = [f"{V}role/{c}" for c in ("leader", "participant", "coordinator")]
    orgs = [f"urn:org:{i}" for i in range(n // 3 + 1)]
    return [
        Quasi(
            key=f"urn:r:{seed}:{i}",
            country=rng.choice(countries[: rng.choice((3, 10, len(countries)))]),
            sector=rng.choice(sectors) if rng.random() > 0.05 else None,
            role=rng.choice(roles) if rng.random() > 0.1 else None,
            organisation=rng.choice(orgs) if rng.random() > 0.2 else None,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [5, 12, 50, 227, 1000])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_shown_combination_has_k(n: int, seed: int) -> None:
    shown, report = anonymise(_records(n, seed), K)
    combos = Counter(s.combination() for s in shown.values() if s is not None)
    assert min(combos.values()) >= K
    assert report.withheld == 0 and sum(report.levels.values()) == n
    assert set(report.levels) <= set(LEVELS)


def test_a_wave_smaller_than_k_is_withheld() -> None:
    shown, report = anonymise(_records(4, 9), K)
    assert set(shown.values()) == {None} and report.withheld == 4


def test_a_second_load_keeps_what_the_first_showed() -> None:
    first, _ = anonymise(_records(300, 4), K)
    before = [s for s in first.values() if s is not None]
    second, report = anonymise(_records(37, 5), K, shown_before=before)
    combos = Counter(s.combination() for s in [*before, *(s for s in second.values() if s is not None)])
    assert min(combos.values()) >= K
    assert report.respondents == 37 and report.withheld == 0


def test_big_groups_keep_full_detail() -> None:
    records = [
        Quasi(f"r{i}", vocab.country_iri("DK"), f"{V}sector/academia", f"{V}role/leader") for i in range(K)
    ]
    shown, report = anonymise(records, K)
    assert {s.place for s in shown.values() if s} == {vocab.country_iri("DK")}
    assert report.countries_generalised == 0 and report.full_detail == K
