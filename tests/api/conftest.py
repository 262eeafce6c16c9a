"""An app over the small test store (in memory), with a Lab token; one per module to keep tests fast."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.settings import LAB, LAB_TOKEN, make_settings
from tests.support.stores import small_store

__all__ = ["LAB", "LAB_TOKEN", "make_settings", "client", "wait_for_dumps"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("app")
    app = create_app(make_settings(tmp), store=small_store())
    with TestClient(app) as c:
        wait_for_dumps(c)
        yield c


def wait_for_dumps(client: TestClient) -> None:
    """The writer writes the dumps (and their DCAT description) in the background after start."""
    for _ in range(600):
        r = client.get("/dumps")
        if r.status_code == 200:
            return
        assert r.status_code == 503 and r.headers["retry-after"], r.text
        time.sleep(0.1)
    raise AssertionError("the dumps were not written in 60 s")
