"""Issue 12, finding 8 / item 7: a damaged index is detected, never served, and rebuilt from the store.

The report: a truncated whoosh segment gave search a 500 and no rebuild; ``documents.jsonl`` cut at a
line boundary served half the documents with /health 200. Every index file is now listed with its
size and SHA-256 in the version's manifest (search/versions.py): opening checks all of it, and the
writer's background refresh checks the served version's sizes every tick.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import DamagedIndexError
from search.index import build_index, open_index
from search.versions import current_version
from tests.api.conftest import make_settings
from tests.support.stores import BASE, small_store


def _cut_documents(version: Path) -> None:
    lines = (version / "documents.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (version / "documents.jsonl").write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")


def _truncate_segment(version: Path) -> None:
    segment = max(
        (p for p in (version / "whoosh").iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size
    )
    data = segment.read_bytes()
    segment.unlink()  # a new file: the versions share segment files as hard links
    segment.write_bytes(data[: len(data) // 2])


def _flip_a_byte(version: Path) -> None:
    path = version / "embeddings.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.unlink()
    path.write_bytes(bytes(data))


DAMAGE = {"documents-cut-at-a-line": _cut_documents, "truncated-segment": _truncate_segment}


@pytest.mark.parametrize("damage", [*DAMAGE, "flipped-byte"])
def test_a_damaged_version_is_never_opened(tmp_path: Path, damage: str) -> None:
    from graph.iris import Iris

    index = build_index(small_store(), Iris(BASE), tmp_path / "ix", engine="whoosh", semantic=False)
    index.close()
    {**DAMAGE, "flipped-byte": _flip_a_byte}[damage](index.path)
    with pytest.raises(DamagedIndexError):
        open_index(tmp_path / "ix", engine="whoosh", semantic=False)


def _until(client: TestClient, predicate: Any, what: str) -> Any:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        r = client.get("/health")
        if predicate(r):
            return r
        time.sleep(0.05)
    raise AssertionError(f"not reached: {what}; last /health: {r.json()}")


@pytest.mark.parametrize(
    ("damage", "engine"),
    [
        ("documents-cut-at-a-line", "tantivy"),  # the default engine
        ("documents-cut-at-a-line", "whoosh"),
        ("truncated-segment", "whoosh"),
    ],
)
def test_the_service_stops_serving_a_damaged_index_and_the_writer_rebuilds_it(
    tmp_path: Path, damage: str, engine: str
) -> None:
    store = small_store(tmp_path / "store")
    app = create_app(make_settings(tmp_path, store="oxigraph", search_engine=engine), store=store)
    with TestClient(app) as client:
        _until(client, lambda r: r.status_code == 200, "the index is built")
        full = client.get("/api/search", params={"q": ""}).json()["total"]
        root = tmp_path / "index" / engine
        served = current_version(root)
        assert served is not None
        DAMAGE[damage](served.path)
        # never half an index: each answer is the whole index (before the check noticed) or a 503
        seen = set()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            r = client.get("/api/search", params={"q": ""})
            assert r.status_code in (200, 503), r.text
            if r.status_code == 200:
                assert r.json()["total"] == full
            else:
                assert r.headers["content-type"].startswith("application/problem+json")
            seen.add(r.status_code)
            rebuilt = current_version(root)
            if rebuilt is not None and rebuilt.path != served.path and 503 in seen:
                break
            if rebuilt is not None and rebuilt.path != served.path and r.status_code == 200:
                break  # rebuilt before this loop saw the damaged state
            time.sleep(0.01)
        health = _until(client, lambda r: r.status_code == 200, "healthy again after the rebuild")
        assert health.json()["checks"]["index"]["status"] == "ok"
        rebuilt = current_version(root)
        assert rebuilt is not None and rebuilt.path != served.path  # a new version, from the store
        assert client.get("/api/search", params={"q": ""}).json()["total"] == full
    store.close()
