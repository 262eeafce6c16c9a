"""Disclosure control: small-count suppression, and k-anonymous respondent records for the public graphs.

A respondent's quasi-identifiers are country, sector, role and organisation. The public graphs show each
respondent with values such that every combination of them is shared by at least k respondents of the
wave: a respondent whose combination is rarer is shown with coarser values, step by step (organisation ->
organisation type, country -> sub-region -> continent, then sector, role, region and organisation type
left out), until their group reaches k (docs/decisions/0010). The full detail stays in the restricted graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ontology import vocab

__all__ = [
    "suppress",
    "DEFAULT_K",
    "Quasi",
    "Shown",
    "LEVELS",
    "DisclosureReport",
    "anonymise",
]

#: the default threshold; the service reads ``Settings.small_count_k``
DEFAULT_K = 5


def suppress(count: int, k: int = DEFAULT_K) -> int | str:
    """``count`` itself, or ``"<k"`` when 0 < count < k (a zero reveals no one and is shown as 0)."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if count < 0:
        raise ValueError(f"a count cannot be negative, got {count}")
    return f"<{k}" if 0 < count < k else count


@dataclass(frozen=True)
class Quasi:
    """A respondent's quasi-identifiers in full detail (IRIs; None when not answered)."""

    key: str  # the response IRI
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class Shown:
    """What the public graphs show of one respondent's quasi-identifiers (IRIs; None: left out)."""

    place: str | None = None  # a country, a sub-region or a continent
    sector: str | None = None
    role: str | None = None
    organisation: str | None = None  # only when k respondents share the organisation
    organisation_type: str | None = None
    level: int = 0

    def combination(self) -> tuple[str | None, ...]:
        return (self.place, self.sector, self.role, self.organisation, self.organisation_type)


#: the generalisation steps, from full detail to nothing (what each level shows)
LEVELS: tuple[str, ...] = (
    "country, sector, role, organisation",
    "country, sector, role, organisation type",
    "sub-region, sector, role, organisation type",
    "continent, sector, role, organisation type",
    "continent, role, organisation type",
    "continent, organisation type",
    "organisation type",
    "nothing",
)


def _shown(q: Quasi, level: int) -> Shown:
    regions = vocab.world_regions(q.country) if q.country else ()
    otype = vocab.organisation_type(q.sector) if q.sector else None
    if level <= 1:
        place = q.country
    elif level == 2:
        place = regions[0] if regions else None
    elif level in (3, 4, 5):
        place = regions[-1] if regions else None
    else:
        place = None
    return Shown(
        place=place,
        sector=q.sector if level <= 3 else None,
        role=q.role if level <= 4 else None,
        organisation=q.organisation if level == 0 else None,
        organisation_type=otype if level <= 6 else None,
        level=level,
    )


@dataclass
class DisclosureReport:
    """How much a wave's public respondent records were generalised or suppressed to reach k."""

    k: int
    respondents: int = 0  # respondents this run placed (earlier loads' placements are kept as they were)
    #: respondents shown at each level of LEVELS (by its text)
    levels: dict[str, int] = field(default_factory=dict)
    organisations_generalised: int = 0  # organisation -> organisation type
    countries_generalised: int = 0  # country -> sub-region or continent
    countries_suppressed: int = 0
    sectors_suppressed: int = 0  # sector -> organisation type only
    roles_suppressed: int = 0
    #: respondents whose answers are not in the public graphs at all (fewer than k could be grouped)
    withheld: int = 0

    @property
    def full_detail(self) -> int:
        return self.levels.get(LEVELS[0], 0) + self.levels.get(LEVELS[1], 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "full_detail": self.full_detail}

    def summary(self) -> str:
        return (
            f"k={self.k}: {self.respondents} respondent(s); countries generalised "
            f"{self.countries_generalised}, suppressed {self.countries_suppressed}; sectors suppressed "
            f"{self.sectors_suppressed}; roles suppressed {self.roles_suppressed}; organisations "
            f"generalised {self.organisations_generalised}; withheld {self.withheld}"
        )


def anonymise(
    records: Iterable[Quasi], k: int, *, shown_before: Iterable[Shown] = ()
) -> tuple[dict[str, Shown | None], DisclosureReport]:
    """What the public graphs show of each record (None: withheld), so every combination has >= k.

    ``shown_before`` are the combinations earlier loads of the wave already published: they are kept
    as they are (a load only adds), so new records join them or form groups of k among themselves.
    Greedy bottom-up: records whose full-detail combination is shared by k are shown in full, the
    rest move one level coarser, and so on; the last few (fewer than k with nothing shown) are joined
    by records taken from the largest groups, or withheld when the wave is too small for that.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    everyone = list(records)
    counts: Counter[tuple[str | None, ...]] = Counter(s.combination() for s in shown_before)
    pending = list(everyone)
    report = DisclosureReport(k=k, respondents=len(pending))
    out: dict[str, Shown | None] = {}
    groups_of: dict[tuple[str | None, ...], list[str]] = defaultdict(list)  # this run's members
    for level in range(len(LEVELS)):
        groups: dict[tuple[str | None, ...], list[tuple[Quasi, Shown]]] = defaultdict(list)
        for q in pending:
            s = _shown(q, level)
            groups[s.combination()].append((q, s))
        rest: list[Quasi] = []
        last = level == len(LEVELS) - 1
        for combo, members in groups.items():
            if counts[combo] + len(members) >= k or (last and counts[combo] > 0):
                for q, s in members:
                    out[q.key] = s
                    groups_of[combo].append(q.key)
                counts[combo] += len(members)
            else:
                rest.extend(q for q, _s in members)
        pending = rest
    if pending:  # fewer than k left with nothing shown: borrow from the groups that can spare records
        nothing = _shown(Quasi(key=""), len(LEVELS) - 1)
        need = k - len(pending)
        spares = {c: min(counts[c] - k, len(groups_of[c])) for c in groups_of}
        if sum(max(0, n) for n in spares.values()) >= need:
            for combo in sorted(groups_of, key=lambda c: -spares[c]):
                take = min(max(0, spares[combo]), need)
                for key in groups_of[combo][len(groups_of[combo]) - take :]:
                    out[key] = nothing
                counts[combo] -= take
                need -= take
                if need <= 0:
                    break
        for q in pending:
            out[q.key] = nothing if need <= 0 else None
    by_key = {q.key: q for q in everyone}
    for key, placed in out.items():
        q = by_key[key]
        if placed is None:
            report.withheld += 1
            continue
        report.levels[LEVELS[placed.level]] = report.levels.get(LEVELS[placed.level], 0) + 1
        if q.organisation and placed.organisation is None:
            report.organisations_generalised += 1
        if q.country and placed.place is None:
            report.countries_suppressed += 1
        elif q.country and placed.place != q.country:
            report.countries_generalised += 1
        if q.sector and placed.sector is None:
            report.sectors_suppressed += 1
        if q.role and placed.role is None:
            report.roles_suppressed += 1
    return out, report
