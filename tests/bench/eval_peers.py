"""Peer quality on the known peer pairs (data/peer_pairs.csv): precision@5 and recall@10 (``make eval``).

Measured on the store ``make run`` builds (vocabulary, catalogue, published figures and the survey wave,
default settings: goal embeddings on), ranked as the service ranks (``NetworkView.build`` with the
embedder the service uses, ``PeerModel.top`` with ``mode`` and ``synthetic``), per mode with
``synthetic=exclude`` (what a user asking for real missions gets) and ``include`` (the default list,
made-up missions in it); beside it the same model on a catalogue-only store. Dev pairs tune the method;
held-out pairs of the same kind check it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from graph.build import build_store
from graph.iris import Iris
from graph.network.evaluation import PeerPair, Scores, evaluate, read_pairs
from graph.network.peers import PeerModel
from graph.network.view import NetworkView
from graph.network.weights import MODES
from graph.store import OxigraphStore, Store
from tests.support.stores import catalogue_store


def ranker(
    model: PeerModel, *, mode: str = "problem", synthetic: str = "include"
) -> Callable[[str], list[str]]:
    def ranked(mission_id: str) -> list[str]:
        if mission_id not in model.features.row_of:
            return []
        q = model.query_for_row(model.row(mission_id))
        return [model.features.ids[i] for i, _ in model.top(q, 20, mode=mode, synthetic=synthetic)]

    return ranked


def single(model: PeerModel, only: str) -> Callable[[str], list[str]]:
    """Ranking by one signal alone (real missions only)."""

    def ranked(mission_id: str) -> list[str]:
        row = model.row(mission_id)
        sims = model.similarities(model.query_for_row(row)).get(only)
        if sims is None:
            return []
        sims = sims.copy()
        sims[row] = -1
        keep = [i for i in range(len(sims)) if not model.features.synthetic[i]]
        order = sorted(keep, key=lambda i: (-float(sims[i]), model.features.ids[i]))
        return [model.features.ids[i] for i in order[:20] if sims[i] > 0]

    return ranked


def line(name: str, s: Scores) -> str:
    figures = f"P@5 {s.precision_at_5:.3f}  R@10 {s.recall_at_10:.3f}"
    return f"{name:<44} {figures}  ({s.queries} queries, {s.pairs} pairs)"


def view_of(store: Store, iris: Iris, semantic: bool) -> NetworkView:
    embed = None
    if semantic:
        from search.index import shared_embedder

        embed = shared_embedder().encode
    return NetworkView.build(store, iris, embed=embed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-semantic", action="store_true", help="leave the goal embeddings out")
    parser.add_argument(
        "--pairs", type=Path, default=None, help="a peer-pairs CSV (default data/peer_pairs.csv)"
    )
    args = parser.parse_args()
    semantic = not args.no_semantic
    iris = Iris()
    served_store = OxigraphStore(None)
    build_store(served_store, iris)
    served = view_of(served_store, iris, semantic)
    catalogue = view_of(catalogue_store(iris), iris, semantic)
    pairs = read_pairs(args.pairs) if args.pairs else read_pairs()
    dev = [p for p in pairs if p.split == "dev"]
    held = [p for p in pairs if p.split == "holdout"]
    f = served.features
    synthetic = sum(f.synthetic)
    print(
        f"served store: {len(f)} missions ({len(f) - synthetic} real, {synthetic} synthetic), "
        f"catalogue-only store: {len(catalogue.features)} missions; semantic {'on' if semantic else 'off'}; "
        f"{len(dev)} dev pairs, {len(held)} held-out pairs"
    )
    print(
        "(the pairs are topical: mode=obstacles is not meant to find them, and real missions carry no "
        "survey answers on risks, challenges or needs to compare on)"
    )
    splits: list[tuple[str, list[PeerPair], list[PeerPair]]] = [
        ("dev", dev, held),
        ("held-out", held, dev),
        ("all", pairs, []),
    ]
    for split, chosen, other in splits:
        print(f"\n[{split}]")
        for mode in MODES:
            for choice in ("exclude", "include"):
                s = evaluate(ranker(served.model, mode=mode, synthetic=choice), chosen, known=other)
                print(line(f"mode={mode} synthetic={choice}", s))
            s = evaluate(ranker(catalogue.model, mode=mode), chosen, known=other)
            print(line(f"mode={mode} catalogue-only store", s))
        for only in ("challenge-field", "goal-text", "goal-semantic"):
            if only == "goal-semantic" and not semantic:
                continue
            s = evaluate(single(served.model, only), chosen, known=other)
            print(line(f"  {only} only (real missions)", s))
        for kind in sorted({p.kind for p in chosen}):
            of_kind = [p for p in chosen if p.kind == kind]
            rest = [p for p in pairs if p not in of_kind]
            s = evaluate(ranker(served.model, synthetic="exclude"), of_kind, known=rest)
            print(line(f"  problem/exclude, {kind} pairs", s))


if __name__ == "__main__":
    main()
