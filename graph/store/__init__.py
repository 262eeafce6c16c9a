"""Store backends behind one interface, chosen by settings: oxigraph (default), memory, remote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.store.base import Dataset, Store, to_python
from graph.store.oxigraph import OxigraphStore

__all__ = ["Dataset", "Store", "OxigraphStore", "open_store", "to_python"]


def open_store(
    kind: str,
    *,
    path: Path | None = None,
    read_only: bool = False,
    snapshots: Path | None = None,
    **remote: Any,
) -> Store:
    """Open a store by kind: ``oxigraph`` (on disk at ``path``), ``memory`` or ``remote``.

    ``read_only`` (oxigraph): open for reading beside a writer in another process, through the newest
    snapshot in ``snapshots`` when there is one; a missing store is a StoreError, never a new store.
    """
    if kind == "oxigraph":
        if path is None:
            raise ValueError("the oxigraph store needs a path")
        return OxigraphStore(path, read_only=read_only, snapshots=snapshots)
    if kind == "memory":
        return OxigraphStore(None)
    if kind == "remote":
        from graph.store.remote import RemoteStore  # only remote deployments need httpx

        return RemoteStore(**remote)
    raise ValueError(f"unknown store kind {kind!r}: expected oxigraph, memory or remote")
