"""First /api/analytics/communities after a store change, at 10k and 100k synthetic missions.

For each size the synthetic missions of bench_peers.py are bulk-loaded into an on-disk store and a real
service starts over it. Now: the writer computes the network view and the communities in the background
when the store state changes; a request before that answers 202 "computing" with a Retry-After. The
bench prints the latency of that first answer, the time until the communities are ready, and the
latency of the first 200, beside the former behaviour (the first request computed view and communities
itself: timed in process on the same store).
Usage: bench_communities.py [sizes ...] (default 10000 100000).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import pyoxigraph as ox

from api.app import create_app
from api.settings import Settings
from graph.iris import Iris
from graph.network.communities import communities
from graph.network.view import NetworkView
from graph.store import OxigraphStore
from tests.support.synthetic_missions import synthetic_ntriples
from tests.support.uvicorn_server import running_server


def run(n: int, workdir: Path) -> None:
    iris = Iris()
    source = workdir / f"missions-{n}.nt"
    source.write_text(synthetic_ntriples(n, iris), encoding="utf-8")
    data_dir = workdir / f"data-{n}"
    store = OxigraphStore(data_dir / "store")
    store.bulk_load(source, ox.RdfFormat.N_TRIPLES, graph=iris.survey_graph("bench"))
    settings = Settings(store="oxigraph", data_dir=data_dir, semantic=False, rate_limit_per_minute=0)
    app = create_app(settings, store=store)
    url = "/api/analytics/communities"
    with running_server(app, startup_timeout=120) as base, httpx.Client(base_url=base, timeout=600) as http:
        started = time.perf_counter()
        t = time.perf_counter()
        first = http.get(url)
        first_s = time.perf_counter() - t
        status = first.status_code
        while True:
            t = time.perf_counter()
            r = http.get(url)
            latency = time.perf_counter() - t
            if r.status_code == 200:
                break
            time.sleep(0.5)
        ready_s = time.perf_counter() - started
        t = time.perf_counter()
        again = http.get(url)
        again_s = time.perf_counter() - t
        t = time.perf_counter()
        http.get(url, params={"members": 20})  # serialised on its first request, then kept
        limited_first_s = time.perf_counter() - t
        t = time.perf_counter()
        http.get(url, params={"members": 20})
        limited_s = time.perf_counter() - t
    found = len(r.json()["communities"])
    t = time.perf_counter()
    view = NetworkView.build(store, iris)
    communities(view.model, view.knn, seed=0)
    before_s = time.perf_counter() - t
    store.close()
    print(
        f"{n:>7} missions: first request {status} in {first_s * 1000:6.1f} ms; ready after "
        f"{ready_s:6.1f} s (background, index first); first 200 in {latency * 1000:6.1f} ms, next in "
        f"{again_s * 1000:6.1f} ms ({len(again.content) / 1e6:.1f} MB); with members=20: first "
        f"{limited_first_s * 1000:6.1f} ms, next {limited_s * 1000:6.1f} ms; {found} communities; load "
        f"{os.getloadavg()[0]:.1f} | before: first request computed them itself "
        f"in {before_s:6.1f} s",
        flush=True,
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [10_000, 100_000]
    with tempfile.TemporaryDirectory(prefix="mg-bench-communities-") as tmp:
        for n in sizes:
            run(n, Path(tmp))


if __name__ == "__main__":
    main()
