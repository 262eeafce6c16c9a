"""Small-count suppression: public counts below k are shown as "<k"."""

from __future__ import annotations

__all__ = ["suppress", "DEFAULT_K"]

#: the default threshold; the service reads ``Settings.small_count_k``
DEFAULT_K = 5


def suppress(count: int, k: int = DEFAULT_K) -> int | str:
    """``count`` itself, or ``"<k"`` when 0 < count < k (a zero reveals no one and is shown as 0)."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if count < 0:
        raise ValueError(f"a count cannot be negative, got {count}")
    return f"<{k}" if 0 < count < k else count
