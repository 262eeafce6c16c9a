"""Build speed: `build_store` for 1k/10k/100k synthetic respondents beside loading the same N-Quads
straight into pyoxigraph (the floor). Each measurement runs in its own process so peak memory is its own."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _build(n: int, work: Path) -> dict[str, float]:
    """Child process: generate the export (timed apart), build a fresh disk store, dump its N-Quads."""
    import pyoxigraph as ox

    from graph.build import build_store
    from graph.iris import Iris
    from graph.store import OxigraphStore
    from graph.synthetic import generate_survey, write_csv

    iris = Iris()
    started = time.perf_counter()
    rows = generate_survey(n)
    csv_path = write_csv(rows, work / f"survey-2021-synthetic-{n}.csv")
    del rows
    generate_s = time.perf_counter() - started
    data_dir = work / "data"
    data_dir.mkdir()
    for name in ("missions.csv", "published_figures.csv"):
        (data_dir / name).write_bytes((ROOT / "data" / name).read_bytes())
    (data_dir / "survey").mkdir()
    csv_path.rename(data_dir / "survey" / "survey-2021-synthetic.csv")
    store = OxigraphStore(work / "store")
    started = time.perf_counter()
    # respondents=None: load the file in data_dir (generated above, outside the timed build)
    report = build_store(store, iris, data_dir=data_dir)
    build_s = time.perf_counter() - started
    quads = store.count()
    (work / "dump.nq").write_bytes(store.dump(ox.RdfFormat.N_QUADS))
    store.close()
    assert report.respondents == n, (report.respondents, n)
    return {"generate_s": generate_s, "build_s": build_s, "quads": quads, "peak_mb": _peak_mb()}


def _floor(work: Path, bulk: bool) -> dict[str, float]:
    """Child process: load the same N-Quads into a fresh on-disk pyoxigraph store, with ``bulk_load``
    (the floor: no transaction) or ``load`` (one transaction, as every missiongraph write)."""
    import pyoxigraph as ox

    target = work / ("floor-bulk" if bulk else "floor-tx")
    store = ox.Store(str(target))
    started = time.perf_counter()
    (store.bulk_load if bulk else store.load)(path=str(work / "dump.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return {"load_s": time.perf_counter() - started, "quads": len(store), "peak_mb": _peak_mb()}


def _child(kind: str, n: int, work: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--n", str(n), "--work", str(work)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        why = "killed (out of memory?)" if out.returncode < 0 else out.stderr.strip()[-1500:]
        raise RuntimeError(f"{kind} of {n:,} respondents failed (exit {out.returncode}): {why}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="respondent counts, comma-separated")
    parser.add_argument("--child", choices=("build", "bulk", "transaction"))
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--work", type=Path)
    args, _unknown = parser.parse_known_args()
    if args.child:
        result = (
            _build(args.n, args.work) if args.child == "build" else _floor(args.work, args.child == "bulk")
        )
        print(json.dumps(result))
        return 0
    print(
        "synthetic respondents (data labelled synthetic); build = vocabulary + catalogue + figures + survey"
    )
    print("floor = the dumped N-Quads bulk-loaded into a fresh pyoxigraph disk store (same run);")
    print("tx = the same file loaded in one transaction (how every missiongraph write lands)")
    header = (
        f"{'respondents':>11} {'quads':>9} {'gen s':>6} {'build s':>8} {'quads/s':>8} {'peak MB':>8}"
        f" {'floor s':>8} {'floor MB':>8} {'tx s':>7} {'tx MB':>6} {'x floor':>8} {'x tx':>5}"
    )
    print(header)
    failed = 0
    for n in (int(x) for x in args.sizes.split(",") if x):
        with tempfile.TemporaryDirectory(prefix="mg-bench-build-") as tmp:
            work = Path(tmp)
            try:
                built = _child("build", n, work)
                floor = _child("bulk", n, work)
                tx = _child("transaction", n, work)
            except RuntimeError as exc:
                print(f"{n:>11,} {exc}", flush=True)
                failed += 1
                continue
            assert floor["quads"] == built["quads"] == tx["quads"], (floor, built, tx)
            print(
                f"{n:>11,} {int(built['quads']):>9,} {built['generate_s']:>6.1f} {built['build_s']:>8.1f}"
                f" {built['quads'] / built['build_s']:>8,.0f} {built['peak_mb']:>8.0f}"
                f" {floor['load_s']:>8.2f} {floor['peak_mb']:>8.0f}"
                f" {tx['load_s']:>7.2f} {tx['peak_mb']:>6.0f}"
                f" {built['build_s'] / floor['load_s']:>8.1f} {built['build_s'] / tx['load_s']:>5.1f}",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
