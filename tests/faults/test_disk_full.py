"""Issue 12, finding 8 / item 7: a full disk during an upload, a load or an index write, for real.

The data directory lives on a small tmpfs mounted for the test, filled with a filler file: the store,
the uploads and the index get a real ENOSPC. The store must be left as it was and usable once space
returns (RocksDB refuses every write of a handle after such an error, so the store reopens itself),
the job must fail saying the disk is full, /health must say so, and nothing half-written may stay.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import OxigraphStore
from graph.synthetic import generate_survey, write_csv
from search.documents import documents_from_store
from search.index import build_index, open_index
from search.versions import current_version
from tests.api.conftest import LAB, make_settings
from tests.faults.small_disk import fill_disk, small_disk
from tests.support.stores import small_store


def _wait(client: TestClient, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/loads/{job}", headers=LAB).json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError("the load job did not finish")


def _healthy(client: TestClient) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        r = client.get("/health")
        if r.status_code == 200:
            body: dict[str, Any] = r.json()
            return body
        time.sleep(0.1)
    raise AssertionError(f"the service did not become healthy: {r.json()}")


def _upload(client: TestClient, export: Path, wave: str) -> Any:
    with export.open("rb") as f:
        return client.post(
            "/api/loads", files={"file": (export.name, f, "text/csv")}, data={"wave": wave}, headers=LAB
        )


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(generate_survey(300, 12), tmp_path_factory.mktemp("export") / "export.csv")


def test_disk_full_during_a_load_leaves_the_store_usable(tmp_path: Path, export: Path) -> None:
    with small_disk(tmp_path / "disk", 96) as disk:
        store = small_store(disk / "store")
        app = create_app(make_settings(disk, store="oxigraph", min_free_bytes=1_000_000), store=store)
        with TestClient(app) as client:
            _healthy(client)
            before = (store.state(), store.count())
            # room for the upload, not for the store's write of it
            filler = fill_disk(disk, leave=export.stat().st_size + 200_000)
            r = _upload(client, export, "2031")
            assert r.status_code == 202, r.text
            job = _wait(client, r.json()["id"])
            assert job["status"] == "failed"
            assert "disk" in job["detail"] and "full" in job["detail"], job["detail"]
            assert "as it was" in job["detail"]
            assert (store.state(), store.count()) == before  # nothing of the load was kept
            health = client.get("/health")
            assert health.status_code == 503
            assert health.json()["checks"]["disk"]["status"] == "full"
            assert any("disk" in reason for reason in health.json()["reasons"])
            # reads go on meanwhile
            assert client.get("/api/search", params={"q": "soil"}).status_code == 200
            assert not [p for p in (disk / "jobs").rglob("*.csv")], "the upload is not kept"

            filler.unlink()  # space returns: no restart needed
            assert _healthy(client)["checks"]["disk"]["status"] == "ok"
            r = _upload(client, export, "2031")
            assert r.status_code == 202, r.text
            job = _wait(client, r.json()["id"])
            assert job["status"] == "succeeded", job
            assert store.count() > before[1]
            found = client.get("/api/search", params={"q": "", "wave": "2031"}).json()
            assert found["total"] > 0
        store.close()


def test_an_upload_that_does_not_fit_is_507_and_leaves_nothing(tmp_path: Path, export: Path) -> None:
    with small_disk(tmp_path / "disk", 96) as disk:
        store = small_store(disk / "store")
        app = create_app(make_settings(disk, store="oxigraph", min_free_bytes=0), store=store)
        with TestClient(app) as client:
            _healthy(client)
            before = store.state()
            filler = fill_disk(disk, leave=32_000)
            r = _upload(client, export, "2032")
            assert r.status_code == 507, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "disk is full" in r.json()["detail"]
            assert not [p for p in (disk / "jobs").rglob("*") if p.is_file()], "no partial upload stays"
            assert store.state() == before
            filler.unlink()
            r = _upload(client, export, "2032")
            assert r.status_code == 202
            done = _wait(client, r.json()["id"])
            assert done["status"] == "succeeded", done["detail"]
        store.close()


def test_disk_full_during_an_index_update_keeps_the_served_version(tmp_path: Path) -> None:
    store = small_store()
    with small_disk(tmp_path / "ix", 16) as root:
        index = build_index(store, _iris(), root, engine="whoosh", semantic=False)
        served = index.path
        store.update(
            f"""INSERT DATA {{ GRAPH <{_iris().catalogue_graph}> {{
            <{_iris().mission("xx-glacier-watch")}> a <https://w3id.org/missiongraph/def#Mission> ;
              <http://purl.org/dc/terms/identifier> "xx-glacier-watch" ;
              <http://purl.org/dc/terms/title> "Glacier watch"@en . }} }}"""
        )
        docs = documents_from_store(store, _iris())
        filler = fill_disk(root)
        with pytest.raises(OSError):
            index.updated(docs, store.state())
        version = current_version(root)
        assert version is not None and version.path == served  # CURRENT never named the failed one
        assert [p.name for p in root.iterdir() if p.name.startswith("v-")] == [served.name]  # removed
        assert index.search("glacier")["total"] == 0  # the old version still answers
        filler.unlink()
        fresh, _ = index.updated(docs, store.state())
        reopened = open_index(root, engine="whoosh", semantic=False)
        assert reopened is not None and reopened.store_state == store.state()
        assert reopened.search("glacier")["results"][0]["id"] == "xx-glacier-watch"
        for opened in (index, fresh, reopened):
            opened.close()


def _iris() -> Any:
    from graph.iris import Iris
    from tests.support.stores import BASE

    return Iris(BASE)


def test_the_store_reopens_after_a_write_ran_out_of_space(tmp_path: Path) -> None:
    """RocksDB refuses every later write of a handle after ENOSPC: the store opens itself again."""
    from graph.errors import DiskFullError

    with small_disk(tmp_path / "disk", 16) as disk:
        store = OxigraphStore(disk / "store")
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }")
        count = store.count()
        filler = fill_disk(disk)
        big = " ".join(f"<urn:s{i}> <urn:p> '{'x' * 500}' ." for i in range(20_000))
        with pytest.raises(DiskFullError, match="disk holding the store is full"):
            store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ {big} }} }}")
        assert store.count() == count and store.disk_error is not None
        filler.unlink()
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'd' } }")
        assert store.count() == count + 1 and store.disk_error is None
        store.close()
