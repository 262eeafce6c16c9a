"""Workshop groups against a random split over 50 seeds, on the store ``missiongraph build`` makes
(catalogue + the synthetic 2021 wave): the stated objective, sectors and shared concepts per group.

    .venv/bin/python tests/bench/eval_groups.py [--seeds 50] [--size 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from graph.build import build_store
from graph.iris import Iris
from graph.network.groups import group_people
from graph.network.people import Person, mission_people, wave_respondents
from graph.network.view import NetworkView
from graph.store import OxigraphStore

MEASURES = (
    "points",
    "groups_with_common_ground",
    "shared_per_pair",
    "sectors_per_group",
    "countries_per_group",
)


def report(name: str, people: list[Person], size: int, seeds: int) -> None:
    started = time.perf_counter()
    runs = [group_people(people, size, seed=s) for s in range(seeds)]
    elapsed = (time.perf_counter() - started) / seeds
    wins = sum(r["quality"]["points"] > r["random_split"]["points"] for r in runs)
    groups = len(runs[0]["groups"])
    print(f"{name}: {len(people)} people, {groups} groups of ~{size}, {seeds} seeds, {elapsed:.2f} s per run")
    print(f"  optimised beats random on its objective in {wins} of {seeds} seeds")
    for key in MEASURES:
        ours = statistics.mean(r["quality"][key] for r in runs)
        rand = statistics.mean(r["random_split"][key] for r in runs)
        print(f"  {key:<26} {ours:8.2f}  random {rand:8.2f}")
    print("  example summary: " + " / ".join(runs[0]["summary"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--size", type=int, default=4)
    args = parser.parse_args()
    iris = Iris()
    store = OxigraphStore(None)
    build_store(store, iris)
    view = NetworkView.build(store, iris)
    report("consenting respondents of 2021", wave_respondents(store, iris, "2021"), args.size, args.seeds)
    missions = mission_people(view.model, view.features.ids)
    report("every mission (catalogue + survey)", missions, args.size, args.seeds)


if __name__ == "__main__":
    main()
