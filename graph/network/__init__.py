"""The networkx view of the store: peers, matching, workshop groups, cohort benchmark, analytics."""

from __future__ import annotations

from graph.network.features import Features, extract_features
from graph.network.peers import Peer, PeerModel

__all__ = ["Features", "extract_features", "Peer", "PeerModel"]
