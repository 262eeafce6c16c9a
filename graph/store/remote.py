"""A remote SPARQL 1.1 endpoint as a store: Protocol for queries and updates, Graph Store Protocol for loads.

Tested against ``oxigraph serve`` and Virtuoso 7 (docs/decisions/0003). Results come back as pyoxigraph
objects, exactly like those of ``OxigraphStore``.

Dataset scoping (what keeps the restricted graph out of public answers): every query that carries a
``Dataset`` is sent with an explicit ``default-graph-uri`` *and* ``named-graph-uri`` list (an empty list
becomes one never-written placeholder graph, because Virtuoso opens every graph to ``GRAPH ?g`` when the
named list is absent), its own ``FROM``/``FROM NAMED`` clauses are cut out (Virtuoso adds them to the
protocol's dataset instead of replacing it), and ``SERVICE`` or Virtuoso's ``bif:``/``sql:`` functions are
refused. Every query is parsed by pyoxigraph first, so Virtuoso-only syntax (``DEFINE`` pragmas) never
reaches the server.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import time
import uuid
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from graph.errors import ForbiddenQueryError, QueryError, QueryTimeoutError, StoreError
from graph.store.base import Dataset, Store
from graph.store.oxigraph import META_GRAPH, WRITE_ID
from graph.store.sparql_text import QueryText, scan

__all__ = ["RemoteStore", "EMPTY_GRAPH", "STAGING_PREFIX", "SYSTEM_GRAPH_PREFIXES"]

#: a graph nothing ever writes to: stands for "no graphs" in a protocol dataset
EMPTY_GRAPH = "urn:missiongraph:empty"
#: private graphs that hold a multi-graph load until one update adds them to their targets
STAGING_PREFIX = "urn:missiongraph:staging/"
#: graphs a server keeps for itself (Virtuoso's schema, LDP and URIQA graphs): not ours, never listed
SYSTEM_GRAPH_PREFIXES = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    "urn:missiongraph:",
)
#: function namespaces that run server code on Virtuoso (file access, SQL): refused in every query
_FORBIDDEN_IRI = re.compile(r"^(bif|sql):|^http://www\.openlinksw\.com/schemas/bif#", re.IGNORECASE)
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_TAG = re.compile(r"<[^>]+>")


def _safe_url(url: str) -> str:
    """The URL without user:password, for messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _server_message(response: httpx.Response) -> str:
    """The server's explanation, as one short plain-text paragraph (Virtuoso answers in HTML)."""
    text = response.text
    if "<html" in text[:200].lower() or "<!doctype" in text[:200].lower():
        text = html.unescape(_TAG.sub(" ", text))
    text = " ".join(text.split())
    # Virtuoso echoes the whole query after its message
    text = text.split(" SPARQL query:")[0]
    return text[:500] if text else f"HTTP {response.status_code}"


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_NT_BOOLEAN = re.compile(rb'"([01])"\^\^<http://www\.w3\.org/2001/XMLSchema#boolean>')


def _canonical_booleans(body: bytes, *, json_results: bool) -> bytes:
    """Virtuoso writes xsd:boolean as "1"/"0"; give callers the canonical "true"/"false" of other stores."""
    if _BOOLEAN.encode() not in body:
        return body
    if not json_results:
        return _NT_BOOLEAN.sub(lambda m: b'"true"' if m.group(1) == b"1" else b'"false"', body)
    document = json.loads(body)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("datatype") == _BOOLEAN and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(document).encode()


def _read(data: bytes | str | Path) -> bytes:
    if isinstance(data, Path):
        try:
            return data.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {data}: {exc}") from exc
    return data.encode() if isinstance(data, str) else data


