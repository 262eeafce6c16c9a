"""Who can help me: for support needs, missions whose respondents report the matching strength."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from graph.errors import InvalidInputError
from graph.network.features import term_label
from graph.network.peers import PeerModel
from graph.provenance import check_synthetic, keeps
from ontology.vocab import concepts, label, need_strengths, resolve_code

__all__ = ["helpers", "resolve_codes"]

SUPPORT_NEED = "https://w3id.org/missiongraph/vocab/support-need/"
VOCAB = "https://w3id.org/missiongraph/vocab/"


def resolve_codes(scheme: str, values: Sequence[str], *, parameter: str) -> list[str]:
    """Codes of a concept scheme from codes or labels (as the named queries accept them); an unknown
    value is an ``InvalidInputError`` naming the valid codes."""
    out: list[str] = []
    unknown: list[str] = []
    for value in values:
        code = resolve_code(scheme, str(value))
        if code is None:
            unknown.append(str(value)[:80])
        elif code not in out:
            out.append(code)
    if unknown:
        valid = ", ".join(c.code for c in concepts(scheme))
        raise InvalidInputError(
            f"{parameter}: unknown {scheme} code(s): {', '.join(repr(u) for u in unknown)} (valid: {valid})",
            parameter=parameter,
            expected=valid,
        )
    return out


def helpers(
    model: PeerModel,
    mission_id: str | None = None,
    *,
    needs: Sequence[str] = (),
    limit: int = 5,
    fields: Sequence[str] = (),
    levels: Sequence[str] = (),
    synthetic: str = "include",
) -> dict[str, Any]:
    """Per support need, up to ``limit`` missions that show a strength the ontology maps to the need
    (``ontology.vocab.need_strengths``: evaluation → an M&E plan, target setting → a clear target ...).

    For a mission: its own needs unless ``needs`` are given; helpers work in the same or a related
    challenge field (a shared field, or a field linked to the same SDG) and are ranked by their peer
    score. Without a mission ("where do I need help?"): ``needs`` are required; helpers are ranked by
    how many of the need's strengths they show. ``fields`` and ``levels`` (codes or labels) keep only
    helpers in one of those challenge fields / levels of government; ``synthetic`` filters made-up
    missions (include, exclude, only). Every helper says ``synthetic`` and ``source``.
    """
    f = model.features
    choice = check_synthetic(synthetic)
    mapping = need_strengths()
    wanted = resolve_codes("support-need", needs, parameter="need") if needs else []
    wanted = [n for n in wanted if n in mapping] if needs else []
    if needs and not wanted:
        valid = ", ".join(sorted(mapping))
        raise InvalidInputError(
            f"need: no strength is known for these support needs ({valid})", expected=valid
        )
    field_codes = resolve_codes("challenge-field", fields, parameter="field")
    level_codes = resolve_codes("level", levels, parameter="level")
    row: int | None = None
    if mission_id is not None:
        row = model.row(mission_id)
        if not needs:
            dm = f.dims["support-need"]
            own = [dm.terms[c].strip("<>").removeprefix(SUPPORT_NEED) for c in dm.values_of(row).tolist()]
            wanted = [n for n in own if n in mapping]
    elif not wanted:
        valid = ", ".join(sorted(mapping))
        raise InvalidInputError(f"need: name at least one support need ({valid})", expected=valid)

    allowed = np.ones(len(f), dtype=bool)
    for name, codes in (("challenge-field", field_codes), ("level", level_codes)):
        if codes:
            dm = f.dims[name]
            cols = [i for i, t in enumerate(dm.terms) if t.strip("<>").rsplit("/", 1)[-1] in codes]
            allowed &= np.asarray(dm.matrix[:, cols].sum(axis=1)).ravel() > 0 if cols else False
    if row is not None:
        q = model.query_for_row(row)
        scores = model.scores(q)
        sims = model.similarities(q)
        field = sims.get("challenge-field", np.zeros(len(f), dtype=np.float32))
        related = sims.get("sdg", np.zeros(len(f), dtype=np.float32))
        allowed &= (field > 0) | (related > 0)
    out = []
    for need in wanted:
        shown_by: dict[int, list[str]] = {}
        for prop, value in mapping[need]:
            for r in f.strengths.get((prop, value), ()):
                if r != row:
                    shown_by.setdefault(r, []).append(f"{label(prop)}: {label(value)}")
        candidates = [r for r in shown_by if allowed[r] and keeps(choice, f.synthetic[r])]
        if row is not None:
            candidates.sort(key=lambda r: (-float(scores[r]), f.ids[r]))
        else:
            candidates.sort(key=lambda r: (-len(shown_by[r]), f.synthetic[r], f.ids[r]))
        found = []
        for r in candidates[:limit]:
            item: dict[str, Any] = {"id": f.ids[r], "iri": f.mission_iris[r], "title": f.titles[r]}
            item.update(f.marks(r))
            if row is not None:
                item["score"] = round(float(scores[r]), 4)
            shared = _shared_fields(model, row, r) if row is not None else _fields_of(model, r)
            item.update(
                {
                    "strengths": sorted(shown_by[r]),
                    "fields": shared,
                    "levels": _labels(model, "level", r),
                    "reason": _reason(need, shown_by[r], shared),
                }
            )
            found.append(item)
        out.append({"need": need, "label": label(SUPPORT_NEED + need), "helpers": found})
    body: dict[str, Any] = {"mission": mission_id, "synthetic_filter": choice, "needs": out}
    if field_codes:
        body["fields"] = field_codes
    if level_codes:
        body["levels"] = level_codes
    if not wanted:
        body["note"] = "The mission names no support needs; ask for some by code (need=evaluation ...)."
    return body


def _labels(model: PeerModel, name: str, row: int) -> list[str]:
    dm = model.features.dims[name]
    return sorted(dm.labels[c] or term_label(dm.terms[c], {}) for c in dm.values_of(row).tolist())


def _fields_of(model: PeerModel, row: int) -> dict[str, list[str]]:
    found = _labels(model, "challenge-field", row)
    return {"of_helper": found} if found else {}


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
    if "same" in fields:
        where = f" and works on {', '.join(fields['same'])} too"
    elif "related_via_sdg" in fields:
        where = f" and works on a related field (SDG {', '.join(fields['related_via_sdg'])})"
    elif fields.get("of_helper"):
        where = f"; it works on {', '.join(fields['of_helper'])}"
    else:
        where = ""
    return f"Needs {need.replace('-', ' ')}: this mission shows {'; '.join(sorted(strengths))}{where}."
