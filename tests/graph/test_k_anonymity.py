"""The public graphs are k-anonymous: a SPARQL query over every combination of a respondent's
quasi-identifiers (place, sector, role, organisation, organisation type) finds none shared by fewer than
k respondents, on the default build and on a 10,000-respondent synthetic wave (docs/decisions/0010)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from graph.build import build_store
from graph.disclosure import LEVELS, Quasi, Shown, anonymise
from graph.ingest import load_survey
from graph.ingest.fields import FIELDS, MISSION_LEVEL
from graph.iris import Iris
from graph.store import OxigraphStore
from graph.store.base import Dataset, Store
from ontology import vocab
from ontology.queries import catalogue
from tests.graph.ingest.exports import base_table, write_csv

K = 5
MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"

PREFIXES = """PREFIX mg: <https://w3id.org/missiongraph/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
#: every combination, as the response shows it: its place, sector, role, organisation (or its type), and
#: the mission it leads to (``mg:describesMission``, or the mission's association with the respondent)
#: with that mission's place, which would give the respondent's country back
BY_RESPONSE = (
    PREFIXES
    + """SELECT ?place ?sector ?role ?org ?otype ?missions ?mplaces (COUNT(?r) AS ?n) WHERE {
  { SELECT ?r ?place ?sector ?role ?org ?otype
      (GROUP_CONCAT(DISTINCT STR(?m); separator=" ") AS ?missions)
      (GROUP_CONCAT(DISTINCT STR(?mplace); separator=" ") AS ?mplaces) WHERE {
    ?r a mg:SurveyResponse ; prov:wasAttributedTo ?a .
    OPTIONAL { ?r dct:spatial ?place } OPTIONAL { ?r mg:sector ?sector }
    OPTIONAL { ?r mg:respondentRole ?role }
    OPTIONAL { ?a org:memberOf ?org } OPTIONAL { ?a mg:organisationType ?otype }
    OPTIONAL {
      { ?r mg:describesMission ?m } UNION { ?m prov:qualifiedAssociation/prov:agent ?a }
      OPTIONAL { ?m dct:spatial ?mplace }
    }
  } GROUP BY ?r ?place ?sector ?role ?org ?otype }
} GROUP BY ?place ?sector ?role ?org ?otype ?missions ?mplaces ORDER BY ?n"""
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


#: the survey answers a response adds to the mission it describes
MISSION_ANSWERS = sorted(
    {FIELDS[f].property or "" for f in MISSION_LEVEL} | {"http://purl.org/dc/terms/subject"}
)


def unexplained_mission_answers(store: Store, iris: Iris) -> list[dict[str, object]]:
    """Survey answers on a mission in a public graph that no public response links to: they would tie
    the responses that gave them (the same answers) to the mission and its place."""
    values = " ".join(f"<{p}>" for p in MISSION_ANSWERS)
    out: list[dict[str, object]] = []
    for g in store.named_graphs():
        if not iris.is_public_graph(g) or not g.startswith(iris.survey_graph("").rstrip("/")):
            continue
        out += store.select(
            f"""SELECT ?m ?p ?v WHERE {{ GRAPH <{g}> {{
                  VALUES ?p {{ {values} }} ?m ?p ?v
                  FILTER NOT EXISTS {{ ?m a <{MG}SurveyResponse> }}
                  FILTER NOT EXISTS {{ ?r <{MG}describesMission> ?m }} }} }}"""
        )
    return out


def public(store: Store, iris: Iris) -> Dataset:
    return Dataset(default=tuple(g for g in store.named_graphs() if iris.is_public_graph(g)))


def assert_k_anonymous(store: Store, iris: Iris, respondents: int) -> None:
    by_response = store.select(BY_RESPONSE, dataset=public(store, iris))
    assert by_response
    assert [r for r in by_response if int(r["n"]) < K] == []  # type: ignore[call-overload]
    assert store.select(DISAGREEING, dataset=public(store, iris)) == []
    assert unexplained_mission_answers(store, iris) == []
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
    # no mission is described by k respondents of one combination here: every link is restricted
    assert disclosure["missions_linked"] == 0 and disclosure["missions_unlinked"] > 150


def test_own_missions_stay_public_without_a_way_to_their_respondents(
    default_build: tuple[Store, dict[str, object]],
) -> None:
    store, disclosure = default_build
    iris = Iris()
    ds = public(store, iris)
    missions = store.select(
        f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{MG}Mission> ; <{MG}synthetic> true ; "
        "<http://purl.org/dc/terms/spatial> ?c }",
        dataset=ds,
    )
    assert int(missions[0]["n"]) > 100  # type: ignore[call-overload]
    assert not store.ask(f"ASK {{ ?r <{MG}describesMission> ?m }}", dataset=ds)
    assert not store.ask("ASK { ?m <http://www.w3.org/ns/prov#qualifiedAssociation> ?a }", dataset=ds)
    # the Lab still has every link
    links = store.select(
        f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?r <{MG}describesMission> ?m }}",
        dataset=Dataset(default=(iris.restricted_graph,)),
    )
    assert int(links[0]["n"]) == disclosure["missions_unlinked"]  # type: ignore[call-overload]


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


