"""The real missions catalogue (data/missions.csv) as N-Triples for the `catalogue` graph (decisions/0002)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import IngestError, Problem
from graph.iris import Iris
from graph.rdfterms import (
    CV,
    DCT,
    MG,
    ORG,
    RDF,
    RDFS,
    SKOS,
    XSD,
    concept,
    country_iri,
    is_code,
    sdg_iris,
)
from graph.store.base import Store

__all__ = [
    "DEFAULT_CATALOGUE",
    "FIELD_CODES",
    "FUNDING_CODES",
    "CatalogueMission",
    "read_catalogue",
    "catalogue_ntriples",
    "load_catalogue",
    "field_code",
    "slugify",
]

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "missions.csv"

COLUMNS = (
    *("id", "name", "country", "place", "governing_body", "level", "programme", "launch_year"),
    *("goal_statement", "target_year", "challenge_fields", "quantified_target", "funding_sources"),
    *("funding_notes", "source_url", "other_source_urls", "notes"),
)

#: catalogue field names that are not simply the lower-cased code (decisions/0001)
FIELD_CODES = {
    "oceans & water": "oceans-water",
    "food & agriculture": "food-agriculture",
    "circular economy": "circular-economy",
    "mental health": "mental-health",
    "public sector": "public-sector",
}
FUNDING_CODES = {"state": "national-state", "municipal": "local", "eu": "eu"}

#: governing bodies that are not public organisations (everything else in the catalogue is)
_NOT_PUBLIC = ("Labour Party", "Danish Design Centre")
_LEVEL_SECTOR = {
    "supranational": "supranational-organisation",
    "national": "national-government",
    "regional": "regional-government",
    "local": "local-government",
}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_YEAR = re.compile(r"^\d{4}$")


def slugify(text: str) -> str:
    """A lower-case ASCII slug for organisation IRIs: 'Vinnova (with ...)' -> 'vinnova-with'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].rstrip("-")


def field_code(name: str) -> str:
    """The challenge-field code of a catalogue field name ('oceans & water' -> 'oceans-water')."""
    key = name.strip().lower()
    return FIELD_CODES.get(key, key)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@dataclass(frozen=True)
class CatalogueMission:
    """One validated catalogue row; codes already mapped to concept codes."""

    id: str
    title: str
    country: str
    place: str
    governing_body: str
    level: str
    programme: str
    launch_year: str
    goal: str
    target_year: str
    fields: tuple[str, ...]
    quantified_target: str
    funding: tuple[str, ...]
    funding_note: str
    source_url: str
    other_sources: tuple[str, ...]
    notes: str

    @property
    def organisation(self) -> str:
        """The governing organisation's name: the part before the first ';' (the rest is a note)."""
        depth = 0
        for i, char in enumerate(self.governing_body):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == ";" and depth == 0:  # a ';' inside brackets belongs to the name
                return self.governing_body[:i].strip()
        return self.governing_body.strip()


def read_catalogue(csv_path: Path = DEFAULT_CATALOGUE) -> list[CatalogueMission]:
    """Read and validate the catalogue; every problem is reported at once as an IngestError."""
    name = csv_path.name
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read the catalogue {name}", [Problem(name, str(exc))]) from exc
    reader = csv.DictReader(text.splitlines())
    problems: list[Problem] = []
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise IngestError(
            f"the catalogue {name} lacks columns",
            [Problem(name, "missing column", column=c) for c in missing],
        )
    problems = []
    missions: list[CatalogueMission] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}

        def bad(
            column: str, message: str, expected: str, row_number: int = number, cells: dict[str, str] = cells
        ) -> None:
            problems.append(Problem(name, message, row_number, column, cells.get(column, ""), expected))

        if not _ID.match(cells["id"]):
            bad("id", "not a valid mission id", "lower-case words joined by '-'")
        elif cells["id"] in seen:
            bad("id", "duplicate mission id", "an id used once")
        seen.add(cells["id"])
        if not cells["name"]:
            bad("name", "empty mission name", "a title")
        if country_iri(cells["country"]) is None:
            bad("country", "unknown country", "an ISO 3166-1 alpha-2 code or EU")
        if not is_code("level", cells["level"]):
            bad("level", "unknown level", "supranational, national, regional or local")
        for column in ("launch_year", "target_year"):
            if cells[column] and not (_YEAR.match(cells[column]) and 1900 <= int(cells[column]) <= 2100):
                bad(column, "not a year", "a year between 1900 and 2100")
        fields = tuple(field_code(f) for f in _split(cells["challenge_fields"]))
        for code in fields:
            if not is_code("challenge-field", code):
                bad("challenge_fields", f"unknown challenge field {code!r}", "a challenge-field code")
        funding = tuple(FUNDING_CODES.get(f.lower(), f.lower()) for f in _split(cells["funding_sources"]))
        for code in funding:
            if not is_code("funding-source", code):
                bad(
                    "funding_sources", f"unknown funding source {code!r}", "state, municipal, EU, private ..."
                )
        if cells["quantified_target"] not in ("yes", "no", ""):
            bad("quantified_target", "not yes or no", "yes, no or blank")
        urls = [cells["source_url"], *_split(cells["other_source_urls"])]
        for i, url in enumerate(urls):
            column = "source_url" if i == 0 else "other_source_urls"
            try:
                ox.NamedNode(url)
                ok = url.startswith(("http://", "https://"))
            except ValueError:
                ok = False
            if not ok:
                problems.append(Problem(name, "not a web address", number, column, url, "an http(s) URL"))
        missions.append(
            CatalogueMission(
                id=cells["id"],
                title=cells["name"],
                country=cells["country"],
                place=cells["place"],
                governing_body=cells["governing_body"],
                level=cells["level"],
                programme=cells["programme"],
                launch_year=cells["launch_year"],
                goal=cells["goal_statement"],
                target_year=cells["target_year"],
                fields=fields,
                quantified_target=cells["quantified_target"],
                funding=funding,
                funding_note=cells["funding_notes"],
                source_url=urls[0],
                other_sources=tuple(urls[1:]),
                notes=cells["notes"],
            )
        )
    if problems:
        raise IngestError(f"the catalogue {name} has {len(problems)} problem(s)", problems)
    return missions


