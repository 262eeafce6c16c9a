"""Peers on the real catalogue: explanations backed by the store, quality above a floor."""

from __future__ import annotations

import pytest

from graph.errors import NotFoundError
from graph.iris import Iris
from graph.network.evaluation import evaluate, read_pairs
from graph.network.features import Features, extract_features, public_dataset
from graph.network.peers import PeerModel
from graph.network.view import NetworkView
from graph.network.weights import DCT, MG, dimension
from graph.store import Store
from tests.support import IRIS
from tests.support.stores import built_store, catalogue_store


@pytest.fixture(scope="module")
def store() -> Store:
    return catalogue_store(IRIS)


@pytest.fixture(scope="module")
def features(store: Store) -> Features:
    return extract_features(store, IRIS)


@pytest.fixture(scope="module")
def model(features: Features) -> PeerModel:
    return PeerModel(features)


def test_catalogue_ids_kept(model: PeerModel) -> None:
    peers = model.peers("eu-mission-cities", limit=5)
    assert len(peers) == 5
    assert all(p.iri == IRIS.mission(p.id) for p in peers)
    assert "eu-mission-cities" not in [p.id for p in peers]
    assert "at-climate-neutral-city" in [p.id for p in peers]
    scores = [p.score for p in peers]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


def test_shares_add_up(model: PeerModel) -> None:
    for p in model.peers("dk-ddc-thriving-youth", limit=5):
        assert abs(sum(d.share for d in p.explanation) - 1.0) < 1e-4
        assert all(d.shared or d.name == "goal-semantic" for d in p.explanation)


def test_unknown_mission_is_not_found(model: PeerModel) -> None:
    with pytest.raises(NotFoundError):
        model.peers("no-such-mission")


def _ask(store: Store, a: str, b: str, dim: str, term: str) -> bool:
    if dim == "goal-text":
        path = f"<{DCT}title>|<{MG}goalStatement>"
        word = term.replace('"', "")
        pattern = (
            f'?a {path} ?ta . FILTER(CONTAINS(LCASE(STR(?ta)), "{word}"))'
            f'?b {path} ?tb . FILTER(CONTAINS(LCASE(STR(?tb)), "{word}"))'
        )
        query = f"ASK {{ VALUES (?a ?b) {{ (<{a}> <{b}>) }} {pattern} }}"
    else:
        path = dimension(dim).path
        query = f"ASK {{ <{a}> {path} {term} . <{b}> {path} {term} . }}"
    return store.ask(query, dataset=public_dataset(store, IRIS))


def test_every_shared_concept_links_both_missions_in_the_store(store: Store, model: PeerModel) -> None:
    checked = 0
    for mission in ("eu-mission-cities", "eu-mission-cancer", "gb-lu-housing", "jp-moonshot-goal7"):
        for p in model.peers(mission, limit=10):
            a = IRIS.mission(mission)
            for d in p.explanation:
                for s in d.shared:
                    assert _ask(store, a, p.iri, d.name, s["term"]), (mission, p.id, d.name, s)
                    checked += 1
            # the evidence query shows the same shared concepts (goal-text terms included)
            rows = store.select(p.sparql, dataset=public_dataset(store, IRIS))
            shown = {(r["dimension"], r["value"]) for r in rows}
            for d in p.explanation:
                for s in d.shared:
                    value = s["term"].strip("<>")
                    if s["term"].startswith('"'):
                        value = s["term"][1 : s["term"].rindex('"')]
                    assert (d.name, value) in shown
    assert checked > 50


def test_a_false_pair_is_refused_by_the_check(store: Store) -> None:
    # the check itself can fail: cancer is not a shared field of cities and cancer missions
    a, b = IRIS.mission("eu-mission-cities"), IRIS.mission("eu-mission-cancer")
    health = "<https://w3id.org/missiongraph/vocab/challenge-field/health>"
    assert not _ask(store, a, b, "challenge-field", health)


def test_quality_above_floor(model: PeerModel) -> None:
    pairs = read_pairs()

    def ranked(mission_id: str) -> list[str]:
        return [p.id for p in model.peers(mission_id, limit=20)]

    dev = [p for p in pairs if p.split == "dev"]
    held = [p for p in pairs if p.split == "holdout"]
    on_dev = evaluate(ranked, dev, known=held)
    on_held = evaluate(ranked, held, known=dev)
    # 109 missions, 59 pairs: measured 0.86 / 0.93 (R@10) and 0.18 / 0.16 (P@5; 1-3 partners per mission);
    # 225 missions, 81 pairs (twice the candidates, new pairs on the added missions): 0.84 / 0.78, 0.19 / 0.16
    # this model has no goal embeddings (the structured dimensions and TF-IDF text only): 0.80 held out
    # on 225 missions; the model the service runs, with embeddings, is held to 0.85 below
    assert on_dev.recall_at_10 >= 0.8
    assert on_held.recall_at_10 >= 0.75
    assert on_dev.precision_at_5 >= 0.15


