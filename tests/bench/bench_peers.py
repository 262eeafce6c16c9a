"""Peers latency through HTTP at 1k, 10k and 100k synthetic missions, beside a raw sparse top-k cosine.

For each size: synthetic missions (decisions/0002 shape, seeded) are bulk-loaded into an on-disk store, the
service runs under uvicorn on a free 127.0.0.1 port, the first request builds the network view (timed
apart), then GET /api/missions/{id}/peers?limit=10 for a fixed sample of missions gives p50/p95. In the
same run, the same missions' top-10 by cosine over one scipy.sparse matrix of the same concept features
(no explanation, no HTTP) is the baseline. Usage: bench_peers.py [sizes ...] (default 1000 10000 100000).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import numpy as np
import scipy.sparse as sp

from api.app import create_app
from api.settings import Settings
from graph.iris import Iris
from graph.network.features import extract_features
from graph.store import OxigraphStore
from ontology.vocab import concepts
from tests.support.uvicorn_server import running_server as serve

MG = "https://w3id.org/missiongraph/def#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
COUNTRIES = [
    "DNK",
    "SWE",
    "NLD",
    "DEU",
    "GBR",
    "ESP",
    "FIN",
    "NOR",
    "AUT",
    "JPN",
    "CAN",
    "AUS",
    "IRL",
    "FRA",
    "ITA",
]
WORDS = {
    "health": "cancer patients care prevention hospital disease",
    "climate": "emissions net-zero carbon resilience adaptation warming",
    "cities": "urban neighbourhoods housing streets districts municipalities",
    "mobility": "transport cycling buses vehicles commuting railways",
    "energy": "electricity renewable heating grid hydrogen solar",
    "mental-health": "loneliness wellbeing young anxiety depression support",
    "food-agriculture": "farming food diets soil crops farmers",
    "circular-economy": "plastic waste recycling materials reuse packaging",
}
SAMPLE = 200  # peer requests per size
WARMUP = 20


def codes(scheme: str) -> list[str]:
    return [c.iri for c in concepts(scheme)]


def synthetic_ntriples(n: int, iris: Iris, seed: int = 0) -> str:
    rng = random.Random(seed)
    schemes = {
        s: codes(s)
        for s in (
            "challenge-field",
            "risk",
            "challenge",
            "support-need",
            "learning-need",
            "phase",
            "external-driver",
            "internal-driver",
            "funding-source",
            "level",
        )
    }
    fields = schemes["challenge-field"]
    lines: list[str] = []
    for i in range(n):
        m = f"<{iris.mission(f'syn-{i:06d}')}>"
        chosen = rng.sample(fields, rng.choice((1, 2, 2, 3)))
        words = [w for f in chosen for w in WORDS.get(f.rsplit("/", 1)[-1], "public innovation").split()]
        goal = " ".join(rng.sample(words, min(6, len(words))))
        lines.append(f"{m} <{RDF_TYPE}> <{MG}Mission> .")
        lines.append(f'{m} <{DCT}title> "Synthetic mission {i}"@en .')
        lines.append(f'{m} <{MG}goalStatement> "By 2030: {goal}."@en .')
        lines.append(f'{m} <{MG}synthetic> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .')
        lines.append(f"{m} <{DCT}spatial> <{COUNTRY}{rng.choice(COUNTRIES)}> .")
        for f in chosen:
            lines.append(f"{m} <{MG}challengeField> <{f}> .")
        for prop, scheme, k in (
            ("perceivedRisk", "risk", (1, 3)),
            ("facedChallenge", "challenge", (1, 3)),
            ("supportNeed", "support-need", (1, 3)),
            ("learningNeed", "learning-need", (0, 2)),
            ("fundingSource", "funding-source", (1, 2)),
        ):
            for v in rng.sample(schemes[scheme], rng.randint(*k)):
                lines.append(f"{m} <{MG}{prop}> <{v}> .")
        for prop, scheme in (
            ("phase", "phase"),
            ("mainExternalDriver", "external-driver"),
            ("mainInternalDriver", "internal-driver"),
            ("level", "level"),
        ):
            lines.append(f"{m} <{MG}{prop}> <{rng.choice(schemes[scheme])}> .")
    return "\n".join(lines) + "\n"


def percentiles(samples: list[float]) -> tuple[float, float]:
    a = np.asarray(samples) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def raw_topk(store: OxigraphStore, iris: Iris, ids: list[str]) -> tuple[float, float]:
    f = extract_features(store, iris)
    x = sp.hstack([d.matrix for d in f.dims.values() if d.matrix.shape[1]], format="csr").astype(np.float32)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    x = sp.csr_matrix(sp.diags(1 / norms) @ x)
    xt = x.T.tocsr()
    times = []
    for mid in ids:
        r = f.row_of[mid]
        t = time.perf_counter()
        s = (x[r] @ xt).toarray().ravel()
        s[r] = -1
        top = np.argpartition(-s, 10)[:10]
        top[np.argsort(-s[top])]
        times.append(time.perf_counter() - t)
    return percentiles(times)


def run(n: int, workdir: Path) -> None:
    iris = Iris()
    path = workdir / f"missions-{n}.nt"
    t = time.perf_counter()
    path.write_text(synthetic_ntriples(n, iris), encoding="utf-8")
    store = OxigraphStore(workdir / f"store-{n}")
    import pyoxigraph as ox

    store.bulk_load(path, ox.RdfFormat.N_TRIPLES, graph=iris.survey_graph("bench"))
    load_s = time.perf_counter() - t
    rng = random.Random(n)
    ids = [f"syn-{rng.randrange(n):06d}" for _ in range(SAMPLE)]
    settings = Settings(store="oxigraph", data_dir=workdir, semantic=False, rate_limit_per_minute=0)
    app = create_app(settings, store=store)
    with serve(app) as url, httpx.Client(base_url=url, timeout=600) as client:
        t = time.perf_counter()
        first = client.get(f"/api/missions/{ids[0]}/peers", params={"limit": 10})
        build_s = time.perf_counter() - t
        first.raise_for_status()
        for mid in ids[-WARMUP:]:  # warm connections and caches; not timed
            client.get(f"/api/missions/{mid}/peers", params={"limit": 10}).raise_for_status()
        times = []
        for mid in ids:
            t = time.perf_counter()
            r = client.get(f"/api/missions/{mid}/peers", params={"limit": 10})
            times.append(time.perf_counter() - t)
            r.raise_for_status()
            assert len(r.json()["peers"]) == 10
    http50, http95 = percentiles(times)
    raw50, raw95 = raw_topk(store, iris, ids)
    store.close()
    print(
        f"{n:>7} missions | load {load_s:6.1f} s | view build (first request) {build_s:6.1f} s | "
        f"HTTP peers p50 {http50:6.2f} ms p95 {http95:6.2f} ms | raw sparse top-10 p50 {raw50:5.2f} ms "
        f"p95 {raw95:5.2f} ms | HTTP/raw p95 x{http95 / raw95:5.1f}",
        flush=True,
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        for n in sizes:
            run(n, Path(tmp))


if __name__ == "__main__":
    main()
