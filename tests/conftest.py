"""Shared fixtures: small in-memory stores and helpers for skipping (or failing under CI=true)."""

from __future__ import annotations

import os
import shutil

import pytest

from graph.iris import Iris

# one oxigraph serve and one Virtuoso per test run, for every folder that needs a real SPARQL server
from tests.support.servers import oxigraph_endpoint, virtuoso_endpoint  # noqa: F401

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_executable(name: str, why: str) -> str:
    """Path of an executable; skip when absent, but fail under CI=true where a missing part is a failure."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed ({why}); `make test` installs it when run as root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def iris() -> Iris:
    return Iris("http://127.0.0.1:8000/")
