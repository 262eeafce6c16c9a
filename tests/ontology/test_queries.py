"""The SPARQL query catalogue: headers, safe parameters, and the figure queries on known data."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.catalogue import catalogue_ntriples
from graph.figures import figures_ntriples, read_figures
from graph.iris import Iris
from ontology.errors import QueryParameterError, UnknownQueryError, VocabularyError
from ontology.queries import NamedQuery, QueryCatalogue, catalogue, load_queries, parse_query
from ontology.vocab import write_vocabulary_ntriples

ROOT = Path(__file__).parents[2]
SMALL = Path(__file__).parent / "data/survey-small.trig"
QUERIES = sorted(load_queries().values(), key=lambda q: q.name)


def run(store: ox.Store, sparql: str) -> list[dict[str, object]]:
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row: dict[str, object] = {}
        for name in names:
            term = solution[name]
            if isinstance(term, ox.Literal):
                dt = term.datatype.value
                if dt.endswith(("#integer", "#decimal")):
                    row[name] = Decimal(term.value)
                else:
                    row[name] = term.value
            elif term is not None:
                row[name] = term.value
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def survey() -> ox.Store:
    store = ox.Store()
    store.load(path=str(SMALL), format=ox.RdfFormat.TRIG)
    store.load(write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x:vocabulary"))
    return store


@pytest.fixture(scope="module")
def published() -> ox.Store:
    store = ox.Store()
    iris = Iris()
    store.load(figures_ntriples(iris), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iris.figures_graph))
    return store


@pytest.fixture(scope="module")
def missions() -> ox.Store:
    store = ox.Store()
    iris = Iris()
    store.load(catalogue_ntriples(iris), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iris.catalogue_graph))
    store.load(
        write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iris.vocabulary_graph)
    )
    return store


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_has_headers_and_parses(query: NamedQuery) -> None:
    assert query.title and query.description
    text = query.render()
    assert "?_" not in text and "$_" not in text
    ox.Store().query(text)  # raises SyntaxError when it does not parse
    ox.Store().query(query.text)  # the unrendered file parses too (parameters are plain variables)


def test_every_deck_figure_has_a_published_and_a_recomputed_query() -> None:
    pairs = catalogue().figure_queries()
    codes = {f.code for f in read_figures()}
    assert len(codes) == 17
    assert set(pairs) == codes
    for code, kinds in pairs.items():
        assert set(kinds) == {"published", "recomputed"}, code
        assert kinds["published"].name == f"figure-{code}-published"
        assert kinds["recomputed"].name == f"figure-{code}-recomputed"


def test_published_queries_return_the_deck_values(published: ox.Store) -> None:
    pairs = catalogue().figure_queries()
    for fig in read_figures():
        rows = run(published, pairs[fig.code]["published"].render())
        assert len(rows) == 1, fig.code
        row = rows[0]
        assert row["base"] == 227
        if fig.share is not None:
            assert row["share"] == Decimal(fig.share)
        else:
            assert row["count"] == fig.count
        assert float(row["value"]) == pytest.approx(fig.value)  # type: ignore[arg-type]
    # the deck's own words, not just the file the figures were built from
    assert run(published, pairs["clear-target"]["published"].render())[0]["value"] == 25
    assert run(published, pairs["me-plan"]["published"].render())[0]["value"] == 11
    assert run(published, pairs["countries"]["published"].render())[0]["value"] == 40
    assert run(published, pairs["external-driver-collaboration"]["published"].render())[0]["value"] == 34
    every = run(published, catalogue().render("published-figures"))
    assert len(every) == 17
    one = run(published, catalogue().render("published-figure", {"code": "internal-driver-method"}))
    assert one[0]["value"] == 7


# worked out by hand from tests/ontology/data/survey-small.trig (8 responses in wave 2021)
EXPECTED_2021 = {
    "involved": (5, 8),
    "countries": (5, 8),
    "sector-national-government": (3, 8),
    "sector-private-sector": (2, 8),
    "sector-foundation": (1, 8),
    "external-driver-collaboration": (3, 8),
    "external-driver-global-challenges": (1, 8),
    "external-driver-economic": (1, 8),
    "external-driver-direction": (1, 8),
    "external-driver-individuals": (1, 8),
    "internal-driver-strategy": (2, 8),
    "internal-driver-policy": (1, 8),
    "internal-driver-impact": (1, 8),
    "internal-driver-capacity": (1, 8),
    "internal-driver-method": (1, 8),
    "clear-target": (3, 8),
    "me-plan": (1, 8),
}


@pytest.mark.parametrize("code", sorted(EXPECTED_2021))
def test_recomputed_queries_on_a_hand_written_wave(survey: ox.Store, code: str) -> None:
    query = catalogue().figure_queries()[code]["recomputed"]
    count, base = EXPECTED_2021[code]
    row = run(survey, query.render({"wave": "2021"}))[0]
    assert (row["count"], row["base"]) == (count, base)
    if code == "countries":
        assert row["value"] == count
    else:
        assert float(row["share"]) == pytest.approx(count / base)  # type: ignore[arg-type]
        assert float(row["value"]) == pytest.approx(100 * count / base)  # type: ignore[arg-type]


def test_recomputed_queries_keep_waves_apart(survey: ox.Store) -> None:
    pairs = catalogue().figure_queries()
    row = run(survey, pairs["clear-target"]["recomputed"].render({"wave": "2022"}))[0]
    assert (row["count"], row["base"]) == (1, 1)
    row = run(survey, pairs["countries"]["recomputed"].render({"wave": "2022"}))[0]
    assert row["count"] == 1
    row = run(survey, pairs["involved"]["recomputed"].render({"wave": "no-such-wave"}))[0]
    assert (row["count"], row["base"], row["share"]) == (0, 0, 0)
    generic = catalogue().render(
        "recomputed-share",
        {
            "property": "https://w3id.org/missiongraph/def#sector",
            "concept": "https://w3id.org/missiongraph/vocab/sector/private-sector",
        },
    )
    assert run(survey, generic)[0]["count"] == 2


def test_analyst_queries_on_the_wave(survey: ox.Store) -> None:
    per_country = {
        r["code"]: r["respondents"] for r in run(survey, catalogue().render("respondents-per-country"))
    }
    assert per_country == {"DNK": 2, "SWE": 2, "GBR": 2, "NLD": 1, "USA": 1}  # alpha-3, as in country:DNK
    pairs = {
        (str(r["risk"]).rsplit("/", 1)[1], str(r["need"]).rsplit("/", 1)[1]): r["responses"]
        for r in run(survey, catalogue().render("risks-support-needs"))
    }
    assert pairs[("silos", "evaluation")] == 3
    assert pairs[("momentum", "funding")] == 1
    assert ("committed-support", "evaluation") not in pairs
    risks = {
        str(r["answer"]).rsplit("/", 1)[1]: r["count"]
        for r in run(survey, catalogue().render("answers-to-question"))
    }
    assert risks == {"silos": 3, "momentum": 2, "committed-support": 1}
    phases = run(survey, catalogue().render("support-needs-by-phase"))
    assert {"phase": "portfolio", "need": "evaluation", "responses": 1} in phases


def catalogue_rows() -> list[dict[str, str]]:
    with (ROOT / "data/missions.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_mission_queries_on_the_catalogue(missions: ox.Store) -> None:
    rows = catalogue_rows()
    climate = {r["id"] for r in rows if "climate" in [f.strip() for f in r["challenge_fields"].split(";")]}
    got = {
        r["id"]
        for r in run(missions, catalogue().render("missions-by-challenge-field", {"field": "climate"}))
    }
    assert got == climate
    # a practitioner's word for the field works too
    got = {
        r["id"]
        for r in run(missions, catalogue().render("missions-by-challenge-field", {"field": "net zero"}))
    }
    assert got == climate
    danish = {r["id"] for r in rows if r["country"] == "DK"}
    for given in (
        "DNK",
        "dk",
        "Denmark",
        "<http://publications.europa.eu/resource/authority/country/DNK>"[1:-1],
    ):
        got = {r["id"] for r in run(missions, catalogue().render("missions-by-country", {"country": given}))}
        assert got == danish and danish, given
    assert {r["id"] for r in run(missions, catalogue().render("missions-with-sdg", {"goal": 13}))} >= climate
    counts = {r["code"]: r["missions"] for r in run(missions, catalogue().render("missions-per-country"))}
    assert counts["GBR"] == sum(r["country"] == "GB" for r in rows)
    every = run(missions, catalogue().render("catalogue-missions"))
    assert len(every) == len(rows) == 225
    concepts = run(missions, catalogue().render("scheme-concepts", {"scheme": "risk"}))
    assert [r["code"] for r in concepts][:1] and len(concepts) == 7


def test_who_can_help_uses_the_need_mapping() -> None:
    store = ox.Store()
    store.load(write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES)
    store.load(
        b"""
        @prefix mg: <https://w3id.org/missiongraph/def#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix ans: <https://w3id.org/missiongraph/vocab/answer/> .
        <http://x/m1> a mg:Mission ; dct:identifier "m1" ; dct:title "M1" ; mg:hasMonitoringPlan ans:yes .
        <http://x/m2> a mg:Mission ; dct:identifier "m2" ; dct:title "M2" ; mg:hasMonitoringPlan ans:no .
        """,
        ox.RdfFormat.TURTLE,
    )
    rows = run(store, catalogue().render("who-can-help", {"need": "evaluation"}))
    assert [r["id"] for r in rows] == ["m1"]
    assert run(store, catalogue().render("who-can-help", {"need": "target-setting"})) == []


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("missions-with-sdg", {"goal": "13 } ; DROP ALL ; #"}),
        ("missions-with-sdg", {"goal": "thirteen"}),
        ("missions-with-sdg", {"goal": True}),
        ("recomputed-share", {"property": "https://example.org/> } DROP ALL { <x"}),
        ("recomputed-share", {"property": "not an iri"}),
        ("missions-by-challenge-field", {"field": "alien-invasion"}),
        ("missions-by-challenge-field", {"nope": "climate"}),
        ("missions-by-country", {"country": "DK\x00"}),
        ("missions-by-country", {"country": "x" * 5000}),
    ],
)
def test_bad_parameter_values_are_refused(name: str, values: dict[str, object]) -> None:
    with pytest.raises(QueryParameterError):
        catalogue().render(name, values)


def test_string_parameters_cannot_break_out(survey: ox.Store) -> None:
    hostile = '2021") } } SELECT * WHERE { ?s ?p ?o } #'
    text = catalogue().render("respondents-per-country", {"wave": hostile})
    ox.Store().query(text)  # still one well-formed query
    assert run(survey, text) == []
    assert '"2021\\") } } SELECT * WHERE { ?s ?p ?o } #"' in text


def test_catalogue_lookup_and_file_checks() -> None:
    cat = QueryCatalogue()
    assert "published-figures" in cat and len(cat) == len(QUERIES) >= 45
    with pytest.raises(UnknownQueryError):
        cat.get("no-such-query")
    with pytest.raises(VocabularyError):
        parse_query("x", "# description: no title\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(VocabularyError):
        parse_query("x", "# title: t\n# description: d\nSELECT * WHERE { ?s ?p ?_undeclared }")
    with pytest.raises(VocabularyError):
        parse_query("x", "# title: t\n# description: d\n# param: n integer ten\nSELECT * WHERE { ?s ?p ?_n }")
    with pytest.raises(VocabularyError):
        parse_query("x", "# title: t\n# description: d\n# param: n code:nope x\nSELECT * WHERE { ?s ?p ?_n }")
    q = parse_query(
        "x", "# title: t\n# description: d\n# param: n integer\nSELECT * WHERE { ?s ?p ?_n . ?_n ?p ?_n }"
    )
    with pytest.raises(QueryParameterError):
        q.render()
    assert q.render({"n": 7}).endswith("SELECT * WHERE { ?s ?p 7 . 7 ?p 7 }")


@pytest.mark.parametrize("code", sorted(EXPECTED_2021))
def test_published_equals_recomputed_on_the_hand_written_wave(survey: ox.Store, code: str) -> None:
    # the fixture's figures graph states what its own 8 responses give
    pair = catalogue().figure_queries()[code]
    published = run(survey, pair["published"].render())
    recomputed = run(survey, pair["recomputed"].render({"wave": "2021"}))
    assert len(published) == len(recomputed) == 1
    count, base = EXPECTED_2021[code]
    assert published[0]["base"] == base
    assert float(published[0]["value"]) == pytest.approx(float(recomputed[0]["value"]))  # type: ignore[arg-type]
    expected = count if code == "countries" else 100 * count / base
    assert float(published[0]["value"]) == pytest.approx(expected)  # type: ignore[arg-type]