def _lines(iris: Iris, missions: list[CatalogueMission]) -> Iterator[str]:
    def triple(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> str:
        return f"{s} {p} {o} .\n"

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    def year(text: str) -> ox.Literal:
        return ox.Literal(text, datatype=XSD.gYear)

    organisations: dict[str, CatalogueMission] = {}
    for m in missions:
        s = ox.NamedNode(iris.mission(m.id))
        yield triple(s, RDF.type, MG.Mission)
        yield triple(s, DCT.identifier, ox.Literal(m.id))
        yield triple(s, DCT.title, en(m.title))
        if m.goal:
            yield triple(s, MG.goalStatement, en(m.goal))
        if m.launch_year:
            yield triple(s, MG.launchYear, year(m.launch_year))
        if m.target_year:
            yield triple(s, MG.targetYear, year(m.target_year))
        country = country_iri(m.country)
        assert country is not None  # validated in read_catalogue
        yield triple(s, DCT.spatial, ox.NamedNode(country))
        if m.place:
            yield triple(s, MG.place, ox.Literal(m.place))
        yield triple(s, MG.level, concept("level", m.level))
        for code in m.fields:
            yield triple(s, MG.challengeField, concept("challenge-field", code))
        for sdg in sdg_iris(m.fields):
            yield triple(s, DCT.subject, ox.NamedNode(sdg))
        for code in m.funding:
            yield triple(s, MG.fundingSource, concept("funding-source", code))
        if m.quantified_target:
            yield triple(s, MG.hasQuantifiedTarget, concept("answer", m.quantified_target))
        if m.programme:
            yield triple(s, MG.programme, ox.Literal(m.programme))
        if m.governing_body:
            org = ox.NamedNode(iris.organisation(slugify(m.organisation)))
            yield triple(s, MG.governingBody, org)
            organisations.setdefault(org.value, m)
            if m.organisation != m.governing_body:
                yield triple(s, RDFS.comment, en(f"Governance: {m.governing_body}"))
        if m.funding_note:
            yield triple(s, MG.fundingNote, en(m.funding_note))
        if m.notes:
            yield triple(s, RDFS.comment, en(m.notes))
        yield triple(s, DCT.source, ox.NamedNode(m.source_url))
        for url in m.other_sources:
            yield triple(s, RDFS.seeAlso, ox.NamedNode(url))
    for org_iri, m in organisations.items():
        org = ox.NamedNode(org_iri)
        public = not any(marker in m.organisation for marker in _NOT_PUBLIC)
        yield triple(org, RDF.type, ORG.Organization)
        if public:
            yield triple(org, RDF.type, CV.PublicOrganisation)
        yield triple(org, SKOS.prefLabel, en(m.organisation))
        sector = _LEVEL_SECTOR[m.level] if public else "other"
        yield triple(org, ORG.classification, concept("sector", sector))
        yield triple(org, DCT.spatial, ox.NamedNode(country_iri(m.country) or ""))


def catalogue_ntriples(iris: Iris, csv_path: Path = DEFAULT_CATALOGUE) -> bytes:
    """The catalogue as N-Triples: deterministic (same file, same bytes), no blank nodes."""
    return "".join(_lines(iris, read_catalogue(csv_path))).encode("utf-8")


def load_catalogue(store: Store, iris: Iris, csv_path: Path = DEFAULT_CATALOGUE) -> int:
    """Replace the `catalogue` graph with the catalogue (atomic); returns the number of triples."""
    data = catalogue_ntriples(iris, csv_path)
    store.replace_graph(iris.catalogue_graph, data, ox.RdfFormat.N_TRIPLES)
    return data.count(b"\n")
