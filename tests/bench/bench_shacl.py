"""SHACL validation speed: graph.shacl on the built graphs, beside parsing the same N-Quads (the floor)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyoxigraph as ox
from rdflib import Dataset as RdflibDataset

from graph.build import build_store
from graph.iris import Iris
from graph.shacl import validate_nquads
from graph.store import OxigraphStore


def main() -> int:
    iris = Iris()
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        build_store(store, iris)
        RdflibDataset().parse(data=b"<urn:a> <urn:b> <urn:c> <urn:g> .\n", format="nquads")  # warm-up
        validate_nquads(b"", iris)  # warm-up: loads shapes and vocabulary once
        print(f"{'graph':28} {'quads':>7} {'parse s':>8} {'shacl s':>8} {'ratio':>6} {'quads/s':>8}")
        for graph in sorted(store.named_graphs()):
            if graph == iris.vocabulary_graph:
                continue  # merged into every validation anyway
            data = store.dump(ox.RdfFormat.N_QUADS, graphs=[graph])
            quads = store.count(graph)
            started = time.perf_counter()
            RdflibDataset().parse(data=data, format="nquads")  # baseline: only reading the data
            floor = time.perf_counter() - started
            started = time.perf_counter()
            violations = validate_nquads(data, iris)
            spent = time.perf_counter() - started
            name = graph.removeprefix(iris.base)
            print(
                f"{name:28} {quads:7d} {floor:8.2f} {spent:8.2f} {spent / floor:6.1f} {quads / spent:8.0f}"
                + (f"  {len(violations)} violation(s)" if violations else "")
            )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
