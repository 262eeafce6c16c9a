"""Settings for the service under test: an in-memory store by default, no rate limit, a Lab token."""

from __future__ import annotations

import hashlib
from pathlib import Path

from api.settings import Settings

__all__ = ["LAB", "LAB_TOKEN", "make_settings"]

LAB_TOKEN = "lab-token-for-tests-3c1d"
LAB = {"Authorization": f"Bearer {LAB_TOKEN}"}


def make_settings(tmp: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "store": "memory",
        "data_dir": tmp,
        "rate_limit_per_minute": 0,
        "semantic": False,
        "sparql_workers": 1,
        "lab_token_hashes": [hashlib.sha256(LAB_TOKEN.encode()).hexdigest()],
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
