"""The server runs numpy's and scipy's OpenBLAS with one thread each (api/blas.py)."""

from __future__ import annotations

import numpy as np
import pytest

from api.app import create_app
from api.blas import blas_threads, one_blas_thread
from api.settings import Settings
from graph.store import OxigraphStore


def test_the_app_sets_one_blas_thread(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    create_app(Settings(data_dir=tmp_path), store=OxigraphStore(None))
    threads = blas_threads()
    assert threads and all(t == 1 for t in threads)
    # products still compute the same
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert np.allclose(a @ a.T, np.einsum("ij,kj->ik", a, a))


def test_an_operators_choice_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert one_blas_thread() is False
