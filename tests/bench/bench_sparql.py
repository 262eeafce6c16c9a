"""SPARQL benchmark: what the public endpoint adds to the store's own time, and how it scales with clients.

    .venv/bin/python tests/bench/bench_sparql.py [--quick] [--scales 227,10000] [--rounds 60]

On the store `make run` builds (227 synthetic respondents) and on a 10k-respondent store (both built by
the project's own pipeline and cached under /work/benchdata/ — another session's r10000 build there is
reused, read-only), three ways of asking the same query, interleaved round by round:

- raw: pyoxigraph on the same read-only snapshot, the public graphs as the dataset, serialised to JSON;
- in-process: the FastAPI app through httpx's ASGI transport (guard, dataset, worker hop, serialiser);
- HTTP: `serve`'s worker processes (2 uvicorn processes over the read-only snapshot) on 127.0.0.1.

Queries: a one-mission query (its triples, a different catalogue mission each round), an aggregate
(support needs by phase, the query catalogue's), and a 5,000-row listing. Then HTTP throughput with 1
and with 32 clients, alternating windows so that both see the same machine load. Printed: medians,
paired differences and ratios to raw, the aims beside them, and the load average (2 shared cores: the
ratios and differences of one run are the figures to read, the absolute times move with the load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.uvicorn_server import free_port  # noqa: E402

BENCHDATA = Path(os.environ.get("MISSIONGRAPH_BENCHDATA", "/work/benchdata"))
OWN = BENCHDATA / "sparql11"
JSON = "application/sparql-results+json"
MG = "https://w3id.org/missiongraph/def#"
DCT = "http://purl.org/dc/terms/"
#: the service's query time limit in this benchmark (aggregates at 10k on a loaded machine take seconds)
TIMEOUT = "120"

AGGREGATE = """PREFIX mg: <https://w3id.org/missiongraph/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?phase ?need (COUNT(DISTINCT ?response) AS ?responses)
WHERE {
  ?response a mg:SurveyResponse ; prov:wasGeneratedBy ?wave ; mg:phase ?p ; mg:supportNeed ?n .
  ?p skos:notation ?phase .
  ?n skos:notation ?need .
  ?wave dct:identifier ?waveId .
  FILTER (STR(?waveId) = "2021")
}
GROUP BY ?phase ?need
ORDER BY ?phase DESC(?responses) ?need"""

LISTING = """PREFIX mg: <https://w3id.org/missiongraph/def#>
SELECT ?response ?need WHERE { ?response mg:supportNeed ?need } LIMIT 5000"""


def one_mission(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


# --- stores ----------------------------------------------------------------------------------------
def _built(data_dir: Path) -> bool:
    return (data_dir / "snapshots" / "CURRENT").is_file() and (data_dir / "store" / "CURRENT").is_file()


def data_dir_for(respondents: int) -> Path:
    """A built data directory with ``respondents`` synthetic respondents: ours, another bench's, or new."""
    name = f"r{respondents}"
    candidates = [OWN / name, *sorted(p / name for p in BENCHDATA.glob("*") if p.is_dir() and p != OWN)]
    for candidate in candidates:
        log = candidate / "build.log"
        finished = (
            not log.exists()
            or "rc=0" in log.read_text(errors="replace")
            or "built store" in (log.read_text(errors="replace"))
        )
        if _built(candidate) and finished:
            return candidate
    target = OWN / name
    target.mkdir(parents=True, exist_ok=True)
    command = [str(ROOT / ".venv" / "bin" / "missiongraph"), "build"]
    if respondents != 227:
        command += ["--respondents", str(respondents)]
    print(f"  building {target} ({' '.join(command[1:])}) ...", flush=True)
    env = {**os.environ, "MISSIONGRAPH_DATA_DIR": str(target)}
    with (target / "build.log").open("w") as log_file:
        code = subprocess.call(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        log_file.write(f"\nrc={code}\n")
    if code != 0:
        raise SystemExit(f"building {target} failed (see {target / 'build.log'})")
    return target


# --- the three ways ---------------------------------------------------------------------------------
class Http:
    """`serve`'s worker processes over the read-only snapshot of ``data_dir`` (no writer: nothing is
    written; the writer address is a closed port that only loads would use)."""

    def __init__(self, data_dir: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "MISSIONGRAPH_DATA_DIR": str(data_dir),
            "MISSIONGRAPH_WRITER_URL": f"http://127.0.0.1:{free_port()}",
            "MISSIONGRAPH_RATE_LIMIT_PER_MINUTE": "0",
            "MISSIONGRAPH_SEMANTIC": "false",
            "MISSIONGRAPH_SPARQL_TIMEOUT": TIMEOUT,
        }
        code = (
            "import uvicorn\n"
            "try:\n"
            "    from api.workers import NoDelayH11Protocol as http\n"
            "except ImportError:\n"
            "    http = 'auto'\n"
            f"uvicorn.run('api.workers:worker_app', factory=True, host='127.0.0.1', port={self.port}, "
            f"workers={workers}, log_level='warning', http=http)\n"
        )
        self.log = OWN / f"http-{self.port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300
        ready: set[int] = set()  # worker processes whose own start-up work (network view) is done
        while len(ready) < workers and time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the HTTP server stopped: {self.log.read_text()[-2000:]}")
            try:
                # a new connection each time, so that any worker may answer
                answer = httpx.get(f"{self.base}/health", timeout=10, headers={"Connection": "close"})
                checks = answer.json().get("checks", {})
                if checks.get("network", {}).get("status") == "ok":
                    ready.add(int(checks.get("process", {}).get("pid", 0)))
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        self.client = httpx.Client(base_url=self.base, timeout=60)

    def ask(self, query: str, client: httpx.Client | None = None) -> int:
        answer = (client or self.client).get("/sparql", params={"query": query}, headers={"Accept": JSON})
        if answer.status_code != 200:
            raise SystemExit(f"HTTP {answer.status_code}: {answer.text[:500]}")
        return len(answer.content)

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.unlink(missing_ok=True)


class InProcess:
    """The app in this process over the same read-only snapshot, called through the ASGI transport."""

    def __init__(self, data_dir: Path) -> None:
        from api.app import create_app
        from api.settings import Settings
        from graph.store import OxigraphStore

        settings = Settings(
            data_dir=data_dir, rate_limit_per_minute=0, semantic=False, sparql_timeout=float(TIMEOUT)
        )
        self.store = OxigraphStore(settings.store_path, read_only=True, snapshots=settings.snapshots_path)
        self.app = create_app(settings, store=self.store)
        # one event loop with one root task all along, as uvicorn's: anyio keeps its worker threads
        # per root task (found via run_until_complete), else it starts a thread per request
        self.loop = asyncio.new_event_loop()
        self.stopped = threading.Event()
        started = threading.Event()

        async def root() -> None:
            started.set()
            while not self.stopped.is_set():
                await asyncio.sleep(0.05)

        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(root(),), daemon=True)
        self.thread.start()
        started.wait()
        transport = httpx.ASGITransport(app=self.app)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000")

    def ask(self, query: str) -> int:
        async def go() -> httpx.Response:
            return await self.client.get("/sparql", params={"query": query}, headers={"Accept": JSON})

        answer = asyncio.run_coroutine_threadsafe(go(), self.loop).result()
        if answer.status_code != 200:
            raise SystemExit(f"in-process {answer.status_code}: {answer.text[:500]}")
        return len(answer.content)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.client.aclose(), self.loop).result()
        self.stopped.set()
        self.thread.join(timeout=10)
        self.loop.close()
        ctx = self.app.state.ctx
        if hasattr(ctx, "close_workers"):
            ctx.close_workers()  # the query workers (and job runner) this app started
        else:
            runner = ctx.extras.pop("query_runner", None)
            if runner is not None:
                runner.close()


