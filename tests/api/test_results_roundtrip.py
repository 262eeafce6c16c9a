"""SPARQL CSV and TSV results never alter data: every XSD type round-trips; only text is guarded."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

XSD = "http://www.w3.org/2001/XMLSchema#"

#: one value of every XSD datatype SPARQL results can carry, negative and signed forms included
TYPED = [
    ("-0.2", "decimal"),
    ("-17", "integer"),
    ("-1500", "double"),
    ("-INF", "double"),
    ("NaN", "double"),
    ("-0.25", "float"),
    ("true", "boolean"),
    ("false", "boolean"),
    ("-9223372036854775808", "long"),
    ("-2147483648", "int"),
    ("-32768", "short"),
    ("-128", "byte"),
    ("0", "nonNegativeInteger"),
    ("-3", "nonPositiveInteger"),
    ("-4", "negativeInteger"),
    ("7", "positiveInteger"),
    ("18446744073709551615", "unsignedLong"),
    ("4294967295", "unsignedInt"),
    ("65535", "unsignedShort"),
    ("255", "unsignedByte"),
    ("2021-12-01", "date"),
    ("-0044-03-15", "date"),
    ("13:20:00+01:00", "time"),
    ("2021-12-01T09:30:00Z", "dateTime"),
    ("2021-12-01T09:30:00-05:00", "dateTimeStamp"),
    ("-P1Y2M3DT4H", "duration"),
    ("-P3DT4H", "dayTimeDuration"),
    ("-P1Y2M", "yearMonthDuration"),
    ("2030", "gYear"),
    ("-0500", "gYear"),
    ("2030-06", "gYearMonth"),
    ("--06", "gMonth"),
    ("---15", "gDay"),
    ("--06-15", "gMonthDay"),
    ("DEADBEEF", "hexBinary"),
    ("bWlzc2lvbg==", "base64Binary"),
    ("http://example.org/=x", "anyURI"),
    ("en-GB", "language"),
    ("-normalized", "normalizedString"),
    ("-token", "token"),
    ("-nmtoken", "NMTOKEN"),
    ("Name", "Name"),
    ("NCName", "NCName"),
]
#: plain text a spreadsheet would run as a formula: neutralised in CSV, never in TSV (quoted there)
TEXT = ["=1+1", "-2+3", "+x", "@SUM(A1)", "plain"]


def _values_query() -> str:
    rows = [f'("{v}"^^<{XSD}{t}>)' for v, t in TYPED] + [f'("{v}")' for v in TEXT]
    return f"SELECT ?v WHERE {{ VALUES (?v) {{ {' '.join(rows)} }} }}"


@pytest.fixture(scope="module")
def results(client: TestClient) -> dict[str, str]:
    out = {}
    for media in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        r = client.post("/sparql", data={"query": _values_query()}, headers={"Accept": media})
        assert r.status_code == 200, r.text
        out[media] = r.text
    return out


def test_csv_keeps_every_typed_value_and_guards_only_text(
    client: TestClient, results: dict[str, str]
) -> None:
    rows = list(csv.reader(io.StringIO(results["text/csv"])))
    assert rows[0] == ["v"]
    cells = [r[0] for r in rows[1:]]
    assert cells[: len(TYPED)] == [v for v, _ in TYPED]
    assert cells[len(TYPED) :] == ["'=1+1", "'-2+3", "'+x", "'@SUM(A1)", "plain"]


def _json_terms(results: dict[str, str]) -> list[tuple[str, str | None]]:
    import json

    bindings = json.loads(results["application/sparql-results+json"])["results"]["bindings"]
    return [(b["v"]["value"], b["v"].get("datatype")) for b in bindings]


def test_tsv_round_trips_every_term_with_its_datatype(results: dict[str, str]) -> None:
    lines = results["text/tab-separated-values"].rstrip("\n").split("\n")
    assert lines[0] == "?v"
    terms = []
    for line in lines[1:]:  # each cell is an N-Triples term: parse it back
        quad = next(iter(ox.parse(f"<urn:s> <urn:p> {line} .", format=ox.RdfFormat.N_TRIPLES)))
        terms.append(quad.object)
    assert [(t.value, t.datatype.value) for t in terms[: len(TYPED)]] == _json_terms(results)[: len(TYPED)]
    assert [t.value for t in terms[len(TYPED) :]] == TEXT


def test_json_keeps_every_lexical_value(results: dict[str, str]) -> None:
    json_terms = _json_terms(results)[: len(TYPED)]
    assert [v for v, _ in json_terms] == [v for v, _ in TYPED]
    # the store keeps each value's type; pyoxigraph reads the integer subtypes as xsd:integer and
    # xsd:dateTimeStamp as xsd:dateTime (the same values): every other datatype is kept as written
    widened = {
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "positiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "dateTimeStamp",
    }
    for (_, datatype), (_, written) in zip(json_terms, TYPED, strict=True):
        if written not in widened:
            assert datatype == XSD + written


def test_named_query_csv_keeps_negative_and_typed_values(client: TestClient) -> None:
    r = client.get("/api/queries/published-figures", params={"format": "csv"})
    assert r.status_code == 200
    assert "'-" not in r.text and "'+" not in r.text
