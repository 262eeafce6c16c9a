"""Run SPARQL queries in worker processes so that a timeout really stops the work (kill + respawn)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph.errors import ForbiddenQueryError, MissionGraphError, QueryError, QueryTimeoutError, StoreError
from graph.sandbox import NO_ISOLATION, isolate_network
from graph.sparql_results import serialize_boolean, serialize_solutions, serialize_triples
from graph.store import Store

__all__ = ["QueryRequest", "QueryOutcome", "QueryRunner", "execute"]

_log = logging.getLogger(__name__)

# spawn, not fork: the service is multi-threaded, and a forked child could inherit a held lock
_CTX = mp.get_context("spawn")


@dataclass(frozen=True)
class QueryRequest:
    """One query with the dataset it sees and the format its results are wanted in."""

    sparql: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    #: json/xml/csv/tsv for SELECT and ASK, turtle/ntriples/jsonld/rdfxml for CONSTRUCT and DESCRIBE
    result_format: str
    row_cap: int
    prefixes: dict[str, str] = field(default_factory=dict)
    #: most bytes of term text the answer may carry (0: no bound besides the row cap)
    byte_cap: int = 0


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    kind: str  # "solutions", "boolean" or "graph"
    truncated: bool
    rows: int  # -1: not counted (an answer too short to reach the row cap)


#: result formats the store serialises itself
_NATIVE = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
    "csv": ox.QueryResultsFormat.CSV,
}
#: fewest bytes one row adds to a JSON or XML answer (``{},``): a shorter answer cannot hold more rows
_MIN_ROW_BYTES = 3
#: most bytes a term adds to the byte-cap measure beyond its text (``_size``: 24 per term, a triple 3x)
_TERM_MARKUP = 72
#: a text cell of a TSV answer that starts like a formula (or a typed value that does: checked anyway)
_FORMULA_CELL = re.compile(rb'(?:^|\t)"(?:[=+\-@]|\\[tr])', re.MULTILINE)


#: a TSV cell in Turtle's short form (a bare number or boolean): written out as N-Triples instead
_SHORT_CELL = re.compile(
    rb"(?:(?<=\t)|^)(true|false|[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(?=\t|$)", re.M
)
_XSD = b"http://www.w3.org/2001/XMLSchema#"


def _long_form(match: re.Match[bytes]) -> bytes:
    text = match.group(1)
    if text in (b"true", b"false"):
        kind = b"boolean"
    elif b"e" in text or b"E" in text:
        kind = b"double"
    elif b"." in text:
        kind = b"decimal"
    else:
        kind = b"integer"
    return b'"' + text + b'"^^<' + _XSD + kind + b">"


def ntriples_tsv(tsv: bytes) -> bytes:
    """The store's TSV with every cell an N-Triples term, as the service has always written TSV (the
    store writes numbers and booleans in Turtle's short form, ``12`` for ``"12"^^xsd:integer``)."""
    return _SHORT_CELL.sub(_long_form, tsv)


def native_solutions(result: ox.QuerySolutions, request: QueryRequest) -> QueryOutcome | None:
    """SELECT results serialised by the store itself, or None when the exact path must write them: the
    answer reaches the row or byte cap (it is cut and marked), or a CSV text cell needs neutralising.

    The query is expected to carry a LIMIT of at most ``row_cap + 1`` (``GuardedQuery.capped``), so that
    at most one row too many is ever produced; the rows are counted on the serialised answer.
    """
    fmt = request.result_format
    native = _NATIVE.get(fmt)
    if native is None:
        return None
    width = max(1, len(result.variables))
    if fmt in ("tsv", "csv"):
        # TSV has one line per row (line breaks in values are escaped) and keeps every term's type
        tsv = result.serialize(format=ox.QueryResultsFormat.TSV) or b""
        rows = tsv.count(b"\n") - 1
        if rows > request.row_cap:
            return None
        if request.byte_cap and len(tsv) + _TERM_MARKUP * rows * width > request.byte_cap:
            return None
        if fmt == "tsv":
            return QueryOutcome(ntriples_tsv(tsv), "solutions", False, rows)
        if _FORMULA_CELL.search(tsv):
            return None  # a text cell to neutralise (graph.csvsafe): only the exact path knows text from data
        body = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=native)
        return QueryOutcome(body or b"", "solutions", False, rows)
    body = result.serialize(format=native) or b""
    # a JSON or XML term takes at least as many bytes as the byte cap counts for it
    if request.byte_cap and len(body) > request.byte_cap:
        return None
    if len(body) < _MIN_ROW_BYTES * (request.row_cap + 1):
        rows = -1  # too short to hold more rows than the cap: not counted
    else:
        parsed = ox.parse_query_results(body, format=native)
        rows = sum(1 for _ in parsed) if isinstance(parsed, ox.QuerySolutions) else 1
        if rows > request.row_cap:
            return None
    return QueryOutcome(body, "solutions", False, rows)


