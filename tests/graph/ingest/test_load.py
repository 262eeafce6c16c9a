"""Loading survey exports: the RDF of decision 0002, idempotence, waves, layouts, personal data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import check_survey, load_survey
from graph.iris import Iris
from graph.store import OxigraphStore
from tests.graph.ingest.exports import (
    BASE,
    OPTION_COLUMNS,
    OPTION_MAPPING,
    base_table,
    data_graph_dump,
    write_xlsx,
)

MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "store")


def _values(store: OxigraphStore, sparql: str) -> list[dict[str, object]]:
    return store.select(sparql)


def test_load_reports_and_writes_the_wave_graph(store: OxigraphStore, iris: Iris) -> None:
    report = load_survey(store, iris, BASE)
    assert report.rows == 5
    assert report.respondents_added == 5
    assert report.synthetic is False  # an export of real answers (it names catalogue missions)
    assert report.triples_added == store.count() > 100
    assert set(store.named_graphs()) == {iris.survey_graph("2021"), iris.restricted_graph}
    rows = store.select(
        f"SELECT ?r WHERE {{ GRAPH <{iris.survey_graph('2021')}> {{ ?r a <{MG}SurveyResponse> ; "
        f"<http://www.w3.org/ns/prov#wasGeneratedBy> <{iris.wave('2021')}> }} }}"
    )
    assert len(rows) == 5
    assert not store.ask(f"ASK {{ GRAPH <{iris.survey_graph('2021')}> {{ ?s <{MG}synthetic> ?v }} }}")


def test_a_synthetic_file_naming_catalogue_missions_is_refused(
    store: OxigraphStore, iris: Iris, tmp_path: Path
) -> None:
    from graph.errors import IngestError
    from tests.graph.ingest.exports import write_csv

    # made-up data never describes a real mission: rows marked synthetic may not name one ...
    header, rows = base_table()
    for row in rows:
        row["wave_note"] = "synthetic"
    marked = write_csv(tmp_path / "marked.csv", header, rows)
    for check in (load_survey, check_survey):  # the dry run says the same
        with pytest.raises(IngestError) as caught:
            check(store, iris, marked)
        assert "synthetic" in str(caught.value) and "nothing was loaded" in str(caught.value)
        problems = {(p.row, p.column, p.value) for p in caught.value.problems}
        assert problems == {(2, "mission_id", "eu-mission-cancer"), (6, "mission_id", "eu-mission-soil")}
        assert all("catalogue mission" in p.message and p.expected for p in caught.value.problems)
    assert store.count() == 0
    # ... nor may a file the generator names synthetic, even without the marks in its rows
    header, rows = base_table()
    named = write_csv(tmp_path / "survey-2023-synthetic.csv", header, rows)
    with pytest.raises(IngestError, match="catalogue mission"):
        load_survey(store, iris, named)
    assert store.count() == 0
    # made-up respondents describing made-up missions of their own load, marked synthetic
    for row in rows:
        if row["mission_id"]:
            row["mission_id"], row["mission_title"] = "", "A made-up mission"
    report = load_survey(store, iris, write_csv(tmp_path / "survey-2023-synthetic.csv", header, rows))
    assert report.synthetic is True and report.respondents_added == 5


def test_answers_land_on_response_and_mission(store: OxigraphStore, iris: Iris) -> None:
    load_survey(store, iris, BASE)
    response = iris.response("2021", "r002")
    mission = iris.survey_mission(
        "2021",
        "Climate-neutral cities 2030",
        "SE",
        "Twenty-three cities reach climate neutrality by 2030.",
        2030,
    )
    g = iris.survey_graph("2021")
    risks = store.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <{response}> <{MG}perceivedRisk> ?o }} }}")
    assert [r["o"] for r in risks] == [f"{V}risk/committed-support"]
    # five respondents, each describing another mission: no link is shared by k=5, so the answers a
    # response adds to its mission are in the restricted graph (in public they would lead to the mission)
    rg = iris.restricted_graph
    fields = store.select(f"SELECT ?o WHERE {{ GRAPH <{rg}> {{ <{mission}> <{MG}challengeField> ?o }} }}")
    assert {r["o"] for r in fields} == {f"{V}challenge-field/cities", f"{V}challenge-field/climate"}
    assert not store.ask(f"ASK {{ GRAPH <{g}> {{ <{mission}> <{MG}challengeField> ?o }} }}")
    title = store.select(
        f"SELECT ?t WHERE {{ GRAPH <{g}> {{ <{mission}> <http://purl.org/dc/terms/title> ?t }} }}"
    )
    assert title == [{"t": "Climate-neutral cities 2030"}]
    # "Don't know" (a prefLabel) resolves to the code
    target = store.select(
        f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <{iris.response('2021', 'r004')}> <{MG}hasClearTarget> ?o }} }}"
    )
    assert target == [{"o": f"{V}answer/dont-know"}]
    # a catalogue mission gets the answers in a survey tier (here restricted), never in the catalogue graph
    cancer = iris.mission("eu-mission-cancer")
    phase = store.select(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{cancer}> <{MG}phase> ?o }} }}")
    assert phase == [{"g": rg, "o": f"{V}phase/implementation"}]

    def role_in(graph: str) -> list[dict[str, object]]:
        return store.select(
            f"SELECT ?role WHERE {{ GRAPH <{graph}> {{ <{cancer}> "
            "<http://www.w3.org/ns/prov#qualifiedAssociation> ?a . "
            f"?a <http://www.w3.org/ns/prov#agent> <{iris.respondent('2021', 'r001')}> ; "
            f"<http://www.w3.org/ns/prov#hadRole> ?role }} }}"
        )

    assert role_in(iris.restricted_graph) == [{"role": f"{V}role/coordinator"}]
    assert role_in(g) == []  # five respondents: no role is shared by k=5 of them in public
    # every question records its property
    recorded = store.select(
        f"SELECT ?p WHERE {{ GRAPH <{g}> {{ <{iris.question('clear-target')}> <{MG}recordedAs> ?p }} }}"
    )
    assert recorded == [{"p": f"{MG}hasClearTarget"}]


def test_personal_data_only_in_the_restricted_graph(store: OxigraphStore, iris: Iris) -> None:
    load_survey(store, iris, BASE)
    public = store.dump(ox.RdfFormat.N_QUADS, graphs=[iris.survey_graph("2021")]).decode()
    restricted = store.dump(ox.RdfFormat.N_QUADS, graphs=[iris.restricted_graph]).decode()
    for secret in (
        "Søren",
        "soren@example.dk",
        "4512345678",
        "Danish Design Centre",
        "Ana Lima",
        "contactConsent",
    ):
        assert secret not in public
    for secret in ("Søren Ærø", "mailto:soren@example.dk", "tel:+4512345678", "Danish Design Centre"):
        assert secret in restricted
    assert "_:" not in public + restricted  # no blank nodes


def test_same_file_twice_changes_nothing(store: OxigraphStore, iris: Iris) -> None:
    load_survey(store, iris, BASE)
    before = data_graph_dump(store)
    again = load_survey(store, iris, BASE)
    assert again.triples_added == 0 and again.respondents_added == 0
    assert data_graph_dump(store) == before


def test_a_new_wave_adds_its_own_graph(store: OxigraphStore, iris: Iris) -> None:
    load_survey(store, iris, BASE, wave="2021")
    first = data_graph_dump(store)
    report = load_survey(store, iris, BASE, wave="2023")
    assert report.respondents_added == 5
    after = data_graph_dump(store)
    assert first < after
    assert iris.survey_graph("2023") in store.named_graphs()
    waves = store.select(
        "SELECT ?w WHERE { GRAPH ?g { ?w a <http://rdf-vocabulary.ddialliance.org/discovery#Study> , "
        "<http://www.w3.org/ns/prov#Activity> } } ORDER BY ?w"
    )
    assert [w["w"] for w in waves] == [iris.wave("2021"), iris.wave("2023")]


def test_one_column_per_option_layout_gives_the_same_graph(tmp_path: Path, iris: Iris) -> None:
    a = OxigraphStore(None)
    b = OxigraphStore(None)
    load_survey(a, iris, BASE)
    load_survey(b, iris, OPTION_COLUMNS, mapping=OPTION_MAPPING)
    source = "<http://purl.org/dc/terms/source>"  # names the file, which differs
    qa = {q for q in data_graph_dump(a) if source not in q}
    qb = {q for q in data_graph_dump(b) if source not in q}
    assert qa == qb
    assert len(qa) > 300


def test_xlsx_loads_like_csv(tmp_path: Path, iris: Iris) -> None:
    header, rows = base_table()
    path = write_xlsx(tmp_path / "export.xlsx", header, rows)
    a = OxigraphStore(None)
    b = OxigraphStore(None)
    load_survey(a, iris, BASE)
    load_survey(b, iris, path)
    source = "<http://purl.org/dc/terms/source>"
    assert {q for q in data_graph_dump(a) if source not in q} == {
        q for q in data_graph_dump(b) if source not in q
    }


def test_formula_looking_cells_are_plain_text(store: OxigraphStore, iris: Iris) -> None:
    load_survey(store, iris, BASE)
    texts = store.select(f"SELECT ?t WHERE {{ GRAPH ?g {{ ?r <{MG}supportText>|<{MG}challengeText> ?t }} }}")
    found = {r["t"] for r in texts}
    assert {
        "=SUM(A1:A9) is not a formula here",
        "@mention a colleague",
        "+ more coordination needed",
        "-",
    } <= found


def test_check_survey_writes_nothing(store: OxigraphStore, iris: Iris) -> None:
    report = check_survey(store, iris, BASE)
    assert report.dry_run and report.rows == 5 and report.quads > 100
    assert store.count() == 0


def test_catalogue_ids_come_from_the_store_when_it_has_a_catalogue(store: OxigraphStore, iris: Iris) -> None:
    from graph.catalogue import load_catalogue

    load_catalogue(store, iris)
    report = load_survey(store, iris, BASE)
    assert not any("data/missions.csv" in n for n in report.notices)


def test_a_changed_respondent_is_refused_and_the_store_kept(
    store: OxigraphStore, iris: Iris, tmp_path: Path
) -> None:
    from graph.errors import IngestError
    from tests.graph.ingest.exports import write_csv

    load_survey(store, iris, BASE)
    before = data_graph_dump(store)
    header, rows = base_table()
    rows[0]["sector"] = "academia"  # r001 changed an answer
    rows[1]["mission_title"] = "Climate-neutral cities 2035"  # r002 renamed their own mission
    rows[3]["email"] = "chloe@example.org"  # r004 changed personal data
    rows[4]["mission_goal"] = "Halve it."  # r005 names a catalogue mission: a goal is not read, no change
    rows.append({**rows[0], "respondent_id": "r006"})  # a new respondent is fine on its own
    path = write_csv(tmp_path / "corrected.csv", header, rows)
    with pytest.raises(IngestError) as caught:
        load_survey(store, iris, path)
    assert {(p.row, p.value) for p in caught.value.problems} == {(2, "r001"), (3, "r002"), (5, "r004")}
    assert data_graph_dump(store) == before
    report = load_survey(store, iris, path, wave="2022")  # as a new wave it loads
    assert report.respondents_added == 6


REAL = Path(__file__).parents[2] / "fixtures" / "exports" / "real-names-catalogue-missions.csv"


def test_a_real_export_that_names_catalogue_missions_loads_on_them(store: OxigraphStore, iris: Iris) -> None:
    from graph.catalogue import load_catalogue

    load_catalogue(store, iris)
    # k=1: four respondents show in the public graph as they answered (with k=5 they would be withheld)
    report = load_survey(store, iris, REAL, wave="2022", k=1)
    assert report.rows == 4 and report.synthetic is False
    g = iris.survey_graph("2022")
    assert not store.ask(f"ASK {{ GRAPH <{g}> {{ ?s <{MG}synthetic> ?v }} }}")
    # both respondents' answers land on the catalogue mission, in the wave's graph, not the catalogue graph
    cancer = iris.mission("at-mission-cancer-national")
    pattern = f"?r <{MG}describesMission> <{cancer}>"
    rows = store.select(f"SELECT ?g (COUNT(?r) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g")
    assert {r["g"]: r["n"] for r in rows} == {g: 2, iris.restricted_graph: 2}  # public and full detail
    assert not store.ask(f"ASK {{ GRAPH <{iris.catalogue_graph}> {{ <{cancer}> <{MG}phase> ?p }} }}")
    # two colleagues naming the same own mission (spacing aside) describe one mission, in their country
    goal = "Every courtyard green by 2030."
    own = iris.survey_mission("2022", "Green courtyards Example Town", "DK", goal, 2030)
    assert own == iris.survey_mission("2022", "Green courtyards  Example Town", "dk", goal, 2030)
    described = store.select(f"SELECT DISTINCT ?m WHERE {{ GRAPH <{g}> {{ ?r <{MG}describesMission> ?m }} }}")
    assert {r["m"] for r in described} == {cancer, own}
    spatial = store.select(
        f"SELECT ?c WHERE {{ GRAPH <{g}> {{ <{own}> <http://purl.org/dc/terms/spatial> ?c }} }}"
    )
    assert [r["c"] for r in spatial] == ["http://publications.europa.eu/resource/authority/country/DNK"]
    # reloading the same file changes nothing, the shared mission included
    again = load_survey(store, iris, REAL, wave="2022", k=1)
    assert again.respondents_added == 0 and again.triples_added == 0
