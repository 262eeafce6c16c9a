"""`missiongraph serve --workers N`: N HTTP worker processes over read-only snapshots, one writer.

The writer is the service as one process on an internal address (127.0.0.1, a free port): it owns the
store's write lock, runs loads and jobs, and derives the index, dumps and communities of every new store
state. The N workers share the public port (uvicorn's process manager); each opens the newest snapshot of
the store read-only, follows the writer to every new state together with the index the writer brought
to it (api/refresh.py), and forwards loads (`/api/loads`, `/lab/loads`) to the writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings

__all__ = [
    "serve_workers",
    "worker_app",
    "install_forwarding",
    "one_thread_each",
    "FORWARDED",
    "NoDelayH11Protocol",
    "THREAD_ENV",
]

#: thread pools of the numeric libraries, one thread per process when several processes share the cores
#: (read at import time by OpenBLAS/OpenMP/numexpr: set before the writer and the workers start)
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

#: seconds a worker may take to answer uvicorn's supervisor (its start-up, then a ping every 0.5 s) before
#: the supervisor kills and replaces it. uvicorn's default, 5 s, killed workers of a busy 2-core machine
#: over and over: a worker that computes its network view holds the GIL for seconds and the thread that
#: answers the ping waits (seen under load 25: one worker replaced every ~30 s, never serving).
WORKER_HEALTHCHECK_SECONDS = 120

#: requests that change the store, or read the writer's job state: answered by the writer
FORWARDED = ("/api/loads", "/lab/loads")
_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade"}


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn factory): settings name the writer's address."""
    from api.app import create_app

    return create_app(Settings())


def install_forwarding(app: FastAPI, writer_url: str) -> None:
    """Send the requests under FORWARDED to the writer and hand its answer back unchanged."""

    @app.middleware("http")
    async def forward(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if not path.startswith(FORWARDED):
            return await call_next(request)
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _HOP]
        if request.client is not None:
            headers.append(("x-forwarded-for", request.client.host))
        async with httpx.AsyncClient(base_url=writer_url, timeout=300) as client:
            # streamed through: the writer enforces the upload limit as it reads, nothing piles up here
            answer = await client.request(
                request.method, path, params=request.url.query, content=request.stream(), headers=headers
            )
        out = Response(answer.content, status_code=answer.status_code)
        for key, value in answer.headers.multi_items():
            if key.lower() not in _HOP and key.lower() != "content-encoding":
                out.headers.append(key, value)
        return out


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with TCP_NODELAY set on every connection it accepts.

    With ``workers > 1`` uvicorn binds the shared socket as ``socket.socket(AF_INET)`` (protocol 0), and
    asyncio only turns Nagle's algorithm off for sockets whose protocol reads IPPROTO_TCP; the headers and
    the body of an answer then go out as two small writes, the second held until the client's delayed
    ACK: about 40 ms added to every request after the first on a kept-alive connection.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_thread_each(env: dict[str, str] | os._Environ[str]) -> None:
    """Numeric thread pools of one thread in every process (unless the operator set them): with N worker
    processes on N cores, each library's own pool of N threads only oversubscribes the cores.
    onnxruntime's intra-op pool is already one thread (search/embeddings.py)."""
    for name in THREAD_ENV:
        env.setdefault(name, "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")


def serve_workers(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Start the writer on an internal port, wait for it, then serve ``workers`` processes on ``port``."""
    import uvicorn

    one_thread_each(os.environ)  # inherited by the writer and the spawned workers
    writer_port = _free_port()
    writer_url = f"http://127.0.0.1:{writer_port}"
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(writer_port), "--workers", "1"]
    writer = subprocess.Popen(command, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 300
        while True:
            if writer.poll() is not None:
                raise SystemExit(f"error: the writer process stopped (exit {writer.returncode})")
            try:
                httpx.get(f"{writer_url}/health", timeout=5)  # any answer: the store is open, snapshot out
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("error: the writer process did not start within 300 s") from None
                time.sleep(0.2)
        os.environ["MISSIONGRAPH_WRITER_URL"] = writer_url
        print(f"writer at {writer_url}; {workers} workers on http://{host}:{port}", flush=True)
        extra: dict[str, Any] = {}
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
            extra["timeout_worker_healthcheck"] = WORKER_HEALTHCHECK_SECONDS
        uvicorn.run(
            "api.workers:worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http=NoDelayH11Protocol,  # the shared socket would leave Nagle on (see the class)
            log_level="info",
            # X-Forwarded-For is read by the app from MISSIONGRAPH_TRUSTED_PROXIES only (api/ratelimit.py)
            proxy_headers=False,
            forwarded_allow_ips="",
            **extra,
        )
    finally:
        writer.terminate()
        try:
            writer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            writer.kill()
