"""People to match and group: survey respondents read from the store, missions, or listed participants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph.errors import InvalidInputError, NotFoundError
from graph.iris import Iris
from graph.network.peers import PeerModel
from graph.provenance import wave_source
from graph.store import Dataset, Store
from ontology.namespaces import MG_NS
from ontology.vocab import country_label, label, need_strengths

__all__ = [
    "Person",
    "SHARED_DIMENSIONS",
    "PARTICIPANT_LIST",
    "respondents",
    "wave_respondents",
    "consenting_respondents",
    "mission_people",
    "people_on_missions",
    "attach_mission_titles",
    "vocabulary_iri",
    "concept_label",
]

MG = MG_NS
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOCAB = "https://w3id.org/missiongraph/vocab/"
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"

#: what people can have in common: dimension → the property recording it on a survey response
SHARED_DIMENSIONS: dict[str, str] = {
    "challenge-field": f"{MG}challengeField",
    "challenge": f"{MG}facedChallenge",
    "risk": f"{MG}perceivedRisk",
    "support-need": f"{MG}supportNeed",
}
#: the ``source`` of people who come from a participant list (not a survey wave, not the catalogue)
PARTICIPANT_LIST = "participant-list"


@cache
def concept_label(iri: str) -> str:
    """A concept's English label (countries by name), cached: the same few concepts are asked again."""
    if iri.startswith(COUNTRY_AUTHORITY):
        return country_label(iri) or iri.rsplit("/", 1)[-1]
    return label(iri)


@dataclass
class Person:
    """One person (or one mission standing for the people on it) as matching and grouping see them."""

    key: str
    #: ``respondent``, ``participant`` (from a list) or ``mission``
    kind: str
    #: a display name: the contact name when known and consented, else a pseudonym
    name: str
    synthetic: bool
    source: str
    organisation: str | None = None
    email: str | None = None
    consent: bool = False
    mission_id: str | None = None
    mission_title: str | None = None
    #: a participant's own words about their mission, when they gave no mission id
    mission_description: str | None = None
    #: how a description was mapped (the concepts and the closest missions found for it)
    mapped_from_description: list[str] = field(default_factory=list)
    sectors: set[str] = field(default_factory=set)  # labels
    countries: set[str] = field(default_factory=set)  # labels
    #: dimension → concept IRI → label, for the dimensions people share (SHARED_DIMENSIONS)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: support-need code → why this person can help with it ("has monitoring and evaluation plan: Yes")
    strengths: dict[str, str] = field(default_factory=dict)

    def concepts(self, dimension: str) -> set[str]:
        return set(self.values.get(dimension, {}))

    @property
    def needs(self) -> set[str]:
        """Support-need codes."""
        return {iri.rstrip("/").rsplit("/", 1)[-1] for iri in self.values.get("support-need", {})}

    @property
    def has_answers(self) -> bool:
        return any(self.values.get(d) for d in SHARED_DIMENSIONS)

    @property
    def mission_text(self) -> str:
        return self.mission_title or self.mission_description or ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.key,
            "kind": self.kind,
            "name": self.name,
            "organisation": self.organisation,
            "email": self.email if self.consent else None,
            "contact_consent": self.consent,
            "mission": (
                {"id": self.mission_id, "title": self.mission_title}
                if self.mission_id
                else ({"description": self.mission_description} if self.mission_description else None)
            ),
            "sector": ", ".join(sorted(self.sectors)) or None,
            "country": ", ".join(sorted(self.countries)) or None,
            "synthetic": self.synthetic,
            "source": self.source,
        }
        if self.mapped_from_description:
            out["mapped_from_description"] = list(self.mapped_from_description)
        return out


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _strength_pairs() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for need, pairs in need_strengths().items():
        for pair in pairs:
            out.setdefault(pair, []).append(need)
    return out


def _survey_dataset(store: Store, iris: Iris) -> Dataset:
    """Every survey graph plus the restricted graph: the Lab's full view of the respondents."""
    graphs = [g for g in store.named_graphs() if g.startswith(iris.survey_graph("").rstrip("/"))]
    return Dataset(default=(*graphs, iris.restricted_graph))


def _read(store: Store, iris: Iris, selector: str) -> list[Person]:
    """The respondents the SPARQL ``selector`` (binding ?person and ?resp) picks, with their answers."""
    pairs = _strength_pairs()
    props = {*SHARED_DIMENSIONS.values(), f"{MG}sector", f"{DCT}spatial", f"{MG}describesMission"}
    props |= {p for p, _ in pairs}
    values = " ".join(f"<{p}>" for p in sorted(props))
    dataset = _survey_dataset(store, iris)
    rows = store.select(
        f"""SELECT ?person ?wave ?p ?o ?synthetic WHERE {{
              {selector}
              ?resp <{PROV}wasAttributedTo> ?person ; <{PROV}wasGeneratedBy> ?wave .
              OPTIONAL {{ ?resp <{MG}synthetic> ?synthetic }}
              OPTIONAL {{ VALUES ?p {{ {values} }} ?resp ?p ?o }}
            }}""",
        dataset=dataset,
    )
    by_iri: dict[str, Person] = {}
    dims = {p: d for d, p in SHARED_DIMENSIONS.items()}
    for r in rows:
        iri = r["person"]
        person = by_iri.get(iri)
        if person is None:
            key = _tail(iri)
            person = Person(
                key=key,
                kind="respondent",
                name=f"Respondent {key[:8]}",
                synthetic=False,
                source=wave_source(_tail(r["wave"])),
            )
            by_iri[iri] = person
        if r.get("synthetic") is True:
            person.synthetic = True
        p, o = r.get("p"), r.get("o")
        if not isinstance(p, str) or not isinstance(o, str):
            continue
        if p in dims:
            person.values.setdefault(dims[p], {})[o] = concept_label(o)
        elif p == f"{MG}sector":
            person.sectors.add(concept_label(o))
        elif p == f"{DCT}spatial" and o.startswith(COUNTRY_AUTHORITY):
            person.countries.add(concept_label(o))
        elif p == f"{MG}describesMission":
            person.mission_id = iris.mission_id(o) or o
        for need in pairs.get((p, o), ()):
            person.strengths.setdefault(need, f"{label(p)}: {label(o)}")
    _contacts(store, iris, by_iri)
    return sorted(by_iri.values(), key=lambda x: x.key)


