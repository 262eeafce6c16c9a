"""Dumps: public graphs only, every format parses, the mission CSV is safe, DCAT describes the files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.catalogue import load_catalogue
from graph.dumps import MISSION_COLUMNS, write_dumps
from graph.errors import InvalidInputError, NotFoundError
from graph.figures import load_figures
from graph.store import OxigraphStore
from tests.support import IRIS

SECRET = "Secret Person"


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    load_catalogue(store, IRIS)
    load_figures(store, IRIS)
    mission = IRIS.mission("s-2021-0123456789abcdef")
    respondent = IRIS.respondent("2021", "R1")
    store.load(
        f"""<{mission}> a <https://w3id.org/missiongraph/def#Mission> ;
            <http://purl.org/dc/terms/title> "=HYPERLINK(\\"http://evil\\")"@en ;
            <https://w3id.org/missiongraph/def#synthetic> true .""",
        ox.RdfFormat.TURTLE,
        graph=IRIS.survey_graph("2021"),
    )
    store.load(
        f'<{respondent}> <http://xmlns.com/foaf/0.1/name> "{SECRET}" .',
        ox.RdfFormat.N_TRIPLES,
        graph=IRIS.restricted_graph,
    )
    return store


@pytest.fixture(scope="module")
def files(store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dumps")
    return {p.name: p for p in write_dumps(store, IRIS, out)}


def test_every_format_is_written_and_parses(files: dict[str, Path]) -> None:
    assert set(files) == {
        "missiongraph.ttl",
        "missiongraph-synthetic.ttl",
        "missiongraph.nq",
        "missiongraph.jsonld",
        "missiongraph-synthetic.jsonld",
        "missions.csv",
        "missions-synthetic.csv",
        "catalog.ttl",
    }

    def parse(name: str, fmt: ox.RdfFormat) -> list[ox.Quad] | list[ox.Triple]:
        return list(ox.parse(path=str(files[name]), format=fmt))

    turtle = parse("missiongraph.ttl", ox.RdfFormat.TURTLE)
    turtle_synthetic = parse("missiongraph-synthetic.ttl", ox.RdfFormat.TURTLE)
    quads = parse("missiongraph.nq", ox.RdfFormat.N_QUADS)
    jsonld = parse("missiongraph.jsonld", ox.RdfFormat.JSON_LD)
    jsonld_synthetic = parse("missiongraph-synthetic.jsonld", ox.RdfFormat.JSON_LD)
    assert len(quads) == len(jsonld) + len(jsonld_synthetic) > 2000
    assert len(turtle) + len(turtle_synthetic) <= len(quads)  # graphs merged, duplicates once
    graphs = {q.graph_name.value for q in quads}  # type: ignore[union-attr]
    assert graphs == {IRIS.catalogue_graph, IRIS.figures_graph, IRIS.survey_graph("2021")}
    json.loads(files["missiongraph.jsonld"].read_text(encoding="utf-8"))


def test_real_and_synthetic_data_are_in_separate_files(files: dict[str, Path]) -> None:
    made_up = IRIS.mission("s-2021-0123456789abcdef")
    synthetic = "https://w3id.org/missiongraph/def#synthetic"
    for name in ("missiongraph.ttl", "missiongraph.jsonld", "missions.csv"):
        text = files[name].read_text(encoding="utf-8")
        assert made_up not in text and "s-2021-0123456789abcdef" not in text and synthetic not in text, name
    for name in ("missiongraph-synthetic.ttl", "missiongraph-synthetic.jsonld", "missions-synthetic.csv"):
        text = files[name].read_text(encoding="utf-8")
        assert "s-2021-0123456789abcdef" in text and "eu-mission-cancer" not in text, name
    quads = list(ox.parse(path=str(files["missiongraph.nq"]), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads if q.subject.value == made_up} == {IRIS.survey_graph("2021")}


def test_no_dump_holds_the_restricted_graph(files: dict[str, Path]) -> None:
    for path in files.values():
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text and IRIS.restricted_graph not in text, path.name


def test_missions_csv_is_flat_and_neutralised(files: dict[str, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(files["missions.csv"].read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(MISSION_COLUMNS)
    assert (
        len(rows) == len([r for r in rows if r["origin"] == "catalogue" and r["synthetic"] == "false"]) == 225
    )
    text = files["missions-synthetic.csv"].read_text(encoding="utf-8")
    rows += list(csv.DictReader(io.StringIO(text)))
    by_id = {r["id"]: r for r in rows}
    ocean = by_id["eu-mission-ocean-waters"]
    assert ocean["challenge_fields"] == "biodiversity;climate;oceans-water"
    assert ocean["country"] == "EUR" and ocean["source"].startswith("https://")
    assert "14" in ocean["sdgs"].split(";")
    survey = by_id["s-2021-0123456789abcdef"]
    assert survey["title"] == '\'=HYPERLINK("http://evil")' and survey["synthetic"] == "true"


def test_dcat_describes_every_distribution_with_licence_and_sources(files: dict[str, Path]) -> None:
    description = list(ox.parse(path=str(files["catalog.ttl"]), format=ox.RdfFormat.TURTLE))

    def objects(predicate: str) -> list[str]:
        return [t.object.value for t in description if t.predicate.value == predicate]

    dcat = "http://www.w3.org/ns/dcat#"
    types = objects("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert types.count(dcat + "Distribution") == 7 and dcat + "Catalog" in types
    media = {m.rsplit("media-types/", 1)[1] for m in objects(dcat + "mediaType")}
    assert media == {"text/turtle", "application/n-quads", "application/ld+json", "text/csv"}
    assert set(objects("http://purl.org/dc/terms/license")) == {
        "https://creativecommons.org/licenses/by/4.0/"
    }
    sources = objects("http://purl.org/dc/terms/source")
    assert len(sources) > 30 and all(s.startswith("http") for s in sources)
    titles = objects("http://purl.org/dc/terms/title")
    assert "Survey wave 2021 (synthetic sample)" in titles
    # the synthetic wave's dataset and files say so, with their PROV: generated by the generator agent
    marked = {t.subject.value for t in description if t.predicate.value.endswith("#synthetic")}
    assert IRIS.instance("dataset", "survey-2021") in marked
    assert {
        IRIS.instance("distribution", f) for f in ("missiongraph-synthetic-ttl", "missions-synthetic-csv")
    } <= marked
    assert IRIS.instance("distribution", "missiongraph-ttl") not in marked
    generated = [t for t in description if t.predicate.value == "http://www.w3.org/ns/prov#wasAttributedTo"]
    assert [t.object.value for t in generated] == [IRIS.instance("agent", "synthetic-survey-generator")]


def test_bad_format_and_empty_store_are_clear_errors(tmp_path: Path, store: OxigraphStore) -> None:
    with pytest.raises(InvalidInputError, match="unknown dump format"):
        write_dumps(store, IRIS, tmp_path, ["xml"])
    with pytest.raises(NotFoundError, match="missiongraph build"):
        write_dumps(OxigraphStore(None), IRIS, tmp_path)
    only = write_dumps(store, IRIS, tmp_path / "csv", ["csv"])
    assert [p.name for p in only] == ["missions.csv", "missions-synthetic.csv", "catalog.ttl"]