class Raw:
    """pyoxigraph itself on the snapshot the service reads, over the same public graphs."""

    def __init__(self, data_dir: Path) -> None:
        from api.settings import Settings
        from graph.store import OxigraphStore

        settings = Settings(data_dir=data_dir)
        store = OxigraphStore(settings.store_path, read_only=True, snapshots=settings.snapshots_path)
        iris = settings.iris()
        self.graphs = [ox.NamedNode(g) for g in store.named_graphs() if iris.is_public_graph(g)]
        self.raw = ox.Store.read_only(str(store.reader_path))
        self.missions = [
            s["m"].value
            for s in self.raw.query(
                f"SELECT ?m WHERE {{ GRAPH ?g {{ ?m a <{MG}Mission> ; <{DCT}source> ?src }} }}"
            )
        ]

        # a public-only copy in memory: the only kind of store where the union default graph would be
        # allowed; compared on it, the union and the explicit list of graphs
        self.public = ox.Store()
        quads = (q for g in self.graphs for q in self.raw.quads_for_pattern(None, None, None, g))
        self.public.bulk_extend(quads)

    def ask(self, query: str) -> int:
        result = self.raw.query(query, default_graph=self.graphs, named_graphs=self.graphs)
        return len(result.serialize(format=ox.QueryResultsFormat.JSON))

    def ask_public_list(self, query: str) -> int:
        result = self.public.query(query, default_graph=self.graphs, named_graphs=self.graphs)
        return len(result.serialize(format=ox.QueryResultsFormat.JSON))

    def ask_public_union(self, query: str) -> int:
        result = self.public.query(query, use_default_graph_as_union=True)
        return len(result.serialize(format=ox.QueryResultsFormat.JSON))

    def ask_union(self, query: str) -> int:
        """The union default graph (reference only: on this store it would include non-public graphs)."""
        result = self.raw.query(query, use_default_graph_as_union=True)
        return len(result.serialize(format=ox.QueryResultsFormat.JSON))


