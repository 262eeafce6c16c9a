"""The index on disk: immutable versions under one root, a CURRENT pointer and a checksum manifest.

    <root>/CURRENT                 {"name": "v-...", "state": "<store state>"}  (replaced atomically)
    <root>/v-<time>-<id>/          one version, never changed once CURRENT names it
        <engine>/ ...              the full-text engine's files
        documents.jsonl, labels.json, embeddings.npy, meta.json, ... (whatever the index saves)
        manifest.json              size and SHA-256 of every other file of the version

A writer makes a new version beside the current one (the engine's immutable segment files are
hard-linked, not copied), writes its manifest last and then switches CURRENT: a reader opening the
index sees the old version or the new one, never a half-written one, and a version that runs out of
disk space is removed without ever being named. Readers verify the manifest when they open a version,
so a damaged file (truncated, overwritten) is detected and the version is never served; the writer
rebuilds it from the store. Anything a later change saves into the version folder is covered by the
manifest without changes here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DamagedIndexError

__all__ = [
    "POINTER",
    "MANIFEST",
    "Version",
    "current_version",
    "new_version",
    "link_tree",
    "write_manifest",
    "verify",
    "quick_verify",
    "publish",
    "prune",
    "discard",
]

POINTER = "CURRENT"
MANIFEST = "manifest.json"
#: versions kept besides the current one, and how long a replaced one stays (workers may hold it open)
KEEP = 2
GRACE_SECONDS = 120.0
#: engine lock files: neither checksummed nor shared between versions
_LOCKS = ("_MAIN_WRITELOCK", ".tantivy-writer.lock", ".tantivy-meta.lock")


@dataclass(frozen=True)
class Version:
    path: Path
    state: str


def current_version(root: Path) -> Version | None:
    """The version CURRENT names under ``root`` (None when there is none or it is gone)."""
    try:
        data = json.loads((root / POINTER).read_text(encoding="utf-8"))
        path = root / str(data["name"])
        state = str(data["state"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (path / MANIFEST).is_file():
        return None
    return Version(path, state)


def new_version(root: Path) -> Path:
    """An empty folder for a new version (named so that versions sort by age)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"v-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def link_tree(source: Path, target: Path) -> None:
    """``source`` at ``target`` with hard links (segment files are never rewritten in place; an engine
    writes new files and renames), copying where links are impossible; lock files are left out."""

    def link(src: str, dst: str) -> str:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(
        source,
        target,
        copy_function=link,
        ignore=shutil.ignore_patterns(*_LOCKS, MANIFEST),
        dirs_exist_ok=True,
    )


def _files(version: Path) -> list[Path]:
    return sorted(
        p
        for p in version.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.name not in _LOCKS and not p.name.endswith(".tmp")
    )


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(version: Path) -> None:
    """Record size and SHA-256 of every file of ``version`` (written last, flushed to disk)."""
    files = {
        p.relative_to(version).as_posix(): {"bytes": p.stat().st_size, "sha256": _digest(p)}
        for p in _files(version)
    }
    _write_durably(version / MANIFEST, json.dumps({"files": files}, indent=1).encode())


def _manifest(version: Path) -> dict[str, dict[str, object]]:
    try:
        files = json.loads((version / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DamagedIndexError(f"the index manifest at {version.name} is unreadable: {exc}") from exc
    if not isinstance(files, dict):
        raise DamagedIndexError(f"the index manifest at {version.name} lists no files")
    return files


def verify(version: Path) -> None:
    """DamagedIndexError unless every file the manifest lists is there with its size and checksum."""
    for name, entry in _manifest(version).items():
        path = version / name
        try:
            size = path.stat().st_size
        except OSError:
            raise DamagedIndexError(f"the index file {name} is missing (version {version.name})") from None
        if size != entry.get("bytes"):
            raise DamagedIndexError(
                f"the index file {name} has {size} bytes, its manifest says {entry.get('bytes')} "
                f"(version {version.name})"
            )
        if _digest(path) != entry.get("sha256"):
            raise DamagedIndexError(
                f"the index file {name} does not match its checksum (version {version.name})"
            )


def quick_verify(version: Path) -> None:
    """The cheap part of ``verify`` (every file there, with its size): for a periodic check."""
    for name, entry in _manifest(version).items():
        try:
            size = (version / name).stat().st_size
        except OSError:
            raise DamagedIndexError(f"the index file {name} is missing (version {version.name})") from None
        if size != entry.get("bytes"):
            raise DamagedIndexError(
                f"the index file {name} has {size} bytes, its manifest says {entry.get('bytes')} "
                f"(version {version.name})"
            )


def publish(root: Path, version: Path, state: str) -> None:
    """Make ``version`` the current one (atomically), then remove versions nobody should hold any more."""
    _write_durably(root / POINTER, json.dumps({"name": version.name, "state": state}).encode())
    _fsync_dir(root)
    prune(root)


def prune(root: Path) -> None:
    """Remove versions older than the newest KEEP + 1 once replaced for GRACE_SECONDS, and any
    folder left by a write that never published (older than GRACE_SECONDS, never the current)."""
    current = current_version(root)
    keep = current.path.name if current is not None else None
    names = sorted((p.name for p in root.iterdir() if p.is_dir() and p.name.startswith("v-")), reverse=True)
    now = time.time_ns()
    published = [n for n in names if (root / n / MANIFEST).is_file()]
    for newer, name in zip(published[KEEP:], published[KEEP + 1 :], strict=False):
        born = _born(newer)
        if name != keep and born is not None and (now - born) / 1e9 > GRACE_SECONDS:
            shutil.rmtree(root / name, ignore_errors=True)
    for name in names:
        born = _born(name)
        if name not in published and name != keep and born is not None and (now - born) / 1e9 > GRACE_SECONDS:
            shutil.rmtree(root / name, ignore_errors=True)


def discard(version: Path) -> None:
    """Remove a version that was never published (a failed write: disk full ...)."""
    shutil.rmtree(version, ignore_errors=True)


def _born(name: str) -> int | None:
    try:
        return int(name.split("-")[1])
    except (IndexError, ValueError):
        return None


def _write_durably(path: Path, data: bytes) -> None:
    # a new file renamed over the old name: the old name may be a hard link shared with another version
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
