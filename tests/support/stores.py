"""Small stores for the service tests: real vocabulary, real catalogue and figures, a synthetic survey."""

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
