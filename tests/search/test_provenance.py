"""Honest results: provenance on every item, the synthetic filter, the Source facet, the relevance floor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.settings import Settings
from graph.errors import InvalidInputError
from graph.iris import Iris
from graph.store import OxigraphStore, Store
from search import ranking
from search.index import Index, build_index
from tests.search.conftest import IRIS, fill_store
from tests.support.uvicorn_server import running_server

MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"
#: made-up missions of a synthetic wave 2023, each described by one synthetic response
MADE_UP = [
    ("a1", "No young person alone in Narnia", "End loneliness among young people in Narnia by 2030."),
    ("a2", "Thriving youth Atlantis", "Young people in Atlantis feel less lonely and anxious by 2032."),
    ("a3", "Clean harbour Lilliput", "No plastic packaging waste in the harbour of Lilliput by 2030."),
]


def synthetic_nquads(iris: Iris = IRIS, wave: str = "2023") -> str:
    g = f"<{iris.survey_graph(wave)}>"
    yes = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    lines = []
    for key, title, goal in MADE_UP:
        r, m = f"<{iris.response(wave, key)}>", f"<{iris.mission(f's-{wave}-{key}')}>"
        lines += [
            f"{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MG}Mission> {g} .",
            f'{m} <http://purl.org/dc/terms/identifier> "s-{wave}-{key}" {g} .',
            f'{m} <http://purl.org/dc/terms/title> "{title}"@en {g} .',
            f'{m} <{MG}goalStatement> "{goal}"@en {g} .',
            f"{m} <{MG}synthetic> {yes} {g} .",
            f"{m} <{MG}perceivedRisk> <{V}risk/silos> {g} .",
            f"{r} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MG}SurveyResponse> {g} .",
            f"{r} <http://www.w3.org/ns/prov#wasGeneratedBy> <{iris.wave(wave)}> {g} .",
            f"{r} <{MG}describesMission> {m} {g} .",
            f'{r} <{MG}challengeText> "{goal} Silos between departments."@en {g} .',
            f"{r} <{MG}synthetic> {yes} {g} .",
        ]
    return "\n".join(lines) + "\n"


def fill_with_synthetic(store: Store) -> Store:
    fill_store(store)  # the catalogue, the concept schemes and a real-looking export (waves 2021, 2022)
    store.load(synthetic_nquads().encode(), ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = fill_with_synthetic(OxigraphStore(None))
    yield s
    s.close()


@pytest.fixture(scope="module")
def index(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    built = build_index(store, IRIS, tmp_path_factory.mktemp("provenance"), engine="whoosh")
    yield built
    built.close()


def _counts(body: dict[str, Any], facet: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in body["facets"][facet]}


def test_every_item_says_synthetic_and_source(index: Index) -> None:
    body = index.search("young people lonely", limit=100)
    assert body["results"]
    for hit in body["results"]:
        assert isinstance(hit["synthetic"], bool) and hit["source"]
    everything = {d.id: d for d in index.docs}
    assert everything["dk-ddc-thriving-youth"].source == "catalogue"
    assert everything["dk-ddc-thriving-youth"].synthetic is False
    assert everything["s-2023-a1"].synthetic is True and everything["s-2023-a1"].source == "survey-2023"
    responses = {d.title: d for d in index.docs if d.type == "response"}
    made_up_response = responses["Survey response 2023: No young person alone in Narnia"]
    assert made_up_response.synthetic is True and made_up_response.source == "survey-2023"
    # a response of an export that is not marked synthetic is real, and says which wave it comes from
    real_response = responses["Survey response 2021: EU Mission: Cancer"]
    assert real_response.synthetic is False and real_response.source == "survey-2021"
    assert everything["risk/silos"].source == "vocabulary" and not everything["risk/silos"].synthetic
    made_up = [h for h in body["results"] if h["id"].startswith("s-2023-")]
    assert made_up and all(h["synthetic"] and h["source"] == "survey-2023" for h in made_up)


def test_synthetic_filter_include_exclude_only(index: Index) -> None:
    q = "young people lonely anxious"
    include = index.search(q, limit=100)
    exclude = index.search(q, limit=100, synthetic="exclude")
    only = index.search(q, limit=100, synthetic="only")
    assert include["synthetic"] == "include" and exclude["synthetic"] == "exclude"
    assert any(h["synthetic"] for h in include["results"])
    assert exclude["results"] and not any(h["synthetic"] for h in exclude["results"])
    assert only["results"] and all(h["synthetic"] for h in only["results"])
    assert include["total"] == exclude["total"] + only["total"]
    # the real items keep their order when the made-up ones are dropped
    assert [h["id"] for h in include["results"] if not h["synthetic"]] == [
        h["id"] for h in exclude["results"]
    ]
    # real missions first: every real result comes before every made-up one, however they score
    flags = [h["synthetic"] for h in include["results"]]
    assert flags == sorted(flags) and flags[0] is False and flags[-1] is True
    # the score shown is the fused score: a made-up result may show more than the real one above it
    made_up_best = max(h["score"] for h in include["results"] if h["synthetic"])
    assert made_up_best == only["results"][0]["score"]
    with pytest.raises(InvalidInputError, match="include, exclude, only"):
        index.search(q, synthetic="hide")


def test_source_facet_counts_add_up_to_the_total(index: Index) -> None:
    for q in ("", "young people lonely", "plastic packaging waste", "silos"):
        for mode in ("include", "exclude", "only"):
            body = index.search(q, limit=5, synthetic=mode, small_count_k=1)
            sources = _counts(body, "source")
            assert sum(sources.values()) == body["total"], (q, mode)
            assert sum(_counts(body, "type").values()) == body["total"], (q, mode)
            for value, count in sources.items():
                narrowed = index.search(
                    q, filters={"source": [value]}, limit=1, synthetic=mode, small_count_k=1
                )
                assert narrowed["total"] == count, (q, mode, value)
    everything = index.search("", small_count_k=1)
    assert _counts(everything, "source") == {
        "catalogue": sum(1 for d in index.docs if d.source == "catalogue"),
        "vocabulary": sum(1 for d in index.docs if d.type == "concept"),
        "survey-2021": 4,
        "survey-2022": 4,
        "survey-2023": 6,
    }
    assert "survey-2022" not in _counts(index.search("", synthetic="only", small_count_k=1), "source")
    labels = {f["value"]: f["label"] for f in everything["facets"]["source"]}
    assert labels["survey-2023"] == "Survey wave 2023 (synthetic)"
    assert labels["survey-2021"] == "Survey wave 2021" and labels["catalogue"] == "Missions catalogue"


def test_stop_words_only_find_nothing_and_say_why(index: Index) -> None:
    for q in ("a", "the of", "  and OR the  "):
        body = index.search(q, small_count_k=1)
        assert body["total"] == 0 and body["results"] == [], q
        assert body["notice"]["code"] == "only-stop-words"
        assert "stop words" in body["notice"]["message"]
        assert all(f["count"] == 0 for values in body["facets"].values() for f in values)
    assert index.search("a")["notice"]["ignored"] == ["a"]
    # the empty query still lists everything (browsing by facets)
    browse = index.search("", limit=1)
    assert browse["total"] == index.size and browse["notice"] is None
    # browsing lists real missions and responses first, then made-up items and concepts
    listing = index.search("", limit=100, filters={"type": ["response"]})["results"]
    flags = [h["synthetic"] for h in listing]
    assert flags == sorted(flags) and flags[0] is False and flags[-1] is True
    # stop words beside a content word change nothing
    assert (
        index.search("the soil", semantic=False)["total"] == index.search("soil", semantic=False)["total"] > 0
    )


def test_the_relevance_floor_cuts_the_semantic_tail(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    body = index.search("soil", limit=100)
    assert body["results"][0]["id"] in {"challenge-field/soil", "eu-mission-soil"}
    floor = max(ranking.MIN_SCORE, ranking.RELATIVE_FLOOR * body["results"][0]["score"])
    assert all(h["score"] >= floor - 1e-6 for h in body["results"])
    assert body["total"] == len(body["results"])  # the total counts what can be paged to, no more
    monkeypatch.setattr(ranking, "MIN_SCORE", 0.0)
    monkeypatch.setattr(ranking, "RELATIVE_FLOOR", 0.0)
    unfloored = index.search("soil", limit=100)
    assert unfloored["total"] > 3 * body["total"]
    assert min(h["score"] for h in unfloored["results"]) < floor


def test_nothing_above_the_floor_says_so(index: Index) -> None:
    # lexical only: a made-up word matches nothing (its embedding may still land near some document)
    body = index.search("qzxv", semantic=False)
    assert body["total"] == 0 and body["results"] == [] and body["notice"]["code"] == "no-match"


def test_paging_reaches_exactly_the_total(index: Index) -> None:
    for mode in ("include", "exclude"):
        first = index.search("young people", limit=3, synthetic=mode)
        seen = [h["id"] for h in first["results"]]
        cursor = first["next_cursor"]
        while cursor:
            page = index.search("young people", limit=3, synthetic=mode, cursor=cursor)
            seen += [h["id"] for h in page["results"]]
            cursor = page["next_cursor"]
        assert len(seen) == len(set(seen)) == first["total"]
        # the pages keep the order of one long list: real results first, then the made-up ones
        whole = index.search("young people", limit=100, synthetic=mode)["results"]
        assert first["total"] <= 100 and seen == [h["id"] for h in whole]
    # a cursor is bound to the synthetic filter too
    cursor = index.search("young people", limit=1)["next_cursor"]
    with pytest.raises(InvalidInputError, match="cursor"):
        index.search("young people", limit=1, synthetic="exclude", cursor=cursor)


# --- over HTTP ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(index: Index, store: Store) -> Iterator[httpx.Client]:
    settings = Settings(store="memory", rate_limit_per_minute=0)
    app = create_app(settings, store=store, index=index)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def test_bad_synthetic_value_is_a_problem(client: httpx.Client) -> None:
    for value in ("hide", "real"):
        r = client.get("/api/search", params={"q": "youth", "synthetic": value})
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert "include, exclude, only" in problem["detail"]
        assert problem.get("parameter") == "synthetic" or "synthetic" in problem["detail"]
    twice = client.get("/api/search", params=[("synthetic", "include"), ("synthetic", "exclude")])
    assert twice.status_code == 400


def test_search_items_carry_provenance_over_http(client: httpx.Client) -> None:
    # real results first: the made-up ones follow them, so the whole list is asked for
    body = client.get("/api/search", params={"q": "young people lonely", "limit": 100}).json()
    assert all({"synthetic", "source"} <= set(h) for h in body["results"])
    assert any(h["synthetic"] for h in body["results"])
    real = client.get(
        "/api/search", params={"q": "young people lonely", "limit": 20, "synthetic": "exclude"}
    ).json()
    assert real["results"] and not any(h["synthetic"] for h in real["results"])
    assert "survey-2023" not in {f["value"] for f in real["facets"]["source"]}
    stop = client.get("/api/search", params={"q": "a"}).json()
    assert stop["total"] == 0 and stop["notice"]["code"] == "only-stop-words"


def test_search_page_marks_synthetic_items(client: httpx.Client) -> None:
    # real results first: a made-up item is on the first page when fewer real ones match than fit it
    page = client.get("/search", params={"q": "plastic waste in the harbour of Lilliput"}).text
    assert 'data-synthetic="true"' in page and "synthetic-badge" in page and 'id="real-only"' in page
    real = client.get("/search", params={"q": "young people lonely", "synthetic": "exclude"}).text
    assert 'data-synthetic="true"' not in real and 'data-synthetic="false"' in real
    assert "synthetic demo data is hidden" in real
    stop = client.get("/search", params={"q": "the"})
    assert stop.status_code == 200 and "only common words" in stop.text
    bad = client.get("/search", params={"q": "x", "synthetic": "maybe"})
    assert bad.status_code == 400 and "include, exclude, only" in bad.text


# --- the CLI -------------------------------------------------------------------------------------
def test_cli_shows_a_synthetic_column_and_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_with_synthetic(OxigraphStore(tmp_path / "store")).close()
    monkeypatch.setenv("MISSIONGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MISSIONGRAPH_STORE", "oxigraph")
    monkeypatch.setenv("MISSIONGRAPH_SEMANTIC", "false")
    runner = CliRunner()
    assert runner.invoke(cli, ["index"]).exit_code == 0
    # no concept named: with semantic ranking off, a named concept's documents (matched as one term,
    # decisions/0013) would outscore word-only matches such as the made-up missions' titles
    out = runner.invoke(cli, ["search", "young person lonely", "--limit", "20"])
    assert out.exit_code == 0, out.output
    header = next(line for line in out.output.splitlines() if line.lstrip().startswith("#"))
    assert "synthetic" in header and "source" in header and "SYNTHETIC" in out.output
    assert "survey-2023" in out.output and "catalogue" in out.output
    real = runner.invoke(cli, ["search", "young person lonely", "--limit", "20", "--synthetic", "exclude"])
    assert real.exit_code == 0 and "SYNTHETIC" not in real.output and "synthetic data hidden" in real.output
    as_json = json.loads(runner.invoke(cli, ["search", "lonely", "--json", "--synthetic", "only"]).output)
    assert as_json["results"] and all(h["synthetic"] for h in as_json["results"])
    bad = runner.invoke(cli, ["search", "lonely", "--synthetic", "nope"])
    assert bad.exit_code == 1 and "include, exclude, only" in bad.output
    stop = runner.invoke(cli, ["search", "the"])
    assert stop.exit_code == 0 and "0 results" in stop.output and "stop words" in stop.output
