"""Dumps of the public graphs (Turtle, N-Quads, JSON-LD, a flat CSV of missions) described with DCAT."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from graph.csvsafe import write_csv
from graph.errors import InvalidInputError, NotFoundError
from graph.figures import LICENSE
from graph.iris import Iris
from graph.rdfterms import DCAT, DCT, FOAF, MG, PROV, RDF, XSD
from graph.store.base import Dataset, Store
from ontology.namespaces import MG_NS

__all__ = [
    "DUMP_FORMATS",
    "DCAT_FILE",
    "DumpFormat",
    "PREFIXES",
    "MISSION_COLUMNS",
    "public_graphs",
    "synthetic_graphs",
    "graphs_of",
    "GENERATOR_AGENT",
    "missions_csv",
    "write_dumps",
    "publish_dumps",
    "published_dumps",
    "dcat_description",
]

PREFIXES = {
    "mg": MG_NS,
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "disco": "http://rdf-vocabulary.ddialliance.org/discovery#",
    "cv": "http://data.europa.eu/m8g/",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "sdg": "http://metadata.un.org/sdg/",
}


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: CLI name, file name, IANA media type, the pyoxigraph format (None: CSV) and which
    graphs it holds: ``real`` (everything but synthetic survey waves), ``synthetic`` (only those) or ``all``
    (N-Quads keeps the named graphs, so one file holds both, each triple in its graph)."""

    name: str
    file: str
    media_type: str
    title: str
    rdf: ox.RdfFormat | None
    part: str = "all"


DUMP_FORMATS: dict[str, DumpFormat] = {
    f.name: f
    for f in (
        DumpFormat("turtle", "missiongraph.ttl", "text/turtle",
                   "Turtle (real data: vocabulary, catalogue, published figures, real survey waves)",
                   ox.RdfFormat.TURTLE, "real"),
        DumpFormat("turtle-synthetic", "missiongraph-synthetic.ttl", "text/turtle",
                   "Turtle (synthetic demo data: generated survey waves, not real responses)",
                   ox.RdfFormat.TURTLE, "synthetic"),
        DumpFormat("nquads", "missiongraph.nq", "application/n-quads",
                   "N-Quads (every public graph, named graphs kept: synthetic waves in their own graphs)",
                   ox.RdfFormat.N_QUADS),
        DumpFormat("jsonld", "missiongraph.jsonld", "application/ld+json",
                   "JSON-LD (real data, named graphs kept)", ox.RdfFormat.JSON_LD, "real"),
        DumpFormat("jsonld-synthetic", "missiongraph-synthetic.jsonld", "application/ld+json",
                   "JSON-LD (synthetic demo data, named graphs kept)", ox.RdfFormat.JSON_LD, "synthetic"),
        DumpFormat("csv", "missions.csv", "text/csv", "Real missions as a flat CSV table", None, "real"),
        DumpFormat("csv-synthetic", "missions-synthetic.csv", "text/csv",
                   "Synthetic missions (described by generated respondents) as a flat CSV table", None,
                   "synthetic"),
    )
}  # fmt: skip
DCAT_FILE = "catalog.ttl"
_STUDY = "http://rdf-vocabulary.ddialliance.org/discovery#Study"
#: the software agent a synthetic wave is associated with (PROV), described in the DCAT file
GENERATOR_AGENT = "synthetic-survey-generator"

MISSION_COLUMNS = (
    "id", "title", "goal", "country", "place", "level", "launch_year", "target_year", "challenge_fields",
    "sdgs", "funding_sources", "programme", "governing_body", "source", "see_also", "origin", "synthetic",
)  # fmt: skip

