"""Issue 12, finding 4: bodies bounded per route while they stream, Lab auth before the body, answer bytes.

Raw sockets against a real uvicorn server show what the server does before a body has arrived.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.settings import LAB, make_settings
from tests.support.stores import small_store
from tests.support.uvicorn_server import running_server

SPARQL_BODY = 200_000
ANSWER_BYTES = 4_000


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("limits")


@pytest.fixture(scope="module")
def app(data_dir: Path) -> object:
    settings = make_settings(
        data_dir,
        sparql_max_body_bytes=SPARQL_BODY,
        sparql_max_answer_bytes=ANSWER_BYTES,
        upload_max_bytes=1_000_000,
    )
    return create_app(settings, store=small_store())


@pytest.fixture(scope="module")
def client(app: object) -> Iterator[TestClient]:
    with TestClient(app) as c:  # type: ignore[arg-type]
        yield c


@pytest.fixture(scope="module")
def base(app: object) -> Iterator[str]:
    with running_server(app) as url:
        yield url


def _raw(
    base: str, head: str, chunks: Iterator[bytes] | None = None, *, timeout: float = 30
) -> tuple[bytes, int]:
    """Send ``head`` (and ``chunks`` until the server answers); return (answer, body bytes sent)."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head.encode())
        sock.setblocking(False)
        answer = b""
        for chunk in chunks or iter(()):
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer:
                break
            try:
                sock.setblocking(True)
                sock.sendall(chunk)
                sent += len(chunk)
                sock.setblocking(False)
            except OSError:
                break
        sock.setblocking(True)
        sock.settimeout(timeout)
        while b"\r\n\r\n" not in answer:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    return answer, sent


def test_sparql_post_over_the_limit_is_413(client: TestClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * SPARQL_BODY
    response = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert str(SPARQL_BODY) in response.json()["detail"]


def test_chunked_sparql_body_is_cut_while_streaming(base: str) -> None:
    """No Content-Length: the server counts the chunks and answers 413 long before 50 MB have been sent."""
    head = (
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"#" + b"x" * 65535
    chunks = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for _ in range(800))  # 52 MB in all
    answer, sent = _raw(base, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 10_000_000


def test_load_without_token_is_401_before_the_body(base: str, data_dir: Path) -> None:
    """The report: 200 MB spooled before the 401. Now the 401 comes with the headers alone."""
    head = (
        "POST /api/loads HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        "Content-Length: 200000000\r\n\r\n"
    )
    answer, _ = _raw(base, head)  # no body is ever sent: a server that read it first would hang here
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert b"application/problem+json" in answer
    jobs = data_dir / "jobs"
    assert not jobs.exists() or not any(jobs.rglob("*.*"))


def test_load_with_a_bad_token_is_401_too(client: TestClient) -> None:
    response = client.post(
        "/api/loads", files={"file": ("a.csv", b"x" * 1000)}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401


def test_upload_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/api/loads", files={"file": ("a.csv", b"x" * 1_200_000)}, headers=LAB)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


def test_answer_bytes_are_capped_like_rows(client: TestClient) -> None:
    """The report: doubled CONCATs, 284 MB under the row cap. Rows stop once the byte cap is reached."""
    query = (
        "SELECT ?big WHERE { ?s ?p ?o "
        'BIND(CONCAT("abcdefghij", "abcdefghij") AS ?a) BIND(CONCAT(?a, ?a, ?a, ?a, ?a) AS ?b) '
        "BIND(CONCAT(?b, ?b, ?b, ?b, ?b) AS ?big) }"
    )
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-Result-Byte-Cap"] == str(ANSWER_BYTES)
    rows = response.json()["results"]["bindings"]
    assert 0 < len(rows) < 10
    assert len(response.content) < 2 * ANSWER_BYTES
