"""The answers about peers as the API gives them (and `missiongraph peers --json` prints them)."""

from __future__ import annotations

from typing import Any

from graph.network.view import NetworkView
from graph.network.weights import check_mode
from graph.provenance import check_synthetic

__all__ = ["peers_body", "profile_peers_body"]

_NO_BASIS = {
    "problem": "Nothing to compare on: no challenge field, goal or SDG.",
    "obstacles": "No survey answers on risks, challenges or support needs to compare on.",
}


def peers_body(
    view: NetworkView, mission_id: str, *, limit: int, mode: str, synthetic: str
) -> dict[str, Any]:
    """The body of ``GET /api/missions/{id}/peers`` (the CLI prints the same with ``peers --json``)."""
    mode, synthetic = check_mode(mode), check_synthetic(synthetic)
    model = view.model
    row = model.row(mission_id)
    q = model.query_for_row(row)
    found = model.peers(mission_id, limit=limit, mode=mode, synthetic=synthetic, query=q)
    body: dict[str, Any] = {
        "id": mission_id,
        "title": view.features.titles[row],
        **view.features.marks(row),
        "mode": mode,
        "synthetic_filter": synthetic,
        "semantic": model.vectors is not None,
        "peers": [p.as_dict() for p in found],
    }
    if not model.has_basis(q, mode):
        body["note"] = _NO_BASIS[mode]
    return body


def profile_peers_body(
    view: NetworkView, profile: dict[str, list[str]], *, limit: int, mode: str, synthetic: str
) -> dict[str, Any]:
    """The body of ``POST /api/peers`` (the CLI prints the same with ``peers --profile --json``)."""
    mode = check_mode(mode)
    synthetic = check_synthetic(synthetic, where="synthetic")
    q = view.model.query_for_profile(profile)
    found = view.model.peers_for_profile(profile, limit=limit, mode=mode, synthetic=synthetic, query=q)
    body: dict[str, Any] = {
        "profile": profile,
        "mode": mode,
        "synthetic_filter": synthetic,
        "peers": [p.as_dict() for p in found],
    }
    if not view.model.has_basis(q, mode):
        body["note"] = _NO_BASIS[mode]
    return body
