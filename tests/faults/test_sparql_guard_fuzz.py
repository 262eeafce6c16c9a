"""Fuzz: thousands of generated queries (escapes, comments, strings, unicode); the guard against the parse.

The parse is the store's own: each original text is run by an ordinary pyoxigraph store (network
allowed) whose SERVICE target is a real listening port, and parsed as an update on a scratch store.
Properties: a query the store would send to the service, or accept as an update, is refused by the
guard; and the text the guard passes on (its canonical form) never reaches the service either.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ForbiddenQueryError, QueryError
from graph.sparql_guard import check_query
from tests.faults.listener import Listener, listening

_LISTENER: list[Listener] = []


@pytest.fixture(scope="module", autouse=True)
def listener() -> Iterator[Listener]:
    with listening() as ln:
        _LISTENER.append(ln)
        yield ln
        _LISTENER.clear()


def _store() -> ox.Store:
    store = ox.Store()
    x = ox.NamedNode("http://x/a")
    store.add(ox.Quad(x, x, x))
    return store


STORE = _store()
ESCAPES = list("_~.-!$&'()*+,;=/?#@%") + ["u0041", "n", '"', "\\", " "]
FRAGMENTS = [
    "SERVICE <{svc}> { ?x ?y ?z }",
    "SERVICE SILENT <{svc}> { ?x ?y ?z }",
    "service <{svc}> { ?x ?y ?z }",
    "SeRvIcE silent <{svc}> {}",
    "\\u0053ERVICE <{svc}> { ?x ?y ?z }",
    "SERVICE ?svc { ?x ?y ?z } VALUES ?svc { <{svc}> }",
    "?s ?p ?o .",
    "?s ?p ?o",
    "OPTIONAL { ?s ?p ex:a",
    "}",
    "{",
    ".",
    ";",
    "ex:SERVICE",
    "ex:",
    "<http://x/a>",
    "<{svc}>",
    "#",
    "\n",
    "\r",
    " ",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "FILTER(?o != 'a#b')",
    "BIND('SERVICE <{svc}>' AS ?q)",
    "INSERT DATA { <http://x/b> <http://x/b> <http://x/b> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <{svc}>",
    "WITH <http://x/g>",
    "CLEAR ALL",
    "DROP ALL",
    ";",
    "@en",
    "^^",
    "_:b",
    "a",
    "1.5e3",
    "-1",
    "?ü",
    "é:ü",
    "\u202e",
    "\u200b",
    "\u00b7",
]


def _fragment() -> st.SearchStrategy[str]:
    escaped = st.builds(lambda e: "\\" + e, st.sampled_from(ESCAPES))
    noise = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
    return st.one_of(st.sampled_from(FRAGMENTS), escaped, noise)


def _queries() -> st.SearchStrategy[str]:
    heads = st.sampled_from(
        [
            "PREFIX ex: <http://x/> SELECT * WHERE {{ ",
            "PREFIX ex: <http://x/> SELECT ?x WHERE {{ OPTIONAL {{ ?s ?p ex:a",
            "PREFIX ex: <http://x/> ASK {{ ",
            "PREFIX ex: <http://x/> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ",
            "PREFIX ex: <http://x/> ",
            "",
        ]
    )
    tails = st.sampled_from([" }", " } }", "", " } LIMIT 3", "\n}"])
    free = st.builds(
        lambda h, body, t: h + "".join(body) + t, heads, st.lists(_fragment(), max_size=12), tails
    )
    # a SERVICE clause behind something that may or may not hide it (a comment, a string, an escape ...)
    hidden = st.builds(
        lambda h, hide, noise, svc, close, t: (
            f"{h}OPTIONAL {{ {hide}{noise} }} {svc} <{{svc}}> {{ ?x ?y ?z }} {close}{t}"
        ),
        st.sampled_from(["PREFIX ex: <http://x/> SELECT ?x WHERE { ", "PREFIX ex: <http://x/> ASK { "]),
        st.sampled_from(HIDERS),
        st.one_of(st.just(""), st.just("?s ?p ?o"), _fragment()),
        st.sampled_from(["SERVICE", "SERVICE SILENT", "service", "SERVICE\n", "SERVICE#x\n"]),
        st.sampled_from(["", "\n", '"', "'", ">", "'''", '"""', " }", "\r", " ."]),
        tails,
    )
    return st.one_of(free, hidden)


HIDERS = [
    "",
    "# ",
    '?s ?p "',
    "?s ?p '",
    "?s ?p ex:a\\(\\#",
    "?s ?p ex:a\\#",
    "?s ?p <http://x/",
    "?s ?p '''",
    '?s ?p """',
    "\\",
    "?s ?p ex:a\\",
    "?s ?p ex:a%2",
    "?s ?p ex:a\\u0023",
    "?s ?p '\\'",
    '?s ?p "\\"',
    "?s ?p ex:a\\(\\#\\)",
]


def _reaches_service(text: str) -> bool:
    listener = _LISTENER[0]
    before = listener.hits
    try:
        result = STORE.query(text)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
    except (SyntaxError, OSError, ValueError, TypeError):
        pass
    return listener.hits > before


def _is_update(text: str) -> bool:
    try:
        ox.Store().update(text)
    except SyntaxError:
        return False
    except (OSError, ValueError, TypeError):
        return True  # parsed as an update, failed while running (LOAD of an unreachable IRI ...)
    return True


@settings(
    max_examples=3000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(_queries())
def test_guard_agrees_with_the_store(template: str) -> None:
    text = (
        template.replace("{svc}", f"http://127.0.0.1:{_LISTENER[0].port}/")
        .replace("{{", "{")
        .replace("}}", "}")
    )
    try:
        guarded = check_query(text)
    except (ForbiddenQueryError, QueryError):
        return  # refused: nothing to compare
    # accepted: the store's own parse finds no SERVICE call and no update in the text ...
    assert not _reaches_service(text), text
    assert not _is_update(text), text
    # ... and the text the endpoint really runs does not reach it either
    assert not _reaches_service(guarded.text), guarded.text
    assert guarded.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
