"""Store benchmark: load time and a GROUP BY's latency per backend, as ratios to pyoxigraph in memory.

    .venv/bin/python tests/bench/bench_store.py [--missions 10000] [--repeat 3] [--no-virtuoso]

A synthetic graph of ``--missions`` missions (about 40 triples each) is written as N-Triples once and
loaded into: rdflib Memory (only up to --rdflib-max missions: it is slow), pyoxigraph in memory (the
baseline), pyoxigraph on disk, our OxigraphStore (transactional ``load`` and ``bulk_load``), and our
RemoteStore against ``oxigraph serve`` and Virtuoso 7 (both started here on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graph.store import Dataset, OxigraphStore  # noqa: E402
from graph.store.remote import RemoteStore  # noqa: E402
from tests.support.servers import oxigraph_server, virtuoso_server  # noqa: E402

MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"
ID = "http://127.0.0.1:8000/id/"
GRAPH = "http://127.0.0.1:8000/graph/catalogue"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FIELDS = ["health", "climate", "oceans-water", "cities", "energy", "mobility", "soil", "inclusion", "digital"]
RISKS = ["silos", "momentum", "committed-support", "charismatic-individual", "short-termism"]
NEEDS = ["evaluation", "governance", "portfolio", "experimentation", "target-setting", "funding"]
FUNDING = ["national-state", "regional", "local", "eu", "private", "philanthropic"]
COUNTRIES = [f"C{i:02d}" for i in range(40)]

#: the benchmark's aggregate: missions and mean target year per challenge field and country
QUERY = f"""
SELECT ?field ?country (COUNT(DISTINCT ?m) AS ?missions) (AVG(xsd:integer(STR(?year))) AS ?target)
WHERE {{
  ?m a <{MG}Mission> ; <{MG}challengeField> ?field ; <{DCT}spatial> ?country ; <{MG}targetYear> ?year .
}}
GROUP BY ?field ?country ORDER BY DESC(?missions)
""".replace("xsd:integer", f"<{XSD}integer>")


def write_missions(path: Path, missions: int, seed: int = 7) -> int:
    """Synthetic missions as N-Triples (about 40 triples each); returns the number of triples."""
    rng = random.Random(seed)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(missions):
            m = f"<{ID}mission/bench-{i}>"
            lines = [
                f"{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MG}Mission> .",
                f'{m} <{DCT}identifier> "bench-{i}" .',
                f'{m} <{DCT}title> "Synthetic mission {i}"@en .',
                f'{m} <{MG}goalStatement> "Reduce problem {i % 97} by {rng.randint(10, 90)}% in '
                f'{rng.choice(COUNTRIES)}"@en .',
                f'{m} <{MG}launchYear> "{rng.randint(2015, 2024)}"^^<{XSD}gYear> .',
                f'{m} <{MG}targetYear> "{rng.randint(2025, 2050)}"^^<{XSD}gYear> .',
                f"{m} <{DCT}spatial> <{COUNTRY}{rng.choice(COUNTRIES)}> .",
                f"{m} <{MG}level> <{V}level/{rng.choice(['national', 'regional', 'local'])}> .",
                f"{m} <{MG}phase> <{V}phase/{rng.choice(['exploration', 'design', 'implementation'])}> .",
                f"{m} <{MG}hasClearTarget> <{V}answer/{rng.choice(['yes', 'partly', 'no'])}> .",
                f"{m} <{MG}hasMonitoringPlan> <{V}answer/{rng.choice(['yes', 'partly', 'no'])}> .",
                f'{m} <{MG}programme> "Programme {i % 13}" .',
                f"{m} <{MG}governingBody> <{ID}organisation/org-{i % 500}> .",
                f"{m} <{DCT}source> <https://example.org/source/{i}> .",
                f'{m} <{MG}synthetic> "true"^^<{XSD}boolean> .',
            ]
            for field in rng.sample(FIELDS, 3):
                lines.append(f"{m} <{MG}challengeField> <{V}challenge-field/{field}> .")
                lines.append(f"{m} <{DCT}subject> <http://metadata.un.org/sdg/{FIELDS.index(field) + 1}> .")
            for source in rng.sample(FUNDING, 2):
                lines.append(f"{m} <{MG}fundingSource> <{V}funding-source/{source}> .")
            for risk in rng.sample(RISKS, 4):
                lines.append(f"{m} <{MG}perceivedRisk> <{V}risk/{risk}> .")
            for need in rng.sample(NEEDS, 4):
                lines.append(f"{m} <{MG}supportNeed> <{V}support-need/{need}> .")
            for k in range(5):
                lines.append(
                    f"{m} <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/{i}/{k}> ."
                )
            lines.append(f'{m} <http://www.w3.org/2000/01/rdf-schema#comment> "Notes on mission {i}."@en .')
            out.write("\n".join(lines) + "\n")
            count += len(lines)
    return count


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def latency(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs after one warm-up; ``run`` returns the number of rows."""
    rows = run()
    times = []
    for _ in range(repeat):
        seconds, rows = timed(run)
        times.append(seconds)
    return statistics.median(times), rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--missions", type=int, default=10_000, help="synthetic missions (about 40 triples each)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the aggregate per backend")
    parser.add_argument("--rdflib-max", type=int, default=10_000, help="largest size rdflib Memory is run at")
    parser.add_argument("--no-virtuoso", action="store_true", help="skip Virtuoso")
    parser.add_argument("--virtuoso-buffers", type=int, default=100_000, help="Virtuoso 8 kB buffers")
    args, _ = parser.parse_known_args()

    work = Path(tempfile.mkdtemp(prefix="mg-bench-store-"))
    results: list[tuple[str, float, float, int]] = []
    try:
        nt = work / "missions.nt"
        seconds, triples = timed(lambda: write_missions(nt, args.missions))
        print(
            f"{args.missions} synthetic missions: {triples} triples, {nt.stat().st_size / 1e6:.0f} MB "
            f"N-Triples (written in {seconds:.1f} s)",
            flush=True,
        )
        fmt = ox.RdfFormat.N_TRIPLES
        scope = Dataset(default=(GRAPH,))

        def record(name: str, load_s: float, run: Callable[[], int]) -> None:
            query_s, rows = latency(run, args.repeat)
            results.append((name, load_s, query_s, rows))
            print(
                f"  {name:<38} load {load_s:8.2f} s   GROUP BY {query_s * 1000:9.1f} ms   ({rows} rows)",
                flush=True,
            )

        def validated_load(store: RemoteStore, name: str) -> None:
            """The transactional path: parsed here first, then one GSP POST (into a second graph)."""
            load_s, _ = timed(lambda: store.load(nt, fmt, graph=GRAPH + "-validated"))
            assert store.count(GRAPH + "-validated") == triples
            loads_only.append((name, load_s))
            print(f"  {name:<38} load {load_s:8.2f} s", flush=True)

        loads_only: list[tuple[str, float]] = []
        # baseline: pyoxigraph in memory, bulk loader
        raw = ox.Store()
        load_s, _ = timed(lambda: raw.bulk_load(path=str(nt), format=fmt, to_graph=ox.NamedNode(GRAPH)))
        record(
            "pyoxigraph memory (bulk_load)",
            load_s,
            lambda: len(list(raw.query(QUERY, default_graph=ox.NamedNode(GRAPH)))),
        )

        disk = ox.Store(str(work / "raw-disk"))
        load_s, _ = timed(lambda: disk.bulk_load(path=str(nt), format=fmt, to_graph=ox.NamedNode(GRAPH)))
        record(
            "pyoxigraph disk (bulk_load)",
            load_s,
            lambda: len(list(disk.query(QUERY, default_graph=ox.NamedNode(GRAPH)))),
        )

        ours = OxigraphStore(work / "ours-load")
        load_s, _ = timed(lambda: ours.load(nt, fmt, graph=GRAPH))
        record("OxigraphStore disk (load)", load_s, lambda: len(list(ours.query(QUERY, dataset=scope))))
        ours.close()
        ours = OxigraphStore(work / "ours-bulk")
        load_s, _ = timed(lambda: ours.bulk_load(nt, fmt, graph=GRAPH))
        record("OxigraphStore disk (bulk_load)", load_s, lambda: len(list(ours.query(QUERY, dataset=scope))))
        ours.close()

        with oxigraph_server(work / "oxigraph-serve") as endpoint:
            remote = RemoteStore(**endpoint.store_kwargs(timeout=3600))
            load_s, _ = timed(lambda: remote.bulk_load(nt, fmt, graph=GRAPH))
            record(
                "RemoteStore -> oxigraph serve", load_s, lambda: len(list(remote.query(QUERY, dataset=scope)))
            )
            validated_load(remote, "RemoteStore -> oxigraph serve (load)")
            remote.close()

        if not args.no_virtuoso and shutil.which("virtuoso-t"):
            with virtuoso_server(work / "virtuoso", buffers=args.virtuoso_buffers) as endpoint:
                remote = RemoteStore(**endpoint.store_kwargs(timeout=3600))
                load_s, _ = timed(lambda: remote.bulk_load(nt, fmt, graph=GRAPH))
                record(
                    "RemoteStore -> Virtuoso 7", load_s, lambda: len(list(remote.query(QUERY, dataset=scope)))
                )
                validated_load(remote, "RemoteStore -> Virtuoso 7 (load)")
                remote.close()
        else:
            print("  (Virtuoso skipped: virtuoso-t not installed or --no-virtuoso)")

        if args.missions <= args.rdflib_max:
            import rdflib  # only this row needs it

            graph = rdflib.Graph()
            load_s, _ = timed(lambda: graph.parse(str(nt), format="nt"))
            record("rdflib Memory", load_s, lambda: len(list(graph.query(QUERY))))
        else:
            print(f"  (rdflib Memory skipped above {args.rdflib_max} missions)")

        base_load, base_query = results[0][1], results[0][2]
        print(f"\nratios to pyoxigraph in memory ({triples} triples):")
        print(f"  {'backend':<38} {'load':>8} {'GROUP BY':>10} {'triples/s':>12}")
        for name, load_s, query_s, rows in results:
            if rows != results[0][3]:
                print(f"  !! {name} returned {rows} rows, the baseline {results[0][3]}")
            print(
                f"  {name:<38} {load_s / base_load:7.2f}x {query_s / base_query:9.2f}x"
                f" {triples / load_s:12,.0f}"
            )
        for name, load_s in loads_only:
            print(f"  {name:<38} {load_s / base_load:7.2f}x {'':>10} {triples / load_s:12,.0f}")
        return 0 if all(r[3] == results[0][3] for r in results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
