"""Load a survey export: read, validate, convert, check with SHACL, write all or nothing."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph.disclosure import DEFAULT_K, Shown, anonymise
from graph.errors import IngestError, Problem, StoreError
from graph.ingest.mapping import load_mapping
from graph.ingest.reader import read_table
from graph.ingest.reload import changed_respondents
from graph.ingest.shapes import check_shapes
from graph.ingest.to_rdf import Sink, quasi, write_survey_nquads
from graph.ingest.validate import validate_table
from graph.iris import Iris, is_wave
from graph.records import Response
from graph.store.base import Store
from graph.tempfiles import private_tempdir
from ontology.namespaces import MG_NS

__all__ = ["LoadReport", "load_survey", "check_survey", "catalogue_ids", "PHASES", "PhaseHook"]

Progress = Callable[[int, int], None]
#: phase(name, done, total): the load's phases in order, with counts (PHASES; the index is the caller's)
PhaseHook = Callable[[str, int, int], None]
PHASES = ("read", "validate", "write", "index")
MG = MG_NS
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"


@dataclass
class LoadReport:
    """What a load did (or, for a dry run, would do)."""

    file: str
    wave: str
    rows: int
    respondents_added: int
    triples_added: int
    seconds: float
    synthetic: bool
    #: quads the file produces (some may already be in the store)
    quads: int = 0
    dry_run: bool = False
    #: how many responses the SHACL shapes checked, and how many the file has
    shacl_checked: int = 0
    notices: list[str] = field(default_factory=list)
    #: respondents who did not consent to be contacted but whose name, e-mail or phone the file had:
    #: those were dropped before anything was written
    contacts_dropped: int = 0
    #: respondents whose contact details were kept (they consented)
    contacts_kept: int = 0
    #: how the public graph shows the respondents (graph.disclosure.DisclosureReport.as_dict)
    disclosure: dict[str, Any] = field(default_factory=dict)


class _Discard:
    """A sink for a dry run: the N-Quads are counted, not kept."""

    def write(self, data: bytes, /) -> int:
        return len(data)


def catalogue_ids(store: Store | None, iris: Iris) -> tuple[set[str], str | None]:
    """Catalogue mission ids from the store's catalogue graph; the repository catalogue when it is empty."""
    if store is not None:
        pattern = f"?m a <{MG}Mission> ; <{DCT}identifier> ?id"
        rows = store.select(f"SELECT ?id WHERE {{ GRAPH <{iris.catalogue_graph}> {{ {pattern} }} }}")
        ids = {str(r["id"]) for r in rows if "id" in r}
        if ids:
            return ids, None
    from graph.catalogue import read_catalogue  # only when the store holds no catalogue

    try:
        ids = {m.id for m in read_catalogue()}
    except (OSError, IngestError):
        return set(), "no missions catalogue in the store or data/: every catalogue mission id is unknown"
    return ids, "the store holds no missions catalogue: mission ids checked against data/missions.csv"


def drop_contacts(responses: list[Response]) -> tuple[list[Response], int, int]:
    """Responses without the name, e-mail and phone of people who did not consent to be contacted.

    Returns (responses, how many had contact details dropped, how many kept theirs). The organisation
    stays in memory (its opaque key groups colleagues) but its typed name is written with consent only.
    """
    kept = dropped = 0
    out: list[Response] = []
    for r in responses:
        p = r.respondent
        has_contact = bool(p.name or p.email or p.phone)
        if p.consent is True:
            kept += has_contact
            out.append(r)
            continue
        if has_contact:
            dropped += 1
            r = dataclasses.replace(r, respondent=dataclasses.replace(p, name=None, email=None, phone=None))
        out.append(r)
    return out, dropped, kept


