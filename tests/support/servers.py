"""Real SPARQL servers on 127.0.0.1 (``oxigraph serve``, Virtuoso 7) for tests and benchmarks.

Each server runs in a private directory on a free port and is always stopped: use the context managers
(``oxigraph_server``, ``virtuoso_server``) or the session-scoped pytest fixtures built on them
(``oxigraph_endpoint``, ``virtuoso_endpoint``; ``tests/conftest.py`` makes them available everywhere).
Start them from a thread that lives as long as they should: a server gets SIGTERM when that thread ends.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.ports import free_port

__all__ = [
    "Endpoint",
    "free_port",
    "oxigraph_server",
    "virtuoso_server",
    "oxigraph_endpoint",
    "virtuoso_endpoint",
    "OXIGRAPH_BIN",
]

#: the ``oxigraph`` binary of the PyPI package, installed next to the venv's python
OXIGRAPH_BIN = Path(sys.executable).with_name("oxigraph")


@dataclass
class Endpoint:
    """Where a running server answers, and the ``RemoteStore`` keyword arguments that reach it."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None = None
    password: str | None = None
    auth: str = "none"
    directory: Path | None = None
    log: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def store_kwargs(self, **overrides: Any) -> dict[str, Any]:
        kwargs = {
            "query_url": self.query_url,
            "update_url": self.update_url,
            "gsp_url": self.gsp_url,
            "user": self.user,
            "password": self.password,
            "auth": self.auth,
        }
        kwargs.update(overrides)
        return kwargs

    def log_tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up in {timeout} s:\n{log.read_text(errors='replace')}")


def _die_with_parent() -> None:
    """In the child: SIGTERM when the test process dies, even by SIGKILL (Linux): no server outlives it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)


@contextmanager
def _workdir(directory: Path | None, prefix: str) -> Iterator[Path]:
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        yield directory
        return
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def oxigraph_server(directory: Path | None = None, *, binary: Path | str | None = None) -> Iterator[Endpoint]:
    """``oxigraph serve`` on a free port with its data in ``directory`` (a temporary one by default)."""
    exe = str(binary or OXIGRAPH_BIN)
    with _workdir(directory, "mg-oxigraph-") as work:
        port = free_port()
        log = work / "oxigraph.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [exe, "serve", "--location", str(work / "data"), "--bind", f"127.0.0.1:{port}"],
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/query", process, log, timeout=30)
            yield Endpoint(
                name="oxigraph-serve",
                query_url=f"{base}/query",
                update_url=f"{base}/update",
                gsp_url=f"{base}/store",
                directory=work,
                log=log,
                extra={"pid": process.pid, "port": port},
            )
        finally:
            _stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {work}/virtuoso.db
ErrorLogFile = {work}/virtuoso.log
LockFile = {work}/virtuoso.lck
TransactionFile = {work}/virtuoso.trx
xa_persistent_file = {work}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {work}/virtuoso-temp.db
TransactionFile = {work}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
; no file access outside the private directory (LOAD <file:...>, file_to_string ...)
DirsAllowed = {work}
AllowOSCalls = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {work}/vsp
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledDavVSP = 0
EnabledGzipContent = 0

[SPARQL]
; the default (10000) would silently truncate dumps and large CONSTRUCTs
ResultSetMaxRows = {result_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


@contextmanager
def virtuoso_server(
    directory: Path | None = None,
    *,
    binary: str = "virtuoso-t",
    buffers: int = 20000,
    result_rows: int = 100_000_000,
    startup_timeout: float = 120.0,
) -> Iterator[Endpoint]:
    """Virtuoso 7 (``virtuoso-t +foreground``) with a private ini and database on free ports.

    Queries go to ``/sparql`` (anonymous, read-only); updates to ``/sparql-auth`` and the Graph Store
    Protocol to ``/sparql-graph-crud-auth``, both with digest authentication as ``dba``/``dba`` (the
    password of a fresh database). ``buffers`` are 8 kB pages (20000 = 160 MB); ``result_rows`` is
    Virtuoso's ``ResultSetMaxRows`` (its default, 10000, silently truncates larger answers).
    """
    exe = shutil.which(binary)
    if exe is None:
        raise FileNotFoundError(binary)
    with _workdir(directory, "mg-virtuoso-") as work:
        (work / "vsp").mkdir(exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        ini = work / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(
                work=work,
                sql_port=sql_port,
                http_port=http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
                result_rows=result_rows,
            )
        )
        log = work / "virtuoso.out"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [exe, "+configfile", str(ini), "+foreground"],
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "HOME": str(work)},
                preexec_fn=_die_with_parent,
            )
        try:
            base = f"http://127.0.0.1:{http_port}"
            _wait_until_up(f"{base}/sparql", process, log, timeout=startup_timeout)
            yield Endpoint(
                name="virtuoso",
                query_url=f"{base}/sparql",
                update_url=f"{base}/sparql-auth",
                gsp_url=f"{base}/sparql-graph-crud-auth",
                user="dba",
                password="dba",  # the default of a fresh, private, loopback-only database
                auth="digest",
                directory=work,
                log=work / "virtuoso.log",
                extra={"pid": process.pid, "port": http_port, "sql_port": sql_port},
            )
        finally:
            _stop(process, grace=30)


# --- pytest fixtures (session-scoped: one server per test run, stopped at the end, also on failure) ---


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    if not OXIGRAPH_BIN.exists():
        from tests.conftest import require_executable

        require_executable("oxigraph", "the oxigraph server binary of the PyPI package oxigraph")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-serve")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    from tests.conftest import require_executable

    require_executable("virtuoso-t", "Debian package virtuoso-opensource, for the remote-store tests")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        yield endpoint
