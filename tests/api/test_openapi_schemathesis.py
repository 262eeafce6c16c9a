"""Schemathesis over the OpenAPI description against a real server: no 5xx, every response fits its schema."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from graph.store import OxigraphStore
from tests.support.settings import LAB_TOKEN, make_settings
from tests.support.stores import small_store
from tests.support.uvicorn_server import running_server, wait_ok

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HEADERS = {"Authorization": f"Bearer {LAB_TOKEN}"}


@schemathesis.serializer("application/sparql-query")
def _sparql_query(ctx: object, value: object) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp: Path = tmp_path_factory.mktemp("schemathesis")
    app = create_app(make_settings(tmp, sparql_timeout=5.0), store=small_store())
    with running_server(app) as base:
        wait_ok(f"{base}/health", timeout=120)  # the writer derives the index and dumps after start
        wait_ok(f"{base}/dumps", timeout=120)
        yield base


# the description is read at collection time from an app over an empty store; the cases run against `live`
schema = schemathesis.openapi.from_dict(
    create_app(make_settings(Path(tempfile.gettempdir())), store=OxigraphStore(None)).openapi()
)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi(case: schemathesis.Case, live: str) -> None:
    case.call_and_validate(base_url=live, headers=HEADERS, checks=CHECKS)
