"""Precision@5 and recall@10 of peers against known peer pairs (data/peer_pairs.csv)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InvalidInputError

__all__ = ["PeerPair", "read_pairs", "evaluate", "Scores", "DEFAULT_PAIRS"]

DEFAULT_PAIRS = Path(__file__).resolve().parents[2] / "data" / "peer_pairs.csv"


@dataclass(frozen=True)
class PeerPair:
    a: str
    b: str
    kind: str
    split: str
    reason: str


@dataclass(frozen=True)
class Scores:
    precision_at_5: float
    recall_at_10: float
    queries: int
    pairs: int


def read_pairs(path: Path = DEFAULT_PAIRS) -> list[PeerPair]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pairs = [PeerPair(r["a"], r["b"], r["kind"], r["split"], r["reason"]) for r in rows]
    if not pairs:
        raise InvalidInputError(f"{path} holds no peer pairs")
    return pairs


def evaluate(
    ranked: Callable[[str], list[str]], pairs: Iterable[PeerPair], *, known: Iterable[PeerPair] = ()
) -> Scores:
    """Every mission of a pair is a query; its relevant peers are its partners in ``pairs``.

    Partners from ``known`` (e.g. the other split) are neither relevant nor counted against precision:
    they are removed from the ranking before cutting at 5 and 10.
    """
    relevant: dict[str, set[str]] = defaultdict(set)
    n_pairs = 0
    for p in pairs:
        relevant[p.a].add(p.b)
        relevant[p.b].add(p.a)
        n_pairs += 1
    ignore: dict[str, set[str]] = defaultdict(set)
    for p in known:
        ignore[p.a].add(p.b)
        ignore[p.b].add(p.a)
    precisions: list[float] = []
    recalls: list[float] = []
    for query in sorted(relevant):
        wanted = relevant[query]
        ranking = [m for m in ranked(query) if m not in ignore[query] - wanted]
        precisions.append(len(wanted & set(ranking[:5])) / 5)
        recalls.append(len(wanted & set(ranking[:10])) / len(wanted))
    return Scores(sum(precisions) / len(precisions), sum(recalls) / len(recalls), len(relevant), n_pairs)
