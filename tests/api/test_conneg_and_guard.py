"""Content negotiation and the query-only guard, without HTTP."""

from __future__ import annotations

import pytest

from api.conneg import NotAcceptableError, negotiate
from graph.errors import ForbiddenQueryError, QueryError
from graph.sparql_guard import check_query

OFFERS = ["text/turtle", "text/html", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.5, application/ld+json;q=0.4", "text/turtle"),
        ("text/*, text/html;q=0.1", "text/turtle"),  # the more specific range decides for text/html
        ("APPLICATION/LD+JSON", "application/ld+json"),
    ],
)
def test_negotiate(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, OFFERS) == chosen


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0, text/html;q=0, application/ld+json;q=0"])
def test_not_acceptable(accept: str) -> None:
    with pytest.raises(NotAcceptableError):
        negotiate(accept, OFFERS)


def test_guard_reports_form_and_from_iris() -> None:
    q = check_query(
        "BASE <http://ex.org/> PREFIX g: <http://ex.org/g/> "
        "CONSTRUCT { ?s ?p ?o } FROM g:one FROM NAMED <two> WHERE { ?s ?p ?o }"
    )
    assert q.form == "CONSTRUCT"
    assert q.from_graphs == ("http://ex.org/g/one",) and q.from_named == ("http://ex.org/two",)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o } # INSERT in a comment",
        "SELECT * WHERE { ?s ?p 'LOAD <file:///etc/passwd>' }",
        'SELECT * WHERE { ?s ?p """SERVICE\nDROP""" }',
        "PREFIX service: <http://ex.org/> SELECT * WHERE { ?s service:drop ?o }",
        "SELECT ?service ?insert WHERE { ?service ?insert ?o }",
        "SELECT * WHERE { ?s <http://ex.org/SERVICE> ?o }",
    ],
)
def test_guard_ignores_keywords_that_are_not_keywords(text: str) -> None:
    assert check_query(text).form == "SELECT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE {}",
        "ADD <http://a> TO <http://b>",
        "SELECT * FROM <urn:x> WHERE { ?s ?p ?o }",
        "SELECT * FROM undeclared:g WHERE { ?s ?p ?o }",
    ],
)
def test_guard_refuses(text: str) -> None:
    with pytest.raises(ForbiddenQueryError):
        check_query(text)


def test_guard_needs_a_query_form() -> None:
    with pytest.raises(QueryError):
        check_query("PREFIX ex: <http://ex.org/>")


def test_capped_sets_only_the_outermost_limit() -> None:
    """The row cap becomes the query's own LIMIT (at most the cap; a subquery's LIMIT is left alone, a
    trailing VALUES clause stays last), and the capped text still runs."""
    import pyoxigraph as ox

    from graph.sparql_guard import check_query

    cases = {
        "SELECT * WHERE { ?s ?p ?o }": 11,
        "SELECT * WHERE { ?s ?p ?o } LIMIT 5": 5,
        "SELECT * WHERE { ?s ?p ?o } LIMIT 500 OFFSET 1": 11,
        "SELECT * WHERE { ?s ?p ?o } OFFSET 1": 11,
        "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 500 } } VALUES ?s { <urn:a> }": 11,
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY ?n": 11,
    }
    store = ox.Store()
    for query, limit in cases.items():
        text = check_query(query).capped(11)
        outer = text.split("\n")
        limits = [int(line.split()[-1] if " " in line else outer[k + 1]) for k, line in enumerate(outer)
                  if line.startswith("LIMIT")]  # fmt: skip
        assert limits[-1] == limit, (query, text)
        if "SELECT ?s WHERE" in query:
            assert 500 in limits  # the subquery's own
        if "VALUES ?s { <urn:a> }" in query:
            assert text.rstrip().endswith("}") and text.index("LIMIT 11") < text.rindex("VALUES")
        list(store.query(text))  # parses and runs
    for other in ("ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
        assert check_query(other).capped(11) == check_query(other).text
