"""Peer quality on the known peer pairs (data/peer_pairs.csv): precision@5 and recall@10 (``make eval``).

Prints the full model with and without goal-text embeddings, and single-signal baselines, per split
(dev pairs tune the method; held-out pairs of the same kind check it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from graph.iris import Iris  # noqa: E402
from graph.network.evaluation import Scores, evaluate, read_pairs  # noqa: E402
from graph.network.features import extract_features  # noqa: E402
from graph.network.peers import PeerModel  # noqa: E402
from tests.network.stores import catalogue_store  # noqa: E402


def ranker(model: PeerModel, only: str | None = None):  # type: ignore[no-untyped-def]
    def ranked(mission_id: str) -> list[str]:
        row = model.row(mission_id)
        q = model.query_for_row(row)
        if only is None:
            return [model.features.ids[i] for i, _ in model.top(q, 20)]
        sims = model.similarities(q).get(only)
        if sims is None:
            return []
        sims = sims.copy()
        sims[row] = -1
        order = sorted(range(len(sims)), key=lambda i: (-float(sims[i]), model.features.ids[i]))
        return [model.features.ids[i] for i in order[:20] if sims[i] > 0]

    return ranked


def line(name: str, s: Scores) -> str:
    figures = f"P@5 {s.precision_at_5:.3f}  R@10 {s.recall_at_10:.3f}"
    return f"{name:<34} {figures}  ({s.queries} queries, {s.pairs} pairs)"


def main() -> None:
    iris = Iris()
    store = catalogue_store(iris)
    features = extract_features(store, iris)
    pairs = read_pairs()
    dev = [p for p in pairs if p.split == "dev"]
    held = [p for p in pairs if p.split == "holdout"]
    models = {"full model (no embeddings)": PeerModel(features)}
    try:
        from search.embeddings import Embedder

        texts = [f"{t}. {g}" for t, g in zip(features.titles, features.goals, strict=True)]
        vectors = Embedder().encode(texts)
        models["full model + embeddings"] = PeerModel(features, text_vectors=vectors)
    except ImportError as exc:  # the embedder ships with search/; say so rather than fail
        print(f"(embeddings unavailable: {exc})")
        vectors = None
    print(f"{len(features)} missions, {len(dev)} dev pairs, {len(held)} held-out pairs")
    for split, chosen, other in (("dev", dev, held), ("held-out", held, dev), ("all", pairs, [])):
        print(f"\n[{split}]")
        for name, model in models.items():
            print(line(name, evaluate(ranker(model), chosen, known=other)))
        base = models["full model (no embeddings)"]
        print(line("challenge fields only", evaluate(ranker(base, "challenge-field"), chosen, known=other)))
        print(line("goal terms (TF-IDF) only", evaluate(ranker(base, "goal-text"), chosen, known=other)))
        for kind in sorted({p.kind for p in chosen}):
            of_kind = [p for p in chosen if p.kind == kind]
            rest = [p for p in pairs if p not in of_kind]
            print(line(f"  full model, {kind} pairs", evaluate(ranker(base), of_kind, known=rest)))
        if vectors is not None:
            sem = models["full model + embeddings"]
            print(line("goal embeddings only", evaluate(ranker(sem, "goal-semantic"), chosen, known=other)))


if __name__ == "__main__":
    main()
