"""A load killed with SIGKILL during its write leaves a store that opens with its previous content."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.ingest import load_survey
from graph.iris import Iris
from graph.store import OxigraphStore
from graph.synthetic import generate_survey, write_csv
from tests.graph.ingest.exports import BASE, data_graph_dump

CHILD = Path(__file__).with_name("sigkill_child.py")
REPO = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_sigkill_during_the_write_leaves_the_previous_content(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    store = OxigraphStore(store_path)
    load_survey(store, Iris(), BASE, wave="2020")
    before = data_graph_dump(store)
    store.close()
    del store

    # 6,000 respondents: ~370k quads, several seconds of write even on a fast machine
    export = write_csv(generate_survey(6000, 11), tmp_path / "synthetic-6000.csv")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(store_path), str(export)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the write starts (or the child dies)
    assert line.strip() == "WRITING", child.stderr.read() if child.stderr else line
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    rest, _err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert "COMMITTED" not in rest, "the write finished before the kill; the test proved nothing"

    reopened = OxigraphStore(store_path)
    assert data_graph_dump(reopened) == before
    assert reopened.named_graphs() == sorted([Iris().survey_graph("2020"), Iris().restricted_graph])
    reopened.close()
