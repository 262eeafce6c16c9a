"""Search benchmark: build time and size, p50/p95 latency in process, through HTTP and of each raw engine.

For both engines at 1k, 10k and 100k synthetic documents (``--sizes``): index build time (engine and
embeddings apart) and size on disk; search latency with the fused ranking (semantic included), facet
counts and filters, in process and through a uvicorn service started here; the engine's own searcher
on the same queries beside it; the resident memory of the service and the install size of the venv.
Synthetic documents reuse a pool of distinct texts (``--unique``) so that embedding 100k documents
does not take a quarter of an hour; the embedding throughput is printed so the full cost can be
reckoned.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graph.synthetic.text import (  # noqa: E402
    CHALLENGE_DETAILS,
    MISSION_TEMPLATES,
    RISK_DETAILS,
    challenge_text,
    mission_title_goal,
    support_text,
)
from search.documents import FACETS, DocumentSet, SearchDocument  # noqa: E402
from search.index import Index, _embed, build_from_documents, open_index, shared_embedder  # noqa: E402

COUNTRIES = ["DNK", "GBR", "NLD", "USA", "SWE", "DEU", "AUS", "FIN", "NOR", "AUT", "ESP", "FRA", "CAN"]
CITIES = ["Aarhus", "Leeds", "Utrecht", "Boston", "Malmö", "Leipzig", "Adelaide", "Tampere", "Bergen"]
LEVELS = ["supranational", "national", "regional", "local"]
PHASES = ["exploration", "design", "portfolio", "implementation", "evaluation"]
SECTORS = ["national-government", "regional-government", "local-government", "private-sector", "academia"]
DRIVERS = ["external-collaboration", "external-global-challenges", "internal-strategy", "internal-policy"]
FUNDING = ["national-state", "regional", "local", "eu", "private", "philanthropic"]
ANSWERS = ["yes", "partly", "no", "dont-know"]
SUPPORT = ["evaluation", "governance", "portfolio", "experimentation", "funding", "communication"]
QUERIES = [
    "plastic waste", "youth loneliness", "healthy soils", "net zero industry", "clean water",
    "dementia care", "green hydrogen", "affordable housing", "school meals", "mental health",
    "urban mobility", "measuring progress", "stakeholder engagement", "circular economy", "flood risk",
]  # fmt: skip
FILTERS: list[dict[str, list[str]]] = [
    {},
    {"country": ["DNK"]},
    {"risk": ["silos", "momentum"], "type": ["response"]},
    {"field": ["climate"], "level": ["national", "local"]},
]


def synthetic_documents(n: int, unique: int, seed: int = 7) -> DocumentSet:
    """``n`` missions and survey responses with every facet; texts drawn from ``unique`` distinct ones."""
    rng = random.Random(seed)
    fields = sorted(MISSION_TEMPLATES)
    pool: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(pool) < min(n, unique):
        field = rng.choice(fields)
        title, goal = mission_title_goal(rng, field, rng.choice(CITIES), rng.randint(2025, 2050))
        risks = rng.sample(sorted(RISK_DETAILS), 2)
        challenge = rng.choice(sorted(CHALLENGE_DETAILS))
        answers = (
            challenge_text(rng, [(challenge, challenge.replace("-", " "))], risks, field)
            + " "
            + support_text(rng, rng.sample(SUPPORT, 2))
        )
        if (title, goal + answers) in seen:
            continue
        seen.add((title, goal + answers))
        pool.append((field, title, goal, answers))
    docs = []
    for i in range(n):
        field, title, goal, answers = pool[i % len(pool)]
        kind = "mission" if i % 2 == 0 else "response"
        facets = {
            "type": [kind],
            "country": [rng.choice(COUNTRIES)],
            "level": [rng.choice(LEVELS)],
            "field": sorted({field, rng.choice(fields)}),
            "phase": [rng.choice(PHASES)],
            "sector": [rng.choice(SECTORS)],
            "driver": [rng.choice(DRIVERS)],
            "funding": sorted(set(rng.sample(FUNDING, 2))),
            "risk": sorted(set(rng.sample(sorted(RISK_DETAILS), 2))),
            "support": sorted(set(rng.sample(SUPPORT, 2))),
            "target": [rng.choice(ANSWERS)],
            "me_plan": [rng.choice(ANSWERS)],
            "wave": [rng.choice(["2021", "2022"])],
        }
        docs.append(
            SearchDocument(
                id=f"syn-{kind}-{i}",
                iri=f"urn:missiongraph:synthetic:{i}",
                type=kind,
                title=title,
                goal=goal if kind == "mission" else "",
                answers=answers if kind == "response" else "",
                labels=[field.replace("-", " ")],
                topics=[field.replace("-", " ")],
                facets=facets,
                url=f"/synthetic/{i}",
            )
        )
    labels = {f: {} for f in FACETS}
    return DocumentSet(docs, labels, {})


def percentiles(samples: list[float]) -> str:
    ms = np.array(samples) * 1000
    return f"p50 {np.percentile(ms, 50):7.2f} ms  p95 {np.percentile(ms, 95):7.2f} ms"


def timed(fn: Callable[[str, dict[str, list[str]]], object], rounds: int) -> list[float]:
    out = []
    for r in range(rounds):
        q = QUERIES[r % len(QUERIES)]
        f = FILTERS[(r // len(QUERIES)) % len(FILTERS)]
        started = time.perf_counter()
        fn(q, f)
        out.append(time.perf_counter() - started)
    return out


def raw_searcher(index: Index) -> Callable[[str, dict[str, list[str]]], object]:
    """The engine's own query parser and searcher, top 10, OR semantics, no facets, no embeddings."""
    if index.engine.name == "whoosh":
        from whoosh.qparser import MultifieldParser, OrGroup
        from whoosh.scoring import BM25F

        ix = index.engine._index  # type: ignore[attr-defined]
        parser = MultifieldParser(["title", "goal", "answers", "labels"], ix.schema, group=OrGroup)
        searcher = ix.searcher(weighting=BM25F())

        def whoosh_search(q: str, _f: dict[str, list[str]]) -> object:
            return [hit["id"] for hit in searcher.search(parser.parse(q), limit=10)]

        return whoosh_search
    tix = index.engine._index  # type: ignore[attr-defined]

    def tantivy_search(q: str, _f: dict[str, list[str]]) -> object:
        searcher = tix.searcher()
        hits = searcher.search(tix.parse_query(q, ["title", "goal", "answers", "labels"]), 10).hits
        return [searcher.doc(a)["id"][0] for _, a in hits]

    return tantivy_search


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def http_bench(path: Path, engine: str, rounds: int) -> tuple[list[float], float]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(path), "--engine", engine, "--port", str(port)], cwd=ROOT
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the benchmark service did not start")
                time.sleep(0.3)

            def call(q: str, f: dict[str, list[str]]) -> object:
                params: list[tuple[str, str]] = [("q", q), ("limit", "10")]
                params += [(k, v) for k, vs in f.items() for v in vs]
                r = client.get("/api/search", params=params)
                r.raise_for_status()
                return r.json()

            timed(call, 20)  # warm up
            samples = timed(call, rounds)
            return samples, rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def serve(path: Path, engine: str, port: int) -> None:
    """The service over a saved index (the benchmark's child process)."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings
    from graph.store import OxigraphStore

    index = open_index(path, engine=engine)
    if index is None:
        raise SystemExit(f"no {engine} index at {path}")
    store = OxigraphStore(None)  # empty: its state matches the one the synthetic index records
    app = create_app(
        # the benchmark client is one client sending hundreds of queries: no rate limit
        Settings(store="memory", search_engine=engine, rate_limit_per_minute=10**9),  # type: ignore[arg-type]
        store=store,
        index=index,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def install_size() -> None:
    venv = Path(sys.prefix)
    site = next((venv / "lib").glob("python3*/site-packages"), None)
    print(f"\ninstall size: venv {venv} {du_mb(venv):.0f} MB")
    if site is not None:
        for name in ("onnxruntime", "tokenizers", "numpy", "whoosh", "tantivy", "torch"):
            size = du_mb(site / name)
            print(
                f"  {name:<12} {size:7.1f} MB"
                + ("  (absent: no torch at run time)" if name == "torch" and not size else "")
            )
    model = ROOT / "search" / "models"
    print(f"  model        {du_mb(model):7.1f} MB (search/models: int8 ONNX + tokenizer)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="whoosh,tantivy")
    parser.add_argument("--unique", type=int, default=3000, help="distinct texts in the synthetic pool")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.engine, args.port)
        return 0

    embedder = shared_embedder()
    sample = [d.embed_text for d in synthetic_documents(300, 300).documents]
    started = time.perf_counter()
    embedder.encode(sample)
    rate = len(sample) / (time.perf_counter() - started)
    minutes = 1e5 / rate / 60
    print(f"embedding throughput: {rate:.0f} texts/s (one thread); 100k distinct texts: {minutes:.0f} min")
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            docs = synthetic_documents(n, args.unique)
            started = time.perf_counter()
            vectors = _embed(embedder, docs.documents)
            embed_s = time.perf_counter() - started
            print(
                f"\n{n:,} documents: embeddings of {min(n, args.unique):,} distinct texts in {embed_s:.1f} s"
            )
            for engine in args.engines.split(","):
                path = Path(tmp) / f"{engine}-{n}"
                started = time.perf_counter()
                index = build_from_documents(path, engine, docs, store_state="empty", embeddings=vectors)
                build = time.perf_counter() - started
                size = du_mb(path)
                raw = timed(raw_searcher(index), args.rounds)
                fused = timed(lambda q, f: index.search(q, filters=f, limit=10), args.rounds)
                lexical = timed(
                    lambda q, f: index.search(q, filters=f, limit=10, semantic=False), args.rounds
                )
                # an empty query lists every document (after filters): facets over all of them
                browse = timed(lambda _q, f: index.search("", filters=f, limit=10), args.rounds)
                index.close()
                http, rss = http_bench(path, engine, args.rounds)
                print(
                    f"\n{engine} at {n:,} documents: built in {build:.1f} s ({n / build:,.0f} docs/s, "
                    f"embeddings computed apart), {size:.1f} MB on disk"
                )
                print(f"  raw {engine} searcher (top 10, no facets)   {percentiles(raw)}")
                print(f"  in process, lexical + facets + filters   {percentiles(lexical)}")
                print(f"  in process, fused + facets + filters     {percentiles(fused)}")
                print(f"  in process, empty query + facets (browse) {percentiles(browse)}")
                print(f"  HTTP /api/search, fused + facets         {percentiles(http)}")
                print(f"  service resident memory                  {rss:.0f} MB")
                p95 = float(np.percentile(np.array(http) * 1000, 95))
                ratio = float(np.percentile(fused, 50) / max(np.percentile(raw, 50), 1e-9))
                print(f"  ratio in-process fused / raw engine (p50) {ratio:.1f}x")
                results[f"{engine}-{n}"] = {
                    "http_p95_ms": round(p95, 2),
                    "rss_mb": round(rss),
                    "build_s": round(build, 1),
                }
    install_size()
    load = os.getloadavg()
    print(
        f"\nload average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    aims = []
    if "whoosh-10000" in results:
        aims.append(f"whoosh 10k HTTP p95 {results['whoosh-10000']['http_p95_ms']} ms (aim < 50)")
    if "tantivy-100000" in results:
        aims.append(f"tantivy 100k HTTP p95 {results['tantivy-100000']['http_p95_ms']} ms (aim < 20)")
    print("\naims: " + "; ".join(aims))
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
