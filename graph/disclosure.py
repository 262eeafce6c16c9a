"""Disclosure control: small-count suppression, and k-anonymous respondent records for the public graphs.

A respondent's quasi-identifiers are country, sector, role, organisation and the mission their response
describes (it leads to the mission's place). The public graphs show each respondent with values such that
every combination of them is shared by at least k respondents of the wave: a respondent whose combination
is rarer is shown without the mission link and with coarser values, step by step (organisation ->
organisation type, country -> sub-region -> continent, then sector, role, region and organisation type
left out), until their group reaches k (docs/decisions/0010). The full detail stays in the restricted graph.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
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
    "level_of",
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
    #: the mission the response describes: it leads to the mission's place (and its title may name it)
    mission: str | None = None


@dataclass(frozen=True)
class Shown:
    """What the public graphs show of one respondent's quasi-identifiers (IRIs; None: left out)."""

    place: str | None = None  # a country, a sub-region or a continent
    sector: str | None = None
    role: str | None = None
    organisation: str | None = None  # only when k respondents share the organisation
    organisation_type: str | None = None
    level: int = 0
    #: the mission the response links to in public: only when k responses of the same combination do
    mission: str | None = None

    def combination(self) -> tuple[str | None, ...]:
        return (self.place, self.sector, self.role, self.organisation, self.organisation_type, self.mission)

    def at_least_as_coarse_as(self, other: Shown) -> bool:
        """True when this shows nothing that ``other`` hid (a later release may only coarsen)."""
        return self.level >= other.level and (self.mission is None or self.mission == other.mission)


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


def _shown(q: Quasi, level: int, mission: bool = False) -> Shown:
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
        mission=q.mission if mission else None,
    )


def level_of(q: Quasi, shown: Shown) -> int:
    """The level of LEVELS at which ``q`` shows as ``shown`` (the mission aside); the coarsest that fits
    when several do, and the last level when none does (what an older release showed is not on the
    ladder: it may only coarsen from there)."""
    found = len(LEVELS) - 1
    wanted = dataclasses.replace(shown, mission=None, level=0).combination()
    for level in range(len(LEVELS)):
        if dataclasses.replace(_shown(q, level), level=0).combination() == wanted:
            found = level
    return found


@dataclass
class DisclosureReport:
    """How much a wave's public respondent records were generalised or suppressed to reach k."""

    k: int
    respondents: int = 0  # respondents of the wave placed (earlier loads' included)
    #: respondents shown at each level of LEVELS (by its text)
    levels: dict[str, int] = field(default_factory=dict)
    organisations_generalised: int = 0  # organisation -> organisation type
    countries_generalised: int = 0  # country -> sub-region or continent
    countries_suppressed: int = 0
    sectors_suppressed: int = 0  # sector -> organisation type only
    roles_suppressed: int = 0
    #: respondents whose answers are not in the public graphs at all (fewer than k could be grouped)
    withheld: int = 0
    #: responses whose link to the mission they describe is public (k of their combination share it)
    missions_linked: int = 0
    #: responses whose link to their mission is in the restricted graph only
    missions_unlinked: int = 0
    #: respondents of earlier loads whose public form this load changed (coarser, never finer)
    earlier_changed: int = 0

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
            f"generalised {self.organisations_generalised}; withheld {self.withheld}; mission links "
            f"public {self.missions_linked}, restricted only {self.missions_unlinked}"
        )


def anonymise(
    records: Iterable[Quasi], k: int, *, before: Mapping[str, Shown | None] | None = None
) -> tuple[dict[str, Shown | None], DisclosureReport]:
    """What the public graphs show of each record (None: withheld), so every combination has >= k.

    ``records`` are all the responses of a wave, those earlier loads placed included: the wave is
    placed again as a whole, so that every combination of the union has k. ``before`` says what an
    earlier release showed of a record; a record is never shown finer than that, nor with a mission
    link it did not have (someone who kept the earlier release must not learn more by comparing).
    Greedy bottom-up: at each level of LEVELS, records whose combination with their mission is shared
    by k are shown so (the link to the mission is public), then those whose combination without it
    is; the rest move one level coarser, and so on. The last few (fewer than k with nothing shown) are
    joined by records taken from the groups that can spare them, or withheld when the wave is too small.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    earlier = dict(before or {})
    everyone = list(records)
    pending = list(everyone)
    report = DisclosureReport(k=k, respondents=len(pending))
    out: dict[str, Shown | None] = {}
    lowest: dict[str, int] = {}  # the first step a record may be placed at
    linkable: dict[str, bool] = {}
    for q in everyone:
        old = earlier.get(q.key)
        if old is not None:
            lowest[q.key] = 2 * level_of(q, old) + (0 if old.mission else 1)
            linkable[q.key] = old.mission is not None and old.mission == q.mission
        else:
            linkable[q.key] = q.mission is not None
    counts: Counter[tuple[str | None, ...]] = Counter()
    groups_of: dict[tuple[str | None, ...], list[str]] = defaultdict(list)
    steps = 2 * len(LEVELS)
    for step in range(steps):
        level, with_mission = step // 2, step % 2 == 0
        groups: dict[tuple[str | None, ...], list[tuple[Quasi, Shown]]] = defaultdict(list)
        rest: list[Quasi] = []
        for q in pending:
            if lowest.get(q.key, 0) > step:
                rest.append(q)
                continue
            s = _shown(q, level, with_mission and linkable[q.key])
            groups[s.combination()].append((q, s))
        last = step == steps - 1
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
        spares = {c: counts[c] - k for c in groups_of}
        if sum(max(0, n) for n in spares.values()) >= need:
            for combo in sorted(groups_of, key=lambda c: -spares[c]):
                take = min(max(0, spares[combo]), need)
                # new records first: an earlier one moved here changes what was published of it
                keys = sorted(groups_of[combo], key=lambda x: x in earlier)
                for spare in keys[:take]:
                    out[spare] = nothing
                counts[combo] -= take
                need -= take
                if need <= 0:
                    break
        for q in pending:
            out[q.key] = nothing if need <= 0 else None
    by_key = {q.key: q for q in everyone}
    for key, placed in out.items():
        q = by_key[key]
        old = earlier.get(key)
        if old is not None and (placed is None or old.combination() != placed.combination()):
            report.earlier_changed += 1
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
        if q.mission and placed.mission:
            report.missions_linked += 1
        elif q.mission:
            report.missions_unlinked += 1
    return out, report
