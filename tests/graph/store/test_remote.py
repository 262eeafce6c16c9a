"""What only the remote backend does: errors of the network and the server, credentials, refused queries."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph.errors import ForbiddenQueryError, QueryError, QueryTimeoutError, StoreError
from graph.store import Dataset, open_store
from graph.store.remote import STAGING_PREFIX, RemoteStore
from tests.support.servers import Endpoint, free_port, oxigraph_server, virtuoso_server

NT = ox.RdfFormat.N_TRIPLES
G = "http://example.org/graph/g"
TRIPLE = '<http://example.org/s> <http://example.org/p> "o" .\n'


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: every request times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


def test_unreachable_server_is_a_store_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    store = RemoteStore(url, update_url=url, gsp_url=url)
    with pytest.raises(StoreError, match="cannot reach"):
        store.query("ASK {}")
    with pytest.raises(StoreError, match="cannot reach"):
        store.load(TRIPLE, NT, graph=G)
    store.close()


def test_a_query_that_does_not_parse_never_reaches_the_server() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql")  # nothing listens there
    with pytest.raises(QueryError, match="expected"):
        store.query("SELECT ?s WHERE { ?s ?p }")
    # Virtuoso's pragmas are not SPARQL: refused here, so they cannot re-open the restricted graph
    with pytest.raises(QueryError):
        store.query("DEFINE input:default-graph-uri <http://e/restricted> SELECT * { ?s ?p ?o }")


def test_timeout_is_a_query_timeout_error(silent_server: str) -> None:
    store = RemoteStore(silent_server, timeout=5)
    with pytest.raises(QueryTimeoutError):
        store.query("ASK {}", timeout=0.3)
    store.close()


def test_server_functions_and_scoped_service_are_refused() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(ForbiddenQueryError):
        store.query("SELECT * { ?s ?p ?o FILTER(<bif:contains>(?o, 'x')) }")
    with pytest.raises(ForbiddenQueryError):
        store.query("PREFIX sql: <sql:> SELECT (sql:f(1) AS ?x) {}")
    with pytest.raises(ForbiddenQueryError, match="SERVICE"):
        store.query(
            "SELECT * { SERVICE <http://127.0.0.1/sparql> { ?s ?p ?o } }", dataset=Dataset(default=(G,))
        )


def test_password_never_shown() -> None:
    secret = "s3cret-Passw0rd"
    url = f"http://dba:{secret}@127.0.0.1:{free_port()}/sparql"
    store = RemoteStore(url, update_url=url, user="dba", password=secret, auth="basic")
    assert secret not in repr(store)
    with pytest.raises(StoreError) as info:
        store.update("CLEAR ALL")
    assert secret not in str(info.value)
    store.close()


def test_auth_settings_are_checked() -> None:
    with pytest.raises(StoreError, match="user and password"):
        RemoteStore("http://127.0.0.1:1/sparql", auth="digest")
    with pytest.raises(StoreError, match="token"):
        RemoteStore("http://127.0.0.1:1/sparql", auth="bearer")
    with pytest.raises(StoreError, match="unknown"):
        RemoteStore("http://127.0.0.1:1/sparql", auth="kerberos")


def test_open_store_builds_a_remote_store(oxigraph_endpoint: Endpoint) -> None:
    store = open_store("remote", **oxigraph_endpoint.store_kwargs())
    assert isinstance(store, RemoteStore)
    assert bool(store.query("ASK {}"))
    store.close()


def test_read_only_without_update_url(oxigraph_endpoint: Endpoint) -> None:
    store = RemoteStore(oxigraph_endpoint.query_url)
    with pytest.raises(StoreError, match="read-only"):
        store.load(TRIPLE, NT, graph=G)
    store.close()


def test_without_graph_store_protocol_writes_go_through_updates(oxigraph_endpoint: Endpoint) -> None:
    store = RemoteStore(**oxigraph_endpoint.store_kwargs(gsp_url=None))
    try:
        store.load(TRIPLE, NT, graph=G)
        store.replace_graph(G, TRIPLE.replace('"o"', '"new"') + TRIPLE.replace("/s>", "/t>"), NT)
        rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} ORDER BY ?o")
        assert rows == [{"o": "new"}, {"o": "o"}]
        with pytest.raises(StoreError):
            store.load(TRIPLE + "<broken", NT, graph=G)
        assert store.count(G) == 2
    finally:
        store.update(f"DROP SILENT GRAPH <{G}>")
        store.close()


def test_oxigraph_serve_keeps_its_content_across_restart(tmp_path) -> None:
    with oxigraph_server(tmp_path / "server") as endpoint:
        store = RemoteStore(**endpoint.store_kwargs())
        store.load(TRIPLE, NT, graph=G)
        state = store.state()
        store.close()
    with oxigraph_server(tmp_path / "server") as endpoint:
        store = RemoteStore(**endpoint.store_kwargs())
        assert store.count(G) == 1 and store.state() == state
        store.close()


@pytest.mark.virtuoso
def test_wrong_password_is_a_store_error(virtuoso_endpoint: Endpoint) -> None:
    store = RemoteStore(**virtuoso_endpoint.store_kwargs(password="not-the-password"))
    with pytest.raises(StoreError, match="refused") as info:
        store.load(TRIPLE, NT, graph=G)
    assert "not-the-password" not in str(info.value)
    with pytest.raises(StoreError, match="refused"):
        store.update(f"DROP SILENT GRAPH <{G}>")
    assert store.count(G) == 0
    store.close()


@pytest.mark.virtuoso
def test_virtuoso_refuses_updates_on_the_public_query_endpoint(virtuoso_endpoint: Endpoint) -> None:
    # the anonymous /sparql endpoint is read-only: a misconfigured update URL fails loudly
    store = RemoteStore(
        **virtuoso_endpoint.store_kwargs(update_url=virtuoso_endpoint.query_url, gsp_url=None)
    )
    with pytest.raises(StoreError):
        store.load(TRIPLE, NT, graph=G)
    store.close()


@pytest.mark.parametrize(
    "server", ["oxigraph_endpoint", pytest.param("virtuoso_endpoint", marks=pytest.mark.virtuoso)]
)
def test_a_multi_graph_load_leaves_no_staging_graph(server: str, request: pytest.FixtureRequest) -> None:
    endpoint: Endpoint = request.getfixturevalue(server)
    store = RemoteStore(**endpoint.store_kwargs())
    trig = f'<{G}/x> <{G}/p> "1" <{G}> .\n<{G}/y> <{G}/p> "2" <{G}2> .\n'
    try:
        store.load(trig, ox.RdfFormat.N_QUADS)
        leftovers = store.select(
            f'SELECT DISTINCT ?g {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
        )
        assert leftovers == []
        assert (store.count(G), store.count(f"{G}2")) == (1, 1)
    finally:
        store.update(f"DROP SILENT GRAPH <{G}> ; DROP SILENT GRAPH <{G}2>")
        store.close()


@pytest.fixture
def partial_results_server() -> Iterator[str]:
    """An HTTP server that answers like Virtuoso at its time limit: 200, partial rows, X-SQL-State."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("X-SQL-State", "S1TAT")
            self.send_header("X-SQL-Message", "RC...: Returning incomplete results, query interrupted")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_partial_results_are_a_timeout_not_an_answer(partial_results_server: str) -> None:
    store = RemoteStore(partial_results_server)
    with pytest.raises(QueryTimeoutError, match="partial results"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")
    store.close()


@pytest.mark.virtuoso
def test_answers_cut_by_the_server_row_cap_are_errors_not_answers(tmp_path) -> None:
    from tests.conftest import require_executable

    require_executable("virtuoso-t", "Debian package virtuoso-opensource, for the remote-store tests")
    with virtuoso_server(tmp_path / "capped", result_rows=50) as endpoint:
        store = RemoteStore(**endpoint.store_kwargs())
        store.load("".join(TRIPLE.replace("/s>", f"/s{i}>") for i in range(120)), NT, graph=G)
        assert len(store.select(f"SELECT ?s WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} LIMIT 20")) == 20
        with pytest.raises(StoreError, match="ResultSetMaxRows"):
            store.select(f"SELECT ?s WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
        with pytest.raises(StoreError, match="ResultSetMaxRows"):
            store.dump(ox.RdfFormat.N_QUADS)
        store.close()


@pytest.fixture
def guarded_server() -> Iterator[str]:
    """An HTTP endpoint that answers ASK only with Basic dba:pw or Bearer tok, 401 otherwise."""
    import base64
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    allowed = {f"Basic {base64.b64encode(b'dba:pw').decode()}", "Bearer tok"}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = self.headers.get("Authorization") in allowed
            body = b'{"head": {}, "boolean": true}' if ok else b"unauthorized"
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/sparql-results+json" if ok else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("auth", "user", "password", "accepted"),
    [
        ("basic", "dba", "pw", True),
        ("basic", "dba", "wrong", False),
        ("bearer", None, "tok", True),
        ("bearer", None, "other", False),
        ("none", None, None, False),
    ],
)
def test_basic_and_bearer_credentials(
    guarded_server: str, auth: str, user: str | None, password: str | None, accepted: bool
) -> None:
    store = RemoteStore(guarded_server, user=user, password=password, auth=auth)
    try:
        if accepted:
            assert store.ask("ASK {}") is True
        else:
            with pytest.raises(StoreError, match="refused"):
                store.ask("ASK {}")
    finally:
        store.close()


@pytest.mark.virtuoso
def test_virtuoso_stops_a_query_at_the_timeout(virtuoso_endpoint: Endpoint) -> None:
    store = RemoteStore(**virtuoso_endpoint.store_kwargs())
    graph = f"{G}/timeout"
    try:
        store.load("".join(f'<{G}/s{i}> <{G}/p> "v{i}" .\n' for i in range(5000)), NT, graph=graph)
        heavy = (
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a ?p ?b . ?c ?q ?d }} "
            "FILTER(STR(?b) < STR(?d)) }"
        )
        with pytest.raises(QueryTimeoutError, match="partial results"):
            store.query(heavy, timeout=0.3)
        assert store.count(graph) == 5000  # and the server answers the next query
    finally:
        store.update(f"DROP SILENT GRAPH <{graph}>")
        store.close()


