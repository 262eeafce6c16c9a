"""Relevance harness (`make eval`): nDCG@10 and recall@10 on the dev queries over the 109 catalogue missions.

In process for both engines (fused ranking, and BM25F-only and embedding-only beside it for
reference), then through the HTTP API of a service this script starts with uvicorn on a free port
(or of a running one: ``--url http://127.0.0.1:8000``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
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

from graph.catalogue import load_catalogue  # noqa: E402
from graph.iris import Iris  # noqa: E402
from graph.store import OxigraphStore, Store  # noqa: E402
from ontology.vocab import write_vocabulary_ntriples  # noqa: E402
from search.index import Index, build_index  # noqa: E402

QUERIES = ROOT / "data" / "peer_search_dev_queries.json"


def ndcg(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def fill(store: Store, iris: Iris) -> None:
    """The vocabulary and the catalogue only: the dev queries judge the 109 catalogue missions."""
    store.replace_graph(iris.vocabulary_graph, write_vocabulary_ntriples(), ox.RdfFormat.N_TRIPLES)
    load_catalogue(store, iris)


def report(name: str, runs: list[tuple[str, list[str], set[str]]]) -> tuple[float, float]:
    n = float(np.mean([ndcg(r, rel) for _, r, rel in runs]))
    rc = float(np.mean([recall(r, rel) for _, r, rel in runs]))
    print(f"{name:<56} nDCG@10 {n:.3f}   recall@10 {rc:.3f}")
    return n, rc


def in_process(queries: list[dict[str, object]], verbose: bool) -> None:
    iris = Iris()
    store = OxigraphStore(None)
    fill(store, iris)
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("whoosh", "tantivy"):
            index: Index = build_index(store, iris, Path(tmp) / engine, engine=engine)
            fused, lexical, unfiltered = [], [], []
            for q in queries:
                text, rel = str(q["query"]), set(q["relevant"])  # type: ignore[call-overload]
                body = index.search(text, filters={"type": ["mission"]}, limit=10)
                fused.append((text, [r["id"] for r in body["results"]], rel))
                body = index.search(text, limit=10)
                unfiltered.append((text, [r["id"] for r in body["results"]], rel))
                body = index.search(text, filters={"type": ["mission"]}, limit=10, semantic=False)
                lexical.append((text, [r["id"] for r in body["results"]], rel))
            report(f"in process, {engine}: BM25F (OR) only", lexical)
            report(f"in process, {engine}: fused (the service)", fused)
            report(f"in process, {engine}: fused, concepts not filtered out", unfiltered)
            if verbose:
                for text, ranked, rel in fused:
                    print(f"   {ndcg(ranked, rel):.2f}  {text}")
            if engine == "whoosh":
                missions = [i for i, d in enumerate(index.docs) if d.type == "mission"]
                semantic = []
                assert index.embedder is not None
                for q in queries:
                    vec = index.embedder.encode_one(str(q["query"]))
                    sims = index.embeddings[missions] @ vec
                    ranked = [index.docs[missions[i]].id for i in np.argsort(-sims)[:10]]
                    semantic.append((str(q["query"]), ranked, set(q["relevant"])))  # type: ignore[call-overload]
                report("in process: embeddings only", semantic)
            index.close()
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def through_http(queries: list[dict[str, object]], url: str | None) -> None:
    proc = None
    tmp = None
    if url is None:
        tmp = tempfile.TemporaryDirectory()
        iris = Iris()
        store = OxigraphStore(Path(tmp.name) / "store")
        fill(store, iris)
        store.close()
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, MISSIONGRAPH_DATA_DIR=tmp.name, MISSIONGRAPH_BASE_IRI=str(iris.base))
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the service at {url} did not become healthy")
                time.sleep(0.3)
            runs = []
            for q in queries:
                r = client.get("/api/search", params={"q": str(q["query"]), "type": "mission", "limit": 10})
                r.raise_for_status()
                runs.append((str(q["query"]), [h["id"] for h in r.json()["results"]], set(q["relevant"])))  # type: ignore[call-overload]
            report(f"HTTP {url}/api/search", runs)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--url", help="evaluate a running service instead of starting one")
    parser.add_argument("--verbose", action="store_true", help="print nDCG@10 per query")
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text())
    print(f"{len(queries)} queries from {args.queries.name}")
    in_process(queries, args.verbose)
    through_http(queries, args.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
