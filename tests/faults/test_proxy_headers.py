"""Issue 12, finding 5: a different X-Forwarded-For per request must not escape the rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from api.app import create_app
from api.ratelimit import client_address
from tests.support.settings import make_settings
from tests.support.stores import small_store


def _request(peer: str, forwarded: list[str]) -> Request:
    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 1234)})


def test_spoofed_forwarded_for_is_rate_limited(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=3), store=small_store())
    with TestClient(app) as client:
        codes = [
            client.get(
                "/api/search", params={"q": "x"}, headers={"X-Forwarded-For": f"10.0.0.{i}"}
            ).status_code
            for i in range(6)
        ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429, 429]


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("127.0.0.1", ["1.2.3.4"], [], "127.0.0.1"),  # nothing trusted: the header is ignored
        ("203.0.113.9", ["1.2.3.4"], ["127.0.0.1"], "203.0.113.9"),  # the peer is no trusted proxy
        ("127.0.0.1", ["1.2.3.4"], ["127.0.0.1"], "1.2.3.4"),
        ("10.1.2.3", ["6.6.6.6, 1.2.3.4"], ["10.0.0.0/8"], "1.2.3.4"),  # the client cannot push a hop in
        ("10.1.2.3", ["1.2.3.4, 10.9.9.9"], ["10.0.0.0/8"], "1.2.3.4"),  # two proxies in a row
        ("127.0.0.1", [], ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_client_address(peer: str, forwarded: list[str], proxies: list[str], client: str) -> None:
    assert client_address(_request(peer, forwarded), proxies) == client
