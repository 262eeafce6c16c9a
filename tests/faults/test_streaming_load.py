"""Streaming loads (``OxigraphStore.stream_load``): a load that fails after writing, or dies half-way,
leaves the store exactly as it was; readers of the writer's process see the state before until the
load is whole."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.ingest import load_survey
from graph.iris import Iris
from graph.store import OxigraphStore
from graph.store.oxigraph import JOURNAL, META_GRAPH, WRITE_ID, undo_folder
from tests.graph.ingest.exports import BASE, data_graph_dump

G = "https://example.org/graph/streamed"


def _nquads(path: Path, n: int, *, tail: str = "") -> Path:
    lines = [f'<https://example.org/s{i}> <https://example.org/p> "{i}" <{G}> .' for i in range(n)]
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def _loaded(tmp_path: Path, *, snapshots: Path | None = None) -> tuple[OxigraphStore, bytes, str]:
    store = OxigraphStore(tmp_path / "store", snapshots=snapshots)
    load_survey(store, Iris(), BASE, wave="2020")
    return store, data_graph_dump(store), store.state()


def test_a_load_that_fails_after_writing_everything_is_undone(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    store, before, state = _loaded(tmp_path, snapshots=snapshots)
    count = store.count()
    # every quad is written, then publishing the new state fails (the snapshots folder became a file)
    shutil.rmtree(snapshots)
    snapshots.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match="could not write"):
        store.stream_load(_nquads(tmp_path / "more.nq", 2000), ox.RdfFormat.N_QUADS)
    assert data_graph_dump(store) == before and store.count() == count and store.state() == state
    assert G not in store.named_graphs()
    assert not undo_folder(store.path).exists()  # type: ignore[arg-type]
    # the store keeps working: the same load succeeds once the snapshots folder is back
    snapshots.unlink()
    store.stream_load(tmp_path / "more.nq", ox.RdfFormat.N_QUADS)
    assert store.count(G) == 2000 and store.state() != state
    store.close()


def test_a_file_that_breaks_half_way_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store, before, state = _loaded(tmp_path)
    broken = _nquads(tmp_path / "broken.nq", 5000, tail="<https://example.org/s> <no-iri .\n")
    with pytest.raises(StoreError, match="refused"):
        store.stream_load(broken, ox.RdfFormat.N_QUADS)
    assert data_graph_dump(store) == before and store.state() == state and G not in store.named_graphs()
    store.close()


def test_a_load_interrupted_by_the_death_of_its_process_is_undone_on_the_next_open(tmp_path: Path) -> None:
    store, before, state = _loaded(tmp_path)
    path = store.path
    assert path is not None
    # what a process that died half-way through stream_load leaves on disk: the checkpoint and the
    # journal beside the store, and part of the new quads in it
    undo = undo_folder(path)
    undo.mkdir()
    store.raw.flush()
    store.raw.backup(str(undo / "checkpoint"))
    (undo / JOURNAL).write_text(json.dumps({"file": "x.nq"}), encoding="utf-8")
    store.raw.bulk_load(path=str(_nquads(tmp_path / "part.nq", 3000)), format=ox.RdfFormat.N_QUADS)
    store.close()
    del store

    reopened = OxigraphStore(path)
    assert data_graph_dump(reopened) == before and reopened.state() == state
    assert G not in reopened.named_graphs() and not undo.exists()
    reopened.stream_load(tmp_path / "part.nq", ox.RdfFormat.N_QUADS)  # and it takes writes again
    assert reopened.count(G) == 3000
    reopened.close()


def test_readers_in_the_writing_process_see_the_state_before_until_the_load_is_whole(
    tmp_path: Path,
) -> None:
    store, _before, state = _loaded(tmp_path)
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def read() -> None:
        # one query, so that both answers come from one view (two calls may straddle the switch)
        both = (
            f"SELECT ?s ?n WHERE {{ {{ SELECT (MAX(?w) AS ?s) WHERE {{ GRAPH <{META_GRAPH.value}> "
            f"{{ ?x <{WRITE_ID.value}> ?w }} }} }} {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> "
            "{ ?a ?b ?c } } } }"
        )
        while not stop.is_set():
            row = store.select(both)[0]
            seen.append((str(row["s"]), int(row["n"])))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        store.stream_load(_nquads(tmp_path / "big.nq", 150_000), ox.RdfFormat.N_QUADS)
    finally:
        stop.set()
        reader.join()
    # every read saw either the state before (none of the quads) or the new one (all of them)
    assert seen and {n for s, n in seen if s == state} <= {0}
    assert {n for s, n in seen if s != state} <= {150_000}
    assert store.count(G) == 150_000
    store.close()
