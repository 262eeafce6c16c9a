"""The index over the real catalogue: ranking, facets, paging, suggestions, expansion, freshness."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from graph.errors import DamagedIndexError, InvalidInputError
from graph.store import OxigraphStore, Store
from search.engines import LexicalQuery
from search.index import Index, _Derived, build_index, ensure_fresh, open_index, update_index
from search.text import words
from tests.search.conftest import IRIS, ROOT, fill_store

DEV_QUERIES = json.loads((ROOT / "data" / "peer_search_dev_queries.json").read_text())


def ndcg_at_10(ranked: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal


def test_relevance_floor_on_dev_queries(built_index: Index) -> None:
    scores = []
    for q in DEV_QUERIES:
        body = built_index.search(q["query"], filters={"type": ["mission"]}, limit=10)
        scores.append(ndcg_at_10([r["id"] for r in body["results"]], set(q["relevant"])))
    assert sum(scores) / len(scores) >= 0.85


def test_plain_language_query_does_not_need_every_word(built_index: Index) -> None:
    body = built_index.search("young people feeling lonely after school zzqx", filters={"type": ["mission"]})
    ids = [r["id"] for r in body["results"][:5]]
    assert "dk-ddc-thriving-youth" in ids


def test_facets_or_within_and_across(built_index: Index) -> None:
    silos = built_index.search("", filters={"risk": ["silos"]})
    momentum = built_index.search("", filters={"risk": ["momentum"]})
    both = built_index.search("", filters={"risk": ["silos", "momentum"]})
    assert silos["total"] > 0 and momentum["total"] > 0
    # OR within a facet: the union (r2 and its mission carry both risks)
    assert max(silos["total"], momentum["total"]) < both["total"] < silos["total"] + momentum["total"]
    narrowed = built_index.search("", filters={"risk": ["silos", "momentum"], "type": ["response"]})
    assert narrowed["total"] == 8  # AND across facets
    assert {r["type"] for r in narrowed["results"]} == {"response"}
    # the risk facet's own counts ignore its own selection (so other values stay selectable)
    counts = {f["value"]: f["count"] for f in narrowed["facets"]["risk"]}
    assert counts == {"momentum": 6, "silos": "<5"}
    # the type facet counts under the risk filter
    types = {f["value"]: f["count"] for f in narrowed["facets"]["type"]}
    assert types["response"] == 8 and types["mission"] == 8


def test_small_counts_are_suppressed_with_k(built_index: Index) -> None:
    body = built_index.search("", filters={"type": ["response"]}, small_count_k=10)
    waves = {f["value"]: f["count"] for f in body["facets"]["wave"]}
    assert waves == {"2021": "<10", "2022": "<10"}
    body = built_index.search("", filters={"type": ["response"]}, small_count_k=4)
    waves = {f["value"]: f["count"] for f in body["facets"]["wave"]}
    assert waves == {"2021": 4, "2022": 4}


def test_cursor_pages_through_everything_once(built_index: Index) -> None:
    query, filters = "climate neutral cities", {"type": ["mission"]}
    full = built_index.search(query, filters=filters, limit=100)
    seen: list[str] = []
    cursor = None
    while True:
        page = built_index.search(query, filters=filters, limit=7, cursor=cursor)
        assert page["total"] == full["total"]
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    full_ids = [r["id"] for r in full["results"]]
    assert seen[: len(full_ids)] == full_ids  # the first 100 in the same order, then the rest
    assert len(seen) == len(set(seen)) == min(full["total"], 100) or len(seen) == full["total"]
    # the same cursor gives the same page again (stable)
    first = built_index.search(query, filters=filters, limit=7)
    again = built_index.search(query, filters=filters, limit=7, cursor=first["next_cursor"])
    twice = built_index.search(query, filters=filters, limit=7, cursor=first["next_cursor"])
    assert again["results"] == twice["results"]


def test_cursor_of_another_query_is_refused(built_index: Index) -> None:
    first = built_index.search("soil", limit=2)
    with pytest.raises(InvalidInputError):
        built_index.search("ocean", limit=2, cursor=first["next_cursor"])
    with pytest.raises(InvalidInputError):
        built_index.search("soil", limit=2, cursor="not-a-cursor")


def test_bad_parameters(built_index: Index) -> None:
    with pytest.raises(InvalidInputError):
        built_index.search("x", filters={"colour": ["red"]})
    with pytest.raises(InvalidInputError):
        built_index.search("x", limit=0)


def test_suggestions_from_the_index_vocabulary(built_index: Index) -> None:
    body = built_index.search("plastik packagng")
    assert body["suggestions"] == ["plastic packaging"]
    assert built_index.search("plastic packaging")["suggestions"] == []


def test_expansion_is_disclosed(built_index: Index) -> None:
    body = built_index.search("net zero industry")
    assert body["expansion"]["net zero"]["concept"].endswith("challenge-field/climate")
    added = body["expansion"]["net zero"]["added"]
    assert "Climate" in added and "net zero" not in added and len(added) > 1


def test_snippets_mark_words_and_escape_html(built_index: Index) -> None:
    body = built_index.search("soil erosion script", filters={"type": ["response"]})
    top = body["results"][0]
    assert "<mark>erosion</mark>" in top["snippet"]
    assert "<script>" not in top["snippet"] and "&lt;" in top["snippet"]


def test_reopen_and_incremental_update(tmp_path: Path) -> None:
    store: Store = fill_store(OxigraphStore(None), survey=False)
    index = build_index(store, IRIS, tmp_path / "ix", engine="whoosh")
    before = index.size
    index.close()
    reopened = open_index(tmp_path / "ix", engine="whoosh")
    assert reopened is not None and reopened.size == before
    assert open_index(tmp_path / "ix", engine="tantivy") is None
    mission = IRIS.mission("xx-glacier-watch")
    store.update(
        f"""INSERT DATA {{ GRAPH <{IRIS.catalogue_graph}> {{
        <{mission}> a <https://w3id.org/missiongraph/def#Mission> ;
          <http://purl.org/dc/terms/identifier> "xx-glacier-watch" ;
          <http://purl.org/dc/terms/title> "Glacier watch"@en ;
          <https://w3id.org/missiongraph/def#goalStatement> "Monitor every glacier by 2030."@en . }} }}"""
    )
    assert reopened.store_state != store.state()
    stats = update_index(reopened, store, IRIS, [IRIS.catalogue_graph])
    assert stats == {"added_or_changed": 1, "removed": 0}
    assert reopened.store_state == store.state()
    assert reopened.search("glacier")["results"][0]["id"] == "xx-glacier-watch"
    store.update(f"DELETE WHERE {{ GRAPH <{IRIS.catalogue_graph}> {{ <{mission}> ?p ?o }} }}")
    ensure_fresh(reopened, store, IRIS)  # the service path: refresh when the store moved on
    assert all(r["id"] != "xx-glacier-watch" for r in reopened.search("glacier")["results"])
    assert reopened.size == before
    reopened.close()


def test_facet_counts_agree_on_both_paths() -> None:
    import numpy as np

    from search.index import _Facet

    rng = np.random.default_rng(1)
    n = 1000
    doc = np.sort(rng.integers(0, n, 2500))
    val = rng.integers(0, 7, 2500)
    facet = _Facet.build([f"v{i}" for i in range(7)], doc, val, n)
    for share in (0.01, 0.1, 0.5, 1.0):
        base = rng.random(n) < share
        expected = np.bincount(val[base[doc]], minlength=7)
        assert np.array_equal(facet.count(base), expected)


def test_a_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    from search.provider import IndexProvider

    store: Store = fill_store(OxigraphStore(None), survey=False)
    built = build_index(store, IRIS, tmp_path / "ix", engine="tantivy")
    built.close()
    (built.path / "documents.jsonl").write_text("{ not json")
    with pytest.raises(DamagedIndexError, match="documents.jsonl"):
        open_index(tmp_path / "ix", engine="tantivy")  # never opened, so never served
    provider = IndexProvider(store, IRIS, path=tmp_path / "ix", engine="tantivy")
    assert provider.ready()
    assert provider.get().path != built.path  # a new version, built from the store
    assert (
        provider.get().search("soil", filters={"type": ["mission"]})["results"][0]["id"] == "eu-mission-soil"
    )
    provider.close()


def _all_ids(index: Index, query: str) -> set[str]:
    ids: set[str] = set()
    cursor = None
    while True:
        body = index.search(query, limit=100, cursor=cursor)
        ids |= {r["id"] for r in body["results"]}
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


@pytest.mark.parametrize("query", ["", "silos momentum", "circular economy plastic"])
def test_facet_counts_match_a_plain_count_of_the_documents(built_index: Index, query: str) -> None:
    # disjunctive faceting counted by hand: a facet's counts apply every other facet's filters
    candidates = [d for d in built_index.docs if d.id in _all_ids(built_index, query)]
    for filters in (
        {},
        {"risk": ["silos", "momentum"]},
        {"risk": ["silos"], "type": ["mission", "response"]},
    ):
        body = built_index.search(query, filters=filters, small_count_k=1)
        for name, rows in body["facets"].items():
            others = {k: set(v) for k, v in filters.items() if k != name}
            kept = [d for d in candidates if all(others[k] & set(d.facets.get(k, [])) for k in others)]
            expected: dict[str, int] = {}
            for d in kept:
                for v in d.facets.get(name, []):
                    expected[v] = expected.get(v, 0) + 1
            got = {r["value"]: r["count"] for r in rows if r["count"]}
            assert got == expected, (query, filters, name)
        if not filters:
            assert body["total"] == len(candidates)


def test_expansion_is_capped_and_names_only_what_was_searched(built_index: Index) -> None:
    from search.expansion import MAX_ADDED_WORDS

    query = "net zero loneliness silos circular economy soil health"
    expansion = built_index.thesaurus.expand(query)
    assert len(expansion.words) <= MAX_ADDED_WORDS
    assert len(expansion.concepts) >= 3  # every named concept is matched as a term, whatever the cap
    labels = [label for info in expansion.disclosed.values() for label in info["added"]]  # type: ignore[attr-defined]
    searched = {w for label in labels for w in words(label)}
    assert set(expansion.words) <= searched | set(words(query))
    body = built_index.search(query)
    assert body["expansion"] == expansion.disclosed


def test_a_concept_named_by_an_alternative_label_finds_its_documents(built_index: Index) -> None:
    # "net zero" is an alternative label of the climate field: missions of that field match the
    # concept as one term even where their text never says "net zero"
    found = built_index.engine.lexical(
        LexicalQuery((), (), (built_index.thesaurus.expand("net zero").concepts[0],)), 500
    )
    climate = {d.id for d in built_index.docs if "climate" in d.facets.get("field", [])}
    assert climate and climate <= {doc_id for doc_id, _ in found}


def test_reopened_index_reads_its_derived_structures(tmp_path: Path) -> None:
    store: Store = fill_store(OxigraphStore(None))
    built = build_index(store, IRIS, tmp_path / "ix", engine="tantivy")
    assert (built.path / "derived.json").exists() and (built.path / "derived.npz").exists()
    queries = ["plastik packagng", "net zero industry", "silos", ""]
    before = [built.search(q, filters={"risk": ["silos"]} if q == "silos" else None) for q in queries]
    built.close()
    reopened = open_index(tmp_path / "ix", engine="tantivy")
    assert reopened is not None
    assert reopened.vocabulary.freq == built.vocabulary.freq
    after = [reopened.search(q, filters={"risk": ["silos"]} if q == "silos" else None) for q in queries]
    assert after == before
    reopened.close()
    # saved structures of another set of documents are not used: they are computed again
    assert _Derived.load(built.path, built.size) is not None
    assert _Derived.load(built.path, built.size + 1) is None


def test_ranked_candidates_are_reused_and_dropped_on_change(tmp_path: Path) -> None:
    store: Store = fill_store(OxigraphStore(None), survey=False)
    index = build_index(store, IRIS, tmp_path / "ix", engine="tantivy")
    first = index.search("glacier monitoring", limit=100)
    again = index.search("glacier monitoring", limit=5, filters={"type": ["mission"]})
    # the second search reused the first one's ranking
    assert any(key[:2] == ("glacier monitoring", True) for key in index._ranked)
    missions = [r["id"] for r in first["results"] if r["type"] == "mission"]
    assert [r["id"] for r in again["results"]] == missions[:5]
    mission = IRIS.mission("xx-glacier-watch")
    store.update(
        f"""INSERT DATA {{ GRAPH <{IRIS.catalogue_graph}> {{
        <{mission}> a <https://w3id.org/missiongraph/def#Mission> ;
          <http://purl.org/dc/terms/identifier> "xx-glacier-watch" ;
          <http://purl.org/dc/terms/title> "Glacier watch"@en ;
          <https://w3id.org/missiongraph/def#goalStatement> "Monitor every glacier by 2030."@en . }} }}"""
    )
    ensure_fresh(index, store, IRIS)
    assert index.search("glacier monitoring")["results"][0]["id"] == "xx-glacier-watch"
    index.close()
