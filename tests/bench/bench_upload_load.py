"""Reads during an upload: 32 clients on search, peers and /health while a 20,000-row survey export loads.

Builds the store `make run` builds in a temporary data folder, serves it with `missiongraph serve` (the
default: one writer process and a worker per core) on a free port of 127.0.0.1, and runs the same client
load twice in the same run: first without an upload (the baseline), then while a synthetic export of
--rows respondents (default 20,000, a new wave) is uploaded through the Lab's upload route
(`POST /api/loads`) and loaded, indexed and switched to. The second run lasts until the job has ended
and every worker answers from the new store state. Prints p50/p99 and errors per route for both runs,
their ratio, the job's phases and the machine load (`os.getloadavg()`); the aim is 0 errors and p99
under 1 s during the upload. `--quick` uploads 2,000 rows. No figure is asserted.

The export is cached in /work/benchdata (when that folder exists) so that reruns skip generating it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
CACHE = Path("/work/benchdata")
TOKEN = "bench-upload-token"  # a throwaway Lab token for this run's own server
ROUTES = ("search", "peers", "health")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plan() -> list[tuple[str, str, dict[str, str]]]:
    queries = [q["query"] for q in json.loads((ROOT / "data/peer_search_dev_queries.json").read_text())]
    ids = [line.split(",", 1)[0] for line in (ROOT / "data/missions.csv").read_text().splitlines()[1:]]
    ids = [i for i in ids if i and i[0].isalpha()][:40]
    out: list[tuple[str, str, dict[str, str]]] = []
    for i in range(max(len(queries), len(ids))):
        out.append(("search", "/api/search", {"q": queries[i % len(queries)], "limit": "10"}))
        out.append(("peers", f"/api/missions/{ids[i % len(ids)]}/peers", {"limit": "5"}))
        out.append(("health", "/health", {}))
    return out


def client_process(base: str, threads: int, stop_file: str, offset: int) -> list[tuple[str, float, int]]:
    """``threads`` clients in a loop until ``stop_file`` exists: (route, seconds, status) per request
    (status 0: no answer, a timeout or a refused connection)."""
    requests = plan()
    out: list[tuple[str, float, int]] = []
    lock = threading.Lock()

    def client(start: int) -> None:
        mine: list[tuple[str, float, int]] = []
        with httpx.Client(base_url=base, timeout=30) as http:
            for kind, path, params in itertools.islice(itertools.cycle(requests), start, None):
                if os.path.exists(stop_file):
                    break
                t0 = time.perf_counter()
                try:
                    status = http.get(path, params=params).status_code
                except httpx.HTTPError:
                    status = 0
                mine.append((kind, time.perf_counter() - t0, status))
        with lock:
            out.extend(mine)

    workers = [threading.Thread(target=client, args=(offset + i * 7,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return out


class Load:
    """``clients`` clients spread over client processes (the client's own GIL is not the limit)."""

    def __init__(self, base: str, clients: int, work: Path, processes: int = 4) -> None:
        self.stop_file = work / f"stop-{time.time_ns()}"
        processes = max(1, min(processes, clients))
        share = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
        self.pool = mp.get_context("spawn").Pool(processes)
        self.started = time.monotonic()
        self.result = self.pool.starmap_async(
            client_process, [(base, n, str(self.stop_file), i * 3) for i, n in enumerate(share)]
        )
        self.load: list[float] = []
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while self._sampling:
            self.load.append(os.getloadavg()[0])
            time.sleep(2)

    def stop(self) -> tuple[list[tuple[str, float, int]], float]:
        self.stop_file.touch()
        parts = self.result.get(timeout=120)
        elapsed = time.monotonic() - self.started
        self._sampling = False
        self.pool.close()
        self.pool.join()
        return [row for part in parts for row in part], elapsed


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def summary(rows: list[tuple[str, float, int]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for route in ROUTES:
        lat = [s for k, s, _ in rows if k == route]
        bad = [st for k, _, st in rows if k == route and st != 200]
        out[route] = {
            "n": len(lat),
            "p50": pct(lat, 0.5),
            "p99": pct(lat, 0.99),
            "max": max(lat) * 1000 if lat else float("nan"),
            "errors": len(bad),
            "timeouts": sum(1 for st in bad if st == 0),
        }
    return out


def export(rows: int, work: Path) -> Path:
    from graph.synthetic import generate_survey, write_csv

    folder = CACHE if CACHE.is_dir() and os.access(CACHE, os.W_OK) else work
    path = folder / f"upload-bench-{rows}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        tmp = path.with_suffix(".tmp.csv")
        write_csv(generate_survey(rows, 9000 + rows), tmp)
        tmp.replace(path)
        print(f"synthetic export of {rows} rows written in {time.perf_counter() - t0:.1f} s ({path})")
    return path


def wait_ready(base: str, server: subprocess.Popen[bytes], processes: int, after: str | None = None) -> bool:
    """Until ``processes`` distinct processes answer /health 200 (at a state other than ``after``)."""
    seen: set[int] = set()
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"{base}/health", timeout=30, headers={"Connection": "close"})
            body = r.json()
            at = body["checks"].get("store", {}).get("state")
            if r.status_code == 200 and (after is None or at != after):
                seen.add(body["checks"]["process"]["pid"])
                if len(seen) >= processes:
                    return True
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        if server.poll() is not None:
            print("the server stopped:", server.stderr.read().decode()[-2000:] if server.stderr else "")
            return False
        time.sleep(0.2)
    return False


def upload(base: str, path: Path, wave: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with path.open("rb") as f:
        r = httpx.post(
            f"{base}/api/loads",
            files={"file": (path.name, f, "text/csv")},
            data={"wave": wave},
            headers=headers,
            timeout=600,
        )
    if r.status_code != 202:
        raise SystemExit(f"upload refused: {r.status_code} {r.text[:500]}")
    job: dict[str, Any] = r.json()
    while job["status"] in ("queued", "running"):
        time.sleep(1)
        try:
            job = httpx.get(f"{base}/api/loads/{job['id']}", headers=headers, timeout=30).json()
        except httpx.HTTPError:
            continue
    return job


def print_table(base: dict[str, dict[str, float]], during: dict[str, dict[str, float]]) -> None:
    print(
        f"  {'route':7} | {'baseline: n':>11} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"| {'upload: n':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6} {'timeouts':>8} "
        f"| {'p99 x':>6}"
    )
    for route in ROUTES:
        b, d = base[route], during[route]
        ratio = d["p99"] / b["p99"] if b["p99"] else float("nan")
        print(
            f"  {route:7} | {b['n']:11.0f} {b['p50']:7.1f} {b['p99']:7.1f} {b['errors']:6.0f} "
            f"| {d['n']:9.0f} {d['p50']:7.1f} {d['p99']:7.1f} {d['max']:7.1f} {d['errors']:6.0f} "
            f"{d['timeouts']:8.0f} | {ratio:5.1f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="2,000 rows and a 10 s baseline")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--baseline", type=float, default=30.0, help="seconds of the run without upload")
    parser.add_argument("--workers", type=int, default=0, help="worker processes (default: serve's own)")
    args, _ = parser.parse_known_args()
    rows = 2_000 if args.quick else args.rows
    baseline = 10.0 if args.quick else args.baseline
    from api.auth import token_digest

    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start (the machine may be "
        "shared: figures are wall-clock)"
    )
    with tempfile.TemporaryDirectory(prefix="missiongraph-bench-upload-") as tmp:
        work = Path(tmp)
        data = export(rows, work)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "MISSIONGRAPH_DATA_DIR": str(work / "data"),
            "MISSIONGRAPH_RATE_LIMIT_PER_MINUTE": "0",
            "MISSIONGRAPH_PORT": str(port),
            "MISSIONGRAPH_BASE_IRI": f"{base}/",
            "MISSIONGRAPH_LAB_TOKEN_HASHES": json.dumps([token_digest(TOKEN)]),
            "MISSIONGRAPH_UPLOAD_MAX_BYTES": str(1 << 30),
        }
        t0 = time.perf_counter()
        subprocess.run(
            [str(BIN / "missiongraph"), "build"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        print(f"store built in {time.perf_counter() - t0:.1f} s")
        command = [str(BIN / "missiongraph"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        processes = args.workers or os.cpu_count() or 1
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            t0 = time.perf_counter()
            if not wait_ready(base, server, processes):
                return 1
            ready = time.perf_counter() - t0
            print(f"server ready (store + index, {processes} worker process(es)) in {ready:.1f} s")
            # warm-up: every worker process opens its index, loads the embedding model and builds its
            # peer model on its first requests (a 3 s warm-up left a cold baseline of 1 req/s)
            warm = Load(base, args.clients, work)
            time.sleep(max(10.0, baseline))
            warm.stop()

            run = Load(base, args.clients, work)
            time.sleep(baseline)
            rows_base, elapsed_base = run.stop()
            load_base = run.load

            size = data.stat().st_size / 1e6
            print(f"\nuploading {size:.1f} MB ({rows} rows) while {args.clients} clients read ...")
            before = httpx.get(f"{base}/health", timeout=30).json()["checks"]["store"]["state"]
            run = Load(base, args.clients, work)
            t0 = time.perf_counter()
            job = upload(base, data, f"bench{rows}")
            loaded = time.perf_counter() - t0
            switched = job["status"] == "succeeded" and wait_ready(base, server, processes, before)
            served = time.perf_counter() - t0
            rows_up, elapsed_up = run.stop()
            load_up = run.load
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print(f"\njob {job['status']} in {loaded:.1f} s; every worker on the new state after {served:.1f} s")
    if not switched:
        print("  (not every worker reported the new state before the end)")
    for phase in job.get("phases", []):
        print(f"  phase {phase['name']:8} {phase['status']:9} {phase['started']} -> {phase['finished']}")
    if job["status"] != "succeeded":
        print(f"  detail: {job.get('detail')}")
    base_sum, up_sum = summary(rows_base), summary(rows_up)
    print(
        f"\n{args.clients} clients: baseline {len(rows_base)} requests in {elapsed_base:.0f} s "
        f"({len(rows_base) / elapsed_base:.1f} req/s); "
        f"during the upload {len(rows_up)} in {elapsed_up:.0f} s "
        f"({len(rows_up) / elapsed_up:.1f} req/s)"
    )
    print_table(base_sum, up_sum)
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    print(
        f"\nmachine load (1-min average, {os.cpu_count()} cores): baseline mean {mean(load_base):.2f} "
        f"max {max(load_base, default=float('nan')):.2f}; upload mean {mean(load_up):.2f} "
        f"max {max(load_up, default=float('nan')):.2f}"
    )
    errors = sum(v["errors"] for v in up_sum.values()) + sum(v["errors"] for v in base_sum.values())
    worst = max(v["p99"] for v in up_sum.values())
    print(f"aim: 0 errors (got {errors:.0f}), p99 < 1000 ms during the upload (worst {worst:.0f} ms)")
    return 0 if job["status"] == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
