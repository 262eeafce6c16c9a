"""Stores for the network tests and the peer evaluation: the real catalogue and vocabulary."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.catalogue import load_catalogue
from graph.iris import Iris
from graph.store import OxigraphStore, Store
from ontology.vocab import write_vocabulary_ntriples


def catalogue_store(iris: Iris, store: Store | None = None) -> Store:
    """The missions catalogue and the vocabulary in a store (in memory unless one is given)."""
    store = store if store is not None else OxigraphStore(None)
    store.load(write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES, graph=iris.vocabulary_graph)
    load_catalogue(store, iris)
    return store


SURVEY = Path(__file__).with_name("survey.trig")


def survey_store(iris: Iris, store: Store | None = None) -> Store:
    """The catalogue and vocabulary plus a small synthetic survey wave (tests/network/survey.trig)."""
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
