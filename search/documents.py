"""Search documents derived from the store's public graphs: missions, survey responses and concepts."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.iris import Iris
from graph.store import Dataset, Store

__all__ = [
    "SearchDocument",
    "DocumentSet",
    "FACETS",
    "FACET_LABELS",
    "EXPANSION_SCHEMES",
    "documents_from_store",
    "public_graphs",
]

VOCAB = "https://w3id.org/missiongraph/vocab/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
PREFIXES = """
PREFIX mg: <https://w3id.org/missiongraph/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: facet name (the query parameter) → the properties whose values fill it (decisions/0002)
FACET_PROPERTIES: dict[str, tuple[str, ...]] = {
    "country": ("http://purl.org/dc/terms/spatial",),
    "level": ("https://w3id.org/missiongraph/def#level",),
    "field": ("https://w3id.org/missiongraph/def#challengeField",),
    "phase": ("https://w3id.org/missiongraph/def#phase",),
    "sector": ("https://w3id.org/missiongraph/def#sector",),
    "driver": (
        "https://w3id.org/missiongraph/def#mainExternalDriver",
        "https://w3id.org/missiongraph/def#mainInternalDriver",
    ),
    "funding": ("https://w3id.org/missiongraph/def#fundingSource",),
    "risk": ("https://w3id.org/missiongraph/def#perceivedRisk",),
    "support": ("https://w3id.org/missiongraph/def#supportNeed",),
    # the catalogue states a quantified target; the survey asks for a clearly defined one
    "target": (
        "https://w3id.org/missiongraph/def#hasClearTarget",
        "https://w3id.org/missiongraph/def#hasQuantifiedTarget",
    ),
    "me_plan": ("https://w3id.org/missiongraph/def#hasMonitoringPlan",),
}
#: every facet, in the order responses list them (`type` and `wave` are not properties)
FACETS: tuple[str, ...] = ("type", *FACET_PROPERTIES, "wave")
FACET_LABELS = {
    "type": "Type",
    "country": "Country",
    "level": "Level",
    "field": "Challenge field",
    "phase": "Phase",
    "sector": "Sector",
    "driver": "Main driver",
    "funding": "Funding source",
    "risk": "Risk",
    "support": "Support need",
    "target": "Clear target",
    "me_plan": "M&E plan",
    "wave": "Survey wave",
}
TYPE_LABELS = {"mission": "Mission", "response": "Survey response", "concept": "Concept"}

#: properties whose concepts' labels are indexed as text (answers yes/no and countries carry no topic)
TEXT_LABEL_PROPERTIES = (
    "https://w3id.org/missiongraph/def#challengeField",
    "https://w3id.org/missiongraph/def#phase",
    "https://w3id.org/missiongraph/def#sector",
    "https://w3id.org/missiongraph/def#mainExternalDriver",
    "https://w3id.org/missiongraph/def#mainInternalDriver",
    "https://w3id.org/missiongraph/def#fundingSource",
    "https://w3id.org/missiongraph/def#perceivedRisk",
    "https://w3id.org/missiongraph/def#facedChallenge",
    "https://w3id.org/missiongraph/def#learningNeed",
    "https://w3id.org/missiongraph/def#supportNeed",
)
#: concept schemes whose altLabels expand queries and are indexed as concept documents
EXPANSION_SCHEMES = (
    "challenge-field",
    "risk",
    "challenge",
    "support-need",
    "learning-need",
    "phase",
    "external-driver",
    "internal-driver",
    "funding-source",
    "sector",
)