def shown_in_public(store: Store | None, iris: Iris, wave: str) -> dict[str, Shown | None]:
    """Every response of ``wave`` already in the store: what its public graph shows (None: withheld)."""
    if store is None:
        return {}
    rows = store.select(
        f"""SELECT ?r ?pub ?place ?sector ?role ?org ?otype WHERE {{
          GRAPH <{iris.restricted_graph}> {{
            ?r a <{MG}SurveyResponse> ; <{PROV}wasGeneratedBy> <{iris.wave(wave)}> ;
               <{PROV}wasAttributedTo> ?a }}
          OPTIONAL {{ GRAPH <{iris.survey_graph(wave)}> {{
            ?r a <{MG}SurveyResponse> ; <{PROV}wasAttributedTo> ?a .
            OPTIONAL {{ ?r <{DCT}spatial> ?place }}
            OPTIONAL {{ ?r <{MG}sector> ?sector }}
            OPTIONAL {{ ?r <{MG}respondentRole> ?role }}
            OPTIONAL {{ ?a <{ORG}memberOf> ?org }}
            OPTIONAL {{ ?a <{MG}organisationType> ?otype }}
            BIND (true AS ?pub) }} }}
        }}"""
    )
    return {
        str(row["r"]): (
            Shown(
                place=row.get("place"),
                sector=row.get("sector"),
                role=row.get("role"),
                organisation=row.get("org"),
                organisation_type=row.get("otype"),
            )
            if row.get("pub")
            else None
        )
        for row in rows
    }


