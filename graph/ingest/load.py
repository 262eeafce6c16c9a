"""Load a survey export: read, validate, convert, check with SHACL, write in one transaction."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from graph.errors import IngestError, Problem, StoreError
from graph.ingest.mapping import load_mapping
from graph.ingest.reader import read_table
from graph.ingest.reload import changed_respondents
from graph.ingest.shapes import check_shapes
from graph.ingest.to_rdf import Sink, write_survey_nquads
from graph.ingest.validate import validate_table
from graph.iris import Iris
from graph.records import Response
from graph.store.base import Store
from graph.tempfiles import private_tempdir

__all__ = ["LoadReport", "load_survey", "check_survey", "catalogue_ids"]

Progress = Callable[[int, int], None]
_WAVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MG = "https://w3id.org/missiongraph/def#"
DCT = "http://purl.org/dc/terms/"


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
    from graph.catalogue import read_catalogue  # noqa: PLC0415 - only when the store holds no catalogue

    try:
        ids = {m.id for m in read_catalogue()}
    except (OSError, IngestError):
        return set(), "no missions catalogue in the store or data/: every catalogue mission id is unknown"
    return ids, "the store holds no missions catalogue: mission ids checked against data/missions.csv"


def _prepare(
    store: Store | None,
    iris: Iris,
    path: Path,
    mapping: Path | None,
    wave: str,
    encoding: str | None,
    progress: Progress | None,
    out: Sink,
) -> tuple[LoadReport, list[Response]]:
    started = time.perf_counter()
    name = path.name
    if not _WAVE.match(wave):
        raise IngestError(
            f"bad wave {wave!r}",
            [Problem(name, "bad wave name", value=wave, expected="letters, digits, . _ -")],
        )
    spec = load_mapping(mapping)
    table = read_table(path, encoding=encoding or spec.encoding, delimiter=spec.delimiter, sheet=spec.sheet)
    total = len(table.rows)
    units = 3 * total  # validate, convert, write (the write is one transaction: reported when done)
    ids, notice = catalogue_ids(store, iris)
    checked = validate_table(
        table, spec, catalogue_ids=ids, progress=(lambda n, _t: progress(n, units)) if progress else None
    )
    if checked.problems:
        raise IngestError(f"{name}: {len(checked.problems)} problem(s); nothing was loaded", checked.problems)
    responses = checked.responses
    if "synthetic" in name.lower():  # the generator says so in the file name too
        responses = [
            dataclasses.replace(
                r, synthetic=True, respondent=dataclasses.replace(r.respondent, synthetic=True)
            )
            for r in responses
        ]
    synthetic = any(r.synthetic for r in responses)
    count = write_survey_nquads(
        out,
        iris,
        wave,
        responses,
        synthetic=synthetic,
        source=iris.instance("file", quote(path.name)),
        fields=spec.fields,
        progress=(lambda n: progress(total + n, units)) if progress else None,
    )
    report = LoadReport(
        file=str(path),
        wave=wave,
        rows=total,
        respondents_added=0,
        triples_added=0,
        seconds=time.perf_counter() - started,
        synthetic=synthetic,
        quads=count,
        notices=checked.notices + ([notice] if notice else []),
    )
    report.shacl_checked = check_shapes(iris, wave, responses, spec, name, synthetic=synthetic)
    return report, responses


def check_survey(
    store: Store | None,
    iris: Iris,
    path: Path,
    *,
    mapping: Path | None = None,
    wave: str = "2021",
    encoding: str | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate a file exactly as ``load_survey`` would (rows, codes, SHACL) without writing anything."""
    report, _responses = _prepare(store, iris, path, mapping, wave, encoding, progress, _Discard())
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
) -> LoadReport:
    """Load one survey export into ``iris.survey_graph(wave)`` (personal data: the restricted graph).

    All or nothing: any problem raises ``IngestError`` with every problem found and writes nothing; the
    write itself is one store transaction. Loading the same file again adds nothing.
    """
    started = time.perf_counter()
    with private_tempdir("missiongraph-load-") as tmp:
        nquads = Path(tmp) / "load.nq"  # streamed to disk: a big file never sits in memory as strings
        with nquads.open("wb") as out:
            report, responses = _prepare(store, iris, Path(path), mapping, wave, encoding, progress, out)
        new_respondents, changed = changed_respondents(store, iris, wave, responses, Path(path).name)
        if changed:
            raise IngestError(f"{Path(path).name}: {len(changed)} problem(s); nothing was loaded", changed)
        if not isinstance(getattr(store, "raw", None), ox.Store):
            new_respondents = _count_new_respondents(store, iris, wave, responses)
        before = store.count()
        if progress:  # validated, converted and checked: the one write transaction starts now
            progress(2 * report.rows, 3 * report.rows)
        try:
            store.load(nquads, ox.RdfFormat.N_QUADS)
        except StoreError:
            raise
        except (OSError, ValueError, SyntaxError) as exc:
            raise StoreError(f"the store refused the survey data: {exc}") from exc
    after = store.count()
    if progress:
        progress(3 * report.rows, 3 * report.rows)
    report.respondents_added = new_respondents
    report.triples_added = after - before
    report.seconds = time.perf_counter() - started
    return report


def _count_new_respondents(store: Store, iris: Iris, wave: str, responses: list[Response]) -> int:
    graph = iris.survey_graph(wave)
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
