"""`missiongraph serve --workers 2`: two worker processes over read-only snapshots and one writer.

A load made through the public port goes to the writer; both workers then serve the new store state
(store, index and network view) without a restart.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from tests.ops.test_cli_beside_server import ROOT, SURVEY, TOKEN, cli, env_for
from tests.support.uvicorn_server import free_port, wait_ok


def test_two_workers_see_a_load_made_through_the_writer(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path_factory.mktemp("workers")
    done = cli(data_dir, "build")
    assert done.returncode == 0, done.stderr
    port = free_port()
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port),
             "--workers", "2"],
            cwd=ROOT, env=env_for(data_dir), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ok(f"{base}/health", timeout=300)

            def health_by_worker(rounds: int = 400) -> dict[int, dict]:  # type: ignore[type-arg]
                seen: dict[int, dict] = {}  # type: ignore[type-arg]
                for _ in range(rounds):
                    # a new connection each time, so that either worker may accept it
                    body = httpx.get(f"{base}/health", timeout=60, headers={"Connection": "close"}).json()
                    seen[body["checks"]["process"]["pid"]] = body
                    if len(seen) == 2 and all(
                        b["checks"]["process"]["role"] == "worker" for b in seen.values()
                    ):
                        break
                return seen

            before = health_by_worker()
            assert len(before) == 2, "two worker processes answer on the public port"
            graphs_before = {b["checks"]["store"]["graphs"] for b in before.values()}
            assert graphs_before == {5}
            lab = {"Authorization": f"Bearer {TOKEN}"}
            with SURVEY.open("rb") as f:
                job = httpx.post(
                    f"{base}/api/loads", headers=lab, timeout=120,
                    files={"file": (SURVEY.name, f, "text/csv")}, data={"wave": "2050"},
                )  # fmt: skip
            assert job.status_code == 202, job.text
            for _ in range(1200):
                state = httpx.get(f"{base}{job.headers['location']}", headers=lab, timeout=60).json()
                if state["status"] not in ("queued", "running"):
                    break
                time.sleep(0.25)
            assert state["status"] == "succeeded", state
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                after = health_by_worker()
                ready = [
                    b for b in after.values()
                    if b["checks"]["store"]["graphs"] == 6 and b["status"] == "ok"
                    and b["checks"]["index"]["status"] == "ok"
                ]  # fmt: skip
                if len(after) == 2 and len(ready) == 2:
                    break
                time.sleep(0.5)
            assert len(ready) == 2, after
            assert {b["checks"]["store"]["state"] for b in ready} == {ready[0]["checks"]["store"]["state"]}
            assert set(after) == set(before), "the same worker processes: no restart"
            ask = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?g), '/graph/survey/2050')) }"
            for _ in range(6):
                r = httpx.get(
                    f"{base}/sparql", params={"query": ask}, timeout=60, headers={"Connection": "close"}
                )
                assert r.status_code == 200 and r.json()["boolean"] is True
                found = httpx.get(
                    f"{base}/api/search", params={"q": "", "wave": "2050"}, timeout=60,
                    headers={"Connection": "close"},
                ).json()  # fmt: skip
                assert found["total"] > 0, found
        finally:
            process.terminate()
            process.wait(timeout=60)
    assert "Traceback" not in log_path.read_text(errors="replace")


def test_worker_connections_turn_nagle_off() -> None:
    """The shared socket uvicorn binds for several workers has protocol 0, so asyncio leaves Nagle's
    algorithm on; the workers' protocol turns it off on every connection (else a kept-alive client
    waits ~40 ms for each answer's second write)."""
    import asyncio
    import socket

    from uvicorn.config import Config
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.server import ServerState

    from api.workers import NoDelayH11Protocol

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = Config(app, lifespan="off")
    config.load()

    async def nodelay_of(protocol: type[H11Protocol]) -> int:
        seen: list[int] = []

        class Recording(protocol):  # type: ignore[misc,valid-type]
            def connection_made(self, transport):  # type: ignore[no-untyped-def]
                super().connection_made(transport)
                sock = transport.get_extra_info("socket")
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        listener = socket.socket(socket.AF_INET)  # as uvicorn's Config.bind_socket: protocol 0
        listener.bind(("127.0.0.1", 0))
        loop = asyncio.get_running_loop()
        state = ServerState()
        server = await loop.create_server(
            lambda: Recording(config=config, server_state=state, app_state={}), sock=listener
        )
        try:
            reader, writer = await asyncio.open_connection(*listener.getsockname())
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            assert (await reader.readline()).startswith(b"HTTP/1.1 204")
            writer.close()
        finally:
            server.close()
        return seen[0]

    assert asyncio.run(nodelay_of(H11Protocol)) == 0  # the problem: plain uvicorn leaves Nagle on here
    assert asyncio.run(nodelay_of(NoDelayH11Protocol)) != 0


def test_worker_processes_run_numeric_libraries_on_one_thread_each() -> None:
    from api.workers import THREAD_ENV, one_thread_each

    env = {"OPENBLAS_NUM_THREADS": "3"}  # an operator's own choice stays
    one_thread_each(env)
    assert env["OPENBLAS_NUM_THREADS"] == "3"
    assert all(env[name] == "1" for name in THREAD_ENV if name != "OPENBLAS_NUM_THREADS")
    assert env["TOKENIZERS_PARALLELISM"] == "false"
