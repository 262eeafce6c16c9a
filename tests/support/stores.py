"""The test stores, one kit: real vocabulary, catalogue and figures with a small fixture dataset
(``small_store``); the catalogue alone, with a small synthetic wave, or as ``missiongraph build`` makes it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.catalogue import load_catalogue
from graph.figures import load_figures
from graph.iris import Iris
from graph.store import OxigraphStore, Store
from ontology.vocab import write_vocabulary_ntriples

FIXTURE = Path(__file__).with_name("fixture.trig")
BASE = "http://127.0.0.1:8000/"
#: planted in the restricted graph only; must never appear in a public answer
CANARY_EMAIL = "canary-7f3e9b2c@restricted.example"
RESPONDENT = "aaaaaaaaaaaaaaaa"


def fill(store: Store, iris: Iris | None = None) -> Store:
    iris = iris or Iris(BASE)
    store.load(write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES, graph=iris.vocabulary_graph)
    load_catalogue(store, iris)
    load_figures(store, iris)
    store.load(FIXTURE, ox.RdfFormat.TRIG)
    return store


def small_store(path: Path | None = None) -> Store:
    """The test dataset in memory (``path=None``) or on disk."""
    return fill(OxigraphStore(path))


def catalogue_store(iris: Iris, store: Store | None = None) -> Store:
    """The missions catalogue and the vocabulary in a store (in memory unless one is given)."""
    store = store if store is not None else OxigraphStore(None)
    store.load(write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES, graph=iris.vocabulary_graph)
    load_catalogue(store, iris)
    return store


SURVEY = Path(__file__).with_name("survey.trig")


def survey_store(iris: Iris, store: Store | None = None) -> Store:
    """The catalogue and vocabulary plus a small synthetic survey wave (tests/support/survey.trig)."""
    store = catalogue_store(iris, store)
    store.load(SURVEY, ox.RdfFormat.TRIG)
    return store


def built_store(iris: Iris) -> Store:
    """Everything ``missiongraph build`` loads (vocabulary, catalogue, figures, the synthetic 2021 wave of
    227 respondents), in memory, built once per test session (read-only for the tests that share it)."""
    key = iris.base
    if key not in _BUILT:
        from graph.build import build_store

        store = OxigraphStore(None)
        build_store(store, iris)
        _BUILT[key] = store
    return _BUILT[key]


_BUILT: dict[str, Store] = {}
