"""A workshop's participant list (CSV or JSON): validated row by row, then turned into people to match."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import IngestError, Problem
from graph.network.peers import PeerModel
from graph.network.people import (
    PARTICIPANT_LIST,
    SHARED_DIMENSIONS,
    Person,
    concept_label,
    mission_people,
    vocabulary_iri,
)
from ontology.vocab import concepts, country_iri, resolve_code

__all__ = [
    "COLUMNS",
    "MAX_PARTICIPANTS",
    "ParticipantRow",
    "Describe",
    "DescriptionMatch",
    "parse_participants",
    "participant_people",
    "describe_with_model",
]

MAX_PARTICIPANTS = 1000
#: column → what it holds (the docs and the error messages use these words)
COLUMNS: dict[str, str] = {
    "name": "the person's name (required)",
    "organisation": "their organisation",
    "email": "their e-mail address",
    "mission": "a mission id (e.g. eu-mission-cities); or give mission_description",
    "mission_description": "the mission in their own words (mapped to challenge fields and missions)",
    "risks": "risks, as codes or labels separated by ';' (e.g. silos; momentum)",
    "needs": "support needs, codes or labels separated by ';' (e.g. evaluation; funding)",
    "challenges": "challenges faced, codes or labels separated by ';'",
    "fields": "challenge fields, codes or labels separated by ';'",
    "sector": "sector code or label (e.g. local-government)",
    "country": "country code or name (e.g. DK)",
    "offers": "support needs they can help others with, codes or labels separated by ';'",
    "consent": "yes or no: may their e-mail be shown to the group (default yes)",
    "id": "an id of your own for the person (default: the row)",
}
_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "e-mail": "email",
    "mail": "email",
    "mission_id": "mission",
    "description": "mission_description",
    "support_needs": "needs",
    "support_need": "needs",
    "risk": "risks",
    "challenge": "challenges",
    "challenge_fields": "fields",
    "challenge_field": "fields",
    "field": "fields",
}
#: list columns → (concept scheme, dimension)
_LISTS = {
    "risks": ("risk", "risk"),
    "needs": ("support-need", "support-need"),
    "challenges": ("challenge", "challenge"),
    "fields": ("challenge-field", "challenge-field"),
    "offers": ("support-need", None),
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YES = {"yes", "y", "true", "1", "ja", "oui"}
_NO = {"no", "n", "false", "0", "nej", "non"}


@dataclass
class DescriptionMatch:
    """What a free-text mission description was mapped to."""

    #: dimension → concept IRIs
    concepts: dict[str, list[str]] = field(default_factory=dict)
    #: (mission id, title) of the closest missions
    missions: list[tuple[str, str]] = field(default_factory=list)


#: a free-text description → the concepts and missions it is closest to (the search index, or the model)
Describe = Callable[[str], DescriptionMatch]


@dataclass
class ParticipantRow:
    """One validated row of a participant list."""

    row: int
    key: str
    name: str
    organisation: str | None = None
    email: str | None = None
    consent: bool = True
    mission: str | None = None
    mission_description: str | None = None
    sector: str | None = None  # code
    country: str | None = None  # IRI
    lists: dict[str, list[str]] = field(default_factory=dict)  # column → codes


def _header(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    key = "email" if key == "e_mail" else key
    return _ALIASES.get(key, key)


def _records(data: str, filename: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The rows as (row number, column → value); JSON when it starts with [ or the name ends .json."""
    text = data.lstrip("\ufeff")
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            return [], [Problem(filename, f"not valid JSON: {exc}", expected="a JSON list of objects")]
        if isinstance(loaded, dict) and isinstance(loaded.get("participants"), list):
            loaded = loaded["participants"]
        if not isinstance(loaded, list):
            return [], [Problem(filename, "expected a JSON list of participants", expected="[{...}, ...]")]
        out, problems = [], []
        for n, item in enumerate(loaded, 1):
            if not isinstance(item, dict):
                problems.append(
                    Problem(filename, "a participant must be an object", row=n, value=str(item)[:60])
                )
                continue
            out.append((n, {_header(str(k)): v for k, v in item.items()}))
        return out, problems
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        return [], [Problem(filename, f"not a readable CSV file: {exc}", expected="a CSV file, header first")]
    if not rows:
        return [], [Problem(filename, "the file is empty", expected="a header row: " + ", ".join(COLUMNS))]
    header = [_header(h) for h in rows[0]]
    out2: list[tuple[int, dict[str, Any]]] = []
    problems2: list[Problem] = []
    for n, values in enumerate(rows[1:], 2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems2.append(
                Problem(
                    filename,
                    f"{len(values)} values for {len(header)} columns",
                    row=n,
                    value=",".join(values[len(header) :])[:60],
                    expected=f"{len(header)} values",
                )
            )
        out2.append((n, dict(zip(header, values, strict=False))))
    return out2, problems2


def _strings(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else None


def parse_participants(
    data: str | bytes, filename: str, *, known_missions: Mapping[str, Any] | set[str]
) -> list[ParticipantRow]:
    """Every row of a participant list, validated; all problems at once as an ``IngestError``."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(
                "the participant list could not be read",
                [
                    Problem(
                        filename, f"not UTF-8 text (byte {exc.start})", expected="a UTF-8 CSV or JSON file"
                    )
                ],
            ) from exc
    records, problems = _records(data, filename)
    seen_columns = {c for _, r in records for c in r}
    unknown = sorted(seen_columns - set(COLUMNS))
    for col in unknown:
        problems.append(Problem(filename, "unknown column", row=1, column=col, expected=", ".join(COLUMNS)))
    if len(records) > MAX_PARTICIPANTS:
        problems.append(
            Problem(filename, f"{len(records)} participants", expected=f"at most {MAX_PARTICIPANTS}")
        )
    out: list[ParticipantRow] = []
    keys: dict[str, int] = {}
    for n, rec in records:
        bad = len(problems)

        def problem(column: str, message: str, value: Any, expected: str, n: int = n) -> None:
            problems.append(
                Problem(filename, message, row=n, column=column, value=str(value)[:80], expected=expected)
            )

        texts = {}
        for col in ("id", "name", "organisation", "email", "mission", "mission_description", "sector",
                    "country", "consent"):  # fmt: skip
            value = _text(rec.get(col))
            if value is None and rec.get(col) is not None:
                problem(col, "expected a text value", rec.get(col), "a string")
            texts[col] = value or None
        name = texts["name"]
        if not name:
            problem("name", "a participant needs a name", rec.get("name") or "", COLUMNS["name"])
        email = texts["email"]
        if email and not _EMAIL.fullmatch(email):
            problem("email", "not an e-mail address", email, "name@example.org")
        mission = texts["mission"]
        if mission and mission not in known_missions:
            problem("mission", "no mission with this id", mission, "a mission id, e.g. eu-mission-cities")
        description = texts["mission_description"]
        if description and len(description) > 2000:
            problem("mission_description", "longer than 2000 characters", description, "a few sentences")
        if not mission and not description:
            problem("mission", "neither a mission id nor a mission description", "", COLUMNS["mission"])
        sector = None
        if texts["sector"]:
            sector = resolve_code("sector", texts["sector"])
            if sector is None:
                problem("sector", "unknown sector", texts["sector"], _codes("sector"))
        country = None
        if texts["country"]:
            country = country_iri(texts["country"])
            if country is None:
                problem("country", "unknown country", texts["country"], "an ISO code such as DK, or a name")
        consent = True
        if texts["consent"]:
            word = texts["consent"].lower()
            if word not in _YES | _NO:
                problem("consent", "not yes or no", texts["consent"], "yes or no")
            consent = word in _YES
        lists: dict[str, list[str]] = {}
        for col, (scheme, _dim) in _LISTS.items():
            items = _strings(rec.get(col))
            if items is None:
                problem(col, "expected codes separated by ';' or a list of strings", rec.get(col), "a; b")
                continue
            codes = []
            for item in items:
                code = resolve_code(scheme, item)
                if code is None:
                    problem(col, f"unknown {scheme.replace('-', ' ')}", item, _codes(scheme))
                else:
                    codes.append(code)
            lists[col] = list(dict.fromkeys(codes))
        key = texts["id"] or f"row-{n}"
        if key in keys:
            problem("id", f"the same id as row {keys[key]}", key, "a different id per participant")
        keys[key] = n
        if len(problems) == bad and name:
            out.append(
                ParticipantRow(
                    row=n,
                    key=key,
                    name=name,
                    organisation=texts["organisation"],
                    email=email,
                    consent=consent,
                    mission=mission,
                    mission_description=description,
                    sector=sector,
                    country=country,
                    lists=lists,
                )
            )
    if not records and not problems:
        problems.append(Problem(filename, "no participants in the file", expected="one row per person"))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise IngestError(f"the participant list has {len(problems)} {noun}", problems)
    return out


def _codes(scheme: str) -> str:
    codes = [c.code for c in concepts(scheme)]
    return "one of " + ", ".join(codes[:12]) + (" ..." if len(codes) > 12 else "")


def describe_with_model(model: PeerModel, *, limit: int = 3) -> Describe:
    """A description → the challenge fields of the missions whose goal text is closest (no index needed)."""

    def describe(text: str) -> DescriptionMatch:
        q = model.query_for_profile({"goal": [text]})
        if q.text is None:
            return DescriptionMatch()
        top = model.top(q, limit)
        f = model.features
        dm = f.dims["challenge-field"]
        fields: dict[str, int] = {}
        for row, _score in top:
            for c in dm.values_of(row).tolist():
                iri = dm.terms[c].strip("<>")
                fields[iri] = fields.get(iri, 0) + 1
        best = sorted(fields, key=lambda i: (-fields[i], i))[:3]
        return DescriptionMatch({"challenge-field": best}, [(f.ids[r], f.titles[r]) for r, _ in top])

    return describe


def participant_people(
    model: PeerModel,
    rows: Sequence[ParticipantRow],
    *,
    describe: Describe | None = None,
) -> list[Person]:
    """People from validated rows: a mission id brings that mission's concepts; a description is mapped."""
    describe = describe or describe_with_model(model)
    out = []
    for r in rows:
        values: dict[str, dict[str, str]] = {d: {} for d in SHARED_DIMENSIONS}
        synthetic = False
        title = None
        strengths: dict[str, str] = {}
        mapped: list[str] = []
        if r.mission:
            (mission,) = mission_people(model, [r.mission])
            for d, vals in mission.values.items():
                values[d].update(vals)
            synthetic, title, strengths = mission.synthetic, mission.mission_title, dict(mission.strengths)
        elif r.mission_description:
            match = describe(r.mission_description)
            for d, iris in match.concepts.items():
                for iri in iris:
                    values.setdefault(d, {})[iri] = concept_label(iri)
                    mapped.append(concept_label(iri))
            mapped += [f"close to {t}" for _, t in match.missions[:2]]
        for col, (scheme, dim) in _LISTS.items():
            for code in r.lists.get(col, []):
                iri = vocabulary_iri(scheme, code)
                if dim is None:
                    strengths.setdefault(code, f"offers help with {concept_label(iri).lower()}")
                else:
                    values[dim][iri] = concept_label(iri)
        out.append(
            Person(
                key=r.key,
                kind="participant",
                name=r.name,
                synthetic=synthetic,
                source=PARTICIPANT_LIST,
                organisation=r.organisation,
                email=r.email,
                consent=r.consent,
                mission_id=r.mission,
                mission_title=title,
                mission_description=None if r.mission else r.mission_description,
                mapped_from_description=mapped,
                sectors={concept_label(vocabulary_iri("sector", r.sector))} if r.sector else set(),
                countries={concept_label(r.country)} if r.country else set(),
                values=values,
                strengths=strengths,
            )
        )
    return out
