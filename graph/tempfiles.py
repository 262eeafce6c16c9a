"""Temporary folders of loads and builds: named after their process, private (0700), and swept when that
process is gone (a killed load must not leave survey data, restricted quads included, in the temp folder)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["private_tempdir", "sweep_stale", "PREFIXES"]

PREFIXES = ("missiongraph-load-", "missiongraph-build-")


def private_tempdir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder (mode 0700) whose name carries this process's id, for ``sweep_stale``."""
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: a folder without a process id in its name (made by an older version) is swept once this old, seconds
LEGACY_AGE = 86400.0


def sweep_stale(folder: Path | None = None) -> list[Path]:
    """Remove the load and build folders left by processes that no longer run; return what went."""
    root = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    for prefix in PREFIXES:
        for path in root.glob(f"{prefix}*"):
            if not path.is_dir() or path.is_symlink():
                continue
            pid_text = path.name[len(prefix) :].split("-", 1)[0]
            if pid_text.isdigit():
                if _alive(int(pid_text)):
                    continue
            else:  # no owner we could ask: only when nothing can still be writing there
                with contextlib.suppress(OSError):
                    if now - path.stat().st_mtime < LEGACY_AGE:
                        continue
            with contextlib.suppress(OSError):
                shutil.rmtree(path)
                removed.append(path)
    return removed
