"""Read-only snapshots of the on-disk store, so that readers never open the files a writer changes.

The process that writes the store (the service's writer, ``missiongraph build`` or ``load``) publishes
a RocksDB checkpoint after every write: hard links to the immutable table files, made in tens of
milliseconds. ``snapshots/CURRENT`` names the newest one and the store state it holds. Readers (CLI
read commands beside a running service, the service's worker processes) open that snapshot with
``pyoxigraph.Store.read_only`` — opening the live store read-only while another process writes it is
undefined behaviour in pyoxigraph — and reopen when ``CURRENT`` changes.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = ["Snapshot", "current_snapshot", "publish_snapshot", "POINTER", "KEEP", "GRACE_SECONDS"]

#: the file naming the newest snapshot
POINTER = "CURRENT"
#: snapshots kept besides the newest, and the least time a replaced one stays (readers may hold it)
KEEP = 2
GRACE_SECONDS = 120.0


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot: its folder and the store state (``Store.state()``) it holds."""

    path: Path
    state: str


def current_snapshot(folder: Path) -> Snapshot | None:
    """The newest snapshot under ``folder``, or None when none was published (or it is gone)."""
    try:
        data = json.loads((folder / POINTER).read_text(encoding="utf-8"))
        path = folder / str(data["name"])
        state = str(data["state"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (path / "CURRENT").is_file():
        return None
    return Snapshot(path, state)


def publish_snapshot(store: ox.Store, folder: Path, state: str) -> Snapshot:
    """Checkpoint ``store`` into a new folder under ``folder`` and make it the current one."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    target = folder / name
    try:
        store.backup(str(target))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # a checkpoint cut short (disk full) is never named
        raise
    tmp = folder / f".{POINTER}.{name}.tmp"
    tmp.write_text(json.dumps({"name": name, "state": state}), encoding="utf-8")
    os.replace(tmp, folder / POINTER)
    _prune(folder, keep=name)
    return Snapshot(target, state)


def _prune(folder: Path, *, keep: str) -> None:
    """Remove snapshots older than the newest KEEP + 1 that were replaced more than GRACE_SECONDS ago."""
    names = sorted(
        (p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True
    )
    now = time.time_ns()
    for newer, name in zip(names[KEEP:], names[KEEP + 1 :], strict=False):
        if name == keep:
            continue
        replaced_at = _born(newer)  # the snapshot after it replaced it when it was published
        if replaced_at is not None and (now - replaced_at) / 1e9 > GRACE_SECONDS:
            shutil.rmtree(folder / name, ignore_errors=True)


def _born(name: str) -> int | None:
    try:
        return int(name.split("-", 1)[0])
    except ValueError:
        return None
