"""The lexer finds the query form, FROM clauses and SERVICE, never inside strings, IRIs or comments."""

from __future__ import annotations

import pytest

from graph.store.sparql_text import scan


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("# SELECT in a comment\nASK { ?s ?p 'SELECT' }", "ASK"),
        ("BASE <http://e/> construct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/x>", "DESCRIBE"),
        ("INSERT DATA { <a:b> <c:d> 1 }", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert scan(query).form == form


def test_dataset_clauses_are_cut_and_only_they() -> None:
    query = (
        "PREFIX g: <http://e/graph/>\n"
        "SELECT ?from FROM <http://e/graph/restricted> from named g:restricted\n"
        'WHERE { ?from <http://e/p> "FROM <http://e/x>" . ?s g:from ?o # FROM <http://e/y>\n}'
    )
    found = scan(query)
    assert len(found.dataset_clauses) == 2
    cut = found.without_dataset_clauses()
    assert "restricted" not in cut.split("WHERE")[0].split("\n", 1)[1]
    assert (
        '"FROM <http://e/x>"' in cut and "?from" in cut and "g:from" in cut and "# FROM <http://e/y>" in cut
    )


def test_service_and_iris() -> None:
    found = scan("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } FILTER(<bif:contains>(?o, 'x')) }")
    assert found.has_service
    assert found.iris == ["http://e/sparql", "bif:contains"]
    assert not scan("SELECT * { ?s <http://e/service> 'SERVICE' }").has_service


def test_long_strings_hide_keywords() -> None:
    found = scan('SELECT * { ?s ?p """a " FROM <http://e/g> SERVICE""" }')
    assert found.dataset_clauses == [] and not found.has_service


def test_group_concat_gets_the_default_separator_spelt_out() -> None:
    query = (
        'SELECT (GROUP_CONCAT(DISTINCT STR(?o)) AS ?a) (group_concat(?x; separator=",") AS ?b) '
        '(GROUP_CONCAT(CONCAT(?x, ")")) AS ?c) WHERE { ?s ?p ?o }'
    )
    out = scan(query).rewritten(cut_dataset_clauses=False)
    assert out == (
        'SELECT (GROUP_CONCAT(DISTINCT STR(?o); SEPARATOR=" ") AS ?a) '
        '(group_concat(?x; separator=",") AS ?b) '
        '(GROUP_CONCAT(CONCAT(?x, ")"); SEPARATOR=" ") AS ?c) WHERE { ?s ?p ?o }'
    )