def execute(store: ox.Store, request: QueryRequest) -> QueryOutcome:
    """Run ``request`` against a pyoxigraph store and serialize its results (in the worker): by the
    store's own serialisers, or (at a cap, or for CSV text to neutralise) again on the exact path."""

    def run() -> Any:
        return store.query(
            request.sparql,
            default_graph=[ox.NamedNode(g) for g in request.default_graphs],
            named_graphs=[ox.NamedNode(g) for g in request.named_graphs],
        )

    try:
        result = run()
        if isinstance(result, ox.QuerySolutions):
            fast = native_solutions(result, request)
            if fast is not None:
                return fast
            result = run()
        return outcome_of(result, request)
    except SyntaxError as exc:
        raise QueryError(str(exc)) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"the query could not be evaluated: {exc}") from exc


def _size(term: Any) -> int:
    """Bytes a term adds to an answer, roughly: its text plus room for the markup around it."""
    if term is None:
        return 0
    if isinstance(term, ox.Triple):
        return _size(term.subject) + _size(term.predicate) + _size(term.object)
    return len(str(term.value)) + 24


def outcome_of(result: Any, request: QueryRequest) -> QueryOutcome:
    """Serialize a query's result (solutions, boolean or triples), stopping at the request's row cap or
    (when the request sets one) at its byte cap, whichever comes first."""
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome(serialize_boolean(bool(result), request.result_format), "boolean", False, 1)
    truncated = False
    budget = request.byte_cap or -1
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        for solution in result:
            if len(rows) >= request.row_cap:
                truncated = True
                break
            row = [solution[n] for n in names]
            if budget >= 0:
                budget -= sum(_size(term) for term in row)
                if budget < 0:
                    truncated = True
                    break
            rows.append(row)
        body = serialize_solutions(names, rows, request.result_format, truncated=truncated)
        return QueryOutcome(body, "solutions", truncated, len(rows))
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) >= request.row_cap:
            truncated = True
            break
        if budget >= 0:
            budget -= _size(triple)
            if budget < 0:
                truncated = True
                break
        triples.append(triple)
    body = serialize_triples(triples, request.result_format, prefixes=request.prefixes)
    return QueryOutcome(body, "graph", truncated, len(triples))


def _open(source: tuple[str, Any]) -> ox.Store:
    kind, value = source
    if kind == "path":
        # a read-only open sees the writer's log too; it can race a compaction, so try again
        for attempt in range(10):
            try:
                return ox.Store.read_only(value)
            except (OSError, RuntimeError):
                if attempt == 9:
                    raise
                time.sleep(0.05 * (attempt + 1))
    store = ox.Store()
    if value:
        store.load(value, format=ox.RdfFormat.N_QUADS)
    return store


