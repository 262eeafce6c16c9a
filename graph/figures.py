"""The survey deck's published figures (data/published_figures.csv) as an RDF Data Cube in `figures`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import IngestError, Problem
from graph.iris import Iris
from graph.rdfterms import CODES, DCAT, DCT, FOAF, MG, ORG, QB, RDF, RDFS, SKOS, XSD, concept
from graph.store.base import Store

__all__ = [
    "DEFAULT_FIGURES",
    "DECK_TITLE",
    "DECK_PUBLISHERS",
    "LICENSE",
    "Figure",
    "read_figures",
    "figures_ntriples",
    "load_figures",
]

DEFAULT_FIGURES = Path(__file__).resolve().parents[1] / "data" / "published_figures.csv"
DECK_TITLE = "Missions needs assessment survey — Highlights & insights on mission work"
#: (organisation slug, name) of the deck's authors
DECK_PUBLISHERS = (
    ("oecd-mission-action-lab", "OECD Mission Action Lab"),
    ("danish-design-centre", "Danish Design Centre"),
)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_COLUMNS = ("code", "label", "share", "count", "base", "question", "concept", "source_page")
_HEADER = ",".join(_COLUMNS)


@dataclass(frozen=True)
class Figure:
    """One published figure: a share of ``base`` respondents, or a count (the 40 countries)."""

    code: str
    label: str
    share: str | None  # decimal text as published ("0.30"), None for counts
    count: int | None
    base: int
    question: str
    concept: str | None  # "scheme/code"
    source_page: str

    @property
    def value(self) -> float:
        """The published value: a percentage for shares, the number for counts."""
        return round(float(self.share) * 100, 6) if self.share is not None else float(self.count or 0)

    @property
    def unit(self) -> str:
        return "percent" if self.share is not None else "count"


def read_figures(path: Path = DEFAULT_FIGURES) -> list[Figure]:
    """Read and check the figures file; all problems at once."""
    name = path.name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise IngestError(
                f"{name} has unexpected columns",
                [
                    Problem(
                        name,
                        "wrong header",
                        1,
                        value=",".join(reader.fieldnames or ()),
                        expected=",".join(_COLUMNS),
                    )
                ],
            )
        rows = list(reader)
    problems: list[Problem] = []
    figures: list[Figure] = []
    for number, row in enumerate(rows, start=2):
        share = row["share"].strip() or None
        count = row["count"].strip() or None
        try:
            if share is not None and not 0 <= float(share) <= 1:
                raise ValueError(share)
            base = int(row["base"])
            count_value = int(count) if count is not None else None
        except ValueError:
            problems.append(
                Problem(name, "not a number", number, "share/count/base", str(row), "0..1 / integers")
            )
            continue
        if (share is None) == (count is None):
            problems.append(Problem(name, "give exactly one of share and count", number, "share"))
        scheme_code = row["concept"].strip() or None
        if scheme_code is not None:
            scheme, _, code = scheme_code.partition("/")
            if code not in CODES.get(scheme, ()):
                problems.append(
                    Problem(name, "unknown concept", number, "concept", scheme_code, "scheme/code")
                )
        figures.append(
            Figure(
                code=row["code"].strip(),
                label=row["label"].strip(),
                share=share,
                count=count_value,
                base=base,
                question=row["question"].strip(),
                concept=scheme_code,
                source_page=row["source_page"].strip(),
            )
        )
    if len({f.code for f in figures}) != len(figures):
        problems.append(Problem(name, "duplicate figure code", column="code"))
    if problems:
        raise IngestError(f"{name} has {len(problems)} problem(s)", problems)
    return figures


def figures_ntriples(iris: Iris, path: Path = DEFAULT_FIGURES) -> bytes:
    """The figures as a qb:DataSet (also a dcat:Dataset) citing the deck; deterministic N-Triples."""
    lines: list[str] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        lines.append(f"{s} {p} {o} .\n")

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    dataset = ox.NamedNode(iris.figures_dataset)
    deck = ox.NamedNode(iris.instance("document", "survey-deck-2021"))
    add(dataset, RDF.type, QB.DataSet)
    add(dataset, RDF.type, DCAT.Dataset)
    add(dataset, DCT.title, en("Published figures of the Missions needs assessment survey 2021"))
    add(
        dataset,
        DCT.description,
        en(
            "Figures published in the workshop deck of the OECD Mission Action Lab and the Danish Design "
            "Centre (December 2021 survey, 227 respondents from 40 countries). Shares are of all 227 "
            "respondents."
        ),
    )
    add(dataset, QB.structure, MG.figuresStructure)
    add(dataset, DCT.source, deck)
    add(dataset, DCT.license, ox.NamedNode(LICENSE))
    add(dataset, DCT.temporal, ox.Literal("2021-12"))
    add(deck, RDF.type, FOAF.Document)
    add(deck, DCT.title, en(DECK_TITLE))
    add(deck, DCT.issued, ox.Literal("2021", datatype=XSD.gYear))
    for slug, label in DECK_PUBLISHERS:
        org = ox.NamedNode(iris.organisation(slug))
        add(deck, DCT.creator, org)
        add(dataset, DCT.publisher, org)
        add(org, RDF.type, ORG.Organization)
        add(org, SKOS.prefLabel, en(label))
    for fig in read_figures(path):
        obs = ox.NamedNode(iris.figure(fig.code))
        add(obs, RDF.type, QB.Observation)
        add(obs, QB.dataSet, dataset)
        add(obs, MG.figureCode, ox.Literal(fig.code))
        add(obs, RDFS.label, en(fig.label))
        add(obs, MG.question, ox.NamedNode(iris.question(fig.question)))
        if fig.concept is not None:
            scheme, _, code = fig.concept.partition("/")
            add(obs, MG.concept, concept(scheme, code))
        if fig.share is not None:
            add(obs, MG.share, ox.Literal(fig.share, datatype=XSD.decimal))
        if fig.count is not None:
            add(obs, MG.count, ox.Literal(str(fig.count), datatype=XSD.integer))
        add(obs, MG.base, ox.Literal(str(fig.base), datatype=XSD.integer))
        add(obs, DCT.source, deck)
        add(obs, RDFS.comment, en(f"Deck slide: {fig.source_page}"))
    return "".join(lines).encode("utf-8")


def load_figures(store: Store, iris: Iris, path: Path = DEFAULT_FIGURES) -> int:
    """Replace the `figures` graph (atomic); returns the number of triples."""
    data = figures_ntriples(iris, path)
    store.replace_graph(iris.figures_graph, data, ox.RdfFormat.N_TRIPLES)
    return data.count(b"\n")