def test_graphs_are_counted_once_per_store_state(oxigraph_endpoint: Endpoint) -> None:
    """Listing the graphs (every public SPARQL request does) reads one write mark, not every quad;
    a write through the store, or through another store on the same server, makes it count again."""
    store = RemoteStore(**oxigraph_endpoint.store_kwargs())
    other = RemoteStore(**oxigraph_endpoint.store_kwargs())
    sent: list[str] = []
    store._client.event_hooks["request"].append(lambda request: sent.append(request.read().decode()))
    other_graph = G + "-other"
    try:
        store.load(TRIPLE, NT, graph=G)
        assert G in store.named_graphs()
        sent.clear()
        for _ in range(3):
            assert G in store.named_graphs()
            assert store.count() >= 1
        counting = [body for body in sent if "COUNT" in body and "GROUP" in body]
        assert counting == [], "the quads were counted again although nothing was written"
        assert len(sent) == 6  # one small state query per call
        other.load(TRIPLE, NT, graph=other_graph)  # a write by another client of the same server
        assert other_graph in store.named_graphs()
        store.update(f"DROP SILENT GRAPH <{other_graph}>")
        assert other_graph not in store.named_graphs()
    finally:
        store.update(f"DROP SILENT GRAPH <{G}> ; DROP SILENT GRAPH <{other_graph}>")
        store.close()
        other.close()