# --- measuring --------------------------------------------------------------------------------------
def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def tree_cpu(root: int, skip: frozenset[int] = frozenset()) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and every live descendant (Linux),
    leaving out the subtrees of the processes in ``skip``."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid and child not in skip)
    return total


def cpu_per_answer(
    ask: Callable[[str], int],
    queries: Callable[[int], str],
    pid: int,
    n: int,
    skip: frozenset[int] = frozenset(),
) -> float:
    """CPU seconds per answer of the processes under ``pid`` (the load average moves this far less than
    wall-clock time; for this process, the asking side is in it too)."""
    before = tree_cpu(pid, skip)
    for r in range(n):
        ask(queries(r))
    return (tree_cpu(pid, skip) - before) / n


def latency_table(
    label: str, queries: Callable[[int], str], ways: dict[str, Callable[[str], int]], rounds: int
) -> dict[str, list[float]]:
    """Each round asks every way the same query, in a rotating order; returns the times per way."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    sizes: dict[str, int] = {}
    names = list(ways)
    for name in names:  # warm-up with a query the timed rounds do not use
        sizes[name] = ways[name](queries(-1))
    for r in range(rounds):
        query = queries(r)
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            times[name].append(timed(lambda n=name: ways[n](query)))  # type: ignore[misc]
    base = times["raw"]
    print(f"\n  {label} ({rounds} rounds, {load()})")
    print(f"    {'way':<28} {'p50':>11} {'p95':>11} {'- raw (p50 of pairs)':>22} {'/ raw':>8}")
    for name in names:
        series = sorted(times[name])
        p50, p95 = statistics.median(series), series[int(0.95 * (len(series) - 1))]
        diffs = [a - b for a, b in zip(times[name], base, strict=True)]
        ratios = [a / b for a, b in zip(times[name], base, strict=True) if b > 0]
        print(
            f"    {name:<28} {ms(p50)} {ms(p95)} {ms(statistics.median(diffs)):>22} "
            f"{statistics.median(ratios):7.2f}x"
        )
    return times


def throughput(http: Http, query: Callable[[int], str], clients: list[httpx.Client], seconds: float) -> float:
    """Answers per second with one thread per client (each its own kept-alive connection) for ``seconds``."""
    done = [0] * len(clients)
    errors: list[str] = []
    go = threading.Barrier(len(clients) + 1)
    stop = [0.0]

    def client(k: int) -> None:
        go.wait()
        i = k
        while time.monotonic() < stop[0]:
            try:
                http.ask(query(i), clients[k])
            except (SystemExit, httpx.HTTPError) as exc:
                errors.append(str(exc))
                return
            done[k] += 1
            i += len(clients)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(len(clients))]
    for t in threads:
        t.start()
    started = time.monotonic()
    stop[0] = started + seconds
    go.wait()
    for t in threads:
        t.join()
    if errors:
        print(f"    !! {len(errors)} client(s) failed: {errors[0][:200]}")
    return sum(done) / (time.monotonic() - started)


def bench_scale(respondents: int, args: argparse.Namespace) -> None:
    data_dir = data_dir_for(respondents)
    print(f"\n=== {respondents} respondents: {data_dir} ({load()})", flush=True)
    raw = Raw(data_dir)
    missions = raw.missions
    print(f"  {len(missions)} catalogue missions; public graphs: {len(raw.graphs)}", flush=True)
    inproc = InProcess(data_dir)
    http = Http(data_dir, workers=args.http_workers)
    try:
        ways: dict[str, Callable[[str], int]] = {
            "raw": raw.ask,
            "raw, union default graph*": raw.ask_union,
            "raw, public copy, list": raw.ask_public_list,
            "raw, public copy, union": raw.ask_public_union,
            "in-process service": inproc.ask,
            "HTTP (uvicorn, 127.0.0.1)": http.ask,
        }

        def small(r: int) -> str:
            return one_mission(missions[r % len(missions)])

        table = latency_table("one-mission query", small, ways, args.rounds)
        n = max(100, args.rounds * 3)
        server = frozenset({http.process.pid})  # the HTTP server is a child of this process too
        cpu_raw = cpu_per_answer(raw.ask, small, os.getpid(), n, server)
        cpu_inproc = cpu_per_answer(inproc.ask, small, os.getpid(), n, server)
        cpu_http = cpu_per_answer(http.ask, small, http.process.pid, n)
        print(
            f"    CPU per answer ({n} answers each): raw {cpu_raw * 1000:.2f} ms, in-process service "
            f"{cpu_inproc * 1000:.2f} ms (client included), HTTP service processes {cpu_http * 1000:.2f} ms"
        )
        few = max(3, args.rounds // (6 if respondents < 1000 else 20))
        agg = latency_table("aggregate (support needs by phase)", lambda r: AGGREGATE, ways, few)
        listing = latency_table("5,000-row listing", lambda r: LISTING, ways, few)
        print(
            "    * the union of every graph: not usable on this store (it holds the restricted graph);\n"
            "      public copy: the public graphs copied into a memory store (its union = the public graphs)"
        )

        print(f"\n  HTTP throughput, one-mission query ({args.window:g} s windows, alternating)", flush=True)
        single: list[float] = []
        many: list[float] = []
        # connections opened (and each worker process's query workers started) before any window
        pool = [httpx.Client(base_url=http.base, timeout=120) for _ in range(args.clients)]
        for k, own in enumerate(pool):
            http.ask(small(k), own)
        for _ in range(args.windows):
            single.append(throughput(http, small, pool[:1], args.window))
            many.append(throughput(http, small, pool, args.window))
        for own in pool:
            own.close()
        one_rate, many_rate = statistics.median(single), statistics.median(many)
        print(f"    1 client   {one_rate:8.1f} answers/s  (windows: {', '.join(f'{x:.0f}' for x in single)})")
        shown = ", ".join(f"{x:.0f}" for x in many)
        print(f"    {args.clients} clients {many_rate:8.1f} answers/s  (windows: {shown})")
        ratios = [m / s for m, s in zip(many, single, strict=True) if s > 0]
        print(f"    {load()}")

        def over(times: dict[str, list[float]], name: str) -> float:
            return statistics.median(a - b for a, b in zip(times[name], times["raw"], strict=True))

        def ratio(times: dict[str, list[float]], name: str) -> float:
            return statistics.median(a / b for a, b in zip(times[name], times["raw"], strict=True))

        print(f"\n  aims at {respondents} respondents ({load()}):")
        http_over = over(table, "HTTP (uvicorn, 127.0.0.1)")
        print(
            f"    one-mission query, HTTP over raw:      {http_over * 1000:6.2f} ms   aim <= 2 ms   "
            f"{'met' if http_over <= 0.002 else 'NOT met'}"
        )
        print(
            f"    one-mission query, in-process over raw:{over(table, 'in-process service') * 1000:6.2f} ms"
        )
        print(
            f"    one-mission query, CPU over raw:       {(cpu_http - cpu_raw) * 1000:6.2f} ms   "
            "(HTTP service processes; wall time on a loaded machine adds scheduling waits)"
        )
        via_http = "HTTP (uvicorn, 127.0.0.1)"
        print(f"    aggregate, HTTP / raw:                 {ratio(agg, via_http):6.2f}x")
        print(f"    5,000 rows, HTTP / raw:                {ratio(listing, via_http):6.2f}x")
        paired = statistics.median(ratios) if ratios else 0.0
        print(
            f"    {args.clients} clients / 1 client (paired windows): {paired:6.2f}x   aim >= 1.0   "
            f"{'met' if paired >= 1.0 else 'NOT met'}"
        )
    finally:
        http.close()
        inproc.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the make-run store only, fewer rounds")
    parser.add_argument("--scales", default="227,10000", help="respondent counts (227 is the make-run store)")
    parser.add_argument("--rounds", type=int, default=120, help="rounds of the one-mission query")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--window", type=float, default=4.0, help="seconds of each throughput window")
    parser.add_argument("--windows", type=int, default=3, help="throughput windows per client count")
    parser.add_argument("--http-workers", type=int, default=2, help="uvicorn processes (serve: the cores)")
    args, _ = parser.parse_known_args()
    if args.quick:
        args.scales, args.rounds, args.window, args.windows = "227", 40, 2.0, 2
    OWN.mkdir(parents=True, exist_ok=True)
    for scale in (int(s) for s in args.scales.split(",") if s.strip()):
        bench_scale(scale, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
