"""Load a survey export: read, validate, convert, check with SHACL, write all or nothing."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph.disclosure import DEFAULT_K, Quasi, Shown, anonymise
from graph.errors import IngestError, Problem, StoreError
from graph.ingest.fields import FIELDS, MISSION_LEVEL
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


@dataclass(frozen=True)
class Earlier:
    """A response earlier loads put in a wave: its full detail, and what the public graph shows."""

    quasi: Quasi
    agent: str
    shown: Shown | None  # None: withheld


def earlier_in_wave(store: Store | None, iris: Iris, wave: str) -> dict[str, Earlier]:
    """Every response of ``wave`` already in the store, in full detail and as the public graph shows it."""
    if store is None:
        return {}
    rows = store.select(
        f"""SELECT ?r ?a ?country ?fsector ?frole ?forg ?fm ?pub ?place ?sector ?role ?org ?otype ?m WHERE {{
          GRAPH <{iris.restricted_graph}> {{
            ?r a <{MG}SurveyResponse> ; <{PROV}wasGeneratedBy> <{iris.wave(wave)}> ;
               <{PROV}wasAttributedTo> ?a .
            OPTIONAL {{ ?a <{DCT}spatial> ?country }}
            OPTIONAL {{ ?r <{MG}sector> ?fsector }}
            OPTIONAL {{ ?r <{MG}respondentRole> ?frole }}
            OPTIONAL {{ ?a <{ORG}memberOf> ?forg }}
            OPTIONAL {{ ?r <{MG}describesMission> ?fm }} }}
          OPTIONAL {{ GRAPH <{iris.survey_graph(wave)}> {{
            ?r a <{MG}SurveyResponse> ; <{PROV}wasAttributedTo> ?a .
            OPTIONAL {{ ?r <{DCT}spatial> ?place }}
            OPTIONAL {{ ?r <{MG}sector> ?sector }}
            OPTIONAL {{ ?r <{MG}respondentRole> ?role }}
            OPTIONAL {{ ?a <{ORG}memberOf> ?org }}
            OPTIONAL {{ ?a <{MG}organisationType> ?otype }}
            OPTIONAL {{ ?r <{MG}describesMission> ?m }}
            BIND (true AS ?pub) }} }}
        }}"""
    )
    out: dict[str, Earlier] = {}
    for row in rows:
        key = str(row["r"])
        out[key] = Earlier(
            Quasi(
                key=key,
                country=row.get("country"),
                sector=row.get("fsector"),
                role=row.get("frole"),
                organisation=row.get("forg"),
                mission=row.get("fm"),
            ),
            str(row["a"]),
            Shown(
                place=row.get("place"),
                sector=row.get("sector"),
                role=row.get("role"),
                organisation=row.get("org"),
                organisation_type=row.get("otype"),
                mission=row.get("m"),
            )
            if row.get("pub")
            else None,
        )
    return out


def shown_in_public(store: Store | None, iris: Iris, wave: str) -> dict[str, Shown | None]:
    """Every response of ``wave`` already in the store: what its public graph shows (None: withheld)."""
    return {key: e.shown for key, e in earlier_in_wave(store, iris, wave).items()}


def _same(a: Shown | None, b: Shown | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.combination() == b.combination()


def regeneralise(iris: Iris, wave: str, changes: dict[str, tuple[Earlier, Shown | None]]) -> str:
    """A SPARQL update that changes what the public graph shows of earlier responses: their
    quasi-identifiers (and the mission link) as ``changes`` says, everything else left as it is."""
    g = f"<{iris.survey_graph(wave)}>"
    parts: list[str] = []
    insert: list[str] = []
    resp_qi = f"<{DCT}spatial>, <{MG}sector>, <{MG}respondentRole>, <{MG}describesMission>"
    agent_qi = f"<{DCT}spatial>, <{ORG}memberOf>, <{MG}organisationType>"
    for key, (earlier, new) in sorted(changes.items()):
        r, a = f"<{key}>", f"<{earlier.agent}>"
        gone = new is None
        rp = "" if gone else f"FILTER (?p IN ({resp_qi}))"
        ap = "" if gone else f"FILTER (?p IN ({agent_qi}))"
        parts.append(f"DELETE {{ GRAPH {g} {{ {r} ?p ?o }} }} WHERE {{ GRAPH {g} {{ {r} ?p ?o {rp} }} }}")
        parts.append(f"DELETE {{ GRAPH {g} {{ {a} ?p ?o }} }} WHERE {{ GRAPH {g} {{ {a} ?p ?o {ap} }} }}")
        assoc = f"?m <{PROV}qualifiedAssociation> ?as . ?as <{PROV}agent> {a}"
        if new is None or new.mission is None:
            parts.append(
                f"DELETE {{ GRAPH {g} {{ ?m <{PROV}qualifiedAssociation> ?as . ?as ?p ?o }} }} "
                f"WHERE {{ GRAPH {g} {{ {assoc} ; ?p ?o }} }}"
            )
        else:
            parts.append(
                f"DELETE {{ GRAPH {g} {{ ?as <{PROV}hadRole> ?o }} }} "
                f"WHERE {{ GRAPH {g} {{ {assoc} ; <{PROV}hadRole> ?o }} }}"
            )
        if new is None:
            continue
        triples = []
        if new.place:
            triples += [f"{r} <{DCT}spatial> <{new.place}>", f"{a} <{DCT}spatial> <{new.place}>"]
        if new.sector:
            triples.append(f"{r} <{MG}sector> <{new.sector}>")
        if new.role:
            triples.append(f"{r} <{MG}respondentRole> <{new.role}>")
        if new.organisation:
            triples.append(f"{a} <{ORG}memberOf> <{new.organisation}>")
        if new.organisation_type:
            triples.append(f"{a} <{MG}organisationType> <{new.organisation_type}>")
        if new.mission:
            triples.append(f"{r} <{MG}describesMission> <{new.mission}>")
            if new.role:
                parts.append(
                    f"INSERT {{ GRAPH {g} {{ ?as <{PROV}hadRole> <{new.role}> }} }} "
                    f"WHERE {{ GRAPH {g} {{ {assoc} }} }}"
                )
        insert.extend(f"GRAPH {g} {{ {t} }}" for t in triples)
    if insert:
        parts.append("INSERT DATA {\n" + "\n".join(insert) + "\n}")
    return " ;\n".join(parts)


def withdraw_mission_answers(iris: Iris, wave: str, missions: Iterable[str]) -> str:
    """A SPARQL update that moves the survey answers on ``missions`` that no public response linked to
    them gives any more (the SDGs, when none links) from the wave's graph to the restricted graph."""
    chosen = " ".join(f"<{m}>" for m in sorted(set(missions)))
    if not chosen:
        return ""
    g, rg = f"<{iris.survey_graph(wave)}>", f"<{iris.restricted_graph}>"
    props = " ".join(f"<{FIELDS[name].property}>" for name in MISSION_LEVEL)
    move = f"DELETE {{ GRAPH {g} {{ ?m ?p ?v }} }} INSERT {{ GRAPH {rg} {{ ?m ?p ?v }} }}"
    answers = (
        f"VALUES ?m {{ {chosen} }} VALUES ?p {{ {props} }} ?m ?p ?v "
        f"FILTER NOT EXISTS {{ ?r <{MG}describesMission> ?m ; ?p ?v }}"
    )
    sdgs = (
        f"VALUES ?m {{ {chosen} }} VALUES ?p {{ <{DCT}subject> }} ?m ?p ?v "
        f"FILTER NOT EXISTS {{ ?r <{MG}describesMission> ?m }}"
    )
    return f"{move} WHERE {{ GRAPH {g} {{ {answers} }} }} ;\n{move} WHERE {{ GRAPH {g} {{ {sdgs} }} }}"


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
) -> tuple[LoadReport, list[Response], dict[str, Shown | None], dict[str, tuple[Earlier, Shown | None]]]:
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
    if synthetic:
        # made-up data never describes a real entity (issue 9): a synthetic wave names no catalogue
        # mission; its respondents describe made-up missions of their own (mission_title)
        refused = _synthetic_on_catalogue(name, responses, spec.fields.get("mission_id"))
        if refused:
            raise IngestError(
                f"{name}: synthetic (made-up) data names {len(refused)} catalogue mission(s); made-up "
                "answers never describe a real mission, so nothing was loaded",
                refused,
            )
    # the public tier: the wave is placed again as a whole (earlier loads' respondents included, never
    # shown finer than before), so that every combination of the union has k (docs/decisions/0010)
    earlier = earlier_in_wave(store, iris, wave)
    in_file = {iris.response(wave, r.respondent.respondent_id): quasi(iris, wave, r) for r in responses}
    records = [*in_file.values()]
    # a respondent withheld before stays withheld unless the file brings their answers again
    records += [e.quasi for key, e in earlier.items() if key not in in_file and e.shown is not None]
    before = {key: e.shown for key, e in earlier.items() if e.shown is not None}
    shown, disclosure = anonymise(records, k, before=before)
    changes = {
        key: (e, shown.get(key))
        for key, e in earlier.items()
        if e.shown is not None and not _same(e.shown, shown.get(key))
    }
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
    return report, responses, shown, changes