_MISSIONS_QUERY = (
    f"PREFIX mg: <{MG_NS}>\n"
    + """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?m ?id (SAMPLE(?title_) AS ?title) (SAMPLE(?goal_) AS ?goal) (SAMPLE(?country_) AS ?country)
  (SAMPLE(?place_) AS ?place) (SAMPLE(?level_) AS ?level) (SAMPLE(?launch_) AS ?launch_year)
  (SAMPLE(?target_) AS ?target_year)
  (GROUP_CONCAT(DISTINCT STR(?field_); SEPARATOR=";") AS ?challenge_fields)
  (GROUP_CONCAT(DISTINCT STR(?sdg_); SEPARATOR=";") AS ?sdgs)
  (GROUP_CONCAT(DISTINCT STR(?funding_); SEPARATOR=";") AS ?funding_sources)
  (SAMPLE(?programme_) AS ?programme) (SAMPLE(?body_) AS ?governing_body)
  (SAMPLE(?source_) AS ?source) (GROUP_CONCAT(DISTINCT STR(?also_); SEPARATOR=" ") AS ?see_also)
  (SAMPLE(?synthetic_) AS ?synthetic)
WHERE {
  ?m a mg:Mission .
  OPTIONAL { ?m dct:identifier ?id }
  OPTIONAL { ?m dct:title ?title_ }
  OPTIONAL { ?m mg:goalStatement ?goal_ }
  OPTIONAL { ?m dct:spatial ?country_ }
  OPTIONAL { ?m mg:place ?place_ }
  OPTIONAL { ?m mg:level ?level_ }
  OPTIONAL { ?m mg:launchYear ?launch_ }
  OPTIONAL { ?m mg:targetYear ?target_ }
  OPTIONAL { ?m mg:challengeField ?field_ }
  OPTIONAL { ?m dct:subject ?sdg_ }
  OPTIONAL { ?m mg:fundingSource ?funding_ }
  OPTIONAL { ?m mg:programme ?programme_ }
  OPTIONAL { ?m mg:governingBody/skos:prefLabel ?body_ }
  OPTIONAL { ?m dct:source ?source_ }
  OPTIONAL { ?m rdfs:seeAlso ?also_ }
  OPTIONAL { ?m mg:synthetic ?synthetic_ }
} GROUP BY ?m ?id ORDER BY ?m"""
)


def public_graphs(store: Store, iris: Iris) -> list[str]:
    """The named graphs a dump may hold: every public graph, never the restricted one."""
    return [g for g in store.named_graphs() if iris.is_public_graph(g) and g != iris.restricted_graph]


def synthetic_graphs(store: Store, iris: Iris) -> list[str]:
    """The public graphs of synthetic survey waves: anything in them marked mg:synthetic (an ingest marks
    the wave synthetic as soon as one response is)."""
    return [
        g
        for g in public_graphs(store, iris)
        if g.startswith(f"{iris.base}graph/survey/")
        and store.ask(f"ASK {{ GRAPH <{g}> {{ ?s <{PREFIXES['mg']}synthetic> true }} }}")
    ]


def graphs_of(store: Store, iris: Iris, part: str) -> list[str]:
    """The public graphs of one part: ``real``, ``synthetic`` or ``all``."""
    graphs = public_graphs(store, iris)
    if part == "all":
        return graphs
    synthetic = set(synthetic_graphs(store, iris))
    return [g for g in graphs if (g in synthetic) == (part == "synthetic")]