def test_quality_as_served_above_floor() -> None:
    """Peers as the service ranks them (goal embeddings on, ``mode=problem``) on the store `make run`
    builds (catalogue + the synthetic wave), over real missions: the held-out pairs reach the issue's
    aim of R@10 0.85 with made-up missions excluded and with the default ``synthetic=include``
    (measured 0.909 / 0.882, as `make eval` prints)."""
    from search.index import shared_embedder  # the embedder the service passes in

    iris = Iris()
    model = NetworkView.build(built_store(iris), iris, embed=shared_embedder().encode).model
    pairs = read_pairs()
    dev = [p for p in pairs if p.split == "dev"]
    held = [p for p in pairs if p.split == "holdout"]
    for synthetic in ("exclude", "include"):

        def ranked(mission_id: str, synthetic: str = synthetic) -> list[str]:
            q = model.query_for_row(model.row(mission_id))
            ranking = model.top(q, 20, mode="problem", synthetic=synthetic)
            return [model.features.ids[i] for i, _ in ranking]

        on_held = evaluate(ranked, held, known=dev)
        assert on_held.recall_at_10 >= 0.85, (synthetic, on_held)


def test_profile_query(model: PeerModel) -> None:
    q = model.query_for_profile(
        {"challenge-field": ["mental-health"], "goal": ["youth loneliness wellbeing"]}
    )
    top = [model.features.ids[i] for i, _ in model.top(q, 5)]
    assert "dk-ddc-thriving-youth" in top or "gb-lu-wellbeing" in top


def test_stacked_scores_equal_the_weighted_dimensions(model: PeerModel) -> None:
    import numpy as np

    from graph.network.weights import MODES

    for mission in ("eu-mission-cities", "gb-lu-housing"):
        q = model.query_for_row(model.row(mission))
        sims = model.similarities(q)
        weights = model.weights_for(sims)
        evidence = sum(weights[n] * s for n, s in sims.items())
        # a mission without values on a refining dimension scores the query's mean similarity there
        expected = evidence.copy()
        for n, s in sims.items():
            if n in model.features.dims and n not in MODES["problem"].lead:
                lacks = np.diff(model.features.dims[n].matrix.indptr) == 0
                expected[lacks] += weights[n] * model.prior(n, q.cols[n])
        expected = np.where(evidence > 0, expected, 0.0) / sum(weights.values())
        assert np.allclose(model.scores(q), expected, atol=1e-5)
        # and the explanation of a peer gives the same per-dimension similarities
        peer = model.peers(mission, limit=1)[0]
        row = model.row(peer.id)
        for d in peer.explanation:
            assert abs(d.similarity - float(sims[d.name][row])) < 1e-4


def test_injected_text_vectors(features: Features) -> None:
    import numpy as np

    from graph.errors import InvalidInputError

    n = len(features)
    with pytest.raises(InvalidInputError):
        PeerModel(features, text_vectors=np.ones((n + 1, 4), dtype=np.float32))
    # vectors that make two unrelated missions identical in meaning pull them together
    vectors = np.eye(n, dtype=np.float32)
    a, b = features.row_of["eu-mission-cancer"], features.row_of["gb-lu-crime"]
    vectors[b] = vectors[a]
    model = PeerModel(features, text_vectors=vectors)
    plain = [p.id for p in PeerModel(features).peers("eu-mission-cancer", limit=n)]
    peers = model.peers("eu-mission-cancer", limit=n)
    before = plain.index("gb-lu-crime") if "gb-lu-crime" in plain else n  # absent: nothing in common
    assert [p.id for p in peers].index("gb-lu-crime") < before - 20
    crime = next(p for p in peers if p.id == "gb-lu-crime")
    semantic = next(d for d in crime.explanation if d.name == "goal-semantic")
    assert semantic.similarity == pytest.approx(1.0) and semantic.share > 0.2


def test_profile_country_accepts_alpha3_alpha2_and_name(model: PeerModel) -> None:
    cols = [
        model.query_for_profile({"country": [c]}).cols["country"].tolist() for c in ("DNK", "DK", "Denmark")
    ]
    assert cols[0] and cols[0] == cols[1] == cols[2]
