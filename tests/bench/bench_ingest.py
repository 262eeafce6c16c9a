"""Survey ingest speed: load_survey into an on-disk store beside pyoxigraph loading the same N-Quads.

For each size, three runs, each in a fresh child process (so peak memory is its own) on a fresh store:
``load_survey`` (read, validate, convert, SHACL sample, one-transaction write), then the floor: the
same N-Quads that ingest writes, loaded straight into pyoxigraph with ``Store.bulk_load`` (no
transaction) and with ``Store.load`` (one transaction, what ingest used before it streamed). Usage:
``python tests/bench/bench_ingest.py [--sizes 1000,10000,100000] [--modes bulk_load,load,ingest]``.
Exports and their N-Quads are cached under /work/benchdata/ingest (or $MISSIONGRAPH_BENCHDATA/ingest).
Aim (issue 13): load_survey within 2x of bulk_load and under 2 GB peak at 100k respondents.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def _child(mode: str, export: Path, store_path: Path, nquads: Path) -> dict[str, float]:
    import pyoxigraph as ox

    from graph.ingest import load_survey
    from graph.iris import Iris
    from graph.store import OxigraphStore

    started = time.perf_counter()
    if mode == "ingest":
        store = OxigraphStore(store_path)
        report = load_survey(store, Iris(), export)
        quads = report.triples_added
        store.close()
    else:
        raw = ox.Store(str(store_path))
        if mode == "bulk_load":
            raw.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            raw.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        quads = len(raw)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "quads": quads, "peak_mb": peak_mb}


def _run(mode: str, export: Path, nquads: Path, work: Path) -> dict[str, float]:
    store_path = work / f"store-{mode}"
    shutil.rmtree(store_path, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(export), str(store_path), str(nquads)],
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(store_path, ignore_errors=True)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


CACHE = Path(os.environ.get("MISSIONGRAPH_BENCHDATA", "/work/benchdata")) / "ingest"


def _prepare(n: int, work: Path) -> tuple[Path, Path]:
    """The synthetic export of n respondents and the N-Quads ingest makes of it (the floor's input)."""
    cached = (CACHE / f"synthetic-{n}.csv", CACHE / f"synthetic-{n}.nq")
    if all(p.is_file() for p in cached):
        return cached
    made = _make(n, work)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        for src, dst in zip(made, cached, strict=True):
            tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        return cached
    except OSError:
        return made


def _make(n: int, work: Path) -> tuple[Path, Path]:
    from graph.ingest.mapping import load_mapping
    from graph.ingest.reader import read_table
    from graph.ingest.to_rdf import survey_quads
    from graph.ingest.validate import validate_table
    from graph.iris import Iris
    from graph.synthetic import generate_survey, write_csv

    export = write_csv(generate_survey(n, 2021 + n), work / f"synthetic-{n}.csv")
    mapping = load_mapping(None)
    checked = validate_table(read_table(export), mapping)
    if checked.problems:
        raise SystemExit(f"the synthetic export does not validate: {checked.problems[:3]}")
    quads = survey_quads(
        Iris(), "2021", checked.responses, synthetic=True, source="urn:bench", fields=mapping.fields
    )
    nquads = work / f"synthetic-{n}.nq"
    nquads.write_bytes(quads)
    return export, nquads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--modes", default="bulk_load,load,ingest", help="bulk_load first (the ratios' base)")
    parser.add_argument("--child", nargs=4, metavar=("MODE", "EXPORT", "STORE", "NQUADS"))
    args = parser.parse_args()
    if args.child:
        mode, export, store_path, nquads = args.child
        print(json.dumps(_child(mode, Path(export), Path(store_path), Path(nquads))))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        f"survey ingest into an on-disk Oxigraph store; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at start (figures are wall-clock; the machine may be shared)"
    )
    header = (
        f"{'respondents':>11} {'run':<22} {'seconds':>8} {'quads':>9} {'quads/s':>9} "
        f"{'peak MB':>8} {'vs bulk_load':>12} {'vs load':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        for n in sizes:
            export, nquads = _prepare(n, work)
            labels = {
                "bulk_load": "pyoxigraph bulk_load",
                "load": "pyoxigraph Store.load",
                "ingest": "load_survey (all steps)",
            }
            times: dict[str, float] = {}
            modes = [m for m in ("bulk_load", "load", "ingest") if m in args.modes.split(",")]
            for mode in modes:  # floor first, so each line can give its ratio
                r = _run(mode, export, nquads, work)
                times[mode] = r["seconds"]
                vs_load = f"{r['seconds'] / times['load']:>7.2f}x" if "load" in times else f"{'-':>8}"
                print(
                    f"{n:>11} {labels[mode]:<22} {r['seconds']:>8.2f} {int(r['quads']):>9} "
                    f"{r['quads'] / r['seconds']:>9.0f} {r['peak_mb']:>8.0f} "
                    f"{r['seconds'] / times['bulk_load']:>11.2f}x {vs_load}  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            if export.parent == work:
                export.unlink()
                nquads.unlink()
    print("aim: load_survey within 2x of the bulk_load floor, peak under 2,000 MB (at 100k respondents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
