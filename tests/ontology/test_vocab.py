"""The concept schemes, countries and crosswalks shipped in ontology/ and the vocab.py accessors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from ontology import vocab
from ontology.errors import UnknownSchemeError
from ontology.namespaces import PROV, concept_iri, scheme_iri

DECISION = Path(__file__).parents[2] / "docs/decisions/0001-identifiers-graphs-and-codes.md"


def decision_codes() -> dict[str, list[str]]:
    """The scheme table of decisions/0001, read from the document itself."""
    text = DECISION.read_text(encoding="utf-8").split("## Concept schemes and codes", 1)[1]
    table: dict[str, list[str]] = {}
    for scheme, codes in re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|$", text, flags=re.MULTILINE):
        table[scheme] = [c.strip() for c in codes.split(",")]
    return table


def test_schemes_and_codes_exactly_as_decided() -> None:
    table = decision_codes()
    assert list(table) == vocab.schemes()
    for scheme, codes in table.items():
        assert [c.code for c in vocab.concepts(scheme)] == codes, scheme


@pytest.mark.parametrize("scheme", vocab.SCHEMES)
def test_every_concept_is_fully_described(scheme: str) -> None:
    g = vocab.vocabulary_graph()
    s_iri = scheme_iri(scheme)
    assert (s_iri, RDF.type, SKOS.ConceptScheme) in g
    assert g.value(s_iri, SKOS.prefLabel) is not None
    for c in vocab.concepts(scheme):
        iri = URIRef(c.iri)
        assert iri == concept_iri(scheme, c.code)
        assert (iri, RDF.type, SKOS.Concept) in g
        assert (iri, SKOS.topConceptOf, s_iri) in g
        assert (s_iri, SKOS.hasTopConcept, iri) in g
        assert c.pref_label and c.definition, c
        assert g.value(iri, SKOS.prefLabel).language == "en"
        assert len(c.alt_labels) >= 2, f"{c.iri} needs the labels practitioners use"
        if scheme == "role":
            assert (iri, RDF.type, PROV.Role) in g


@pytest.mark.parametrize("scheme", vocab.SCHEMES)
def test_no_label_names_two_concepts_of_one_scheme(scheme: str) -> None:
    seen: dict[str, str] = {}
    for c in vocab.concepts(scheme):
        for text in (c.code, c.pref_label, *c.alt_labels):
            key = vocab.normalise_label(text)
            assert seen.setdefault(key, c.code) == c.code, f"{text!r} names {seen[key]} and {c.code}"


@pytest.mark.parametrize(
    ("scheme", "text", "code"),
    [
        ("challenge-field", "Oceans & Water", "oceans-water"),
        ("challenge-field", "food & agriculture", "food-agriculture"),
        ("challenge-field", "circular economy", "circular-economy"),
        ("challenge-field", "mental health", "mental-health"),
        ("challenge-field", "public sector", "public-sector"),
        ("challenge-field", "wellbeing", "mental-health"),
        ("challenge-field", "Plastic", "circular-economy"),
        ("challenge-field", "loneliness", "youth-mental-health"),
        ("challenge-field", "dementia", "ageing"),
        ("funding-source", "state", "national-state"),
        ("funding-source", "municipal", "local"),
        ("funding-source", "EU", "eu"),
        ("risk", "working in silos", "silos"),
        ("risk", "Fragmentation", "silos"),
        ("answer", "Don\u2019t know", "dont-know"),
        ("answer", "YES", "yes"),
        ("sector", "national government", "national-government"),
        ("sector", "National_Government", "national-government"),
        ("role", "Coordinator", "coordinator"),
    ],
)
def test_resolve_code(scheme: str, text: str, code: str) -> None:
    assert vocab.resolve_code(scheme, text) == code


def test_resolve_code_rejects_unknown() -> None:
    assert vocab.resolve_code("risk", "alien invasion") is None
    assert vocab.resolve_code("answer", "maybe") is None
    with pytest.raises(UnknownSchemeError):
        vocab.resolve_code("no-such-scheme", "x")
    assert vocab.concept("risk", "nope") is None
    assert vocab.concept("risk", "silos").pref_label == "Effect of silos"


def test_countries() -> None:
    codes = vocab.countries()
    assert len(codes) >= 50
    required = [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "GB",
        "US",
        "CA",
        "AU",
        "NZ",
        "JP",
        "KR",
        "IL",
        "CH",
        "EU",
    ]
    assert set(required) <= set(codes)
    base = "http://publications.europa.eu/resource/authority/country/"
    assert vocab.country_iri("DK") == base + "DNK"
    assert vocab.country_iri("dk") == base + "DNK"
    assert vocab.country_iri("EU") == base + "EUR"
    assert vocab.country_iri("UK") == base + "GBR"
    assert vocab.country_iri("XX") is None
    assert vocab.country_label(base + "DNK") == "Denmark"
    assert vocab.country_label(base + "ZZZ") is None
    assert all(re.fullmatch(base + "[A-Z]{3}", iri) for iri in codes.values())


def test_sdg_crosswalk_covers_every_field() -> None:
    for c in vocab.concepts("challenge-field"):
        goals = vocab.sdgs_for_field(c.code)
        assert goals, c.code
        assert all(re.fullmatch(r"http://metadata\.un\.org/sdg/([1-9]|1[0-7])", g) for g in goals)
    assert vocab.sdgs_for_field("climate") == ["http://metadata.un.org/sdg/13"]
    assert vocab.sdgs_for_field("no-such-field") == []


def test_sectors_match_adms_publisher_types() -> None:
    g = vocab.vocabulary_graph()
    adms = "http://purl.org/adms/publishertype/"
    matched = {
        c.code
        for c in vocab.concepts("sector")
        if any(str(o).startswith(adms) for o in g.objects(URIRef(c.iri), SKOS.closeMatch))
    }
    assert matched == {c.code for c in vocab.concepts("sector")} - {"other"}
    assert (
        concept_iri("sector", "national-government"),
        SKOS.closeMatch,
        URIRef(adms + "NationalAuthority"),
    ) in g


def test_need_strengths() -> None:
    strengths = vocab.need_strengths()
    assert set(strengths) == {c.code for c in vocab.concepts("support-need")}
    mg = "https://w3id.org/missiongraph/def#"
    assert strengths["evaluation"] == [(mg + "hasMonitoringPlan", str(concept_iri("answer", "yes")))]
    assert strengths["target-setting"] == [(mg + "hasClearTarget", str(concept_iri("answer", "yes")))]
    assert (mg + "phase", str(concept_iri("phase", "portfolio"))) in strengths["portfolio"]
    known = {c.iri for s in vocab.SCHEMES for c in vocab.concepts(s)}
    for pairs in strengths.values():
        assert pairs
        assert all(value in known for _, value in pairs)


def test_labels_and_ntriples() -> None:
    assert vocab.label(str(concept_iri("risk", "silos"))) == "Effect of silos"
    assert vocab.label("https://example.org/thing/unknown-term") == "unknown-term"
    nt = vocab.write_vocabulary_ntriples()
    assert nt == vocab.write_vocabulary_ntriples()
    assert b"<https://w3id.org/missiongraph/vocab/risk/silos>" in nt
    assert b"_:" not in nt  # no blank nodes anywhere (decisions/0002)


def test_vocabulary_graph_is_a_copy() -> None:
    g = vocab.vocabulary_graph()
    n = len(g)
    g.remove((None, None, None))
    assert len(vocab.vocabulary_graph()) == n