@dataclass(slots=True)
class SearchDocument:
    """One searchable thing; the engines index its text fields, the index keeps its facets."""

    id: str
    iri: str
    type: str  # mission | response | concept
    title: str
    goal: str = ""
    answers: str = ""
    labels: list[str] = field(default_factory=list)
    #: the labels of the challenge fields: short topical words that the embedding text includes
    topics: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""

    @property
    def embed_text(self) -> str:
        """What the sentence-embedding model reads: title, goal or answers, and the challenge fields."""
        parts = [self.title, self.goal, self.answers]
        if self.topics:
            parts.append("Fields: " + ", ".join(self.topics))
        return ". ".join(p.strip().rstrip(".") for p in parts if p.strip())

    def digest(self) -> str:
        """A fingerprint of the content: an incremental update re-indexes only changed documents."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:20]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchDocument:
        # facet values repeat across documents: one shared string each (less memory at 100k documents)
        data["type"] = sys.intern(data["type"])
        data["facets"] = {sys.intern(k): [sys.intern(v) for v in vs] for k, vs in data["facets"].items()}
        return cls(**data)


@dataclass
class DocumentSet:
    """The documents plus what the index needs besides them: facet value labels and the thesaurus."""

    documents: list[SearchDocument]
    #: facet → value → label
    value_labels: dict[str, dict[str, str]]
    #: concept IRI → (prefLabel, altLabels) for query expansion
    thesaurus: dict[str, tuple[str, list[str]]]


def public_graphs(store: Store, iris: Iris) -> tuple[str, ...]:
    """The public named graphs holding data (never the restricted one)."""
    return tuple(g for g in store.named_graphs() if iris.is_public_graph(g))


def _code(iri: str) -> str:
    """The facet value of a concept or country IRI: its code, scheme-qualified for drivers."""
    if iri.startswith(COUNTRY):
        return iri[len(COUNTRY) :]
    if iri.startswith(VOCAB):
        scheme, _, code = iri[len(VOCAB) :].partition("/")
        return f"{scheme.split('-')[0]}-{code}" if scheme.endswith("-driver") else code
    return iri.rsplit("/", 1)[-1]


def documents_from_store(store: Store, iris: Iris) -> DocumentSet:
    """Every search document of the public graphs, read with SPARQL (deterministic order)."""
    graphs = public_graphs(store, iris)
    if not graphs:
        return DocumentSet([], {f: {} for f in FACETS}, {})
    union = Dataset(default=graphs)
    named = Dataset(named=graphs)

    # --- concept labels (prefLabel + altLabels), English or untagged ---------------------------
    pref: dict[str, str] = {}
    alts: dict[str, list[str]] = defaultdict(list)
    for row in store.select(
        PREFIXES
        + """SELECT ?c ?p ?l WHERE { ?c ?p ?l . VALUES ?p { skos:prefLabel skos:altLabel }
             FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) } ORDER BY ?c ?p ?l""",
        dataset=union,
    ):
        if row["p"].endswith("prefLabel"):
            pref.setdefault(row["c"], row["l"])
        else:
            alts[row["c"]].append(row["l"])

    def label(iri: str) -> str:
        return pref.get(iri) or _code(iri)

    # --- facet and label properties of missions and responses ---------------------------------
    props = sorted({p for ps in FACET_PROPERTIES.values() for p in ps} | set(TEXT_LABEL_PROPERTIES))
    values = " ".join(f"<{p}>" for p in props)
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(
        PREFIXES
        + f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o .
              {{ ?s a mg:Mission }} UNION {{ ?s a mg:SurveyResponse }} }} ORDER BY ?s ?p ?o""",
        dataset=union,
    ):
        if isinstance(row.get("o"), str):
            links[row["s"]][row["p"]].append(row["o"])

    # which survey waves speak of a mission (answers about it in a wave's graph)
    survey_prefix = iris.survey_graph("")
    waves: dict[str, set[str]] = defaultdict(set)
    for row in store.select(
        PREFIXES
        + f"""SELECT DISTINCT ?m ?g WHERE {{ GRAPH ?g {{ ?m ?p ?o }}
              FILTER(STRSTARTS(STR(?g), "{survey_prefix}")) ?m a mg:Mission }}""",
        dataset=Dataset(default=graphs, named=graphs),
    ):
        waves[row["m"]].add(row["g"][len(survey_prefix) :])
    del named

    value_labels: dict[str, dict[str, str]] = {f: {} for f in FACETS}
    value_labels["type"] = dict(TYPE_LABELS)

    def facets_of(subject: str) -> tuple[dict[str, list[str]], list[str], list[str]]:
        found = links.get(subject, {})
        facets: dict[str, list[str]] = {}
        for name, properties in FACET_PROPERTIES.items():
            objs = [o for p in properties for o in found.get(p, [])]
            if name == "target" and found.get(properties[0]):
                objs = list(found[properties[0]])  # the survey's answer wins over the catalogue's
            codes = []
            for o in objs:
                code = _code(o)
                value_labels[name].setdefault(code, label(o))
                if code not in codes:
                    codes.append(code)
            if codes:
                facets[name] = sorted(codes)
        text_labels: list[str] = []
        for p in TEXT_LABEL_PROPERTIES:
            for o in found.get(p, []):
                for text in (label(o), *alts.get(o, [])):
                    if text not in text_labels:
                        text_labels.append(text)
        topics = [label(o) for o in found.get(TEXT_LABEL_PROPERTIES[0], [])]
        return facets, text_labels, topics

    docs: list[SearchDocument] = []

    # --- missions ------------------------------------------------------------------------------
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(
        PREFIXES
        + """SELECT ?m ?p ?v WHERE { ?m a mg:Mission . ?m ?p ?v .
             VALUES ?p { dct:identifier dct:title mg:goalStatement } } ORDER BY ?m ?p ?v""",
        dataset=union,
    ):
        texts[row["m"]].setdefault(row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(row["v"]))
    for iri in sorted(texts):
        t = texts[iri]
        mission_id = t.get("identifier") or iris.mission_id(iri) or iri
        facets, text_labels, topics = facets_of(iri)
        facets["type"] = ["mission"]
        if waves.get(iri):
            facets["wave"] = sorted(waves[iri])
        docs.append(
            SearchDocument(
                id=mission_id,
                iri=iri,
                type="mission",
                title=t.get("title", mission_id),
                goal=t.get("goalStatement", ""),
                labels=text_labels,
                topics=topics,
                facets=facets,
                url=f"/missions/{mission_id}",
            )
        )

    # --- survey responses (public view: free text and linked concepts only) --------------------
    responses: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(
        PREFIXES
        + """SELECT ?r ?p ?v WHERE { ?r a mg:SurveyResponse . ?r ?p ?v .
             VALUES ?p { mg:challengeText mg:supportText prov:wasGeneratedBy mg:describesMission } }
             ORDER BY ?r ?p ?v""",
        dataset=union,
    ):
        responses[row["r"]][row["p"].rsplit("#", 1)[-1]].append(str(row["v"]))
    mission_titles = {d.iri: d.title for d in docs}
    response_prefix = iris.instance("response", "")
    for iri in sorted(responses):
        r = responses[iri]
        key = iri[len(response_prefix) :] if iri.startswith(response_prefix) else iri
        facets, text_labels, topics = facets_of(iri)
        facets["type"] = ["response"]
        wave_codes = sorted({w.rsplit("/", 1)[-1] for w in r.get("wasGeneratedBy", [])})
        if wave_codes:
            facets["wave"] = wave_codes
        about = [mission_titles[m] for m in r.get("describesMission", []) if m in mission_titles]
        title = f"Survey response {wave_codes[0] if wave_codes else ''}".strip()
        if about:
            title += f": {about[0]}"
        docs.append(
            SearchDocument(
                id=f"response/{key}",
                iri=iri,
                type="response",
                title=title,
                answers="\n".join(r.get("challengeText", []) + r.get("supportText", [])),
                labels=text_labels,
                topics=topics,
                facets=facets,
                url=iri,
            )
        )
    for facet in ("wave",):
        for d in docs:
            for code in d.facets.get(facet, []):
                value_labels[facet].setdefault(code, code)

    # --- concepts of the topical schemes ---------------------------------------------------------
    thesaurus: dict[str, tuple[str, list[str]]] = {}
    definitions: dict[str, str] = {}
    for row in store.select(
        PREFIXES
        + """SELECT ?c ?d WHERE { ?c a skos:Concept . OPTIONAL { ?c skos:definition ?d } } ORDER BY ?c ?d""",
        dataset=union,
    ):
        definitions.setdefault(row["c"], row.get("d", ""))
    for iri in sorted(definitions):
        if not iri.startswith(VOCAB):
            continue
        scheme, _, code = iri[len(VOCAB) :].partition("/")
        if scheme not in EXPANSION_SCHEMES or not code:
            continue
        thesaurus[iri] = (label(iri), list(alts.get(iri, [])))
        docs.append(
            SearchDocument(
                id=f"{scheme}/{code}",
                iri=iri,
                type="concept",
                title=label(iri),
                goal=definitions[iri],
                labels=list(alts.get(iri, [])),
                facets={"type": ["concept"]},
                url=iri,
            )
        )
    return DocumentSet(docs, value_labels, thesaurus)
