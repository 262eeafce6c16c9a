"""Who can help me: for a mission's support needs, peers that show the matching strength."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from graph.errors import InvalidInputError
from graph.network.features import term_label
from graph.network.peers import PeerModel
from ontology.vocab import label, need_strengths

__all__ = ["helpers"]

SUPPORT_NEED = "https://w3id.org/missiongraph/vocab/support-need/"


def helpers(
    model: PeerModel, mission_id: str, *, needs: Sequence[str] = (), limit: int = 5
) -> dict[str, Any]:
    """Per support need (the mission's own, or ``needs`` codes given), up to ``limit`` helpers.

    A helper shows a strength the ontology maps to the need (``ontology.vocab.need_strengths``) and works
    in the same or a related challenge field (a shared field, or a field linked to the same SDG).
    Helpers are ranked by their peer score to the mission.
    """
    f = model.features
    row = model.row(mission_id)
    mapping = need_strengths()
    if needs:
        unknown = [n for n in needs if n not in mapping]
        if unknown:
            raise InvalidInputError(
                f"unknown support need(s): {', '.join(unknown)}", expected=", ".join(sorted(mapping))
            )
        wanted = list(dict.fromkeys(needs))
    else:
        dm = f.dims["support-need"]
        wanted = [dm.terms[c].strip("<>").removeprefix(SUPPORT_NEED) for c in dm.values_of(row).tolist()]
        wanted = [n for n in wanted if n in mapping]
    q = model.query_for_row(row)
    scores = model.scores(q)
    sims = model.similarities(q)
    field = sims.get("challenge-field", np.zeros(len(f), dtype=np.float32))
    related = sims.get("sdg", np.zeros(len(f), dtype=np.float32))
    out = []
    for need in wanted:
        shown_by: dict[int, list[str]] = {}
        for prop, value in mapping[need]:
            for r in f.strengths.get((prop, value), ()):
                if r != row:
                    shown_by.setdefault(r, []).append(f"{label(prop)}: {label(value)}")
        candidates = [r for r in shown_by if field[r] > 0 or related[r] > 0]
        candidates.sort(key=lambda r: (-float(scores[r]), f.ids[r]))
        found = []
        for r in candidates[:limit]:
            shared = _shared_fields(model, row, r)
            found.append(
                {
                    "id": f.ids[r],
                    "iri": f.mission_iris[r],
                    "title": f.titles[r],
                    "score": round(float(scores[r]), 4),
                    "strengths": sorted(shown_by[r]),
                    "fields": shared,
                    "reason": _reason(need, shown_by[r], shared),
                }
            )
        out.append({"need": need, "label": label(SUPPORT_NEED + need), "helpers": found})
    body: dict[str, Any] = {"mission": mission_id, "needs": out}
    if not wanted:
        body["note"] = "The mission names no support needs; ask for some by code (need=evaluation ...)."
    return body


def _shared_fields(model: PeerModel, a: int, b: int) -> dict[str, list[str]]:
    f = model.features
    out: dict[str, list[str]] = {}
    for name, key in (("challenge-field", "same"), ("sdg", "related_via_sdg")):
        dm = f.dims[name]
        common = np.intersect1d(dm.values_of(a), dm.values_of(b)).tolist()
        if common:
            out[key] = [term_label(dm.terms[c], {}) if not dm.labels[c] else dm.labels[c] for c in common]
    return out


def _reason(need: str, strengths: list[str], fields: dict[str, list[str]]) -> str:
    where = (
        f"works on {', '.join(fields['same'])} too"
        if "same" in fields
        else f"works on a related field (SDG {', '.join(fields.get('related_via_sdg', []))})"
    )
    return f"Needs {need.replace('-', ' ')}: this mission shows {'; '.join(sorted(strengths))} and {where}."
