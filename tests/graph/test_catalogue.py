"""The missions catalogue as RDF: ids kept, sources kept, codes mapped, bad rows reported at once."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.catalogue import DEFAULT_CATALOGUE, catalogue_ntriples, load_catalogue, read_catalogue
from graph.errors import IngestError
from graph.iris import Iris
from graph.store import OxigraphStore

MG = "https://w3id.org/missiongraph/def#"
V = "https://w3id.org/missiongraph/vocab/"


@pytest.fixture(scope="module")
def triples() -> list[ox.Triple]:
    return list(ox.parse(catalogue_ntriples(Iris()), format=ox.RdfFormat.N_TRIPLES))


def test_every_catalogue_row_becomes_a_mission_with_its_id(triples: list[ox.Triple]) -> None:
    with DEFAULT_CATALOGUE.open(encoding="utf-8") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    assert len(ids) == 225
    missions = {t.subject.value for t in triples if t.object == ox.NamedNode(MG + "Mission")}
    assert missions == {Iris().mission(i) for i in ids}
    identifiers = {
        t.object.value for t in triples if t.predicate.value == "http://purl.org/dc/terms/identifier"
    }
    assert identifiers == set(ids)


def test_every_mission_cites_its_source_row_and_no_blank_nodes(triples: list[ox.Triple]) -> None:
    sources: dict[str, list[str]] = {}
    for t in triples:
        assert not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        if t.predicate.value == "http://purl.org/dc/terms/source":
            sources.setdefault(t.subject.value, []).append(t.object.value)
    assert len(sources) == 225
    assert all(len(v) == 1 and v[0].startswith("http") for v in sources.values())
    cancer = Iris().mission("eu-mission-cancer")
    see_also = [
        t.object.value
        for t in triples
        if t.subject.value == cancer and t.predicate.value.endswith("#seeAlso")
    ]
    assert "https://cde.news/european-commission-launches-eu-missions-to-tackle-major-challenges/" in see_also


def test_fields_funding_and_country_are_mapped(triples: list[ox.Triple]) -> None:
    ocean = Iris().mission("eu-mission-ocean-waters")
    about = {(t.predicate.value, t.object.value) for t in triples if t.subject.value == ocean}
    assert (MG + "challengeField", V + "challenge-field/oceans-water") in about
    assert (MG + "fundingSource", V + "funding-source/eu") in about
    assert ("http://purl.org/dc/terms/subject", "http://metadata.un.org/sdg/14") in about  # life below water
    assert (
        "http://purl.org/dc/terms/spatial",
        "http://publications.europa.eu/resource/authority/country/EUR",
    ) in about
    viable = Iris().mission("se-viable-cities")
    spatial = {
        t.object.value
        for t in triples
        if t.subject.value == viable and t.predicate.value == "http://purl.org/dc/terms/spatial"
    }
    assert spatial == {"http://publications.europa.eu/resource/authority/country/SWE"}
    funding = {t.object.value for t in triples if t.predicate.value == MG + "fundingSource"}
    assert V + "funding-source/national-state" in funding and V + "funding-source/local" in funding


def test_organisations_are_typed_and_labelled(triples: list[ox.Triple]) -> None:
    org = Iris().organisation("european-commission")
    about = {(t.predicate.value, t.object.value) for t in triples if t.subject.value == org}
    assert (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/ns/org#Organization",
    ) in about
    assert (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://data.europa.eu/m8g/PublicOrganisation",
    ) in about


def test_output_is_deterministic_and_escapes_literals(tmp_path: Path) -> None:
    assert catalogue_ntriples(Iris()) == catalogue_ntriples(Iris())
    path = tmp_path / "missions.csv"
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    header, first, *_ = text.splitlines()
    tricky = first.replace("EU Mission: Cancer", '"EU ""Mission"" \\ Cancer"', 1)
    path.write_text(header + "\n" + tricky + "\n", encoding="utf-8")
    [t] = [
        t
        for t in ox.parse(catalogue_ntriples(Iris(), path), format=ox.RdfFormat.N_TRIPLES)
        if t.predicate.value == "http://purl.org/dc/terms/title"
    ]
    assert t.object.value == 'EU "Mission" \\ Cancer'


def test_load_into_the_catalogue_graph_twice_changes_nothing(tmp_path: Path) -> None:
    iris = Iris()
    store = OxigraphStore(tmp_path / "store")
    n = load_catalogue(store, iris)
    assert store.count(iris.catalogue_graph) == n > 225 * 10
    load_catalogue(store, iris)
    assert store.count(iris.catalogue_graph) == n
    assert store.named_graphs() == [iris.catalogue_graph]


def test_bad_rows_are_reported_together(tmp_path: Path) -> None:
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(text))
    rows[1][2] = "XX"  # country
    rows[2][10] = "astrology"  # challenge_fields
    rows[3][0] = rows[1][0]  # duplicate id
    rows[4][14] = "not a url"
    path = tmp_path / "missions.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(IngestError) as caught:
        read_catalogue(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "country"), (3, "challenge_fields"), (4, "id"), (5, "source_url")}
