"""Cohort benchmark: one mission against all others on target, M&E plan, drivers and funding."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.disclosure import suppress
from graph.network.peers import PeerModel
from graph.network.weights import MG
from graph.provenance import check_synthetic, keeps

__all__ = ["benchmark"]

#: (item, label, where the answers are): answers by property name, or a concept dimension
ITEMS: tuple[tuple[str, str, str], ...] = (
    ("clear-target", "Has a clearly defined target", "answer:hasClearTarget"),
    ("quantified-target", "Has a quantified target (catalogue)", "answer:hasQuantifiedTarget"),
    ("me-plan", "Has a monitoring and evaluation plan", "answer:hasMonitoringPlan"),
    ("driver", "Main drivers", "dim:driver"),
    ("funding-source", "Funding sources", "dim:funding-source"),
)


def benchmark(model: PeerModel, mission_id: str, *, k: int = 5, synthetic: str = "include") -> dict[str, Any]:
    """Per item: the mission's own values and the cohort's counts per value (counts below k shown "<k").

    The cohort of an item is every mission with an answer on it (``synthetic``: include, exclude or only
    made-up missions); shares are only given where the count is shown, so that a suppressed count cannot
    be worked back from a share. Every item and cohort value says ``synthetic`` and ``source`` of the
    answers it counts.
    """
    f = model.features
    row = model.row(mission_id)
    choice = check_synthetic(synthetic)
    cohort_rows = [r for r in range(len(f)) if keeps(choice, f.synthetic[r])]
    items = []
    for code, title, source in ITEMS:
        kind, key = source.split(":", 1)
        per_row: list[set[str]]
        labels: dict[str, str] = {}
        if kind == "answer":
            per_row = f.answers.get(key, [set() for _ in f.ids])
        else:
            dm = f.dims[key]
            per_row = [{dm.terms[c] for c in dm.values_of(r).tolist()} for r in range(len(f))]
            labels = dict(zip(dm.terms, dm.labels, strict=True))
        answered = [r for r in cohort_rows if per_row[r]]
        if not answered:
            continue
        counts: Counter[str] = Counter(v for r in answered for v in per_row[r])
        base = len(answered)
        shown_base = suppress(base, k)
        cohort = []
        for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            shown = suppress(n, k)
            cohort.append(
                {
                    "value": _name(value, labels),
                    "missions": shown,
                    "share": round(n / base, 3)
                    if isinstance(shown, int) and isinstance(shown_base, int)
                    else None,
                    "this_mission": value in per_row[row],
                    **f.marks_of(r for r in answered if value in per_row[r]),
                }
            )
        items.append(
            {
                "item": code,
                "label": title,
                "mission": sorted(_name(v, labels) for v in per_row[row]),
                "base": shown_base,
                **f.marks_of(answered),
                "cohort": cohort,
            }
        )
    return {
        "mission": mission_id,
        "title": f.titles[row],
        **f.marks(row),
        "synthetic_filter": choice,
        "k": k,
        "cohort_size": len(cohort_rows),
        "items": items,
    }


def _name(value: str, labels: dict[str, str]) -> str:
    if value in labels:
        return labels[value]
    tail = value.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    return tail.removeprefix(MG)
