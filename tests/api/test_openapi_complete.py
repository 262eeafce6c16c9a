"""The OpenAPI description is complete: every parameter declared, JSON answers typed, 400 never 422."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from search import FACETS


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]


def test_search_declares_every_parameter_with_a_type(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "limit", "cursor", "synthetic", *FACETS} <= set(params)
    assert params["limit"]["schema"]["type"] == "integer"
    assert all(params[f]["schema"]["type"] == "array" for f in FACETS)


def test_every_json_answer_is_typed(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    untyped = []
    for method, path, op in _operations(spec):
        if path.startswith("/api/lab/") and method == "POST":
            continue  # rosters in JSON, CSV or HTML, described by their route
        for status, response in op["responses"].items():
            for media, content in response.get("content", {}).items():
                schema = content.get("schema") or {}
                if media.endswith("json") and (
                    not schema or schema.get("additionalProperties") is True and "properties" not in schema
                ):
                    untyped.append((method, path, status, media))
    assert untyped == []


def test_one_status_for_invalid_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for method, path, op in _operations(spec):
        assert "422" not in op["responses"], (method, path)
        if op.get("parameters") or op.get("requestBody"):
            assert "400" in op["responses"], (method, path)
    for url in (
        "/api/missions?limit=abc",
        "/api/search?limit=abc",
        "/api/missions/eu-mission-cancer/peers?limit=0",
        "/api/queries/missions-with-sdg?goal=x",
        "/id/mission/eu-mission-cancer?format=xyz",
    ):
        r = client.get(url)
        assert r.status_code == 400, url
        assert r.headers["content-type"] == "application/problem+json"
