"""A seeded generator of synthetic survey exports whose aggregates match the deck's published figures."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from graph.csvsafe import neutralise
from graph.figures import DEFAULT_FIGURES, read_figures
from graph.rdfterms import CODES
from graph.synthetic.text import (
    CITIES,
    COUNTRY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    MISSION_TEMPLATES,
    REGIONS,
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
#: the level of a mission whose first respondent works in government; a supranational organisation's
#: respondent describes a national mission (synthetic missions are never EU-level: the real EU missions are)
_LEVEL_OF_SECTOR = {
    "national-government": "national", "regional-government": "regional", "local-government": "local",
    "supranational-organisation": "national",
}  # fmt: skip
_LEVEL_OTHERS = {"national": 0.45, "regional": 0.25, "local": 0.3}
#: how many respondents describe one synthetic mission (as colleagues on one mission answer a survey)
_GROUP_SIZE = {1: 0.5, 2: 0.3, 3: 0.15, 4: 0.05}
#: each title template names at most this many synthetic missions (more only when templates run out)
TEMPLATE_CAP = 2
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
    figures_path: Path = DEFAULT_FIGURES,
) -> list[dict[str, str]]:
    """``n`` synthetic respondents (rows in the codebook's export format); same seed, same rows.

    Quota allocation, not sampling: each published share is met exactly (round(share * n)
    respondents), so the deck's figures are reproduced within rounding at any ``n``.

    Every respondent involved in mission work describes a synthetic mission of their own country (one
    to four colleagues describe the same one); ``mission_id`` stays blank: made-up answers never
    describe a catalogue mission.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    pub = _published(figures_path)

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
    groups = _mission_groups(rng, holders)
    uses: dict[tuple[str, int], int] = {}
    cap = max(TEMPLATE_CAP, math.ceil(len(groups) / sum(len(t) for t in MISSION_TEMPLATES.values())))
    for group in groups:
        _describe_mission(rng, group, uses, cap)

    # clear target and M&E plan: exact quotas over all n, given mission by mission (colleagues on one
    # mission agree), weighted so that later phases, and missions with a clear target, more often have them
    k_target = _round(pub["clear-target"] * n)
    k_plan = _round(pub["me-plan"] * n)
    phase_weight = [1.6 if g[0]["phase"] in ("implementation", "evaluation") else 1.0 for g in groups]
    with_target = _groups_for_quota(rng, groups, phase_weight, k_target)
    for group in groups:
        other = rng.choice(("partly", "partly", "no", "no", "dont-know"))
        for r in group:
            r["clear_target"] = "yes" if r["respondent_id"] in with_target else other
    plan_weight = [{"yes": 8.0, "partly": 2.0}.get(g[0]["clear_target"], 1.0) for g in groups]
    with_plan = _groups_for_quota(rng, groups, plan_weight, k_plan)
    for group in groups:
        other = rng.choice(("partly", "no", "no", "no", "dont-know"))
        for r in group:
            r["me_plan"] = "yes" if r["respondent_id"] in with_plan else other

    labels = _labels()
    for i, row in enumerate(rows):
        _answer_needs(rng, row, labels)
        _personal(rng, row, i)
    return rows


def _mission_groups(rng: random.Random, holders: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Respondents describing the same synthetic mission: colleagues from one country, 1-4 per mission."""
    by_country: dict[str, list[dict[str, str]]] = {}
    for row in holders:
        by_country.setdefault(row["country"], []).append(row)
    groups: list[list[dict[str, str]]] = []
    for country in sorted(by_country):
        members = by_country[country]
        rng.shuffle(members)
        while members:
            size = rng.choices(list(_GROUP_SIZE), list(_GROUP_SIZE.values()))[0]
            groups.append(members[:size])
            members = members[size:]
    rng.shuffle(groups)
    return groups


def _groups_for_quota(
    rng: random.Random, groups: list[list[dict[str, str]]], weights: list[float], k: int
) -> set[str]:
    """Respondent ids, exactly ``k`` of them, taken whole mission by whole mission in weighted random order;
    when no whole mission fits the rest any more, single respondents fill it (so the quota stays exact)."""
    order = _weighted_sample(rng, [str(i) for i in range(len(groups))], weights, len(groups))
    chosen: set[str] = set()
    for i in order:
        group = groups[int(i)]
        if len(chosen) + len(group) <= k:
            chosen.update(r["respondent_id"] for r in group)
        if len(chosen) == k:
            return chosen
    for i in order:
        for r in groups[int(i)]:
            if len(chosen) < k:
                chosen.add(r["respondent_id"])
    return chosen


def _describe_mission(
    rng: random.Random, group: list[dict[str, str]], uses: dict[tuple[str, int], int], cap: int
) -> None:
    """One synthetic mission, its answers shared by the respondents who describe it.

    The level follows the first respondent's sector; the place follows the level (a national mission
    names its country, a regional one a region, a local one a city); the title template is one used fewer
    than ``cap`` times so far, in a field drawn by weight among the fields that still have one.
    """
    first = group[0]
    country = first["country"]
    level = (
        _LEVEL_OF_SECTOR.get(first["sector"])
        or rng.choices(list(_LEVEL_OTHERS), list(_LEVEL_OTHERS.values()))[0]
    )
    place = {
        "national": _country_name(country),
        "regional": rng.choice(REGIONS[country]),
        "local": rng.choice(CITIES[country]),
    }[level]
    open_fields = [
        f for f in _FIELD if any(uses.get((f, t), 0) < cap for t in range(len(MISSION_TEMPLATES[f])))
    ]
    main = rng.choices(open_fields, [_FIELD[f] for f in open_fields])[0]
    template = rng.choice([t for t in range(len(MISSION_TEMPLATES[main])) if uses.get((main, t), 0) < cap])
    uses[(main, template)] = uses.get((main, template), 0) + 1
    related = _RELATED.get(main, ())
    # secondary fields are neighbours of the main one (a mission on heat is also about energy and climate)
    fields = [main, *rng.sample(related, min(len(related), rng.choice((0, 1, 1, 2))))]
    year = rng.choice((2025, 2027, 2030, 2030, 2030, 2035, 2040, 2045, 2050))
    title, goal = mission_title_goal(rng, main, place, year, template=template)
    funding = {
        "national-state": 0.9 if level == "national" else 0.4, "eu": 0.3 if country in _EU_MEMBERS else 0.0,
        "regional": 0.8 if level == "regional" else 0.05,
        "local": 0.8 if level == "local" else 0.08,
        "private": 0.6 if first["sector"] == "private-sector" else 0.2,
        "philanthropic": 0.8 if first["sector"] == "foundation" else 0.03,
        "impact-investment": 0.02,
    }  # fmt: skip
    chosen = [code for code, p in funding.items() if rng.random() < p]
    shared = {
        "mission_title": title,
        "mission_goal": goal,
        "level": level,
        "phase": rng.choices(list(_PHASE), list(_PHASE.values()))[0],
        "challenge_fields": ";".join(fields),
        "target_year": str(year) if rng.random() < 0.85 else "",
        "funding_sources": ";".join(chosen or ["national-state"]),
    }
    for row in group:
        row.update(shared)


@cache
def _country_name(code: str) -> str:
    from ontology import vocab

    return vocab.country_label(vocab.country_iri(code) or "") or code


def _labels() -> dict[str, dict[str, str]]:
    from ontology import vocab

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
    from openpyxl import Workbook  # only this writer needs openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(list(COLUMNS))
    for cells in _cells(rows):
        sheet.append(cells)
    workbook.save(path)
    return path
