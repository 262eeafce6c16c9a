"""One SPARQL protocol request: read it (GET, form or direct POST), check it, run it, negotiate the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import Response

from api.conneg import FORMAT_ALIASES, RDF_OFFERS, negotiate
from api.context import AppContext
from api.http_errors import UnsupportedMediaTypeError
from api.sparql.service_description import service_description
from graph.errors import ForbiddenQueryError, InvalidInputError, QueryError
from graph.query_runner import QueryRequest, QueryRunner
from graph.sparql_guard import GuardedQuery, check_query
from graph.sparql_hints import PreparedQuery, check_bindings, explain, prepare
from graph.sparql_results import BOOLEAN_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, serialize_turtle_as
from ontology.prefixes import prefix_map

__all__ = ["SparqlCall", "read_call", "answer_sparql", "get_runner", "PREFIXES", "checked_query"]

#: prefixes used when a graph result is written as Turtle, JSON-LD or RDF/XML: the predeclared ones
PREFIXES = prefix_map()

#: the lowest per-request timeout, in seconds: below it even a trivial query could not finish
MIN_TIMEOUT = 0.5


@dataclass
class SparqlCall:
    """The protocol parameters of one request."""

    query: str | None = None
    default_graph_uri: list[str] = field(default_factory=list)
    named_graph_uri: list[str] = field(default_factory=list)
    timeout: float | None = None
    format: str | None = None


def get_runner(ctx: AppContext) -> QueryRunner:
    """The app's pool of query workers, started on first use and stopped when the app shuts down."""
    return ctx.query_runner


def _from_pairs(pairs: list[tuple[str, str]], call: SparqlCall) -> None:
    for name, value in pairs:
        if name in ("update", "using-graph-uri", "using-named-graph-uri"):
            raise ForbiddenQueryError("SPARQL Update is not allowed: this endpoint is query-only")
        if name == "query":
            if call.query is not None:
                raise InvalidInputError("the request has more than one query parameter")
            call.query = value
        elif name == "default-graph-uri":
            call.default_graph_uri.append(value)
        elif name == "named-graph-uri":
            call.named_graph_uri.append(value)
        elif name == "timeout":
            try:
                call.timeout = float(value)
            except ValueError:
                raise InvalidInputError(f"timeout must be a number of seconds, got {value!r}") from None
            if not call.timeout >= MIN_TIMEOUT:
                raise InvalidInputError(f"timeout must be at least {MIN_TIMEOUT} s, got {value!r}")
        elif name == "format":
            call.format = value


async def read_call(request: Request) -> SparqlCall:
    """The protocol parameters of a GET, a form-encoded POST or a direct ``application/sparql-query`` POST."""
    call = SparqlCall()
    _from_pairs(parse_qsl(request.url.query, keep_blank_values=True), call)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError("the request body is not UTF-8") from None
        if content_type == "application/x-www-form-urlencoded":
            _from_pairs(parse_qsl(text, keep_blank_values=True), call)
        elif content_type == "application/sparql-query":
            if call.query is not None:
                raise InvalidInputError("a direct POST carries the query in its body, not in the URL")
            call.query = text
        elif content_type == "application/sparql-update":
            raise ForbiddenQueryError("SPARQL Update is not allowed: this endpoint is query-only")
        else:
            raise UnsupportedMediaTypeError(
                f"POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query, "
                f"got {content_type or 'none'!r}"
            )
    return call


def _dataset(
    call: SparqlCall, query_from: tuple[str, ...], query_named: tuple[str, ...], allowed: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dataset: protocol parameters override the query's FROM clauses; neither goes past ``allowed``."""
    if call.default_graph_uri or call.named_graph_uri:
        unknown = [g for g in call.default_graph_uri + call.named_graph_uri if g not in allowed]
        if unknown:
            raise ForbiddenQueryError(
                f"graph {unknown[0]!r} is not part of this endpoint's dataset", graphs=allowed
            )
        return tuple(call.default_graph_uri), tuple(call.named_graph_uri)
    if query_from or query_named:
        # graphs outside the dataset simply contribute nothing, as an unknown graph would
        return (
            tuple(g for g in query_from if g in allowed),
            tuple(g for g in query_named if g in allowed),
        )
    return tuple(allowed), tuple(allowed)


def _accept(request: Request, call: SparqlCall) -> str | None:
    if call.format:
        media = FORMAT_ALIASES.get(call.format.lower())
        if media is None and "/" not in call.format:  # a media type is taken as it is (406 if not offered)
            raise InvalidInputError(
                f"format must be one of {', '.join(sorted(FORMAT_ALIASES))} or a media type, "
                f"got {call.format!r}",
                available=sorted(FORMAT_ALIASES),
            )
        return media or call.format
    return request.headers.get("accept")


def checked_query(text: str) -> tuple[PreparedQuery, GuardedQuery]:
    """``text`` with the predeclared prefixes it uses, checked by the guard; one-line hints on errors."""
    prepared = prepare(text)
    try:
        guarded = check_query(prepared.text)
    except QueryError as exc:
        raise explain(prepared, exc.detail) from exc
    check_bindings(prepared)
    return prepared, guarded


def answer_sparql(
    request: Request, ctx: AppContext, call: SparqlCall, *, graphs: list[str], endpoint: str
) -> Response:
    """Run ``call`` over ``graphs`` and answer in the negotiated format (or the service description)."""
    accept = _accept(request, call)
    if call.query is None or not call.query.strip():
        if call.query is not None:
            raise InvalidInputError("the query parameter is empty")
        media = negotiate(accept, list(RDF_OFFERS))
        body = serialize_turtle_as(service_description(endpoint, graphs), RDF_OFFERS[media])
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    prepared, guarded = checked_query(call.query)
    if guarded.form == "SELECT":
        offers = {v: k for k, v in SOLUTION_MEDIA_TYPES.items()}
    elif guarded.form == "ASK":
        offers = {v: k for k, v in BOOLEAN_MEDIA_TYPES.items()}
    else:
        offers = dict(RDF_OFFERS)
    media = negotiate(accept, list(offers))
    default_graphs, named_graphs = _dataset(call, guarded.from_graphs, guarded.from_named, graphs)
    limit = ctx.settings.sparql_timeout
    timeout = min(limit, call.timeout) if call.timeout else limit
    try:
        outcome = get_runner(ctx).run(
            QueryRequest(
                # one row past the cap is enough to know the answer is cut: the store stops there
                guarded.capped(ctx.settings.sparql_row_cap + 1),
                default_graphs,
                named_graphs,
                offers[media],
                ctx.settings.sparql_row_cap,
                PREFIXES,
                ctx.settings.sparql_max_answer_bytes,
            ),
            timeout=timeout,
        )
    except QueryError as exc:
        raise explain(prepared, guarded.in_source_terms(exc.detail)) from exc
    headers = {"Vary": "Accept", "X-Result-Truncated": "true" if outcome.truncated else "false"}
    if outcome.truncated:
        headers["X-Result-Row-Cap"] = str(ctx.settings.sparql_row_cap)
        headers["X-Result-Byte-Cap"] = str(ctx.settings.sparql_max_answer_bytes)
    return Response(outcome.body, media_type=media, headers=headers)