def test_respondents_per_country_names_the_regions(default_build: tuple[Store, dict[str, object]]) -> None:
    store, _ = default_build
    rows = store.select(catalogue().render("respondents-per-country"), dataset=public(store, Iris()))
    regions = {str(r["code"]): str(r["name"]) for r in rows if str(r["country"]).startswith(f"{V}region/")}
    assert regions and all(code.isdigit() and name and not name.isdigit() for code, name in regions.items())
    assert all(r.get("code") and r.get("name") for r in rows)


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


def test_a_second_load_places_the_wave_again_never_finer() -> None:
    earlier = _records(300, 4)
    first, _ = anonymise(earlier, K)
    before = {key: s for key, s in first.items() if s is not None}
    second, report = anonymise([*earlier, *_records(37, 5)], K, before=before)
    combos = Counter(s.combination() for s in second.values() if s is not None)
    assert min(combos.values()) >= K
    assert report.respondents == 337 and report.withheld == 0
    for key, old in before.items():
        new = second[key]
        assert new is not None and new.at_least_as_coarse_as(old)


def test_a_raised_k_regeneralises_earlier_records() -> None:
    earlier = _records(300, 4)
    first, _ = anonymise(earlier, 3)
    before = {key: s for key, s in first.items() if s is not None}
    assert min(Counter(s.combination() for s in before.values()).values()) < K  # k=3 groups
    second, report = anonymise(earlier, K, before=before)
    assert min(Counter(s.combination() for s in second.values() if s is not None).values()) >= K
    assert report.earlier_changed > 0


def _with_missions(n: int, seed: int, missions: int) -> list[Quasi]:
    rng = random.Random(seed)
    return [
        Quasi(q.key, q.country, q.sector, q.role, q.organisation, f"urn:mission:{rng.randrange(missions)}")
        for q in _records(n, seed)
    ]


@pytest.mark.parametrize("missions", [3, 40, 400])
def test_the_mission_is_a_quasi_identifier(missions: int) -> None:
    records = _with_missions(600, 7, missions)
    shown, report = anonymise(records, K)
    combos = Counter(s.combination() for s in shown.values() if s is not None)
    assert min(combos.values()) >= K  # the combination includes the mission linked to
    linked = [s for s in shown.values() if s is not None and s.mission]
    assert report.missions_linked == len(linked) and report.missions_unlinked == 600 - len(linked)
    if missions == 3:  # 200 records a mission: many keep their link (finer places come first)
        assert len(linked) > 100
    if missions == 400:  # one or two records a mission: none can
        assert linked == []


def test_an_earlier_record_never_gains_a_link() -> None:
    records = _with_missions(60, 3, 1)
    before = {q.key: Shown(level=len(LEVELS) - 1) for q in records}  # shown as nothing, no link
    shown, _ = anonymise(records, K, before=before)
    assert all(s is not None and s.mission is None and s.level == len(LEVELS) - 1 for s in shown.values())


# --- two loads of one wave ---------------------------------------------------------------------


def _rows(n: int, start: int, country: str, mission: str) -> list[dict[str, str]]:
    header, rows = base_table()
    out = []
    for i in range(n):
        row = dict(rows[1])  # r002: an own mission, no contact consent
        row.update(
            respondent_id=f"w{start + i:03d}", country=country, mission_title=mission, name="", email=""
        )
        out.append(row)
    return out


def test_a_later_load_regeneralises_the_earlier_respondents(tmp_path: Path) -> None:
    """Loaded at k=3, the first file is shown in full (two groups of three, each with its mission);
    the second load runs at k=5: unless the first file's respondents are shown coarser, the union has
    groups of three."""
    store = OxigraphStore(tmp_path / "store")
    iris = Iris()
    first = write_csv(
        tmp_path / "first.csv", rows=_rows(3, 0, "DK", "Green roofs") + _rows(3, 3, "SE", "Bike city")
    )
    report = load_survey(store, iris, first, wave="2030", k=3)
    assert report.disclosure["missions_linked"] == 6
    assert store.ask(f"ASK {{ GRAPH <{iris.survey_graph('2030')}> {{ ?r <{MG}describesMission> ?m }} }}")
    second = write_csv(tmp_path / "second.csv", rows=_rows(2, 6, "NO", "Fjord care"))
    report = load_survey(store, iris, second, wave="2030", k=K)
    assert report.disclosure["earlier_changed"] == 6 and report.respondents_added == 2
    assert_k_anonymous(store, iris, 8)
    # loading the second file again changes nothing
    again = load_survey(store, iris, second, wave="2030", k=K)
    assert again.triples_added == 0 and again.disclosure["earlier_changed"] == 0


def test_big_groups_keep_full_detail() -> None:
    records = [
        Quasi(f"r{i}", vocab.country_iri("DK"), f"{V}sector/academia", f"{V}role/leader") for i in range(K)
    ]
    shown, report = anonymise(records, K)
    assert {s.place for s in shown.values() if s} == {vocab.country_iri("DK")}
    assert report.countries_generalised == 0 and report.full_detail == K
