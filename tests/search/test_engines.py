"""One suite both engines pass: OR semantics, field weights, upserts, deletes, persistence."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from search.documents import SearchDocument
from search.engines import ENGINES as REGISTERED
from search.engines import LexicalQuery, engine_class, open_engine, register, registry
from tests.search.conftest import ENGINES


def _doc(doc_id: str, title: str, goal: str = "", labels: list[str] | None = None) -> SearchDocument:
    return SearchDocument(
        id=doc_id, iri=f"urn:x:{doc_id}", type="mission", title=title, goal=goal, labels=labels or []
    )


DOCS = [
    _doc("a", "Plastic packaging waste", "Halve plastic packaging by 2030."),
    _doc("b", "Healthy soils", "Restore soil health on farms.", ["agriculture", "farming"]),
    _doc("c", "Lonely young people", "Fewer young people feel lonely after school."),
    _doc("d", "Ocean restoration", "Clean seas, mention plastic once."),
]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    eng = open_engine(request.param, tmp_path / request.param, create=True)
    eng.add(DOCS)
    yield eng
    eng.close()


def test_any_word_may_match(engine) -> None:  # type: ignore[no-untyped-def]
    hits = engine.lexical(LexicalQuery(("lonely", "zyxwvut")), 10)
    assert [h[0] for h in hits] == ["c"]


def test_stemming_and_field_weight(engine) -> None:  # type: ignore[no-untyped-def]
    hits = engine.lexical(LexicalQuery(("plastics",)), 10)
    ids = [h[0] for h in hits]
    assert ids[0] == "a"  # title and goal beat one mention in a goal
    assert "d" in ids
    assert hits[0][1] > hits[-1][1]


def test_expansion_words_weigh_less(engine) -> None:  # type: ignore[no-untyped-def]
    own = engine.lexical(LexicalQuery(("farming",)), 10)
    expanded = engine.lexical(LexicalQuery((), ("farming",)), 10)
    assert [h[0] for h in own] == [h[0] for h in expanded] == ["b"]
    assert expanded[0][1] < own[0][1]


def test_upsert_replaces_and_delete_removes(engine) -> None:  # type: ignore[no-untyped-def]
    engine.add([_doc("b", "Urban mobility", "Cycling lanes everywhere.")])
    assert engine.doc_count() == 4
    assert engine.lexical(LexicalQuery(("soil",)), 10) == []
    assert [h[0] for h in engine.lexical(LexicalQuery(("cycling",)), 10)] == ["b"]
    engine.delete(["b", "c"])
    assert engine.doc_count() == 2
    assert engine.lexical(LexicalQuery(("lonely",)), 10) == []


def test_limit_and_empty_query(engine) -> None:  # type: ignore[no-untyped-def]
    assert len(engine.lexical(LexicalQuery(("plastic",)), 1)) == 1
    assert engine.lexical(LexicalQuery(()), 10) == []


def test_reopen_from_disk(tmp_path: Path) -> None:
    for name in ENGINES:
        eng = open_engine(name, tmp_path / name, create=True)
        eng.add(DOCS)
        eng.close()
        again = open_engine(name, tmp_path / name)
        assert again.doc_count() == 4
        assert [h[0] for h in again.lexical(LexicalQuery(("soil",)), 10)] == ["b"]
        assert again.size_bytes() > 0
        again.close()


def test_registry_opens_engines_by_name_and_loads_them_lazily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_TARGETS", dict(registry._TARGETS))
    monkeypatch.setattr(registry, "_LOADED", dict(registry._LOADED))
    assert set(REGISTERED) == {"whoosh", "tantivy"}
    # the registry names engines by import path; a new name opens the class it points at
    register("whoosh-again", "search.engines.whoosh:WhooshEngine")
    eng = open_engine("whoosh-again", tmp_path / "w", create=True)
    assert engine_class("whoosh-again") is importlib.import_module("search.engines.whoosh").WhooshEngine
    assert eng.name == "whoosh"
    eng.close()
    with pytest.raises(ValueError, match="unknown search engine 'nope'"):
        open_engine("nope", tmp_path / "n")
    with pytest.raises(ValueError, match="expected 'package.module:Class'"):
        register("bad", "no-colon")
