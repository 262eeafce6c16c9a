"""A real small file system for disk-full tests: a tmpfs mounted for the test (root on Linux).

Without the right to mount, the tests that need it skip and say why; under CI=true they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["small_disk", "fill_disk"]


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int) -> Iterator[Path]:
    """A fresh tmpfs of ``megabytes`` at ``where`` (a real ENOSPC when it is full), unmounted after."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (
            f"cannot mount a small tmpfs for a real disk-full test: {done.stderr.strip() or done.returncode}"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the disk-full tests must run; run them as root)")
        pytest.skip(reason)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill_disk(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` until at most ``leave`` bytes are free; the filler file is returned (delete it to
    give the space back)."""
    filler = disk / "filler.bin"
    with filler.open("ab") as f:
        block = b"\0" * (1 << 16)
        while True:
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            if free <= leave:
                break
            try:
                f.write(block[: max(1, min(len(block), free - leave))])
                f.flush()
            except OSError:
                break
    return filler
