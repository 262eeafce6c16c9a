"""Peers as users get them: stores built by the real pipeline, goal meaning on, HTTP and in-process.

For each size (respondents; default 10,000 and 100,000, ``--quick``: 10,000 with fewer requests):

- the store ``missiongraph build --respondents N`` builds (``graph.build.build_store``), cached under
  ``$MISSIONGRAPH_BENCHDATA`` (default /work/benchdata): a finished build found there is reused read-only
  (``*/rN/BUILT``, or a ``build.log`` that says "built store at"), else it is built once under
  ``peers/rN`` behind a lock file;
- the goal vectors the service fuses (the search index's, which are the embedder's vectors of
  ``Features.embedding_texts``), encoded once and cached beside it as ``.npy`` per store state;
- the service runs in its own process under uvicorn on 127.0.0.1 with that network view (semantic on,
  the default), its communities derived before the first timed request (as the writer does after a load);
- requests: ``GET /api/missions/{id}/peers?limit=10`` for missions sampled with a seed and
  ``POST /api/peers`` with free-text goals (the real missions' titles, the practitioner queries); the
  warm-up uses other missions and other texts than the timed ones, and the 32-client load others again;
- each timed item goes through HTTP, then in-process as served (candidate stage), then in-process with
  every mission scored exactly (the baseline): p50/p95/p99, the paired per-item ratios, the recall of the
  served top 10 against the exact top 10, and the machine load; then 32 concurrent clients.

Usage: bench_peers.py [--quick] [--respondents N ...] [--items N] [--load N].
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import numpy as np

ROOT = Path(os.environ.get("MISSIONGRAPH_BENCHDATA", "/work/benchdata"))
QUERIES = Path(__file__).resolve().parents[2] / "data" / "peer_search_dev_queries.json"
AIM_P95_MS = 50.0  # issue 15: peers p95 < 50 ms at 100k with goal meaning on
AIM_LOAD_P99_MS = 500.0  # 32 clients: no errors, p99 within half a second
CLIENTS = 32


# --- the store and the vectors ---------------------------------------------------------------------
def _finished(folder: Path) -> bool:
    if (folder / "BUILT").exists():
        return True
    try:
        return "built store at" in (folder / "build.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def find_or_build(respondents: int) -> Path:
    """The folder (store + pseudonym key) of a finished pipeline build with ``respondents``."""
    own = ROOT / "peers" / f"r{respondents}"
    for folder in [own, *sorted(ROOT.glob(f"*/r{respondents}"))]:
        if (folder / "store").is_dir() and _finished(folder):
            return folder
    own.parent.mkdir(parents=True, exist_ok=True)
    lock = own.parent / f"r{respondents}.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        print(f"  waiting for the build of {respondents} respondents by another run ({lock})", flush=True)
        while not _finished(own):
            time.sleep(5)
        return own
    try:
        os.write(fd, str(os.getpid()).encode())
        from api.settings import Settings
        from graph.build import build_store
        from graph.store import OxigraphStore

        settings = Settings(data_dir=own)
        store = OxigraphStore(own / "store")
        started = time.perf_counter()
        report = build_store(store, settings.iris(), respondents=respondents)
        store.close()
        (own / "BUILT").write_text(
            f"{report.triples} triples, {respondents} respondents, {time.perf_counter() - started:.0f} s\n"
        )
    finally:
        os.close(fd)
        lock.unlink(missing_ok=True)
    return own


def open_read_only(folder: Path) -> Any:
    from graph.store import OxigraphStore

    return OxigraphStore(folder / "store", read_only=True)


def vectors_for(folder: Path, respondents: int, texts: list[str], state: str) -> tuple[np.ndarray, float]:
    """The embedder's vectors of the missions' texts, cached per store state (seconds to encode, 0 cached)."""
    cache = ROOT / "peers" / f"r{respondents}-vectors-{state}.npy"
    if cache.exists():
        v = np.load(cache)
        if v.shape[0] == len(texts):
            return v, 0.0
    from search.embeddings import Embedder

    started = time.perf_counter()
    unique = sorted(set(texts))  # template-made synthetic goals repeat: encode each text once
    at = {text: i for i, text in enumerate(unique)}
    v = Embedder(threads=2).encode(unique, batch_size=64)[[at[text] for text in texts]]
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(tmp, v)
    tmp.replace(cache)
    return v, time.perf_counter() - started


def build_view(folder: Path, respondents: int) -> tuple[Any, dict[str, float], Any]:
    """The network view the service builds for this store (vectors from the cache), and its timings."""
    from api.context import _embed
    from api.settings import Settings
    from graph.network.view import NetworkView

    store = open_read_only(folder)
    iris = Settings(data_dir=folder).iris()
    t = time.perf_counter()
    plain = NetworkView.build(store, iris)
    features_s = time.perf_counter() - t
    vectors, encode_s = vectors_for(folder, respondents, plain.features.embedding_texts(), store.state())
    t = time.perf_counter()
    view = NetworkView(plain.features, text_vectors=vectors, state=plain.state)
    view.model.embed = _embed
    model_s = time.perf_counter() - t
    return view, {"features_s": features_s, "encode_s": encode_s, "model_s": model_s}, store


def replicated(view: Any, copies: int, noise: float = 0.5) -> Any:
    """The view's missions ``copies`` times (ids suffixed ``~k``), each copy's goal vectors moved by
    random noise of norm ``noise`` (cosine ~0.9 to the original) so that copies differ in meaning:
    the size of a bigger store with the same sparsity, for timing when no such store is at hand (its
    recall is measured among near-copies, a harder case than a real store's)."""
    import scipy.sparse as sp

    from graph.network.features import DimensionMatrix, Features
    from graph.network.text import TextMatrix
    from graph.network.view import NetworkView

    if copies <= 1:
        return view
    f = view.features

    def rep(names: list[str]) -> list[str]:
        return [name if k == 0 else f"{name}~{k}" for k in range(copies) for name in names]

    dims = {
        name: DimensionMatrix(
            dm.dimension, sp.vstack([dm.matrix] * copies, format="csr"), dm.terms, dm.labels
        )
        for name, dm in f.dims.items()
    }
    text = TextMatrix(sp.vstack([f.text.matrix] * copies, format="csr"), f.text.terms, f.text.idf)
    features = Features(
        rep(f.mission_iris),
        rep(f.ids),
        f.titles * copies,
        f.goals * copies,
        dims,
        text,
        synthetic=f.synthetic * copies,
        sources=f.sources * copies,
    )
    v = np.vstack([view.model.vectors] * copies)
    rng = np.random.default_rng(0)
    moved = rng.standard_normal((len(v) - len(f), v.shape[1])).astype(np.float32)
    moved *= noise / np.linalg.norm(moved, axis=1, keepdims=True)
    v[len(f) :] += moved
    out = NetworkView(features, text_vectors=v, state=view.state)
    out.model.embed = view.model.embed
    return out


# --- the server process ----------------------------------------------------------------------------
def serve(folder: Path, respondents: int, port: int, copies: int = 1) -> None:
    """Child process: the app on the read-only store with the view injected, under uvicorn."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings
    from graph.network.communities import communities

    view, timing, store = build_view(folder, respondents)
    t = time.perf_counter()
    view = replicated(view, copies)
    timing["model_s"] += time.perf_counter() - t if copies > 1 else 0.0
    data = Path(tempfile.mkdtemp(prefix="bench-peers-serve-"))
    shutil.copy(folder / "pseudonym.key", data / "pseudonym.key")
    settings = Settings(store="oxigraph", data_dir=data, rate_limit_per_minute=0)
    app = create_app(settings, store=store)
    # the view AppContext builds when the search index holds the goal vectors (same vectors, same
    # model); an index with embeddings at 100k takes an hour to build on two cores, so the bench
    # caches the vectors alone
    app.state.ctx._network = view
    t = time.perf_counter()
    communities(view.model, view.knn, seed=0)  # what the writer derives after a load, before readiness
    timing["communities_s"] = time.perf_counter() - t
    print("READY " + json.dumps(timing), flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def start_server(
    folder: Path, respondents: int, port: int, copies: int
) -> tuple[subprocess.Popen[str], dict[str, float]]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(folder), str(respondents), str(port), str(copies)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY "):
            timing: dict[str, float] = json.loads(line[6:])
            break
    else:
        raise RuntimeError(f"the server process ended ({proc.wait()})")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/vocabulary", timeout=5).status_code < 500:
                return proc, timing
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not answer")


# --- measuring -------------------------------------------------------------------------------------
def pct(samples: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(samples) * 1000, p)) if samples else float("nan")


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.1f}/{b:.1f}/{c:.1f} on {os.cpu_count()} cores"


def row(name: str, samples: list[float], aim: str = "") -> str:
    return (
        f"    {name:<38} p50 {pct(samples, 50):7.2f}  p95 {pct(samples, 95):7.2f}  "
        f"p99 {pct(samples, 99):7.2f} ms" + (f"   aim {aim}" if aim else "")
    )


def exact_top(model: Any, q: Any, limit: int) -> list[tuple[int, float]]:
    out: list[tuple[int, float]] = model.top(q, limit, exact=True)
    return out


def _served(view: Any, mission_id: str) -> list[dict[str, Any]]:
    from api.peer_answers import peers_body

    out: list[dict[str, Any]] = peers_body(view, mission_id, limit=10, mode="problem", synthetic="include")[
        "peers"
    ]
    return out


def _served_profile(view: Any, profile: dict[str, list[str]]) -> list[dict[str, Any]]:
    from api.peer_answers import profile_peers_body

    out: list[dict[str, Any]] = profile_peers_body(
        view, profile, limit=10, mode="problem", synthetic="include"
    )["peers"]
    return out


def _exact(model: Any, q: Any) -> list[dict[str, Any]]:
    """The baseline: every mission scored exactly, the same peer dicts built."""
    return [model.peer(q, o, s).as_dict() for o, s in exact_top(model, q, 10)]


def _exact_mission(model: Any, mission_id: str) -> list[dict[str, Any]]:
    return _exact(model, model.query_for_row(model.row(mission_id)))


def _exact_profile(model: Any, profile: dict[str, list[str]]) -> list[dict[str, Any]]:
    return _exact(model, model.query_for_profile(profile))


def _arms(
    results: dict[str, list[float]],
    names: tuple[str, str],
    served: Callable[[], list[dict[str, Any]]],
    exact: Callable[[], list[dict[str, Any]]],
    *,
    flip: bool,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run both in-process arms (wall-clock and thread CPU time each), the exact one first if ``flip``."""
    out: dict[str, list[dict[str, Any]]] = {}
    order = [(names[1], exact), (names[0], served)] if flip else [(names[0], served), (names[1], exact)]
    for name, work in order:
        t, c = time.perf_counter(), time.thread_time()
        out[name] = work()
        results[name].append(time.perf_counter() - t)
        results[f"cpu_{name}"].append(time.thread_time() - c)
    return out[names[0]], out[names[1]]


def items(view: Any, count: int, seed: int) -> dict[str, list[Any]]:
    """Disjoint warm-up, timed and load items: mission ids, and free-text goals."""
    f = view.features
    rng = random.Random(seed)
    ids = list(f.ids)
    rng.shuffle(ids)
    real_titles = sorted({t for t, s in zip(f.titles, f.synthetic, strict=True) if not s and t})
    texts = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))] if QUERIES.exists() else []
    texts += real_titles
    rng.shuffle(texts)
    warm, timed_n = 20, count
    return {
        "warm_ids": ids[:warm],
        "ids": ids[warm : warm + timed_n],
        "load_ids": ids[warm + timed_n : warm + timed_n + 4 * count],
        "warm_texts": texts[:10],
        "texts": texts[10 : 10 + timed_n // 2],
        "load_texts": texts[10 + timed_n // 2 :],
    }


def run_size(respondents: int, count: int, load_requests: int, port: int, copies: int = 1) -> None:
    from api.blas import one_blas_thread

    one_blas_thread()  # as the service does (api/blas.py), so that in-process compares with HTTP

    times = f" × {copies} (replicated, goal vectors perturbed: timing at scale)" if copies > 1 else ""
    print(f"\n== {respondents:,} respondents{times} ==", flush=True)
    t = time.perf_counter()
    folder = find_or_build(respondents)
    print(f"  store {folder} ({time.perf_counter() - t:.0f} s to find or build)", flush=True)
    view, timing, store = build_view(folder, respondents)
    t = time.perf_counter()
    view = replicated(view, copies)
    timing["model_s"] += time.perf_counter() - t if copies > 1 else 0.0
    model = view.model
    n = len(view.features)
    encoded = f"encoded in {timing['encode_s']:.0f} s" if timing["encode_s"] else "cached"
    print(
        f"  {n:,} missions ({sum(view.features.synthetic):,} synthetic) | "
        f"features {timing['features_s']:.1f} s"
        f" | vectors {encoded}"
        f" | peer model (with candidate projection) {timing['model_s']:.2f} s | {load()}",
        flush=True,
    )
    it = items(view, count, seed=respondents)
    proc, served = start_server(folder, respondents, port, copies)
    try:
        print(
            f"  server process ready: view {served['features_s'] + served['model_s']:.1f} s, "
            f"communities {served['communities_s']:.1f} s",
            flush=True,
        )
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            for mid in it["warm_ids"]:
                client.get(f"/api/missions/{mid}/peers", params={"limit": 10}).raise_for_status()
            for text in it["warm_texts"]:
                client.post("/api/peers", json={"profile": {"goal": [text]}, "limit": 10}).raise_for_status()
            for mid in it["warm_ids"]:  # in-process warm-up, same missions and texts
                _served(view, mid)
                _exact_mission(model, mid)
            for text in it["warm_texts"]:  # (the first loads the embedder in this process)
                _served_profile(view, {"goal": [text]})
                _exact_profile(model, {"goal": [text]})
            results: dict[str, list[float]] = {
                k: []
                for k in ("http", "served", "exact", "p_http", "p_served", "p_exact")
                + ("cpu_served", "cpu_exact", "cpu_p_served", "cpu_p_exact")
            }
            found: list[list[int]] = []
            truth: list[list[int]] = []
            p_found: list[list[int]] = []
            p_truth: list[list[int]] = []
            load_before = load()
            for i, mid in enumerate(it["ids"]):
                t = time.perf_counter()
                r = client.get(f"/api/missions/{mid}/peers", params={"limit": 10})
                results["http"].append(time.perf_counter() - t)
                r.raise_for_status()
                # the two in-process arms take turns going first (the first pays what is new to the
                # process: an input length the embedder has not seen, cold cache lines)
                answers = _arms(
                    results,
                    ("served", "exact"),
                    partial(_served, view, mid),
                    partial(_exact_mission, model, mid),
                    flip=i % 2 == 1,
                )
                found.append([view.features.row_of[p["id"]] for p in answers[0]])
                truth.append([view.features.row_of[p["id"]] for p in answers[1]])
                if i >= len(it["texts"]):
                    continue
                profile = {"goal": [it["texts"][i]]}
                t = time.perf_counter()
                r = client.post("/api/peers", json={"profile": profile, "limit": 10})
                results["p_http"].append(time.perf_counter() - t)
                r.raise_for_status()
                answers = _arms(
                    results,
                    ("p_served", "p_exact"),
                    partial(_served_profile, view, profile),
                    partial(_exact_profile, model, profile),
                    flip=i % 2 == 1,
                )
                p_found.append([view.features.row_of[p["id"]] for p in answers[0]])
                p_truth.append([view.features.row_of[p["id"]] for p in answers[1]])
            load_after = load()
        from graph.network.candidates import recall

        aim = f"p95 < {AIM_P95_MS:.0f} ms" if respondents * copies >= 100_000 else ""
        print(
            f"  one client, {len(it['ids'])} missions + {len(it['texts'])} free-text goals, never warmed up "
            f"({load_before} before, {load_after} after)"
        )
        print("  GET /api/missions/{id}/peers?limit=10")
        print(row("HTTP (uvicorn, own process)", results["http"], aim))
        print(row("in-process as served (candidates)", results["served"]))
        print(row("in-process, every mission exact (baseline)", results["exact"]))
        print(row("  CPU time of that thread, as served", results["cpu_served"]))
        print(row("  CPU time of that thread, exact", results["cpu_exact"]))
        print(_ratios(results["served"], results["exact"], "served / exact"))
        print(_ratios(results["cpu_served"], results["cpu_exact"], "served / exact, CPU time"))
        print(_ratios(results["http"], results["served"], "HTTP / in-process"))
        print(f"    recall@10 of the served peers against the exact top 10: {recall(found, truth):.4f}")
        if results["p_http"]:
            print("  POST /api/peers {profile: {goal: [free text]}} (the goal is embedded per request)")
            print(row("HTTP (uvicorn, own process)", results["p_http"], aim))
            print(row("in-process as served (candidates)", results["p_served"]))
            print(row("in-process, every mission exact (baseline)", results["p_exact"]))
            print(row("  CPU time of that thread, as served", results["cpu_p_served"]))
            print(row("  CPU time of that thread, exact", results["cpu_p_exact"]))
            print(_ratios(results["p_served"], results["p_exact"], "served / exact"))
            print(_ratios(results["cpu_p_served"], results["cpu_p_exact"], "served / exact, CPU time"))
            print(f"    recall@10 against the exact top 10: {recall(p_found, p_truth):.4f}")
        _recall_deep(model, it["ids"][: max(10, count // 4)])
        asyncio.run(_load(base, it["load_ids"], it["load_texts"], load_requests))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        store.close()


def _ratios(a: list[float], b: list[float], name: str) -> str:
    r = np.asarray(a) / np.asarray(b)
    spread = f"p10 x{np.percentile(r, 10):.2f}, p90 x{np.percentile(r, 90):.2f}"
    return f"    paired ratio {name:<28} median x{np.median(r):.2f}  ({spread})"


def _recall_deep(model: Any, ids: list[str]) -> None:
    """Recall of the candidate stage for limit 100 and with the synthetic filter (in-process, untimed)."""
    from graph.network.candidates import recall

    for limit, synthetic in ((100, "include"), (10, "exclude")):
        found, truth = [], []
        for mid in ids:
            q = model.query_for_row(model.row(mid))
            found.append([r for r, _ in model.top(q, limit, synthetic=synthetic)])
            truth.append([r for r, _ in model.top(q, limit, synthetic=synthetic, exact=True)])
        print(f"    recall@{limit} synthetic={synthetic}: {recall(found, truth):.4f} ({len(ids)} missions)")


async def _load(base: str, ids: list[str], texts: list[str], total: int) -> None:
    """``CLIENTS`` concurrent clients, 3 in 4 requests GET peers of a mission, 1 in 4 a free-text profile."""
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    for i in range(total):
        if i % 4 == 3 and texts:
            queue.put_nowait(("post", texts[i % len(texts)]))
        else:
            queue.put_nowait(("get", ids[i % len(ids)]))
    lat: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
            while not queue.empty():
                kind, what = queue.get_nowait()
                t = time.perf_counter()
                try:
                    if kind == "get":
                        r = await c.get(f"/api/missions/{what}/peers", params={"limit": 10})
                    else:
                        r = await c.post("/api/peers", json={"profile": {"goal": [what]}, "limit": 10})
                    if r.status_code != 200:
                        errors.append(str(r.status_code))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                lat.append(time.perf_counter() - t)

    before = load()
    t = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    wall = time.perf_counter() - t
    print(
        f"  {CLIENTS} clients, {total} requests "
        "(3/4 GET peers, 1/4 POST profile; ids and texts not used above)"
    )
    print(row("HTTP under load", lat, f"no errors, p99 < {AIM_LOAD_P99_MS:.0f} ms"))
    print(
        f"    {total / wall:.1f} req/s, {len(errors)} errors {sorted(set(errors))}  "
        f"({before} before, {load()} after)"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 respondents, fewer requests")
    parser.add_argument("--respondents", type=int, nargs="*", default=None)
    parser.add_argument("--items", type=int, default=None, help="timed missions per size (default 200)")
    parser.add_argument("--load", type=int, default=None, help="requests of the 32-client load (default 960)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8160")))
    parser.add_argument(
        "--replicate",
        type=int,
        default=1,
        help="also time the first size's missions this many times over (when no bigger store is at hand)",
    )
    args = parser.parse_args()
    sizes = args.respondents or ([10_000] if args.quick else [10_000, 100_000])
    count = args.items or (60 if args.quick else 200)
    total = args.load or (256 if args.quick else 960)
    print(f"bench_peers: {sizes} respondents, {count} timed missions each, {load()}")
    for n in sizes:
        run_size(n, count, total, args.port)
    if args.replicate > 1:
        run_size(sizes[0], count, total, args.port, copies=args.replicate)


if __name__ == "__main__":
    main()