def _contacts(store: Store, iris: Iris, people: dict[str, Person]) -> None:
    """Names, e-mails and organisations of the people who consented to be contacted (restricted graph)."""
    if not people:
        return
    values = " ".join(f"<{iri}>" for iri in people)
    rows = store.select(
        f"""SELECT ?person ?name ?mbox ?org WHERE {{
              VALUES ?person {{ {values} }}
              ?person <{MG}contactConsent> true .
              OPTIONAL {{ ?person <{FOAF}name> ?name }}
              OPTIONAL {{ ?person <{FOAF}mbox> ?mbox }}
              OPTIONAL {{ ?person <{MG}organisationName> ?org }}
            }}""",
        dataset=Dataset(default=(iris.restricted_graph,)),
    )
    for r in rows:
        person = people[r["person"]]
        person.consent = True
        if r.get("name"):
            person.name = str(r["name"])
        if r.get("mbox"):
            person.email = str(r["mbox"]).removeprefix("mailto:")
        if r.get("org"):
            person.organisation = str(r["org"])


def respondents(store: Store, iris: Iris, ids: Sequence[str]) -> list[Person]:
    """The respondents with these opaque ids (16 hex digits), in the order given; unknown ids: 404."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    bad = [i for i in wanted if not _is_respondent_id(i)]
    if bad:
        raise InvalidInputError(
            f"not a respondent id: {bad[0]!r}", expected="16 hexadecimal digits", value=bad[0]
        )
    values = " ".join(f"<{iris.instance('respondent', i)}>" for i in wanted)
    found = {p.key: p for p in _read(store, iris, f"VALUES ?person {{ {values} }}")}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFoundError(f"no respondent with id {missing[0]!r}", id=missing[0])
    return [found[i] for i in wanted]


def wave_respondents(store: Store, iris: Iris, wave: str, *, consenting_only: bool = True) -> list[Person]:
    """Every respondent of a survey wave (by default only those who consented to be contacted)."""
    selector = f"?resp <{PROV}wasGeneratedBy> <{iris.wave(wave)}> ."
    people = _read(store, iris, selector)
    if not people:
        raise NotFoundError(f"no survey wave {wave!r} with respondents", wave=wave)
    return [p for p in people if p.consent] if consenting_only else people


def consenting_respondents(store: Store, iris: Iris) -> list[Person]:
    """Every respondent of every wave who consented to be contacted."""
    return [p for p in _read(store, iris, "") if p.consent]


def _is_respondent_id(value: str) -> bool:
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


def mission_people(model: PeerModel, ids: Iterable[str]) -> list[Person]:
    """Missions standing in for the people on them (what ``POST /api/groups`` did with mission ids)."""
    f = model.features
    out = []
    for mid in ids:
        row = model.row(mid)
        values = {}
        for d in SHARED_DIMENSIONS:
            dm = f.dims[d]
            values[d] = {dm.terms[c].strip("<>"): dm.labels[c] for c in dm.values_of(row).tolist()}
        sectors = {f.dims["sector"].labels[c] for c in f.dims["sector"].values_of(row).tolist()}
        countries = {f.dims["country"].labels[c] for c in f.dims["country"].values_of(row).tolist()}
        countries = {concept_label(c) if c.startswith("http") else c for c in countries}
        strengths: dict[str, str] = {}
        for need, pairs in need_strengths().items():
            for p, v in pairs:
                if row in f.strengths.get((p, v), ()):
                    strengths.setdefault(need, f"{label(p)}: {label(v)}")
        synthetic, source = f.synthetic[row], f.sources[row]
        out.append(
            Person(
                key=mid,
                kind="mission",
                name=f.titles[row],
                synthetic=synthetic,
                source=source,
                mission_id=mid,
                mission_title=f.titles[row],
                sectors=sectors,
                countries=countries,
                values=values,
                strengths=strengths,
            )
        )
    return out


def attach_mission_titles(model: PeerModel, people: Iterable[Person]) -> None:
    """Fill in the titles of the missions people describe, from the network view."""
    f = model.features
    for p in people:
        if p.mission_id and not p.mission_title:
            row = f.row_of.get(p.mission_id)
            if row is not None:
                p.mission_title = f.titles[row]


def vocabulary_iri(scheme: str, code: str) -> str:
    return f"{VOCAB}{scheme}/{code}"


def people_on_missions(store: Store, iris: Iris, mission_ids: Sequence[str]) -> dict[str, list[Person]]:
    """Mission id → the respondents who describe it (contacts only of those who consented)."""
    if not mission_ids:
        return {}
    values = " ".join(f"<{iris.mission(m)}>" for m in mission_ids)
    selector = f"VALUES ?m {{ {values} }} ?resp <{MG}describesMission> ?m ."
    out: dict[str, list[Person]] = {m: [] for m in mission_ids}
    for p in _read(store, iris, selector):
        if p.mission_id in out:
            out[p.mission_id].append(p)
    for people in out.values():
        people.sort(key=lambda p: (not p.consent, p.name.lower()))
    return out