def _code(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _codes(joined: str) -> str:
    return ";".join(sorted(_code(x) for x in joined.split(";") if x))


def missions_csv(store: Store, iris: Iris, graphs: Sequence[str] | None = None) -> str:
    """Every mission of the public graphs (or of ``graphs``) as one CSV row: codes for concepts, cells
    neutralised."""
    if graphs is None:
        graphs = public_graphs(store, iris)
    if not graphs:
        return write_csv([], MISSION_COLUMNS)
    rows = store.select(_MISSIONS_QUERY, dataset=Dataset(default=tuple(graphs)))
    catalogue = {
        r["m"]
        for r in store.select(
            f"SELECT DISTINCT ?m {{ GRAPH <{iris.catalogue_graph}> {{ ?m a <{PREFIXES['mg']}Mission> }} }}"
        )
    }
    out = []
    for r in rows:
        out.append(
            {
                "id": r.get("id") or iris.mission_id(r["m"]) or r["m"],
                "title": r.get("title", ""),
                "goal": r.get("goal", ""),
                "country": _code(r["country"]) if "country" in r else "",
                "place": r.get("place", ""),
                "level": _code(r["level"]) if "level" in r else "",
                "launch_year": r.get("launch_year", ""),
                "target_year": r.get("target_year", ""),
                "challenge_fields": _codes(r.get("challenge_fields", "")),
                "sdgs": ";".join(sorted((_code(x) for x in r.get("sdgs", "").split(";") if x), key=int)),
                "funding_sources": _codes(r.get("funding_sources", "")),
                "programme": r.get("programme", ""),
                "governing_body": r.get("governing_body", ""),
                "source": r.get("source", ""),
                "see_also": r.get("see_also", ""),
                "origin": "catalogue" if r["m"] in catalogue else "survey",
                "synthetic": bool(r.get("synthetic", False)),
            }
        )
    return write_csv(out, MISSION_COLUMNS)


def _quads(store: Store, graphs: Sequence[str]) -> list[ox.Quad]:
    return list(ox.parse(store.dump(ox.RdfFormat.N_QUADS, graphs=graphs), format=ox.RdfFormat.N_QUADS))


def _state_key(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def published_dumps(root: Path, state: str) -> Path | None:
    """The folder of dumps written for store ``state`` under ``root``, or None when not written (yet)."""
    folder = root / _state_key(state)
    return folder if (folder / DCAT_FILE).is_file() else None


def publish_dumps(store: Store, iris: Iris, root: Path, *, keep: int = 2) -> Path:
    """Write every dump of the store's current state into its own folder under ``root`` (made aside,
    then renamed in one step, so a reader never sees half a file); older folders beyond ``keep`` go."""
    state = store.state()
    done = published_dumps(root, state)
    if done is not None:
        return done
    root.mkdir(parents=True, exist_ok=True)
    target = root / _state_key(state)
    tmp = Path(tempfile.mkdtemp(prefix=".writing-", dir=root))
    try:
        write_dumps(store, iris, tmp)
        tmp.chmod(0o755)
        os.replace(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if published_dumps(root, state) is None:  # not another writer that won the race
            raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    older = sorted(
        (p for p in root.iterdir() if p.is_dir() and p != target and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in older[max(0, keep - 1) :]:
        shutil.rmtree(stale, ignore_errors=True)
    return target


def write_dumps(store: Store, iris: Iris, out_dir: Path, formats: Sequence[str] | None = None) -> list[Path]:
    """Write the dumps (all formats by default) and ``catalog.ttl`` describing them; returns the files.

    Real data and synthetic demo data go to separate Turtle, JSON-LD and CSV files (asking for
    ``turtle`` writes ``turtle-synthetic`` too); the synthetic file is only written when the store
    holds a synthetic wave. N-Quads holds both, each in its named graph.
    """
    wanted = list(formats or DUMP_FORMATS)
    unknown = [f for f in wanted if f not in DUMP_FORMATS]
    if unknown:
        raise InvalidInputError(
            f"unknown dump format(s) {', '.join(unknown)}: expected {', '.join(DUMP_FORMATS)}"
        )
    wanted += [f"{f}-synthetic" for f in wanted if f"{f}-synthetic" in DUMP_FORMATS]
    wanted = list(dict.fromkeys(wanted))
    if not public_graphs(store, iris):
        raise NotFoundError("the store holds no public data: run `missiongraph build` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = {part: graphs_of(store, iris, part) for part in ("all", "real", "synthetic")}
    quads = {
        part: _quads(store, graphs) if graphs and any(DUMP_FORMATS[f].rdf for f in wanted) else []
        for part, graphs in parts.items()
    }
    written: list[Path] = []
    for name in wanted:
        fmt = DUMP_FORMATS[name]
        path = out_dir / fmt.file
        if not parts[fmt.part]:  # no synthetic wave: no synthetic file (and none left from before)
            path.unlink(missing_ok=True)
            continue
        if fmt.rdf is None:
            path.write_text(missions_csv(store, iris, parts[fmt.part]), encoding="utf-8", newline="")
        elif fmt.rdf.supports_datasets:
            ox.serialize(quads[fmt.part], str(path), fmt.rdf, prefixes=PREFIXES)
        else:
            triples = _unique_triples(quads[fmt.part])
            ox.serialize(triples, str(path), fmt.rdf, prefixes=PREFIXES)
        written.append(path)
    description = out_dir / DCAT_FILE
    description.write_bytes(dcat_description(store, iris, written))
    return [*written, description]


def _unique_triples(quads: list[ox.Quad]) -> Iterator[ox.Triple]:
    # a triple format merges the graphs; a triple in two graphs (a catalogue mission's type) appears once
    seen: set[ox.Triple] = set()
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            yield t


def _coverage(store: Store, graphs: Sequence[str]) -> tuple[list[str], list[int]]:
    """The countries (dct:spatial) and years (launch, target, survey wave) that ``graphs`` cover."""
    if not graphs:
        return [], []
    values = " ".join(f"<{g}>" for g in graphs)
    countries = [
        str(r["c"])
        for r in store.select(
            f"SELECT DISTINCT ?c {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s <{DCT.spatial.value}> ?c }} "
            "FILTER(ISIRI(?c)) } ORDER BY ?c"
        )
    ]
    rows = store.select(
        f"SELECT DISTINCT ?y {{ VALUES ?g {{ {values} }} GRAPH ?g {{ "
        f"{{ ?s <{MG.launchYear.value}> ?y }} UNION {{ ?s <{MG.targetYear.value}> ?y }} UNION "
        f"{{ ?s a <{_STUDY}> ; <{DCT.identifier.value}> ?y }} }} }}"
    )
    years = [int(m.group()) for r in rows if (m := re.match(r"^\d{4}", str(r["y"])))]
    return countries, years


def dcat_description(store: Store, iris: Iris, files: Sequence[Path] = ()) -> bytes:
    """A DCAT 3 description (Turtle): the catalogue of missiongraph data, one dataset per public graph,
    one distribution per dump file with its media type, CC BY 4.0; catalogue rows keep their sources."""
    triples: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, p, o))

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    license_iri = ox.NamedNode(LICENSE)
    catalog = ox.NamedNode(iris.instance("catalog", "missiongraph"))
    add(catalog, RDF.type, DCAT.Catalog)
    add(catalog, DCT.title, en("missiongraph: public-policy missions knowledge graph"))
    add(catalog, DCT.license, license_iri)
    publisher = ox.NamedNode(iris.instance("agent", "missiongraph"))
    add(publisher, RDF.type, FOAF.Agent)
    add(publisher, FOAF.name, ox.Literal("missiongraph"))
    add(publisher, FOAF.homepage, ox.NamedNode(iris.base))
    modified = ox.Literal(
        datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime
    )
    add(catalog, DCT.publisher, publisher)
    add(catalog, DCT.modified, modified)

    def described(dataset: ox.NamedNode, graphs: Sequence[str]) -> None:
        """Publisher, modification time, and the temporal and spatial coverage of ``graphs``."""
        add(dataset, DCT.publisher, publisher)
        add(dataset, DCT.modified, modified)
        countries, years = _coverage(store, graphs)
        for country in countries:
            add(dataset, DCT.spatial, ox.NamedNode(country))
        if years:
            period = ox.NamedNode(f"{dataset.value}/temporal")
            add(dataset, DCT.temporal, period)
            add(period, RDF.type, DCT.PeriodOfTime)
            add(period, DCAT.startDate, ox.Literal(f"{min(years):04d}", datatype=XSD.gYear))
            add(period, DCAT.endDate, ox.Literal(f"{max(years):04d}", datatype=XSD.gYear))

    everything = ox.NamedNode(iris.instance("dataset", "missiongraph"))
    add(catalog, DCAT.dataset, everything)
    add(everything, RDF.type, DCAT.Dataset)
    add(everything, DCT.title, en("missiongraph public graphs"))
    add(
        everything,
        DCT.description,
        en(
            "The vocabulary, the missions catalogue (public facts, each row citing its source), the "
            "published figures of the 2021 missions survey and survey waves. Respondent-level survey data "
            "marked mg:synthetic is a synthetic sample, not real responses. Personal data is never included."
        ),
    )
    add(everything, DCT.license, license_iri)
    described(everything, public_graphs(store, iris))

    parts = {
        iris.vocabulary_graph: ("vocabulary", "Ontology, concept schemes and crosswalks"),
        iris.catalogue_graph: ("missions-catalogue", "Missions catalogue (public facts with sources)"),
        iris.figures_graph: ("survey-2021-figures", "Published figures of the 2021 missions survey"),
    }
    synthetic = set(synthetic_graphs(store, iris))
    generator = ox.NamedNode(iris.instance("agent", GENERATOR_AGENT))
    if synthetic:
        add(generator, RDF.type, PROV.SoftwareAgent)
        add(generator, FOAF.name, ox.Literal("missiongraph synthetic survey generator"))
        about = (
            "data/generate_survey.py: seeded synthetic survey exports matching the published 2021 figures."
        )
        add(generator, DCT.description, en(about))
    wave = ""
    for graph in public_graphs(store, iris):
        slug, title = parts.get(graph, ("", ""))
        if graph.startswith(f"{iris.base}graph/survey/"):
            wave = graph.rsplit("/", 1)[-1]
            slug = f"survey-{wave}"
            title = f"Survey wave {wave}" + (" (synthetic sample)" if graph in synthetic else "")
        if not slug:
            continue
        dataset = ox.NamedNode(iris.instance("dataset", slug))
        add(everything, DCT.hasPart, dataset)
        add(catalog, DCAT.dataset, dataset)
        add(dataset, RDF.type, DCAT.Dataset)
        add(dataset, DCT.title, en(title))
        add(dataset, DCT.license, license_iri)
        add(dataset, MG.namedGraph, ox.NamedNode(graph))
        described(dataset, [graph])
        if graph in synthetic:
            add(dataset, MG.synthetic, ox.Literal(True))
            add(
                dataset,
                DCT.description,
                en(
                    f"Synthetic demo data: survey wave {wave} was generated by a seeded script "
                    "(data/generate_survey.py) so that its aggregates match the published figures; it holds "
                    "no real responses, and its missions, respondents and organisations are made up. Its "
                    "made-up missions never describe a catalogue mission."
                ),
            )
            add(dataset, PROV.wasGeneratedBy, ox.NamedNode(iris.wave(wave)))
            add(dataset, PROV.wasAttributedTo, generator)
            for f in DUMP_FORMATS.values():
                if f.part == "synthetic" and any(p.name == f.file for p in files):
                    add(dataset, DCAT.distribution, _distribution(iris, f.file))
        if graph == iris.catalogue_graph:
            sources = store.select(
                f"SELECT DISTINCT ?s {{ GRAPH <{graph}> {{ ?m <{PREFIXES['dct']}source> ?s }} }} ORDER BY ?s"
            )
            for row in sources:
                add(dataset, DCT.source, ox.NamedNode(row["s"]))

    for path in files:
        fmt = next((f for f in DUMP_FORMATS.values() if f.file == path.name), None)
        if fmt is None:
            continue
        dist = _distribution(iris, path.name)
        add(everything, DCAT.distribution, dist)
        if fmt.part == "synthetic":
            add(dist, MG.synthetic, ox.Literal(True))
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCT.title, en(fmt.title))
        add(
            dist,
            DCAT.mediaType,
            ox.NamedNode(f"https://www.iana.org/assignments/media-types/{fmt.media_type}"),
        )
        add(dist, DCAT.downloadURL, ox.NamedNode(f"{iris.base}dumps/{path.name}"))
        add(dist, DCT.license, license_iri)
        if path.exists():
            add(dist, DCAT.byteSize, ox.Literal(str(path.stat().st_size), datatype=XSD.nonNegativeInteger))
    result = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return result if isinstance(result, bytes) else b""


def _distribution(iris: Iris, file: str) -> ox.NamedNode:
    return ox.NamedNode(iris.instance("distribution", file.replace(".", "-")))
