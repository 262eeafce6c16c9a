"""Validated survey records as N-Quads lines, exactly in the shape of docs/decisions/0002."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox

from graph.ingest.codes import concept_iri, country_iri
from graph.ingest.fields import FIELDS, MISSION_LEVEL, question_code
from graph.iris import Iris
from graph.rdfterms import sdg_iris
from graph.records import Response

__all__ = ["Sink", "write_survey_nquads", "survey_quads", "wave_quads", "response_quads"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
MG = "https://w3id.org/missiongraph/def#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
DISCO = "http://rdf-vocabulary.ddialliance.org/discovery#"
CV = "http://data.europa.eu/m8g/"
XSD = "http://www.w3.org/2001/XMLSchema#"

_TRUE = str(ox.Literal("true", datatype=ox.NamedNode(f"{XSD}boolean")))
_FALSE = str(ox.Literal("false", datatype=ox.NamedNode(f"{XSD}boolean")))
_GOV_SECTORS = {
    "national-government",
    "regional-government",
    "local-government",
    "supranational-organisation",
}
_PHONE_KEEP = re.compile(r"[^0-9+]")


def _u(iri: str) -> str:
    return f"<{iri}>"


def _p(local: str, ns: str = MG) -> str:
    return f"<{ns}{local}>"


def _text(value: str, lang: str | None = "en") -> str:
    return str(ox.Literal(value, language=lang)) if lang else str(ox.Literal(value))


def _typed(value: str, datatype: str) -> str:
    return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))


def _safe_iri(iri: str) -> str | None:
    """An IRI made from user data, checked by pyoxigraph; None when it is not a valid IRI."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def wave_quads(
    iris: Iris, wave: str, *, synthetic: bool, source: str, fields: Iterable[str]
) -> Iterator[tuple[str, str, str, str]]:
    """The wave (a disco:Study and prov:Activity) and the questions of the mapped fields."""
    g = _u(iris.survey_graph(wave))
    w = _u(iris.wave(wave))
    title = f"Missions needs assessment survey {wave}" + (" (synthetic sample)" if synthetic else "")
    yield w, RDF_TYPE, _p("Study", DISCO), g
    yield w, RDF_TYPE, _p("Activity", PROV), g
    yield w, _p("title", DCT), _text(title), g
    yield w, _p("identifier", DCT), _text(wave, None), g
    if synthetic:
        yield w, _p("synthetic"), _TRUE, g
    source_iri = _safe_iri(source)
    if source_iri:
        yield w, _p("source", DCT), source_iri, g
    for name in fields:
        info = FIELDS[name]
        if info.question is None or info.property is None:
            continue
        q = _u(iris.question(question_code(name)))
        yield q, RDF_TYPE, _p("Question", DISCO), g
        yield q, _p("questionText", DISCO), _text(info.question), g
        yield q, _p("recordedAs"), _u(info.property), g
        if info.scheme:
            yield q, _p("answerScheme"), _u(concept_iri(info.scheme, "")), g


