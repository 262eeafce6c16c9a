"""The network view of one store state: features, peer model and the networkx graphs, built lazily."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np

from graph.iris import Iris
from graph.network.bipartite import bipartite_graph, neighbourhood
from graph.network.communities import knn_graph
from graph.network.features import Features, extract_features
from graph.network.peers import PeerModel
from graph.store import Store

__all__ = ["NetworkView", "Embed"]

#: texts → one vector per text (the composition root passes the search engine's embedder)
Embed = Callable[[list[str]], np.ndarray]


class NetworkView:
    """Everything derived from one store state; rebuild it when ``store.state()`` changes."""

    def __init__(
        self, features: Features, *, text_vectors: np.ndarray | None = None, state: str = ""
    ) -> None:
        self.features = features
        self.model = PeerModel(features, text_vectors)
        self.state = state

    @classmethod
    def build(cls, store: Store, iris: Iris, *, embed: Embed | None = None) -> NetworkView:
        state = store.state()
        features = extract_features(store, iris)
        vectors = None
        if embed is not None and len(features):
            texts = features.embedding_texts()
            vectors = embed(texts)
        view = cls(features, text_vectors=vectors, state=state)
        if vectors is not None:
            view.model.embed = embed
        return view

    @cached_property
    def bipartite(self) -> nx.Graph:
        return bipartite_graph(self.features)

    @cached_property
    def knn(self) -> nx.Graph:
        return knn_graph(self.model)

    def neighbourhood(
        self, mission_id: str, depth: int = 2, *, max_missions: int = 12, synthetic: str = "include"
    ) -> dict[str, Any]:
        """Nodes and edges around a mission (see ``graph.network.bipartite.neighbourhood``), from the
        whole bipartite graph when it is built already, else from the part around the mission."""
        graph = self.__dict__.get("bipartite")  # the cached_property's value, if any; never built here
        return neighbourhood(
            graph, self.model, mission_id, depth, max_missions=max_missions, synthetic=synthetic
        )

    def __repr__(self) -> str:
        return f"NetworkView({len(self.features)} missions, state={self.state!r})"

    def summary(self) -> dict[str, Any]:
        return {
            "missions": len(self.features),
            "state": self.state,
            "semantic": self.model.vectors is not None,
        }
