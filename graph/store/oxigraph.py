"""Embedded Oxigraph store: on disk (the default, persistent) or in memory (tests)."""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from graph.errors import DiskFullError, QueryError, StoreError, StoreLockedError
from graph.store.base import Dataset, Store
from graph.store.snapshots import Snapshot, current_snapshot, publish_snapshot
from ontology.namespaces import MG_NS

__all__ = ["OxigraphStore", "META_GRAPH", "WRITE_ID", "undo_folder", "JOURNAL", "no_space"]

logger = logging.getLogger(__name__)

#: bookkeeping graph (never public): one quad per write, so ``state()`` changes on every write
META_GRAPH = ox.NamedNode("urn:missiongraph:meta")
WRITE_ID = ox.NamedNode(MG_NS + "writeId")


def _source(data: bytes | str | Path) -> Any:
    if isinstance(data, Path):
        return str(data)
    return data


#: in the undo folder of a streaming load: present from the checkpoint's completion to the load's
JOURNAL = "journal.json"


def undo_folder(path: Path) -> Path:
    """Where a streaming load keeps the checkpoint of the state before it (beside the store)."""
    return path.with_name(f".{path.name}.undo")


def no_space(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full (ENOSPC, or RocksDB's "No space left on device")."""
    return isinstance(exc, OSError) and (
        exc.errno == errno.ENOSPC
        or "No space left on device" in str(exc)
        or "no space left" in str(exc).lower()
    )


def store_exists(path: Path) -> bool:
    """True when ``path`` holds an on-disk store (RocksDB's CURRENT file), not just a folder."""
    return (path / "CURRENT").is_file()


class OxigraphStore(Store):
    """pyoxigraph.Store; ``path=None`` keeps everything in memory.

    ``snapshots``: a folder where every write publishes a read-only snapshot (graph/store/snapshots)
    for readers in other processes. ``read_only=True`` opens for reading only, never creates a store,
    and never takes the write lock: the newest snapshot in ``snapshots`` when there is one, else the
    store at ``path`` itself.
    """

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = False, snapshots: Path | None = None
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.kind = "oxigraph" if self.path is not None else "memory"
        self.read_only = read_only
        self.snapshots = snapshots
        #: the snapshot a read-only store reads (None: the live store, or a writer)
        self.snapshot_path: Path | None = None
        #: during a streaming load: the checkpoint of the state before it, which this process reads
        self._aside: ox.Store | None = None
        #: why the last write failed for lack of disk space (None once a write succeeds again)
        self.disk_error: str | None = None
        self._reopen_pending = False
        if self.path is None:
            self._store = ox.Store()
            return
        if read_only:
            self._store = self._open_reader(self.path)
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
            if (undo_folder(self.path) / JOURNAL).is_file():
                self._recover()
            elif undo_folder(self.path).exists():  # a checkpoint whose load never started writing
                shutil.rmtree(undo_folder(self.path), ignore_errors=True)
        except OSError as exc:  # locked by another process, unreadable ...
            if "LOCK" in str(exc):
                raise StoreLockedError(
                    f"the store at {self.path} is in use by another process (a running `missiongraph "
                    "serve`, or another load or build): it holds the write lock",
                    path=str(self.path),
                ) from exc
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        if self.snapshots is not None:
            published = current_snapshot(self.snapshots)
            if published is None or published.state != self.state():
                self.publish()  # readers see what this writer sees from the start

    def _recover(self) -> None:
        """A streaming load was interrupted (the process died): put back the checkpoint taken before it.

        Called with the live store open, so its lock is ours: nobody else writes it meanwhile.
        """
        assert self.path is not None
        undo = undo_folder(self.path)
        del self._store  # closes the store (releases the lock) so that its folder can be swapped
        trash = self.path.with_name(f".{self.path.name}.interrupted")
        shutil.rmtree(trash, ignore_errors=True)
        os.rename(self.path, trash)
        os.rename(undo / "checkpoint", self.path)
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(undo, ignore_errors=True)
        self._store = ox.Store(str(self.path))

    def _open_reader(self, path: Path) -> ox.Store:
        snapshot = current_snapshot(self.snapshots) if self.snapshots is not None else None
        source = snapshot.path if snapshot is not None else path
        if snapshot is None and not store_exists(path):
            raise StoreError(
                f"no store at {path}: build it first with `missiongraph build` "
                "(or point MISSIONGRAPH_DATA_DIR at the data directory of a built store)",
                path=str(path),
            )
        try:
            opened = ox.Store.read_only(str(source))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {source} for reading: {exc}") from exc
        self.snapshot_path = snapshot.path if snapshot is not None else None
        return opened

    def newest_snapshot(self) -> Snapshot | None:
        """The newest published snapshot (None without a snapshots folder or before the first)."""
        return current_snapshot(self.snapshots) if self.snapshots is not None else None

    def refresh(self, snapshot: Any = None) -> bool:
        """Read-only store: switch to ``snapshot`` (default: the newest); True when it switched.

        Queries already running keep the snapshot they started on.
        """
        if not self.read_only:
            return False
        snapshot = snapshot or self.newest_snapshot()
        if snapshot is None or snapshot.path == self.snapshot_path:
            return False
        try:
            opened = ox.Store.read_only(str(snapshot.path))
        except OSError as exc:
            raise StoreError(f"cannot open the snapshot at {snapshot.path} for reading: {exc}") from exc
        self._store = opened
        self.snapshot_path = snapshot.path
        return True

    @property
    def reader_path(self) -> Path | None:
        """A folder another process may open read-only for the current state: the snapshot this store
        reads, or a writer's newest snapshot when it holds its current state; else the store itself."""
        if self.path is None:
            return None
        if self.read_only:
            return self.snapshot_path or self.path
        snapshot = self.newest_snapshot()
        if snapshot is not None and snapshot.state == self.state():
            return snapshot.path
        return self.path

    def publish(self) -> None:
        """Publish a read-only snapshot of the current content for readers in other processes."""
        if self.snapshots is not None and self.path is not None and not self.read_only:
            # the state of what is checkpointed: the live store's, also while this process still reads
            # a streaming load's checkpoint (``_aside``)
            publish_snapshot(self._store, self.snapshots, _state_of(self._store))

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only; writes go through the writer")
        if self._reopen_pending:
            self._reopen()
            if self._reopen_pending:
                raise DiskFullError(
                    "the disk holding the store is still full: free some disk space and try again",
                    reason=self.disk_error,
                )

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for code inside graph/ that needs it directly."""
        return self._store

    @property
    def _read(self) -> ox.Store:
        """What queries read: the state before a streaming load while one runs, else the store."""
        return self._aside or self._store

    # --- reading --------------------------------------------------------------------------------
    def query(self, sparql: str, *, dataset: Dataset | None = None, timeout: float | None = None) -> Any:
        kwargs: dict[str, Any] = {}
        if dataset is not None:
            if dataset.default:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default]
            elif dataset.union:
                kwargs["use_default_graph_as_union"] = True
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
        try:
            return self._read.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise QueryError(str(exc)) from exc

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._read.named_graphs() if g != META_GRAPH)

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._read) - self._meta_count()
        rows = self._read.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(cast(ox.QuerySolutions, rows)))["n"].value)

    def _meta_count(self) -> int:
        return sum(1 for _ in self._read.quads_for_pattern(None, None, None, META_GRAPH))

    def dump(self, fmt: ox.RdfFormat, *, graphs: Iterable[str] | None = None) -> bytes:
        source = self._read
        wanted = list(graphs) if graphs is not None else self.named_graphs()
        if fmt.supports_datasets:
            quads = (q for g in wanted for q in source.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            out = ox.serialize(quads, format=fmt)
        else:
            if len(wanted) != 1:
                # a triple format: merge the graphs into one
                triples = (
                    ox.Triple(q.subject, q.predicate, q.object)
                    for g in wanted
                    for q in source.quads_for_pattern(None, None, None, ox.NamedNode(g))
                )
                out = ox.serialize(triples, format=fmt)
            else:
                out = source.dump(format=fmt, from_graph=ox.NamedNode(wanted[0]))
        return out if isinstance(out, bytes) else b""

    # --- writing --------------------------------------------------------------------------------
    def _mark_write(self) -> None:
        token = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        self._store.add(ox.Quad(META_GRAPH, WRITE_ID, ox.Literal(token), META_GRAPH))
        self.disk_error = None
        try:
            self.publish()
        except OSError as exc:  # the write is in; readers get its snapshot when the next publish works
            if not no_space(exc):
                raise
            self.disk_error = f"the snapshot for readers could not be written: {exc}"
            logger.warning("publishing a store snapshot failed: %s", exc)

    def _guarded(self, write: Callable[[], None]) -> None:
        """Run one write; on a full disk, DiskFullError and a store that works again once space returns.

        A write is one transaction: when it fails nothing of it is kept. RocksDB refuses every later
        write of the same handle after an out-of-space error, so the store is opened again.
        """
        try:
            write()
        except OSError as exc:
            if not no_space(exc):
                raise
            self.disk_error = f"the disk holding the store is full ({exc})"
            self._reopen()
            raise DiskFullError(
                "the disk holding the store is full: nothing of this write was kept and the store is as it "
                "was before; free some disk space and try again",
                reason=str(exc),
            ) from exc
        self._mark_write()

    def _reopen(self) -> None:
        """Open the store's files again (after a write error the old handle refuses every write).

        While the disk is still full a writable open fails too (it flushes the log): reads then go
        through a read-only handle, and the next write tries again (``_writable``).
        """
        if self.path is None or self.read_only:
            return
        try:
            reader: ox.Store | None = ox.Store.read_only(str(self.path))
        except OSError:
            reader = None
        if reader is not None:
            self._store = reader  # the broken handle goes; reads go on meanwhile
            gc.collect()
        try:
            self._store = ox.Store(str(self.path))
            self._reopen_pending = False
        except OSError as exc:
            logger.warning(
                "reopening the store after a write error failed (tried again at the next write): %s", exc
            )
            self._reopen_pending = True

    def load(self, data: bytes | str | Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        self._writable()
        kwargs: dict[str, Any] = {"format": fmt}
        if graph is not None and not fmt.supports_datasets:
            kwargs["to_graph"] = ox.NamedNode(graph)

        def write() -> None:
            if isinstance(data, Path):
                self._store.load(path=str(data), **kwargs)
            else:
                self._store.load(data, **kwargs)

        try:
            self._guarded(write)
        except SyntaxError as exc:
            raise StoreError(f"the store refused the data: {exc}") from exc

    def bulk_load(self, path: Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        self._writable()
        kwargs: dict[str, Any] = {"format": fmt}
        if graph is not None and not fmt.supports_datasets:
            kwargs["to_graph"] = ox.NamedNode(graph)
        self._guarded(lambda: self._store.bulk_load(path=str(path), **kwargs))

    def stream_load(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Add a big file all or nothing, without holding it in memory (``Store.load`` keeps the whole
        write batch of its transaction in memory: 10 GB at 100k survey respondents).

        Write in place behind a checkpoint: a RocksDB checkpoint of the current state (hard links, tens
        of ms) and a journal beside the store, then ``bulk_load`` straight into the store. Meanwhile this
        process reads the checkpoint and other processes the published snapshot, so nobody sees part
        of the load; the store state (and the snapshot) changes in one step when the load is whole.
        If the load fails, the quads it added are removed again (the checkpoint says which were there
        before); if the process dies, the next writer that opens the store puts the checkpoint back.
        """
        self._writable()
        if self.path is None:  # in memory: one transaction is the only way to undo
            self.load(path, fmt)
            return
        undo = undo_folder(self.path)
        shutil.rmtree(undo, ignore_errors=True)
        undo.mkdir(parents=True)
        try:
            self._store.flush()
            self._store.backup(str(undo / "checkpoint"))
        except OSError as exc:
            shutil.rmtree(undo, ignore_errors=True)
            if not no_space(exc):
                raise
            self.disk_error = f"the disk holding the store is full ({exc})"
            self._reopen()
            raise DiskFullError(
                "the disk holding the store is full: the load did not start and the store is as it was; "
                "free some disk space and try again",
                reason=str(exc),
            ) from exc
        tmp = undo / f".{JOURNAL}.tmp"
        tmp.write_text(json.dumps({"file": str(path), "started": time.time()}), encoding="utf-8")
        os.replace(tmp, undo / JOURNAL)  # from here on an interrupted load is undone on the next open
        before = ox.Store.read_only(str(undo / "checkpoint"))
        self._aside = before
        try:
            self._store.bulk_load(path=str(path), format=fmt)
            self._store.flush()
            self._mark_write()  # the new state is marked while this process still reads the checkpoint,
            self._aside = None  # then data and state show together: no reader sees one without the other
        except BaseException as exc:
            if no_space(exc):  # the handle refuses every write now: put the checkpoint back instead
                self._put_back_checkpoint()
                del before
                self.disk_error = f"the disk holding the store is full ({exc})"
                raise DiskFullError(
                    "the disk holding the store is full: nothing of this load was kept and the store is as "
                    "it was before; free some disk space and try again",
                    reason=str(exc),
                ) from exc
            self._aside = None
            try:
                self._roll_back(path, fmt, before)
            except Exception as undo_exc:  # the journal stays: the next open restores the checkpoint
                raise StoreError(
                    f"a load failed ({exc}) and undoing it failed too ({undo_exc}): restart the service "
                    "(or run any write command) to restore the state before the load",
                ) from exc
            shutil.rmtree(undo, ignore_errors=True)
            if isinstance(exc, SyntaxError):
                raise StoreError(f"the store refused the data: {exc}") from exc
            if isinstance(exc, OSError):
                raise StoreError(f"the store could not write the data: {exc}") from exc
            raise
        (undo / JOURNAL).unlink()
        del before
        shutil.rmtree(undo, ignore_errors=True)

    def _put_back_checkpoint(self) -> None:
        """After an out-of-space error mid-load: the checkpoint taken before the load becomes the store
        again (renames only, and the load's files are freed), and the store is opened anew. Reads of
        this process go through the checkpoint's read-only handle (``_aside``) meanwhile."""
        assert self.path is not None
        undo = undo_folder(self.path)
        trash = self.path.with_name(f".{self.path.name}.interrupted")
        shutil.rmtree(trash, ignore_errors=True)
        os.rename(self.path, trash)
        os.rename(undo / "checkpoint", self.path)
        shutil.rmtree(trash, ignore_errors=True)  # the broken handle's files: the space comes back
        shutil.rmtree(undo, ignore_errors=True)
        self._reopen()
        self._aside = None

    def _roll_back(self, path: Path, fmt: ox.RdfFormat, before: ox.Store) -> None:
        """Remove what a failed streaming load added: its quads (and write marks) not in ``before``."""
        added = (q for q in self._store.quads_for_pattern(None, None, None, META_GRAPH) if q not in before)
        for q in list(added):
            self._store.remove(q)
        with contextlib.suppress(SyntaxError):  # a file that failed to parse: undo up to the bad line
            batch: list[ox.Quad] = []
            for q in ox.parse(path=str(path), format=fmt):
                if q not in before:
                    batch.append(q)
                if len(batch) >= 10_000:
                    self._remove(batch)
                    batch = []
            self._remove(batch)
        for g in list(self._store.named_graphs()):  # graphs the load named (now empty)
            if not before.contains_named_graph(g):
                self._store.remove_graph(g)
        self._store.flush()  # the state is the one before again: its published snapshot stays current

    def _remove(self, quads: list[ox.Quad]) -> None:
        for q in quads:
            self._store.remove(q)

    def replace_graph(self, graph: str, data: bytes | str | Path, fmt: ox.RdfFormat) -> None:
        # One SPARQL update = one transaction: the old content stays until the new one is in.
        triples = ox.parse(
            path=str(data) if isinstance(data, Path) else None,
            input=None if isinstance(data, Path) else data,
            format=fmt,
        )
        try:
            body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        except SyntaxError as exc:
            raise StoreError(f"the store refused the data: {exc}") from exc
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def update(self, sparql_update: str) -> None:
        self._writable()
        try:
            self._guarded(lambda: self._store.update(sparql_update))
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def state(self) -> str:
        return _state_of(self._read)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        del self._store


def _state_of(store: ox.Store) -> str:
    rows = store.query(
        f"SELECT (MAX(?w) AS ?s) WHERE {{ GRAPH <{META_GRAPH.value}> {{ ?x <{WRITE_ID.value}> ?w }} }}"
    )
    latest = next(iter(cast(ox.QuerySolutions, rows)))["s"]
    return latest.value if latest is not None else "empty"