def _synthetic_on_catalogue(file: str, responses: list[Response], spec: Any) -> list[Problem]:
    """One problem per row of a synthetic file that names a catalogue mission."""
    column = spec.columns[0] if spec is not None and spec.columns else "mission_id"
    return [
        Problem(
            file,
            "a synthetic (made-up) row names a real catalogue mission",
            row=r.row,
            column=column,
            value=r.mission_id,
            expected="blank, with the made-up mission's own title in mission_title",
        )
        for r in responses
        if r.mission_id
    ]


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
    report, _responses, _shown, _changes = _prepare(
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
    behind a checkpoint, readers switch to the new state in one step; when earlier respondents of the
    wave must be shown coarser, that and the new data go as one SPARQL update). Loading the same file
    again adds nothing. ``phase`` hears the phases read, validate and write with their counts.
    """
    started = time.perf_counter()
    with private_tempdir("missiongraph-load-") as tmp:
        nquads = Path(tmp) / "load.nq"  # streamed to disk: a big file never sits in memory as strings
        with nquads.open("wb") as out:
            report, responses, shown, changes = _prepare(
                store, iris, Path(path), mapping, wave, encoding, progress, out, k, phase
            )
        new_respondents, changed = changed_respondents(
            store, iris, wave, responses, Path(path).name, shown, regeneralised=set(changes)
        )
        if changed:
            raise IngestError(f"{Path(path).name}: {len(changed)} problem(s); nothing was loaded", changed)
        if not isinstance(getattr(store, "raw", None), ox.Store):
            new_respondents = _count_new_respondents(store, iris, wave, responses)
        before = store.count()
        if progress:  # validated, converted and checked: the write starts now
            progress(2 * report.rows, 3 * report.rows)
        try:
            if changes:  # earlier respondents shown coarser: that and the new data in one transaction
                unlinked = [e.shown.mission for e, new in changes.values() if e.shown and e.shown.mission]
                withdraw = withdraw_mission_answers(iris, wave, (m for m in unlinked if m))
                update = _with_insert(regeneralise(iris, wave, changes), nquads)
                store.update(f"{update} ;\n{withdraw}" if withdraw else update)
            else:
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


def _with_insert(update: str, nquads: Path) -> str:
    """``update`` followed by an INSERT DATA of every quad of the N-Quads file (one update request)."""
    body = "\n".join(
        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
        for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    )
    return f"{update} ;\nINSERT DATA {{\n{body}\n}}" if update else f"INSERT DATA {{\n{body}\n}}"


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
