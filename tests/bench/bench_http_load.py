"""HTTP load: 32 concurrent clients for 30 s on loopback against search, peers and a SPARQL aggregate.

Builds a store from data/ in a temporary folder (what `make run` builds), serves it with
`missiongraph serve --workers W` on a free port for each W of --workers (default: 1 and the number of
cores, in the same run), measures one client first (the cost of one call) and then the concurrent run
(clients spread over 4 client processes, so that the client's own GIL is not the limit); prints
requests/s, p50/p99 latency per route and errors (zero expected), then the scaling table.
Beside them: the in-process cost of one call of each route (the app without HTTP, in a child
process over the same store, before the servers start), the machine's load average before and after
each run, and the CPU the client processes themselves used (on a 2-core machine the load generator
competes with the server for the same cores).
Options: --clients N --seconds S --baseline S --workers 1,2.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from tests.support.ports import free_port  # noqa: E402

AGGREGATE = (
    "PREFIX mg: <https://w3id.org/missiongraph/def#> "
    "SELECT ?field (COUNT(DISTINCT ?m) AS ?missions) WHERE { ?m a mg:Mission ; mg:challengeField ?field } "
    "GROUP BY ?field ORDER BY DESC(?missions)"
)


def requests_plan() -> list[tuple[str, str, dict[str, str]]]:
    queries = [q["query"] for q in json.loads((ROOT / "data/peer_search_dev_queries.json").read_text())]
    ids = [line.split(",", 1)[0] for line in (ROOT / "data/missions.csv").read_text().splitlines()[1:]]
    ids = [i for i in ids if i and i[0].isalpha()][:40]
    plan: list[tuple[str, str, dict[str, str]]] = []
    for i in range(max(len(queries), len(ids))):
        plan.append(("search", "/api/search", {"q": queries[i % len(queries)], "limit": "10"}))
        plan.append(("peers", f"/api/missions/{ids[i % len(ids)]}/peers", {"limit": "5"}))
        plan.append(("sparql", "/sparql", {"query": AGGREGATE}))
    return plan


def run_spread(
    base: str, clients: int, seconds: float, processes: int = 4
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """``run`` with the clients spread over ``processes`` client processes; results merged."""
    import multiprocessing as mp

    processes = max(1, min(processes, clients))
    share = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes) as pool:
        started = time.monotonic()
        parts = pool.starmap(run, [(base, n, seconds) for n in share])
        elapsed = time.monotonic() - started
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    errors["_client_cpu_ms"] = 0
    for lat, err, _ in parts:
        for k, v in lat.items():
            latencies[k].extend(v)
        for k, n in err.items():
            errors[k] += n
    # the pool's start-up is not load time: the longest client process's own run is
    return latencies, errors, min(elapsed, max(t for _, _, t in parts))


def run(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], dict[str, int], float]:
    plan = requests_plan()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        mine: dict[str, list[float]] = defaultdict(list)
        bad: dict[str, int] = defaultdict(int)
        with httpx.Client(base_url=base, timeout=60) as http:
            for kind, path, params in itertools.islice(itertools.cycle(plan), offset, None):
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    r = http.get(path, params=params)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine[kind].append(time.perf_counter() - started)
                if not ok:
                    bad[kind] += 1
        with lock:
            for k, v in mine.items():
                latencies[k].extend(v)
            for k, n in bad.items():
                errors[k] += n

    started = time.monotonic()
    cpu = time.process_time()
    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors["_client_cpu_ms"] += int((time.process_time() - cpu) * 1000)  # not an error: the client's CPU
    return latencies, errors, time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def report(title: str, latencies: dict[str, list[float]], errors: dict[str, int], elapsed: float) -> float:
    total = sum(len(v) for v in latencies.values())
    client_cpu = errors.pop("_client_cpu_ms", 0) / 1000
    print(
        f"\n{title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s, "
        f"errors {sum(errors.values())}; client processes used {client_cpu:.1f} CPU s "
        f"({client_cpu / elapsed:.2f} cores); load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  {'route':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'errors':>7}"
    )
    for kind in ("search", "peers", "sparql"):
        v = latencies.get(kind, [])
        mean = statistics.fmean(v) * 1000 if v else float("nan")
        print(
            f"  {kind:8} {len(v):9d} {len(v) / elapsed:8.1f} {pct(v, 0.5):8.1f} {pct(v, 0.99):8.1f} "
            f"{mean:8.1f} {errors.get(kind, 0):7d}"
        )
    return total / elapsed


def wait_ready(base: str, server: subprocess.Popen[bytes], workers: int) -> bool:
    """Until every process answers /health 200 (with W workers: W distinct worker processes)."""
    t0 = time.perf_counter()
    ready: set[int] = set()
    while True:
        try:
            r = httpx.get(f"{base}/health", timeout=120, headers={"Connection": "close"})
            if r.status_code == 200:
                proc = r.json()["checks"].get("process", {})
                ready.add(proc.get("pid", 0))
                if workers == 1 or len(ready) >= workers:
                    return True
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.perf_counter() - t0 > 900:
            print(
                "the server did not become ready:",
                server.stderr.read().decode()[-2000:] if server.stderr else "",
            )
            return False
        time.sleep(0.2)


def in_process(data_dir: str, rounds: int = 30) -> dict[str, float]:
    """Median ms of one call of each route through the app without HTTP (the store built above)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    os.environ["MISSIONGRAPH_DATA_DIR"] = data_dir
    plan = requests_plan()
    out: dict[str, float] = {}
    with TestClient(create_app(Settings(workers=1))) as client:
        for _ in range(600):  # the index and the network view are derived in the background
            if client.get("/health").status_code == 200:
                break
            time.sleep(0.5)
        for kind in ("search", "peers", "sparql"):
            calls = [(path, params) for k, path, params in plan if k == kind]
            for path, params in calls[:3]:  # warm: models, caches
                client.get(path, params=params)
            took = []
            for path, params in itertools.islice(itertools.cycle(calls), rounds):
                t = time.perf_counter()
                r = client.get(path, params=params)
                took.append(time.perf_counter() - t)
                assert r.status_code == 200, (path, r.status_code)
            out[kind] = statistics.median(took) * 1000
    return out


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child-in-process":
        print(json.dumps(in_process(sys.argv[2])))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds of the one-client baseline")
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}", help="worker counts to compare")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    with tempfile.TemporaryDirectory(prefix="missiongraph-bench-http-") as tmp:
        port = free_port()
        env = {
            **os.environ,
            "MISSIONGRAPH_DATA_DIR": tmp,
            "MISSIONGRAPH_RATE_LIMIT_PER_MINUTE": "0",
            "MISSIONGRAPH_PORT": str(port),
            "MISSIONGRAPH_BASE_IRI": f"http://127.0.0.1:{port}/",
        }
        t0 = time.perf_counter()
        subprocess.run(
            [str(BIN / "missiongraph"), "build"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        print(f"store built in {time.perf_counter() - t0:.1f} s")
        child = subprocess.run(
            [sys.executable, __file__, "--child-in-process", tmp],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        one_call = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            "in-process cost of one call (median, no HTTP): "
            + ", ".join(f"{k} {v:.1f} ms" for k, v in one_call.items())
        )
        table: list[tuple[int, float, float, dict[str, list[float]], int]] = []
        failed = False
        for workers in counts:
            command = [str(BIN / "missiongraph"), "serve", "--host", "127.0.0.1", "--port", str(port)]
            server = subprocess.Popen(
                [*command, "--workers", str(workers)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                t0 = time.perf_counter()
                if not wait_ready(base, server, workers):
                    return 1
                print(
                    f"\n### {workers} worker(s): ready (store + index) in {time.perf_counter() - t0:.1f} s; "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
                run_spread(base, 4, 3.0)  # warm-up: index, peer model, query workers in every process
                base_rps = report("baseline, 1 client (the cost of one call)", *run(base, 1, args.baseline))
                load_before = os.getloadavg()[0]
                lat, err, elapsed = run_spread(base, args.clients, args.seconds)
                load_after = os.getloadavg()[0]
                rps = report(f"load, {args.clients} clients for {args.seconds:g} s", lat, err, elapsed)
                print(f"throughput ratio {args.clients} clients / 1 client: {rps / base_rps:.2f}x")
                table.append((workers, rps, base_rps, lat, sum(err.values()), load_before, load_after))
                failed = failed or sum(err.values()) > 0
            finally:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        print(f"\nworker scaling, {args.clients} clients for {args.seconds:g} s (same store, same run):")
        print(
            f"  {'workers':>7} {'req/s':>7} {'x 1 worker':>10} {'errors':>6} {'load before/after':>17}"
            "  p50 / p99 ms search, peers, sparql"
        )
        first = table[0][1] if table else float("nan")
        for workers, rps, _base, lat, errs, load_before, load_after in table:
            cells = ", ".join(
                f"{pct(lat.get(k, []), 0.5):.0f}/{pct(lat.get(k, []), 0.99):.0f}"
                for k in ("search", "peers", "sparql")
            )
            loads = f"{load_before:.1f} / {load_after:.1f}"
            print(f"  {workers:7d} {rps:7.1f} {rps / first:9.2f}x {errs:6d} {loads:>17}  {cells}")
        print(
            "  in process, one call: "
            + ", ".join(f"{k} {v:.1f} ms" for k, v in one_call.items())
            + f"; {os.cpu_count()} cores, shared with the client processes"
        )
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