class _BearerAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint (query, optional update and Graph Store Protocol URLs) behind ``Store``."""

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "none",
        timeout: float = 30.0,
    ) -> None:
        if not query_url:
            raise StoreError("the remote store needs a query URL (MISSIONGRAPH_REMOTE_QUERY_URL)")
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.user = user
        self.timeout = timeout
        #: (store state, graphs and their quad counts) of the last count: counting reads every quad
        self._graph_counts: tuple[str, list[tuple[str, int]]] | None = None
        self._count_lock = threading.Lock()
        self._client = httpx.Client(
            auth=self._auth(auth, user, password),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "missiongraph"},
        )

    @staticmethod
    def _auth(scheme: str, user: str | None, password: str | None) -> httpx.Auth | None:
        if scheme == "none":
            return None
        if scheme == "bearer":
            if not password:
                raise StoreError("bearer authentication needs the token as the remote password")
            return _BearerAuth(password)
        if scheme in ("basic", "digest"):
            if user is None or password is None:
                raise StoreError(f"{scheme} authentication needs a remote user and password")
            return httpx.BasicAuth(user, password) if scheme == "basic" else httpx.DigestAuth(user, password)
        raise StoreError(f"unknown remote authentication {scheme!r}: expected none, basic, digest or bearer")

    def __repr__(self) -> str:  # never shows the password
        return f"RemoteStore(query_url={_safe_url(self.query_url)!r}, user={self.user!r})"

    # --- HTTP -----------------------------------------------------------------------------------
    def _send(
        self, method: str, url: str, *, what: str, timeout: float | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One request; transport failures and refusals become ``StoreError`` (4xx are left to callers)."""
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            if what == "query":
                raise QueryTimeoutError(
                    f"the SPARQL endpoint did not answer within {timeout or self.timeout:g} s"
                ) from exc
            raise StoreError(
                f"{what} at {_safe_url(url)} timed out; the server may still complete it"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint at {_safe_url(url)}: {exc}") from exc
        if response.status_code in (401, 403):
            raise StoreError(
                f"the SPARQL endpoint at {_safe_url(url)} refused the {what} "
                f"(HTTP {response.status_code}: check the remote user, password and authentication)"
            )
        if response.status_code >= 500:
            message = _server_message(response)
            if what == "query" and re.search(r"timed? ?out|estimated execution time", message, re.I):
                raise QueryTimeoutError(f"the SPARQL endpoint gave up: {message}")
            raise StoreError(
                f"the SPARQL endpoint failed the {what} (HTTP {response.status_code}): {message}"
            )
        return response

    def _need(self, url: str | None, name: str) -> str:
        if not url:
            raise StoreError(f"this remote store has no {name} URL: it is read-only")
        return url

    # --- reading --------------------------------------------------------------------------------
    def _check(self, sparql: str, scanned: QueryText, scoped: bool) -> None:
        if scanned.unreadable is not None:
            raise QueryError(scanned.unreadable)
        for iri in scanned.iris:
            if _FORBIDDEN_IRI.match(iri):
                raise ForbiddenQueryError(f"server functions such as <{iri}> are not allowed")
        if scoped and scanned.has_service:
            raise ForbiddenQueryError("SERVICE is not allowed in a query on a chosen set of graphs")
        if scanned.has_service:
            return  # validating would evaluate the SERVICE call locally; the server parses it
        try:
            # parsing needs a store; an empty one evaluates nothing of consequence (SELECT is lazy)
            ox.Store().query(sparql)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except (OSError, ValueError):
            pass  # evaluation problems on the empty store say nothing about the real one

    def _dataset_params(self, dataset: Dataset) -> list[tuple[str, str]]:
        if dataset.default:
            default = list(dataset.default)
        elif dataset.union:
            default = self.named_graphs()
        else:
            default = []
        named = list(dataset.named)
        params = [("default-graph-uri", g) for g in (default or [EMPTY_GRAPH])]
        params += [("named-graph-uri", g) for g in (named or [EMPTY_GRAPH])]
        return params

    def query(self, sparql: str, *, dataset: Dataset | None = None, timeout: float | None = None) -> Any:
        scanned = scan(sparql)
        self._check(sparql, scanned, scoped=dataset is not None)
        params: list[tuple[str, str]] = []
        if dataset is not None:
            params = self._dataset_params(dataset)
        # with a dataset, the protocol's replaces the query's (SPARQL 1.1 Protocol §2.1.4): cut FROM clauses
        sparql = scanned.rewritten(cut_dataset_clauses=dataset is not None)
        graph_result = scanned.form in ("CONSTRUCT", "DESCRIBE")
        form = {"query": sparql}
        client_timeout = timeout
        if timeout is not None:
            # Virtuoso (and Stardog) stop the work at ``timeout`` ms, others ignore it; the client waits a
            # little longer so that the server's own "stopped" answer arrives (QueryTimeoutError below)
            form["timeout"] = str(max(1, int(timeout * 1000)))
            client_timeout = timeout + max(2.0, timeout / 2)
        # URL-encoded POST: Virtuoso 7.2 never answers a direct application/sparql-query POST
        response = self._send(
            "POST",
            self.query_url,
            what="query",
            timeout=client_timeout,
            data=form,
            params=params,
            headers={"Accept": _NTRIPLES if graph_result else _JSON},
        )
        if response.status_code >= 400:
            raise QueryError(_server_message(response))
        if "X-SQL-State" in response.headers:
            # Virtuoso's "anytime" answer: it hit its time limit and sent what it had, as a 200
            raise QueryTimeoutError(
                "the SPARQL endpoint stopped the query at its time limit and sent partial results: "
                f"{response.headers.get('X-SQL-Message', response.headers['X-SQL-State'])}"
            )
        if "X-SPARQL-MaxRows" in response.headers:
            # Virtuoso's ResultSetMaxRows: the answer reached the server's row cap and may be cut
            raise StoreError(
                f"the SPARQL endpoint caps answers at {response.headers['X-SPARQL-MaxRows']} rows and this "
                "one reached the cap, so it may be incomplete (raise Virtuoso's ResultSetMaxRows)"
            )
        try:
            body = _canonical_booleans(response.content, json_results=not graph_result)
            if graph_result:
                parsed = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                return iter([ox.Triple(q.subject, q.predicate, q.object) for q in parsed])
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the SPARQL endpoint sent an answer that does not parse: {exc}") from exc

    def _count_graphs(self) -> list[tuple[str, int]]:
        rows = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [
            (row["g"].value, int(row["n"].value))
            for row in rows
            if isinstance(row["g"], ox.NamedNode) and not row["g"].value.startswith(SYSTEM_GRAPH_PREFIXES)
        ]

    def _graphs(self) -> list[tuple[str, int]]:
        """The graphs and their quad counts, counted once per store state (``state()`` is one small
        query; counting reads every quad of the server, ~0.5 s on a survey of 10k respondents).

        The state is read before counting: a write that lands during the count changes it, so the next
        call counts again. Writes that bypass this class (and so the write marker) are not seen.
        """
        state = self.state()
        cached = self._graph_counts
        if cached is not None and cached[0] == state:
            return cached[1]
        with self._count_lock:  # concurrent requests after a write: one count, not one each
            cached = self._graph_counts
            if cached is not None and cached[0] == state:
                return cached[1]
            graphs = self._count_graphs()
            self._graph_counts = (state, graphs)
            return graphs

    def named_graphs(self) -> list[str]:
        return sorted(g for g, _ in self._graphs())

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return sum(n for _, n in self._graphs())
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))["n"].value)

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        triples = list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        expected = self.count(graph)
        if len(triples) < expected:
            # servers cap CONSTRUCT answers without saying so (Virtuoso's ResultSetMaxRows)
            raise StoreError(
                f"the SPARQL endpoint sent {len(triples)} of the {expected} triples of <{graph}>: "
                "its answers are capped (raise Virtuoso's ResultSetMaxRows)"
            )
        return triples

    def dump(self, fmt: ox.RdfFormat, *, graphs: Iterable[str] | None = None) -> bytes:
        wanted = list(graphs) if graphs is not None else self.named_graphs()
        if fmt.supports_datasets:
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                for g in wanted
                for t in self._graph_triples(g)
            ]
            out = ox.serialize(quads, format=fmt)
        else:
            out = ox.serialize([t for g in wanted for t in self._graph_triples(g)], format=fmt)
        return out if isinstance(out, bytes) else b""

    # --- writing --------------------------------------------------------------------------------
    def _parse_payload(self, data: bytes | str | Path, fmt: ox.RdfFormat, graph: str | None) -> list[ox.Quad]:
        """Parse the whole payload here first: a syntax error half way must not reach the server.

        (Virtuoso's Graph Store loader keeps the triples before a syntax error.)
        """
        body = _read(data)
        target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        try:
            if fmt.supports_datasets:
                return list(ox.parse(body, format=fmt))
            return [ox.Quad(t.subject, t.predicate, t.object, target) for t in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the store refused the data: {exc}") from exc

    @staticmethod
    def _ntriples(quads: Iterable[ox.Quad]) -> bytes:
        out = ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES
        )
        return out if isinstance(out, bytes) else b""

    @staticmethod
    def _by_graph(quads: list[ox.Quad]) -> dict[str | None, list[ox.Quad]]:
        groups: dict[str | None, list[ox.Quad]] = {}
        for q in quads:
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            groups.setdefault(name, []).append(q)
        return groups

    def _gsp(self, method: str, graph: str | None, body: bytes | BinaryIO, media_type: str) -> None:
        url = self._need(self.gsp_url, "Graph Store Protocol")
        params = {"graph": graph} if graph else {"default": ""}
        response = self._send(
            method, url, what="load", params=params, content=body, headers={"Content-Type": media_type}
        )
        if response.status_code >= 400:
            raise StoreError(f"the store refused the data: {_server_message(response)}")

    def _insert_data(self, groups: dict[str | None, list[ox.Quad]], *, replace: bool = False) -> str:
        parts = []
        for graph, quads in groups.items():
            triples = self._ntriples(quads).decode()
            parts.append(f"GRAPH <{graph}> {{\n{triples}}}" if graph else triples)
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in groups if g and replace)
        return f"{drops}INSERT DATA {{\n" + "\n".join(parts) + "\n}"

    def load(self, data: bytes | str | Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        quads = self._parse_payload(data, fmt, graph)
        groups = self._by_graph(quads)
        if len(groups) == 1 and self.gsp_url:
            # one POST = one transaction on the server, and the fastest path for big payloads
            ((name, group),) = groups.items()
            self._gsp("POST", name, self._ntriples(group), _NTRIPLES)
            self._mark_write()
        elif groups and self.gsp_url:
            self._load_staged(groups)
        elif groups:
            self._write(self._insert_data(groups))
        else:
            self._mark_write()

    def _load_staged(self, groups: dict[str | None, list[ox.Quad]]) -> None:
        """Several graphs at once: each into a private staging graph, then one update moves them all.

        A failure before the final update leaves the target graphs untouched (the staging graphs are
        dropped). One big INSERT DATA is no option: Virtuoso refuses one of more than ~5000 triples.
        """
        run = f"{STAGING_PREFIX}{uuid.uuid4().hex}/"
        staged = {f"{run}{n}": (target, quads) for n, (target, quads) in enumerate(groups.items())}
        try:
            for staging, (_, quads) in staged.items():
                self._gsp("POST", staging, self._ntriples(quads), _NTRIPLES)
            moves = [
                f"ADD <{staging}> TO {f'<{target}>' if target else 'DEFAULT'}"
                for staging, (target, _) in staged.items()
            ]
            self._write(" ;\n".join(moves))
        finally:
            drops = " ;\n".join(f"DROP SILENT GRAPH <{staging}>" for staging in staged)
            # left-overs would stay out of every listing and dataset anyway (STAGING_PREFIX)
            with contextlib.suppress(StoreError, QueryError):
                self._post_update(drops)

    def bulk_load(self, path: Path, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        """A fresh build: stream the file to the Graph Store Protocol without parsing it here first."""
        if fmt.supports_datasets or not self.gsp_url:
            self.load(path, fmt, graph=graph)
            return

        if isinstance(self._client.auth, httpx.DigestAuth):
            # digest answers the first request with a challenge and the body is sent again: keep it
            self._gsp("POST", graph, _read(path), fmt.media_type)
        else:
            # a file object: httpx streams it with a Content-Length (Virtuoso ignores chunked bodies)
            with path.open("rb") as body:
                self._gsp("POST", graph, body, fmt.media_type)
        self._mark_write()

    def replace_graph(self, graph: str, data: bytes | str | Path, fmt: ox.RdfFormat) -> None:
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
            for q in self._parse_payload(data, fmt, graph)
        ]
        if self.gsp_url:
            self._gsp("PUT", graph, self._ntriples(quads), _NTRIPLES)
            self._mark_write()
        else:
            self._write(self._insert_data({graph: quads}, replace=True))

    def _write(self, sparql_update: str) -> None:
        """One update request carrying the write marker too: data and marker land together."""
        # a newline first: the update may end in a comment; a trailing ';' would double up
        text = sparql_update.rstrip().removesuffix(";")
        self._post_update(f"{text}\n;\n{self._marker_update()}")

    def _post_update(self, sparql_update: str) -> None:
        url = self._need(self.update_url, "update")
        response = self._send(
            "POST",
            url,
            what="update",
            content=sparql_update.encode(),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        if response.status_code >= 400:
            raise QueryError(_server_message(response))

    def update(self, sparql_update: str) -> None:
        self._write(sparql_update)

    @staticmethod
    def _marker_update() -> str:
        token = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        meta, write_id = META_GRAPH.value, WRITE_ID.value
        return f'INSERT DATA {{ GRAPH <{meta}> {{ <{meta}> <{write_id}> "{token}" }} }}'

    def _mark_write(self) -> None:
        self._post_update(self._marker_update())

    def state(self) -> str:
        meta, write_id = META_GRAPH.value, WRITE_ID.value
        rows = self.query(f"SELECT (MAX(STR(?w)) AS ?s) WHERE {{ GRAPH <{meta}> {{ ?x <{write_id}> ?w }} }}")
        latest = next(iter(rows))["s"]
        return latest.value if latest is not None else "empty"

    def close(self) -> None:
        self._client.close()