def response_quads(iris: Iris, wave: str, r: Response) -> Iterator[tuple[str, str, str, str]]:
    """Every quad of one response: public ones in the wave graph, personal data in the restricted graph."""
    g = _u(iris.survey_graph(wave))
    rg = _u(iris.restricted_graph)
    person = r.respondent
    rid = person.respondent_id
    opaque = iris.opaque(wave, rid)
    resp = _u(iris.response(wave, rid))
    agent = _u(iris.respondent(wave, rid))
    w = _u(iris.wave(wave))

    yield resp, RDF_TYPE, _p("SurveyResponse"), g
    yield resp, _p("wasGeneratedBy", PROV), w, g
    yield resp, _p("wasAttributedTo", PROV), agent, g
    if r.synthetic:
        yield resp, _p("synthetic"), _TRUE, g
    if r.submitted_at:
        stamp = r.submitted_at if "T" in r.submitted_at else f"{r.submitted_at}T00:00:00"
        yield resp, _p("generatedAtTime", PROV), _typed(stamp, f"{XSD}dateTime"), g

    country = country_iri(person.country) if person.country else None
    if country:
        yield resp, _p("spatial", DCT), _u(country), g
    for name, (scheme, codes) in r.answers.items():
        prop = _u(FIELDS[name].property or "")
        for code in codes:
            yield resp, prop, _u(concept_iri(scheme, code)), g
    for name, value in r.texts.items():
        yield resp, _u(FIELDS[name].property or ""), _text(value), g

    # the respondent: opaque, no personal data in the public graph
    yield agent, RDF_TYPE, _p("Person", FOAF), g
    yield agent, RDF_TYPE, _p("Agent", PROV), g
    if r.synthetic:
        yield agent, _p("synthetic"), _TRUE, g
    if country:
        yield agent, _p("spatial", DCT), _u(country), g
    if person.organisation:
        org = _u(iris.organisation(_org_slug(person.organisation)))
        yield agent, _p("memberOf", ORG), org, g
        yield org, RDF_TYPE, _p("Organization", ORG), g
        sector = r.codes("sector")
        if sector:
            yield org, _p("classification", ORG), _u(concept_iri("sector", sector[0])), g
            if sector[0] in _GOV_SECTORS:
                yield org, RDF_TYPE, _p("PublicOrganisation", CV), g

    # the mission described: a catalogue one (answers in this wave's graph) or the respondent's own
    mission: str | None = None
    if r.mission_id:
        mission = _u(iris.mission(r.mission_id))
    elif r.mission_title:
        mission_key = iris.own_mission_key(wave, r.mission_title, person.country)
        mission = _u(iris.mission(mission_key))
        yield mission, RDF_TYPE, _p("Mission"), g
        yield mission, _p("identifier", DCT), _text(mission_key, None), g
        yield mission, _p("title", DCT), _text(r.mission_title), g
        if r.mission_goal:
            yield mission, _p("goalStatement"), _text(r.mission_goal), g
        if r.target_year is not None:
            yield mission, _p("targetYear"), _typed(str(r.target_year), f"{XSD}gYear"), g
        if country:  # the mission of a respondent's own: in the country they work in
            yield mission, _p("spatial", DCT), _u(country), g
        if r.synthetic:
            yield mission, _p("synthetic"), _TRUE, g
        for sdg in sdg_iris(r.codes("challenge_fields")):  # the challenge-field -> SDG crosswalk
            yield mission, _p("subject", DCT), _u(sdg), g
    if mission is not None:
        yield resp, _p("describesMission"), mission, g
        for name in MISSION_LEVEL:
            answer = r.answers.get(name)
            if answer:
                prop = _u(FIELDS[name].property or "")
                for code in answer[1]:
                    yield mission, prop, _u(concept_iri(answer[0], code)), g
        assoc = _u(iris.instance("association", f"{wave}/{opaque}"))
        yield mission, _p("qualifiedAssociation", PROV), assoc, g
        yield assoc, RDF_TYPE, _p("Association", PROV), g
        yield assoc, _p("agent", PROV), agent, g
        role = r.codes("role")
        if role:
            yield assoc, _p("hadRole", PROV), _u(concept_iri("role", role[0])), g

    # personal data: the restricted graph only
    if person.name:
        yield agent, _p("name", FOAF), _text(person.name, None), rg
    if person.email:
        mbox = _safe_iri(f"mailto:{person.email}")
        if mbox:
            yield agent, _p("mbox", FOAF), mbox, rg
    if person.phone:
        digits = _PHONE_KEEP.sub("", person.phone)
        if digits:
            yield agent, _p("phone", FOAF), _u(f"tel:{digits}"), rg
    if person.organisation:
        yield agent, _p("organisationName"), _text(person.organisation, None), rg
    if person.consent is not None:
        yield agent, _p("contactConsent"), _TRUE if person.consent else _FALSE, rg


def _org_slug(name: str) -> str:
    """An opaque but stable organisation key: colleagues share it, the public graph cannot read the name."""
    import hashlib  # noqa: PLC0415

    normalised = " ".join(name.lower().split())
    return "o-" + hashlib.sha256(normalised.encode()).hexdigest()[:16]


class Sink(Protocol):
    """Where N-Quads bytes go: a file, a buffer, or nothing (a dry run counts only)."""

    def write(self, data: bytes, /) -> int: ...


def write_survey_nquads(
    out: Sink,
    iris: Iris,
    wave: str,
    responses: list[Response],
    *,
    synthetic: bool,
    source: str,
    fields: Iterable[str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write every N-Quads line of one file (the wave, its questions, every response); returns the count.

    Written out in chunks, so that a big file never sits in memory as millions of Python strings.
    """
    lines = [
        f"{s} {p} {o} {g} .\n"
        for s, p, o, g in wave_quads(iris, wave, synthetic=synthetic, source=source, fields=fields)
    ]
    count = 0
    for n, r in enumerate(responses, start=1):
        lines.extend(f"{s} {p} {o} {g} .\n" for s, p, o, g in response_quads(iris, wave, r))
        if n % 1000 == 0:
            out.write("".join(lines).encode("utf-8"))
            count += len(lines)
            lines = []
            if progress is not None and n < len(responses):  # the caller reports the end
                progress(n)
    out.write("".join(lines).encode("utf-8"))
    return count + len(lines)


def survey_quads(
    iris: Iris,
    wave: str,
    responses: list[Response],
    *,
    synthetic: bool,
    source: str,
    fields: Iterable[str],
) -> bytes:
    """All N-Quads of one file as bytes (small files and tests; ingest streams to a file)."""
    buffer = io.BytesIO()
    write_survey_nquads(buffer, iris, wave, responses, synthetic=synthetic, source=source, fields=fields)
    return buffer.getvalue()
