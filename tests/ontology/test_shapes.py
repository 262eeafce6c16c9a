"""SHACL shapes: valid fixtures conform, each invalid fixture fails on exactly the expected focus and path."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.catalogue import catalogue_ntriples
from graph.figures import figures_ntriples
from graph.iris import Iris
from graph.shacl import ShapeResult, validate, validate_nquads
from ontology.shapes import shape_files, shapes_graph
from ontology.vocab import vocabulary_graph

FIXTURES = Path(__file__).parents[1] / "fixtures/shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


@cache
def checked(path: Path) -> tuple[bool, list[ShapeResult]]:
    """Validation of one fixture file, done once per test session (several tests read it)."""
    return validate(Graph().parse(path), public=is_public(path))


def is_public(path: Path) -> bool:
    return "expect-public: false" not in path.read_text(encoding="utf-8")


def expected(path: Path) -> set[tuple[str, str | None]]:
    pairs = re.findall(
        r"^# expect: <([^>]+)> (?:<([^>]+)>|-)$", path.read_text(encoding="utf-8"), re.MULTILINE
    )
    return {(focus, p or None) for focus, p in pairs}


def test_every_shape_is_broken_by_an_invalid_fixture() -> None:
    assert len(VALID) >= 2 and len(INVALID) >= 30
    shapes = shapes_graph()
    targeted = {
        str(s)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and any(True for p in TARGETS for _ in shapes.objects(s, p))
    }
    broken: set[str] = set()
    for path in INVALID:
        _, results = checked(path)
        broken |= {r.shape for r in results if r.shape}
    assert targeted - broken == set()
    assert len(targeted) >= 16


def test_shape_files() -> None:
    assert "public.ttl" in shape_files()
    assert "public.ttl" not in shape_files(public=False)
    assert len(shapes_graph(public=False)) < len(shapes_graph())


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(path: Path) -> None:
    conforms, results = validate(Graph().parse(path), public=is_public(path))
    assert conforms, "\n".join(map(str, results))
    assert [r for r in results if r.severity == "Violation"] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_on_expected_path(path: Path) -> None:
    want = expected(path)
    assert want, f"{path.name} names no expected result"
    conforms, results = checked(path)
    assert not conforms
    got = {(r.focus, r.path) for r in results if r.severity == "Violation"}
    assert got == want, "\n".join(map(str, results))
    assert all(r.message for r in results)


def test_restricted_data_fails_the_public_shapes() -> None:
    path = FIXTURES / "valid/restricted.ttl"
    conforms, results = validate(Graph().parse(path), public=True)
    assert not conforms
    assert {r.path for r in results} >= {
        "http://xmlns.com/foaf/0.1/name",
        "http://xmlns.com/foaf/0.1/mbox",
        "http://xmlns.com/foaf/0.1/phone",
    }


def test_vocabulary_conforms() -> None:
    conforms, results = validate(vocabulary_graph())
    assert conforms, "\n".join(map(str, results))


def test_catalogue_and_figures_conform(iris: Iris) -> None:
    assert validate_nquads(catalogue_ntriples(iris), iris) == []
    assert validate_nquads(figures_ntriples(iris), iris) == []


def test_nquads_restricted_graph_checked_without_public_shapes(iris: Iris) -> None:
    person = iris.respondent("2021", "r1")
    a_person = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person>"
    public = f"<{person}> {a_person} <{iris.survey_graph('2021')}> .\n"
    restricted = (
        f"<{person}> <http://xmlns.com/foaf/0.1/mbox> <mailto:ada@example.org> <{iris.restricted_graph}> .\n"
    )
    assert validate_nquads((public + restricted).encode(), iris) == []
    bad = restricted.replace("mailto:ada@example.org", "mailto:nobody")
    found = validate_nquads((public + bad).encode(), iris)
    assert [(v.focus, v.path) for v in found] == [(person, "http://xmlns.com/foaf/0.1/mbox")]
    leaked = restricted.replace(iris.restricted_graph, iris.survey_graph("2021"))
    found = validate_nquads((public + leaked).encode(), iris)
    assert [(v.focus, v.path) for v in found] == [(person, "http://xmlns.com/foaf/0.1/mbox")]
    assert "public graph" in found[0].message


def test_nquads_restricted_graph_is_the_one_iris_names_not_any_with_its_suffix(iris: Iris) -> None:
    """Only ``Iris.restricted_graph`` holds personal data; a look-alike under another base is public."""
    person = iris.respondent("2021", "r1")
    a_person = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person>"
    public = f"<{person}> {a_person} <{iris.survey_graph('2021')}> .\n"
    elsewhere = "http://elsewhere.example/graph/restricted"
    assert elsewhere != iris.restricted_graph and elsewhere.endswith("/graph/restricted")
    leaked = f"<{person}> <http://xmlns.com/foaf/0.1/mbox> <mailto:ada@example.org> <{elsewhere}> .\n"
    found = validate_nquads((public + leaked).encode(), iris)
    assert [(v.focus, v.path) for v in found] == [(person, "http://xmlns.com/foaf/0.1/mbox")]
