"""pyoxigraph terms of the vocabulary, concept codes and country IRIs for writers of N-Triples."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

__all__ = [
    "Namespace",
    "MG",
    "DCT",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "ORG",
    "CV",
    "QB",
    "DCAT",
    "PROV",
    "FOAF",
    "DISCO",
    "VOCAB_BASE",
    "CODES",
    "ISO2_TO_ISO3",
    "concept",
    "is_code",
    "country_iri",
    "sdg_iris",
]


class Namespace:
    """``MG.Mission`` -> ``ox.NamedNode("https://w3id.org/missiongraph/def#Mission")``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return ox.NamedNode(self.base + name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + name)


MG = Namespace("https://w3id.org/missiongraph/def#")
DCT = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
QB = Namespace("http://purl.org/linked-data/cube#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DISCO = Namespace("http://rdf-vocabulary.ddialliance.org/discovery#")
VOCAB_BASE = "https://w3id.org/missiongraph/vocab/"
_COUNTRY = "http://publications.europa.eu/resource/authority/country/"

#: concept codes per scheme, as docs/decisions/0001 fixes them
CODES: dict[str, tuple[str, ...]] = {
    scheme: tuple(codes.split())
    for scheme, codes in {
        "role": "leader coordinator initiator implementer participant",
        "sector": "national-government regional-government local-government supranational-organisation "
        "private-sector foundation academia civil-society other",
        "level": "supranational national regional local",
        "phase": "exploration design portfolio implementation evaluation",
        "challenge-field": "health mental-health climate oceans-water biodiversity cities energy mobility "
        "soil food-agriculture industry circular-economy inclusion digital education public-sector "
        "security ageing economy housing youth-mental-health circular-society ethical-digitisation",
        "external-driver": "collaboration global-challenges economic direction individuals other",
        "internal-driver": "strategy policy impact capacity method other",
        "funding-source": "national-state regional local eu private philanthropic impact-investment",
        "risk": "silos momentum committed-support charismatic-individual short-termism "
        "insufficient-funding unclear-ownership",
        "challenge": "resource-alignment organisational-models budget-timelines measuring-progress "
        "stakeholder-engagement policy-coherence",
        "learning-need": "data-insights portfolio-agility roadmap",
        "support-need": "evaluation governance portfolio experimentation target-setting "
        "stakeholder-engagement funding communication capability-building",
        "answer": "yes partly no dont-know",
    }.items()
}

#: ISO 3166-1 alpha-2 -> the EU Publications Office authority code (alpha-3; the EU itself is EUR)
_ISO_PAIRS = (
    "EU:EUR AT:AUT BE:BEL BG:BGR HR:HRV CY:CYP CZ:CZE DK:DNK EE:EST FI:FIN FR:FRA DE:DEU GR:GRC "
    "HU:HUN IE:IRL IT:ITA LV:LVA LT:LTU LU:LUX MT:MLT NL:NLD PL:POL PT:PRT RO:ROU SK:SVK SI:SVN "
    "ES:ESP SE:SWE GB:GBR NO:NOR IS:ISL CH:CHE UA:UKR RS:SRB AL:ALB MK:MKD ME:MNE BA:BIH MD:MDA "
    "GE:GEO AM:ARM TR:TUR IL:ISR US:USA CA:CAN MX:MEX BR:BRA CL:CHL CO:COL AR:ARG PE:PER UY:URY "
    "AU:AUS NZ:NZL JP:JPN KR:KOR CN:CHN IN:IND SG:SGP ID:IDN TH:THA MY:MYS PH:PHL VN:VNM ZA:ZAF "
    "KE:KEN NG:NGA GH:GHA RW:RWA EG:EGY MA:MAR TN:TUN AE:ARE SA:SAU"
)
ISO2_TO_ISO3: dict[str, str] = dict(pair.split(":") for pair in _ISO_PAIRS.split(" "))


def concept(scheme: str, code: str) -> ox.NamedNode:
    """The concept IRI of a code, e.g. ``concept("risk", "silos")``."""
    return ox.NamedNode(f"{VOCAB_BASE}{scheme}/{code}")


def is_code(scheme: str, code: str) -> bool:
    return code in CODES.get(scheme, ())


def country_iri(code: str) -> str | None:
    """The EU authority IRI of an ISO alpha-2 code (or ``EU``); None when the code is unknown."""
    iso3 = ISO2_TO_ISO3.get(code.strip().upper())
    return f"{_COUNTRY}{iso3}" if iso3 else None


def sdg_iris(fields: Iterable[str]) -> list[str]:
    """SDG goal IRIs of challenge-field codes via the ontology's crosswalk (sorted, no duplicates)."""
    try:
        from ontology.vocab import sdg_goals  # noqa: PLC0415
    except ImportError:  # the crosswalk ships with the ontology package; absent in a partial checkout
        return []
    goals: set[str] = set()
    for code in fields:
        goals.update(sdg_goals(code))
    return sorted(goals)