def _worker_main(conn: Connection) -> None:
    """Loop of one worker process: (re)open the store when told, run queries, send back results.

    The worker first cuts itself off the network (graph.sandbox): whatever a query asks for, SERVICE
    included, it cannot open a connection to anything.
    """
    isolation = isolate_network()
    store: ox.Store | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        op, payload = message
        try:
            if op == "open":
                store = _open(payload)
                conn.send(("ok", isolation))
            elif store is None:
                conn.send(("error", ("StoreError", "the worker has no store open")))
            else:
                outcome = execute(store, payload)
                # the answer's bytes go as they are (no pickling of a copy); its facts first
                conn.send(("body", (outcome.kind, outcome.truncated, outcome.rows)))
                conn.send_bytes(outcome.body)
        except MissionGraphError as exc:
            conn.send(("error", (type(exc).__name__, exc.detail)))
        except Exception as exc:  # a worker reports, never dies silently
            conn.send(("error", ("StoreError", f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child,), daemon=True, name="sparql-worker")
        self.process.start()
        child.close()
        self.state: str | None = None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(timeout=2)
        with contextlib.suppress(Exception):
            self.conn.close()


_ERRORS: dict[str, type[MissionGraphError]] = {
    "QueryError": QueryError,
    "StoreError": StoreError,
    "QueryTimeoutError": QueryTimeoutError,
    "ForbiddenQueryError": ForbiddenQueryError,
}


class QueryRunner:
    """A small pool of query worker processes over a snapshot of ``store``.

    Workers open an on-disk store read-only (or load a dump of a memory store) and re-open it when
    ``store.state()`` changes. A query that outlives its timeout gets its worker killed, so the work
    really stops, and a fresh worker takes its place.
    """

    def __init__(self, store: Store, *, workers: int = 2, open_timeout: float = 60.0) -> None:
        self.store = store
        self.open_timeout = open_timeout
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._dump_cache: tuple[str, bytes] | None = None
        self._closed = False
        #: how the workers are cut off the network ("netns+seccomp", "seccomp", "none"); known once one opened
        self.isolation: str | None = None
        for _ in range(self.size):
            self._idle.put(_Worker())

    # --- the store snapshot a worker opens ---------------------------------------------------------
    def _source(self, state: str) -> tuple[str, Any]:
        # a published snapshot of this state when there is one: the live files may change under a reader
        path = getattr(self.store, "reader_path", None) or getattr(self.store, "path", None)
        if self.store.kind == "oxigraph" and path is not None:
            return ("path", str(path))
        with self._lock:
            if self._dump_cache is None or self._dump_cache[0] != state:
                self._dump_cache = (state, self.store.dump(ox.RdfFormat.N_QUADS))
            return ("nquads", self._dump_cache[1])

    def _call(self, worker: _Worker, message: tuple[str, Any], deadline: float) -> Any:
        worker.conn.send(message)
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not worker.conn.poll(remaining):
            raise TimeoutError
        try:
            status, payload = worker.conn.recv()
        except EOFError as exc:
            raise StoreError("a query worker stopped unexpectedly") from exc
        if status == "error":
            name, detail = payload
            raise _ERRORS.get(name, StoreError)(detail)
        if status == "body":
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                raise TimeoutError
            kind, truncated, rows = payload
            try:
                return QueryOutcome(worker.conn.recv_bytes(), kind, truncated, rows)
            except EOFError as exc:
                raise StoreError("a query worker stopped unexpectedly") from exc
        return payload

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if self._closed:
            return

        # a fresh process takes about a second to start: do it off the request's thread
        def spawn() -> None:
            if not self._closed:
                self._idle.put(_Worker())

        threading.Thread(target=spawn, daemon=True).start()

    def run(self, request: QueryRequest, *, timeout: float) -> QueryOutcome:
        """Run a query within ``timeout`` seconds (waiting for a free worker counts too)."""
        if self.store.kind == "remote":
            return self._run_remote(request, timeout=timeout)
        # waiting for a worker and (re)opening the store are not the query's time: they get their own
        # bound, so that a short per-request timeout is spent on evaluation only
        wait = max(timeout, self.open_timeout)
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty as exc:
            raise QueryTimeoutError(
                f"no query worker became free within {wait:g} s; try again later", timeout=timeout
            ) from exc
        try:
            state = self.store.state()
            if worker.state != state:
                isolation = self._call(
                    worker, ("open", self._source(state)), time.monotonic() + self.open_timeout
                )
                worker.state = state
                if isolation != self.isolation:
                    self.isolation = isolation
                    if isolation == NO_ISOLATION:
                        _log.warning(
                            "query workers could not be cut off the network (no network namespace, no "
                            "seccomp here): only the SPARQL guard keeps SERVICE calls out"
                        )
            deadline = time.monotonic() + timeout
            outcome: QueryOutcome = self._call(worker, ("query", request), deadline)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeoutError(
                f"the query did not finish within {timeout:g} s and was stopped", timeout=timeout
            ) from None
        except StoreError:
            self._replace(worker)
            raise
        except BaseException:
            self._idle.put(worker)
            raise
        self._idle.put(worker)
        return outcome

    def _run_remote(self, request: QueryRequest, *, timeout: float) -> QueryOutcome:
        """A remote store answers over HTTP with its own timeout; no worker process is needed."""
        from graph.store.base import Dataset

        result = self.store.query(
            request.sparql,
            dataset=Dataset(default=request.default_graphs, named=request.named_graphs),
            timeout=timeout,
        )
        return outcome_of(result, request)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.kill()
