"""The per-deployment key of the pseudonyms (respondent and organisation ids): HMAC-SHA256, never a bare hash.

The key lives in the data folder (``pseudonym.key``, mode 0600), is made on first use and kept across
rebuilds, so ids stay stable for one deployment; without it, a guessed name or respondent id cannot be
turned into its pseudonym. It is not part of the repository (``var/`` is ignored) nor of any dump.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from graph.errors import StoreError

__all__ = ["KEY_FILE", "load_or_create_key", "pseudonym"]

KEY_FILE = "pseudonym.key"


def load_or_create_key(data_dir: Path) -> bytes:
    """The deployment's key, read from ``data_dir/pseudonym.key`` or made there (0600) the first time."""
    path = data_dir / KEY_FILE
    try:
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            data_dir.mkdir(parents=True, exist_ok=True)
            text = secrets.token_hex(32)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first: use theirs
                return load_or_create_key(data_dir)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(text + "\n")
    except OSError as exc:
        raise StoreError(f"cannot read or make the pseudonym key {path}: {exc.strerror or exc}") from exc
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise StoreError(f"{path} does not hold a hexadecimal key; restore it from a backup") from None
    if len(key) < 16:
        raise StoreError(f"{path} holds a key shorter than 16 bytes; restore it from a backup")
    return key


def pseudonym(key: bytes, *parts: str) -> str:
    """16 hex digits of HMAC-SHA256(key, parts joined by the unit separator)."""
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:16]