def _prepare(
    store: Store | None,
    iris: Iris,
    path: Path,
    mapping: Path | None,
    wave: str,
    encoding: str | None,
    progress: Progress | None,
    out: Sink,
    k: int,
    phase: PhaseHook | None,
) -> tuple[LoadReport, list[Response], dict[str, Shown | None]]:
    started = time.perf_counter()
    name = path.name
    if not is_wave(wave):
        raise IngestError(
            f"bad wave {wave!r}",
            [Problem(name, "bad wave name", value=wave, expected="letters, digits, . _ -")],
        )
    spec = load_mapping(mapping)
    if phase:
        phase("read", 0, 0)
    table = read_table(path, encoding=encoding or spec.encoding, delimiter=spec.delimiter, sheet=spec.sheet)
    total = len(table.rows)
    if phase:
        phase("read", total, total)
        phase("validate", 0, total)
    units = 3 * total  # validate, convert, write (the write is one transaction: reported when done)
    ids, notice = catalogue_ids(store, iris)

    def validated(n: int, _t: int) -> None:
        if progress:
            progress(n, units)
        if phase:
            phase("validate", n, total)

    checked = validate_table(table, spec, catalogue_ids=ids, progress=validated)
    if checked.problems:
        raise IngestError(f"{name}: {len(checked.problems)} problem(s); nothing was loaded", checked.problems)
    responses, dropped, kept = drop_contacts(checked.responses)
    if "synthetic" in name.lower():  # the generator says so in the file name too
        responses = [
            dataclasses.replace(
                r, synthetic=True, respondent=dataclasses.replace(r.respondent, synthetic=True)
            )
            for r in responses
        ]
    synthetic = any(r.synthetic for r in responses)
    # the public tier: earlier loads of the wave keep what they show, the new respondents are placed
    before = shown_in_public(store, iris, wave)
    keys = [iris.response(wave, r.respondent.respondent_id) for r in responses]
    fresh = [quasi(iris, wave, r) for r, key in zip(responses, keys, strict=True) if key not in before]
    shown, disclosure = anonymise(fresh, k, shown_before=(s for s in before.values() if s is not None))
    shown.update({key: before[key] for key in keys if key in before})
    report = LoadReport(
        file=name,
        wave=wave,
        rows=total,
        respondents_added=0,
        triples_added=0,
        seconds=0.0,
        synthetic=synthetic,
        notices=checked.notices + ([notice] if notice else []),
        contacts_dropped=dropped,
        contacts_kept=kept,
        disclosure=disclosure.as_dict(),
    )
    report.shacl_checked = check_shapes(iris, wave, responses, spec, name, synthetic=synthetic, shown=shown)
    if phase:
        phase("write", 0, total)

    def converted(n: int) -> None:
        if progress:
            progress(total + n, units)
        if phase:
            phase("write", n // 2, total)  # converting is the first half of writing

    report.quads = write_survey_nquads(
        out,
        iris,
        wave,
        responses,
        synthetic=synthetic,
        source=iris.instance("file", quote(path.name)),
        fields=spec.fields,
        shown=shown,
        progress=converted,
    )
    report.seconds = time.perf_counter() - started
    return report, responses, shown


def check_survey(
    store: Store | None,
    iris: Iris,
    path: Path,
    *,
    mapping: Path | None = None,
    wave: str = "2021",
    encoding: str | None = None,
    progress: Progress | None = None,
    k: int = DEFAULT_K,
) -> LoadReport:
    """Validate a file exactly as ``load_survey`` would (rows, codes, SHACL) without writing anything."""
    report, _responses, _shown = _prepare(
        store, iris, path, mapping, wave, encoding, progress, _Discard(), k, None
    )
    report.dry_run = True
    if progress:
        progress(3 * report.rows, 3 * report.rows)
    return report


def load_survey(
    store: Store,
    iris: Iris,
    path: Path,
    *,
    mapping: Path | None = None,
    wave: str = "2021",
    encoding: str | None = None,
    progress: Progress | None = None,
    k: int = DEFAULT_K,
    phase: PhaseHook | None = None,
) -> LoadReport:
    """Load one survey export: full detail into the restricted graph, a k-anonymous form of it into
    ``iris.survey_graph(wave)`` (docs/decisions/0010); contact details only of people who consented.

    All or nothing: any problem raises ``IngestError`` with every problem found and writes nothing; the
    write itself lands whole or not at all (``Store.stream_load``: the embedded store writes in place
    behind a checkpoint, readers switch to the new state in one step). Loading the same file again
    adds nothing. ``phase`` hears the phases read, validate and write with their counts.
    """
    started = time.perf_counter()
    with private_tempdir("missiongraph-load-") as tmp:
        nquads = Path(tmp) / "load.nq"  # streamed to disk: a big file never sits in memory as strings
        with nquads.open("wb") as out:
            report, responses, shown = _prepare(
                store, iris, Path(path), mapping, wave, encoding, progress, out, k, phase
            )
        new_respondents, changed = changed_respondents(store, iris, wave, responses, Path(path).name, shown)
        if changed:
            raise IngestError(f"{Path(path).name}: {len(changed)} problem(s); nothing was loaded", changed)
        if not isinstance(getattr(store, "raw", None), ox.Store):
            new_respondents = _count_new_respondents(store, iris, wave, responses)
        before = store.count()
        if progress:  # validated, converted and checked: the write starts now
            progress(2 * report.rows, 3 * report.rows)
        try:
            # all or nothing without the whole write batch in memory (graph/store/oxigraph.py)
            store.stream_load(nquads, ox.RdfFormat.N_QUADS)
        except StoreError:
            raise
        except (OSError, ValueError, SyntaxError) as exc:
            raise StoreError(f"the store refused the survey data: {exc}") from exc
    after = store.count()
    if progress:
        progress(3 * report.rows, 3 * report.rows)
    if phase:
        phase("write", report.rows, report.rows)
    report.respondents_added = new_respondents
    report.triples_added = after - before
    report.seconds = time.perf_counter() - started
    return report


def _count_new_respondents(store: Store, iris: Iris, wave: str, responses: list[Response]) -> int:
    graph = iris.restricted_graph  # every response is there (the public graph may withhold some)
    raw = getattr(store, "raw", None)
    if isinstance(raw, ox.Store):  # embedded store: direct lookups
        g = ox.NamedNode(graph)
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        response_class = ox.NamedNode(f"{MG}SurveyResponse")
        return sum(
            1
            for r in responses
            if ox.Quad(
                ox.NamedNode(iris.response(wave, r.respondent.respondent_id)), rdf_type, response_class, g
            )
            not in raw
        )
    new = 0
    for start in range(0, len(responses), 500):
        chunk = responses[start : start + 500]
        values = " ".join(f"<{iris.response(wave, r.respondent.respondent_id)}>" for r in chunk)
        rows = store.select(
            f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?r {{ {values} }} "
            f"GRAPH <{graph}> {{ ?r a <{MG}SurveyResponse> }} }}"
        )
        new += len(chunk) - int(rows[0].get("n", 0)) if rows else len(chunk)
    return new
