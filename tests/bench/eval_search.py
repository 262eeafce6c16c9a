"""Relevance harness (`make eval`): search nDCG@10 and recall@10 on the store `make run` builds.

The store is what `missiongraph build` loads (vocabulary, the real missions catalogue, the published
figures and the synthetic survey wave), indexed as `missiongraph index` does with the default
settings (the default engine unless ``--engine`` says another; embeddings fused). Relevance
judgments name real catalogue missions only, so a made-up mission in the top 10 counts as a miss.
For each query file it prints, side by side:

- served, ``synthetic=exclude``: real missions as the service ranks them (the figure the aim is for);
- served, ``synthetic=include``: the default listing, made-up missions included;
- catalogue only: the same ranking on a store of the vocabulary and the catalogue alone;

in process, then again through the HTTP API of a service this script starts with uvicorn on a free
port over the same store (or of a running one: ``--url http://127.0.0.1:8000``, which should be
serving the `make run` store). ``data/peer_search_dev_queries.json`` is for tuning;
``data/search_validation_queries.json`` guards tuning against overfitting the dev queries;
``data/search_check_queries.json`` is never used for tuning.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from api.settings import Settings  # noqa: E402
from graph.build import build_store  # noqa: E402
from graph.catalogue import load_catalogue  # noqa: E402
from graph.iris import Iris  # noqa: E402
from graph.store import OxigraphStore, Store  # noqa: E402
from ontology.vocab import write_vocabulary_ntriples  # noqa: E402
from search.engines import ENGINES  # noqa: E402
from search.index import Index, build_index  # noqa: E402
from tests.support.ports import free_port  # noqa: E402

DEV = ROOT / "data" / "peer_search_dev_queries.json"
CHECK = ROOT / "data" / "search_check_queries.json"  # never used for tuning
#: a second tuning guard, written from the catalogue's titles and goals, not from the dev queries
#: (docs/decisions/0004): a ranking change is kept only when dev and validation agree
VALIDATION = ROOT / "data" / "search_validation_queries.json"
#: the dev queries as first shared beside the repository (relevance lists over the first 109 missions)
SHARED_DEV = next(
    (p / "shared" / "data" / DEV.name for p in (ROOT.parent, ROOT.parents[1]) if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "data" / DEV.name,
)
MODES = ("exclude", "include")
DEFAULT_ENGINE = str(Settings.model_fields["search_engine"].default)

Queries = list[dict[str, object]]


def ndcg(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def catalogue_only(store: Store, iris: Iris) -> None:
    """The vocabulary and the catalogue only: the figure beside the served one."""
    store.replace_graph(iris.vocabulary_graph, write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES)
    load_catalogue(store, iris)


def scores(runs: list[tuple[str, list[str], set[str]]]) -> tuple[float, float]:
    return (
        float(np.mean([ndcg(r, rel) for _, r, rel in runs])),
        float(np.mean([recall(r, rel) for _, r, rel in runs])),
    )


def line(name: str, figures: dict[str, tuple[float, float]]) -> None:
    cells = "   ".join(f"{k} nDCG@10 {n:.3f} R@10 {r:.3f}" for k, (n, r) in figures.items())
    print(f"  {name:<26} {cells}")


#: in-process seconds of every `Index.search` call run_index made (printed as a median per query set)
TIMINGS: list[float] = []


def run_index(index: Index, queries: Queries, synthetic: str, *, semantic: bool = True) -> list:
    runs = []
    for q in queries:
        text, rel = str(q["query"]), set(q["relevant"])  # type: ignore[call-overload]
        started = time.perf_counter()
        body = index.search(
            text, filters={"type": ["mission"]}, limit=10, synthetic=synthetic, semantic=semantic
        )
        TIMINGS.append(time.perf_counter() - started)
        runs.append((text, [r["id"] for r in body["results"]], rel))
    return runs


def in_process(served: Index, catalogue: Index, sets: dict[str, Queries], verbose: bool) -> None:
    print(f"in process ({served.engine.name}, fused, type=mission):")
    for name, queries in sets.items():
        TIMINGS.clear()
        figures = {f"synthetic={m}": scores(run_index(served, queries, m)) for m in MODES}
        figures["catalogue only"] = scores(run_index(catalogue, queries, "include"))
        line(name, figures)
        # a median, not a benchmark: the machine may be busy (tests/bench/ has the latency figures)
        print(f"  {'':<26} in-process p50 {1000 * float(np.median(TIMINGS)):.1f} ms a query")
        if verbose:
            for text, ranked, rel in run_index(served, queries, "exclude"):
                print(f"      {ndcg(ranked, rel):.2f}  {text}")
    print("in process, for reference (synthetic=exclude):")
    for name, queries in sets.items():
        line(name, {"BM25F only": scores(run_index(served, queries, "exclude", semantic=False))})


def through_http(url: str, sets: dict[str, Queries]) -> None:
    with httpx.Client(base_url=url, timeout=120) as client:
        deadline = time.monotonic() + 180
        while True:
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the service at {url} did not become healthy")
            time.sleep(0.3)
        print(f"HTTP {url}/api/search (type=mission):")
        for name, queries in sets.items():
            figures = {}
            for mode in MODES:
                runs = []
                for q in queries:
                    params = {"q": str(q["query"]), "type": "mission", "limit": 10, "synthetic": mode}
                    r = client.get("/api/search", params=params)
                    r.raise_for_status()
                    ids = [h["id"] for h in r.json()["results"]]
                    runs.append((str(q["query"]), ids, set(q["relevant"])))  # type: ignore[call-overload]
                figures[f"synthetic={mode}"] = scores(runs)
            line(name, figures)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=Path, action="append", help="query files (default: dev and check)")
    parser.add_argument("--url", help="evaluate a running service instead of starting one")
    parser.add_argument("--verbose", action="store_true", help="print nDCG@10 per query (served, exclude)")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help="full-text engine")
    args = parser.parse_args()
    files: list[Path] = args.queries or [DEV, VALIDATION, CHECK]
    sets = {}
    for path in files:
        sets[path.stem] = json.loads(path.read_text())
        note = " (never used for tuning)" if path.resolve() == CHECK else ""
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{len(sets[path.stem])} queries from {shown}{note}")
    if DEV in files and SHARED_DEV.exists() and SHARED_DEV.read_bytes() != DEV.read_bytes():
        # the repository's copy extends the relevance lists to the missions added since; the shared
        # one is measured beside it, comparable with figures taken before the catalogue grew
        sets["shared dev (first lists)"] = json.loads(SHARED_DEV.read_text())
        shared = len(sets["shared dev (first lists)"])
        print(f"{shared} queries from {SHARED_DEV} (differs from the repository's copy)")

    iris = Iris()
    with tempfile.TemporaryDirectory(prefix="missiongraph-eval-") as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        store = OxigraphStore(data / "store")
        report = build_store(store, iris)
        served = build_index(store, iris, data / "index" / args.engine, engine=args.engine)
        synthetic = int(served.synthetic.sum())
        missions = sum(1 for d in served.docs if d.type == "mission")
        print(
            f"served store (as `make run` builds it): {served.size} documents, {missions} missions, "
            f"{synthetic} synthetic items, {report.respondents} respondents "
            f"({time.perf_counter() - started:.0f} s to build)"
        )
        store.close()
        cat_store = OxigraphStore(None)
        catalogue_only(cat_store, iris)
        catalogue = build_index(cat_store, iris, data / "catalogue-index", engine=args.engine)
        in_process(served, catalogue, sets, args.verbose)
        catalogue.close()
        cat_store.close()
        served.close()

        proc = None
        url = args.url
        if url is None:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            env = dict(
                os.environ,
                MISSIONGRAPH_DATA_DIR=tmp,
                MISSIONGRAPH_BASE_IRI=str(iris.base),
                MISSIONGRAPH_SEARCH_ENGINE=args.engine,
            )
            proc = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(port), "--log-level", "warning"],
                cwd=ROOT, env=env,
            )  # fmt: skip
        try:
            through_http(url, sets)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
