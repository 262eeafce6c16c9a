"""A seeded generator of synthetic survey exports whose aggregates match the deck's published figures."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from graph.catalogue import DEFAULT_CATALOGUE, CatalogueMission, read_catalogue
from graph.csvsafe import neutralise
from graph.figures import DEFAULT_FIGURES, read_figures
from graph.rdfterms import CODES
from graph.synthetic_text import (
    CITIES,
    COUNTRY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    challenge_text,
    mission_title_goal,
    support_text,
)

__all__ = ["COLUMNS", "generate_survey", "write_csv", "write_xlsx", "quota"]

#: the export columns of docs/codebook.md, in order
COLUMNS: tuple[str, ...] = (
    "respondent_id", "submitted_at", "name", "email", "phone", "organisation", "consent_contact",
    "country", "sector", "role", "involved", "mission_id", "mission_title", "mission_goal", "level",
    "target_year", "phase", "challenge_fields", "clear_target", "me_plan", "external_driver",
    "internal_driver", "funding_sources", "risks", "challenges", "learning_needs", "support_needs",
    "challenge_text", "support_text", "wave_note",
)  # fmt: skip

_EU_MEMBERS = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
     "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
)  # fmt: skip
#: unpublished remainders: how the respondents outside the published shares spread (plausible guesses)
_SECTOR_REST = {
    "regional-government": 4, "local-government": 6, "supranational-organisation": 2, "academia": 7,
    "civil-society": 4, "other": 2,
}  # fmt: skip
_INVOLVED_REST = {"partly": 5, "no": 4, "dont-know": 1}
_ROLE = {"leader": 2, "coordinator": 3, "initiator": 1.5, "implementer": 3, "participant": 2.5}
_PHASE = {"exploration": 1.2, "design": 1.8, "portfolio": 3, "implementation": 3, "evaluation": 1}
_FIELD = {
    "climate": 3, "health": 2, "energy": 2, "mobility": 1.5, "cities": 1.5, "inclusion": 1.5,
    "youth-mental-health": 1.2, "circular-society": 1.2, "ethical-digitisation": 1, "circular-economy": 1.2,
    "food-agriculture": 1, "oceans-water": 0.8, "biodiversity": 0.8, "education": 0.8, "digital": 1,
    "mental-health": 1, "ageing": 0.8, "housing": 0.6, "public-sector": 0.6, "security": 0.4,
    "economy": 0.6, "industry": 0.8, "soil": 0.3,
}  # fmt: skip
_RISK = {
    "silos": 3, "momentum": 2.6, "committed-support": 2.2, "charismatic-individual": 0.9,
    "short-termism": 1, "insufficient-funding": 1.2, "unclear-ownership": 0.7,
}  # fmt: skip
_CHALLENGE = {
    "resource-alignment": 3, "organisational-models": 2.4, "budget-timelines": 2.4,
    "measuring-progress": 1, "stakeholder-engagement": 1.1, "policy-coherence": 0.9,
}  # fmt: skip
_SUPPORT = {
    "evaluation": 1.2, "governance": 0.9, "portfolio": 0.8, "experimentation": 0.7, "target-setting": 0.3,
    "stakeholder-engagement": 0.5, "funding": 0.5, "communication": 0.3, "capability-building": 0.6,
}  # fmt: skip
#: fields that plausibly come together with a mission's main field
_RELATED: dict[str, tuple[str, ...]] = {
    "climate": ("energy", "cities", "mobility", "biodiversity"),
    "health": ("ageing", "mental-health", "inclusion"),
    "energy": ("climate", "industry", "housing"),
    "mobility": ("climate", "cities", "energy"),
    "cities": ("climate", "mobility", "housing", "inclusion"),
    "inclusion": ("education", "economy", "housing"),
    "youth-mental-health": ("mental-health", "education", "inclusion"),
    "circular-society": ("circular-economy", "climate", "cities"),
    "ethical-digitisation": ("digital", "public-sector"),
    "circular-economy": ("industry", "climate", "circular-society"),
    "food-agriculture": ("health", "climate", "soil"),
    "oceans-water": ("biodiversity", "climate"),
    "biodiversity": ("climate", "soil", "oceans-water"),
    "education": ("inclusion", "youth-mental-health"),
    "digital": ("public-sector", "ethical-digitisation", "economy"),
    "mental-health": ("health", "youth-mental-health"),
    "ageing": ("health", "housing"),
    "housing": ("cities", "inclusion", "energy"),
    "public-sector": ("digital",),
    "security": ("cities", "inclusion"),
    "economy": ("industry", "inclusion"),
    "industry": ("energy", "circular-economy", "economy"),
    "soil": ("food-agriculture", "biodiversity"),
}
#: fields whose missions are about a place: their titles name a city
_CITY_FIELDS = frozenset(
    ("cities", "housing", "security", "mobility", "education", "ageing", "mental-health", "inclusion",
     "economy", "industry")
)  # fmt: skip
_LEVEL_OF_SECTOR = {
    "national-government": "national", "regional-government": "regional", "local-government": "local",
    "supranational-organisation": "supranational",
}  # fmt: skip
_ORG_OF_SECTOR = {
    "national-government": "Example Ministry of {topic} ({country})",
    "regional-government": "Example Region {city} ({country})",
    "local-government": "Example City of {city} ({country})",
    "supranational-organisation": "Example International Agency for {topic}",
    "private-sector": "Example {topic} Consulting Ltd ({country})",
    "foundation": "Example Foundation for {topic} ({country})",
    "academia": "Example University of {city} ({country})",
    "civil-society": "Example {topic} Network ({country})",
    "other": "Example {topic} Lab ({country})",
}  # fmt: skip


def _round(x: float) -> int:
    return math.floor(x + 0.5)  # half up, so 0.5 quotas do not flip with banker's rounding


def quota(n: int, fixed: Mapping[str, float], rest: Mapping[str, float]) -> list[str]:
    """``n`` codes: each ``fixed`` code exactly round(share * n) times, the remainder spread over
    ``rest`` by weight with the largest-remainder method (so every count is deterministic)."""
    counts = {code: _round(share * n) for code, share in fixed.items()}
    left = n - sum(counts.values())
    if left < 0:
        raise ValueError("published shares exceed the number of respondents")
    total = sum(rest.values())
    exact = {code: left * w / total for code, w in rest.items()}
    extra = {code: math.floor(v) for code, v in exact.items()}
    by_remainder = sorted(exact, key=lambda c: (-(exact[c] - extra[c]), c))
    for code in by_remainder[: left - sum(extra.values())]:
        extra[code] += 1
    for code, k in extra.items():
        counts[code] = counts.get(code, 0) + k
    return [code for code, k in counts.items() for _ in range(k)]


def _country_quota(n: int, countries: int) -> list[str]:
    chosen = list(COUNTRY_WEIGHTS[:countries])
    if n < len(chosen):
        chosen = chosen[:n]
    # one respondent per country first, so that every one of them appears; the rest by weight
    return [code for code, _ in chosen] + quota(n - len(chosen), {}, dict(chosen))


def _weighted_sample(rng: random.Random, items: Sequence[str], weights: Sequence[float], k: int) -> list[str]:
    """``k`` distinct items drawn with probability proportional to weight (Efraimidis-Spirakis)."""
    keyed = sorted(
        ((rng.random() ** (1.0 / w), item) for item, w in zip(items, weights, strict=True) if w > 0),
        reverse=True,
    )
    return [item for _, item in keyed[:k]]


def _pick_some(rng: random.Random, weights: dict[str, float], low: int, high: int) -> list[str]:
    chosen = _weighted_sample(rng, list(weights), list(weights.values()), rng.randint(low, high))
    order = list(weights)
    return sorted(chosen, key=order.index)


def _published(figures_path: Path) -> dict[str, float]:
    return {f.code: float(f.share) for f in read_figures(figures_path) if f.share is not None}


def generate_survey(
    n: int = 227,
    seed: int = 2021,
    countries: int = 40,
    *,
    catalogue_path: Path = DEFAULT_CATALOGUE,
    figures_path: Path = DEFAULT_FIGURES,
) -> list[dict[str, str]]:
    """``n`` synthetic respondents (rows in the codebook's export format); same seed, same rows.

    Quota allocation, not sampling: each published share is met exactly (round(share * n)
    respondents), so the deck's figures are reproduced within rounding at any ``n``.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    pub = _published(figures_path)
    missions = read_catalogue(catalogue_path)

    def shuffled(codes: list[str]) -> list[str]:
        rng.shuffle(codes)
        return codes

    sectors = shuffled(
        quota(n, {c: pub[f"sector-{c}"] for c in ("national-government", "private-sector", "foundation")},
              _SECTOR_REST)
    )  # fmt: skip
    country_of = shuffled(_country_quota(n, countries))
    involved = shuffled(quota(n, {"yes": pub["involved"]}, _INVOLVED_REST))
    ext_codes = [c for c in CODES["external-driver"] if c != "other"]
    int_codes = [c for c in CODES["internal-driver"] if c != "other"]
    external = shuffled(quota(n, {c: pub[f"external-driver-{c}"] for c in ext_codes}, {"other": 1}))
    internal = shuffled(quota(n, {c: pub[f"internal-driver-{c}"] for c in int_codes}, {"other": 1}))

    by_country: dict[str, list[CatalogueMission]] = {}
    for m in missions:
        by_country.setdefault(m.country, []).append(m)

    rows: list[dict[str, str]] = []
    start = datetime(2021, 11, 29, 8, 0, tzinfo=UTC)
    width = max(4, len(str(n)))
    for i in range(n):
        country, sector = country_of[i], sectors[i]
        row = dict.fromkeys(COLUMNS, "")
        row["respondent_id"] = f"R{i + 1:0{width}d}"
        row["submitted_at"] = (start + timedelta(seconds=rng.randint(0, 21 * 86400))).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        row["country"], row["sector"], row["involved"] = country, sector, involved[i]
        row["role"] = rng.choices(list(_ROLE), list(_ROLE.values()))[0]
        row["external_driver"], row["internal_driver"] = external[i], internal[i]
        row["wave_note"] = "synthetic"
        rows.append(row)

    holders = [r for r in rows if r["involved"] in ("yes", "partly")]
    catalogue_of: dict[str, CatalogueMission] = {}
    for row in holders:
        options = list(by_country.get(row["country"], []))
        if row["country"] in _EU_MEMBERS:
            options += by_country.get("EU", [])
        chance = 0.45 if row["sector"] in _LEVEL_OF_SECTOR else 0.2
        if options and rng.random() < chance:
            catalogue_of[row["respondent_id"]] = rng.choice(options)

    for row in holders:
        _describe_mission(rng, row, catalogue_of.get(row["respondent_id"]))

    # clear target and M&E plan: exact quotas over all n, drawn among those who describe a mission,
    # weighted so that quantified catalogue targets and later phases more often have them
    k_target = _round(pub["clear-target"] * n)
    k_plan = _round(pub["me-plan"] * n)
    target_weights = [
        (3.0 if _quantified(catalogue_of.get(r["respondent_id"])) else 1.0)
        * (1.6 if r["phase"] in ("implementation", "evaluation") else 1.0)
        for r in holders
    ]
    with_target = set(_weighted_sample(rng, [r["respondent_id"] for r in holders], target_weights, k_target))
    for r in holders:
        r["clear_target"] = "yes" if r["respondent_id"] in with_target else rng.choice(
            ("partly", "partly", "no", "no", "dont-know")
        )  # fmt: skip
    plan_weights = [{"yes": 8.0, "partly": 2.0}.get(r["clear_target"], 1.0) for r in holders]
    with_plan = set(_weighted_sample(rng, [r["respondent_id"] for r in holders], plan_weights, k_plan))
    for r in holders:
        r["me_plan"] = "yes" if r["respondent_id"] in with_plan else rng.choice(
            ("partly", "no", "no", "no", "dont-know")
        )  # fmt: skip

    labels = _labels()
    for i, row in enumerate(rows):
        _answer_needs(rng, row, labels)
        _personal(rng, row, i)
    return rows


def _quantified(mission: CatalogueMission | None) -> bool:
    return mission is not None and mission.quantified_target == "yes"


def _describe_mission(rng: random.Random, row: dict[str, str], mission: CatalogueMission | None) -> None:
    """Mission-level answers: copied from the catalogue when the respondent names a catalogue mission."""
    row["phase"] = rng.choices(list(_PHASE), list(_PHASE.values()))[0]
    if mission is not None:
        row["mission_id"] = mission.id
        row["level"] = mission.level
        row["target_year"] = mission.target_year
        row["challenge_fields"] = ";".join(mission.fields)
        row["funding_sources"] = ";".join(mission.funding) or "national-state"
        return
    main = rng.choices(list(_FIELD), list(_FIELD.values()))[0]
    related = _RELATED.get(main, ())
    # secondary fields are neighbours of the main one (a mission on heat is also about energy and climate)
    fields = [main, *rng.sample(related, min(len(related), rng.choice((0, 1, 1, 2))))]
    year = rng.choice((2025, 2027, 2030, 2030, 2030, 2035, 2040, 2045, 2050))
    row["level"] = _LEVEL_OF_SECTOR.get(row["sector"]) or rng.choice(("national", "regional", "local"))
    country_name = _country_name(row["country"])
    # a national mission names the country, a regional or local one (or a city-scale field) a city
    if row["level"] in ("regional", "local"):  # the whole mission is about one place
        place = area = rng.choice(CITIES[row["country"]])
    else:
        area = country_name
        place = rng.choice(CITIES[row["country"]]) if main in _CITY_FIELDS else country_name
    row["mission_title"], row["mission_goal"] = mission_title_goal(rng, main, place, area, year)
    row["challenge_fields"] = ";".join(fields)
    row["target_year"] = str(year) if rng.random() < 0.85 else ""
    funding = {
        "national-state": 0.7, "eu": 0.3 if row["country"] in _EU_MEMBERS else 0.0,
        "regional": 0.8 if row["level"] == "regional" else 0.1,
        "local": 0.8 if row["level"] == "local" else 0.12,
        "private": 0.6 if row["sector"] == "private-sector" else 0.2,
        "philanthropic": 0.8 if row["sector"] == "foundation" else 0.03,
        "impact-investment": 0.02,
    }  # fmt: skip
    chosen = [code for code, p in funding.items() if rng.random() < p]
    row["funding_sources"] = ";".join(chosen or ["national-state"])


@cache
def _country_name(code: str) -> str:
    from ontology import vocab  # noqa: PLC0415

    return vocab.country_label(vocab.country_iri(code) or "") or code


def _labels() -> dict[str, dict[str, str]]:
    from ontology import vocab  # noqa: PLC0415

    return {s: {c.code: c.pref_label for c in vocab.concepts(s)} for s in ("challenge", "challenge-field")}


def _answer_needs(rng: random.Random, row: dict[str, str], labels: dict[str, dict[str, str]]) -> None:
    """Risks, challenges, learning and support needs, and the free texts; needs follow from the risks."""
    holder = row["involved"] in ("yes", "partly")
    risks = _pick_some(rng, _RISK, 1, 3)
    row["risks"] = ";".join(risks)
    support = dict(_SUPPORT)
    if row["me_plan"] != "yes":
        support["evaluation"] += 1.5
    if holder and row["clear_target"] != "yes":
        support["target-setting"] += 1.0
    boosts = {
        "silos": {"governance": 1.5, "stakeholder-engagement": 0.6},
        "momentum": {"communication": 0.8, "portfolio": 0.6},
        "committed-support": {"funding": 0.8, "governance": 0.5},
        "charismatic-individual": {"governance": 1.0, "capability-building": 0.8},
        "short-termism": {"portfolio": 0.6},
        "insufficient-funding": {"funding": 1.2},
        "unclear-ownership": {"governance": 1.0},
    }
    for risk in risks:
        for need, boost in boosts[risk].items():
            support[need] += boost
    if row["phase"] in ("exploration", "design"):
        support["experimentation"] += 1.0
    if row["phase"] == "portfolio":
        support["portfolio"] += 1.0
    needs = _pick_some(rng, support, 1, 3)
    row["support_needs"] = ";".join(needs)
    row["support_text"] = support_text(rng, rng.sample(needs, len(needs)))
    if not holder:
        return
    weights = dict(_CHALLENGE)
    if row["me_plan"] != "yes":
        weights["measuring-progress"] += 1.0
    challenges = _pick_some(rng, weights, 1, 3)
    row["challenges"] = ";".join(challenges)
    row["learning_needs"] = ";".join(
        _pick_some(rng, {"data-insights": 1.2, "portfolio-agility": 1, "roadmap": 1}, 1, 2)
    )
    first = rng.choice(challenges)
    field = row["challenge_fields"].split(";")[0] if row["challenge_fields"] else None
    row["challenge_text"] = challenge_text(
        rng,
        [(first, labels["challenge"][first])],
        risks,
        labels["challenge-field"].get(field or ""),
    )


def _personal(rng: random.Random, row: dict[str, str], i: int) -> None:
    """Obviously fake personal data: example.org addresses, 00 555 phone numbers, 'Example' organisations."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    row["name"] = f"{first} {last}"
    ascii_first = first.encode("ascii", "ignore").decode().lower() or "person"
    row["email"] = f"{ascii_first}.{last.lower()}.{i + 1}@example.org"
    row["phone"] = f"00 555 {i + 1:07d}" if rng.random() < 0.6 else ""
    topic = rng.choice(("Climate", "Health", "Innovation", "Futures", "Mobility", "Wellbeing", "Energy"))
    city = rng.choice(CITIES[row["country"]])
    row["organisation"] = _ORG_OF_SECTOR[row["sector"]].format(topic=topic, city=city, country=row["country"])
    row["consent_contact"] = "yes" if rng.random() < 0.62 else "no"


def _cells(rows: Iterable[dict[str, str]]) -> Iterable[list[str]]:
    for row in rows:
        yield [neutralise(row.get(c, "")) for c in COLUMNS]


def write_csv(rows: Iterable[dict[str, str]], path: Path) -> Path:
    """Write rows as a UTF-8 CSV export (header = codebook columns); cells neutralised for spreadsheets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_cells(rows))
    return path


def write_xlsx(rows: Iterable[dict[str, str]], path: Path) -> Path:
    """Write rows as an XLSX export (one sheet, header row), as survey tools do."""
    from openpyxl import Workbook  # noqa: PLC0415 - only this writer needs openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(list(COLUMNS))
    for cells in _cells(rows):
        sheet.append(cells)
    workbook.save(path)
    return path
