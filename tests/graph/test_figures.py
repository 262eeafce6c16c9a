"""The deck's published figures as an RDF Data Cube: every value exact, the deck cited, licensed."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.figures import DEFAULT_FIGURES, load_figures, read_figures
from graph.iris import Iris
from graph.store import OxigraphStore

PUBLISHED = {
    "involved": 64, "countries": 40, "sector-national-government": 30, "sector-private-sector": 24,
    "sector-foundation": 4, "external-driver-collaboration": 34, "external-driver-global-challenges": 21,
    "external-driver-economic": 13, "external-driver-direction": 12, "external-driver-individuals": 4,
    "internal-driver-strategy": 24, "internal-driver-policy": 18, "internal-driver-impact": 15,
    "internal-driver-capacity": 8, "internal-driver-method": 7, "clear-target": 25, "me-plan": 11,
}  # fmt: skip


def test_the_file_holds_exactly_the_deck_figures() -> None:
    figures = read_figures()
    assert {f.code: f.value for f in figures} == PUBLISHED
    assert {f.base for f in figures} == {227}
    assert [f.unit for f in figures if f.code == "countries"] == ["count"]


def test_figures_graph_is_a_data_cube_citing_the_deck(tmp_path: Path) -> None:
    iris = Iris()
    store = OxigraphStore(tmp_path / "s")
    load_figures(store, iris)
    load_figures(store, iris)  # idempotent
    assert store.named_graphs() == [iris.figures_graph]
    rows = store.select(
        """PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX mg: <https://w3id.org/missiongraph/def#>
        SELECT ?code ?share ?count ?base WHERE { GRAPH ?g {
          ?o a qb:Observation ; qb:dataSet ?d ; mg:figureCode ?code ; mg:base ?base .
          OPTIONAL { ?o mg:share ?share } OPTIONAL { ?o mg:count ?count } } }"""
    )
    got = {r["code"]: (round(r["share"] * 100) if "share" in r else r["count"]) for r in rows}
    assert got == PUBLISHED
    assert {r["base"] for r in rows} == {227}
    meta = store.select(
        """PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?license ?title WHERE { GRAPH ?g { ?d a <http://purl.org/linked-data/cube#DataSet> ;
          dct:license ?license ; dct:source ?deck . ?deck dct:title ?title ; dct:creator ?c . } }"""
    )
    assert meta and meta[0]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Missions needs assessment survey" in meta[0]["title"]
    creators = store.select(
        "SELECT ?n WHERE { GRAPH ?g { ?deck <http://purl.org/dc/terms/creator> ?c ."
        " ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?n } }"
    )
    assert {r["n"] for r in creators} == {"OECD Mission Action Lab", "Danish Design Centre"}


def test_a_broken_figures_file_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_FIGURES.read_text(encoding="utf-8")
    text = text.replace("0.64", "1.64").replace("sector/foundation", "sector/guild")
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_figures(path)
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "share/count/base"), (6, "concept")}
