"""Small-count suppression."""

from __future__ import annotations

import pytest

from graph.disclosure import suppress


def test_small_counts_are_suppressed() -> None:
    assert suppress(1, 5) == "<5"
    assert suppress(4, 5) == "<5"
    assert suppress(0, 5) == 0
    assert suppress(5, 5) == 5
    assert suppress(120, 5) == 120
    assert suppress(2, 3) == "<3"
    assert suppress(3) == "<5" and suppress(5) == 5


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        suppress(-1, 5)
    with pytest.raises(ValueError):
        suppress(3, 0)
