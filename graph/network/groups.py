"""Workshop groups: people who share challenges and needs, mixed across sectors and countries.

The stated objective ("common-ground points") is a sum over every pair of members of the same group:
one point per challenge field, challenge or support need both name, half a point per shared risk; and,
when they share any of these, one and a half points more when they come from different sectors and half a
point when from different countries (a mix without common ground earns nothing). The
optimiser maximises it (seeded random starts, improved by member swaps), then gives a group without any
common ground some by the swap that loses the fewest points, where one can; the result is reported beside a
random split of the same people, scored the same way. People without any survey answer share nothing by
definition; they are spread over the groups (one per group first) rather than lumped together.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from graph.errors import InvalidInputError
from graph.network.peers import PeerModel
from graph.network.people import (
    PARTICIPANT_LIST,
    SHARED_DIMENSIONS,
    Person,
    concept_label,
    mission_people,
)
from graph.provenance import Provenance, combined
from ontology.vocab import concept, country_iri

__all__ = ["form_groups", "group_people", "profile_people", "SHARE", "MIX", "OBJECTIVE", "score_split"]

#: what group members should have in common: points per shared concept
SHARE: dict[str, float] = {"challenge-field": 1.0, "challenge": 1.0, "support-need": 1.0, "risk": 0.5}
#: what should differ inside a group: points per pair of members that differ
MIX: dict[str, float] = {"sector": 1.5, "country": 0.5}
OBJECTIVE = (
    "common-ground points: for every two members of a group, 1 point per challenge field, challenge or "
    "support need both name, ½ per shared risk; and when they share any of these, 1½ more when their "
    "sectors differ and ½ when their countries do"
)
#: seeded random starts; the best after member swaps is kept
RESTARTS = 4
_WORDS = {
    "challenge-field": "work on",
    "challenge": "face",
    "support-need": "need help with",
    "risk": "fear",
}


def _binary(sets: list[set[str]]) -> np.ndarray:
    columns = sorted({v for s in sets for v in s})
    index = {v: i for i, v in enumerate(columns)}
    m = np.zeros((len(sets), len(columns)))
    for r, s in enumerate(sets):
        for v in s:
            m[r, index[v]] = 1.0
    return m


def _affinity(people: Sequence[Person]) -> np.ndarray:
    """Pair points of the objective, for every pair of people (the diagonal is zero)."""
    n = len(people)
    a = np.zeros((n, n))
    for d, w in SHARE.items():
        b = _binary([p.concepts(d) for p in people])
        a += w * (b @ b.T)
    common = a > 0  # the mix counts only between two members who share something
    for attr, w in MIX.items():
        b = _binary([p.sectors if attr == "sector" else p.countries for p in people])
        known = b.sum(axis=1) > 0
        differ = ((b @ b.T) == 0) & known[:, None] & known[None, :] & common
        a += w * differ
    np.fill_diagonal(a, 0.0)
    return a


def _points(groups: list[list[int]], a: np.ndarray) -> float:
    return float(sum(a[np.ix_(g, g)].sum() / 2 for g in groups))


def _improve(groups: list[list[int]], a: np.ndarray, max_swaps: int = 20_000) -> list[list[int]]:
    """Steepest ascent: apply the best member swaps between groups while they raise the points (per
    round the best swap, then the next best touching other groups, and so on).

    ``g[x, k]`` = affinity of x to the members of group k, kept up to date, so every swap's gain is one
    vectorised step: gain(x, y) = g[x, k_y] + g[y, k_x] - g[x, k_x] - g[y, k_y] - 2·a[x, y].
    """
    people = [m for grp in groups for m in grp]
    if len(groups) < 2 or not people:
        return groups
    idx = np.asarray(people)
    sub = a[np.ix_(idx, idx)]
    where = np.zeros(len(people), dtype=np.int64)
    pos = {m: i for i, m in enumerate(people)}
    for k, grp in enumerate(groups):
        for m in grp:
            where[pos[m]] = k
    member = np.zeros((len(people), len(groups)))
    member[np.arange(len(people)), where] = 1.0
    g = sub @ member
    swaps = 0
    while swaps < max_swaps:
        cross = g[:, where]  # cross[x, y] = g[x, k_y]
        own = cross.diagonal().copy()
        gain = cross + cross.T - own[:, None] - own[None, :] - 2 * sub
        gain[where[:, None] == where[None, :]] = -np.inf
        flat = gain.ravel()
        positive = np.flatnonzero(flat > 1e-9)
        if not positive.size:
            break
        if positive.size > 8 * len(groups):  # only the best few can be applied in one round
            keep = np.argpartition(-flat[positive], 8 * len(groups) - 1)[: 8 * len(groups)]
            positive = positive[keep]
        order = positive[np.argsort(-flat[positive], kind="stable")]
        # the best swaps between groups not touched yet this round: their gains stay exact
        used: set[int] = set()
        for best in order.tolist():
            x, y = divmod(best, len(people))
            kx, ky = int(where[x]), int(where[y])
            if kx in used or ky in used:
                continue
            used |= {kx, ky}
            g[:, kx] += sub[:, y] - sub[:, x]
            g[:, ky] += sub[:, x] - sub[:, y]
            where[x], where[y] = ky, kx
            swaps += 1
    out: list[list[int]] = [[] for _ in groups]
    for i, k in enumerate(where.tolist()):
        out[k].append(people[i])
    return out


def _sizes(n: int, size: int) -> list[int]:
    """Group sizes for n people: ceil(n / size) groups differing by at most one member."""
    k = math.ceil(n / size)
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _random_split(order: list[int], sizes: list[int], rng: random.Random) -> list[list[int]]:
    shuffled = list(order)
    rng.shuffle(shuffled)
    out, at = [], 0
    for s in sizes:
        out.append(shuffled[at : at + s])
        at += s
    return out


def score_split(groups: list[list[int]], people: Sequence[Person]) -> dict[str, Any]:
    """The facilitator's measures of one split: common-ground points, groups with shared ground, mix."""
    a = _affinity(people)
    with_ground = 0
    shared_pairs: list[float] = []
    for g in groups:
        counts = Counter(c for m in g for d in SHARE for c in people[m].concepts(d))
        if any(n >= 2 for n in counts.values()):
            with_ground += 1
        for x, i in enumerate(g):
            for j in g[x + 1 :]:
                shared_pairs.append(sum(len(people[i].concepts(d) & people[j].concepts(d)) for d in SHARE))
    sectors = [len({s for m in g for s in people[m].sectors}) for g in groups]
    countries = [len({c for m in g for c in people[m].countries}) for g in groups]
    return {
        "points": round(_points(groups, a), 2),
        "groups_with_common_ground": with_ground,
        "shared_per_pair": round(sum(shared_pairs) / len(shared_pairs), 2) if shared_pairs else 0.0,
        "sectors_per_group": round(sum(sectors) / len(groups), 2),
        "countries_per_group": round(sum(countries) / len(groups), 2),
    }


def _optimise(people: Sequence[Person], size: int, seed: int) -> list[list[int]]:
    """The best of RESTARTS seeded starts after swaps; people without answers spread one per group."""
    a = _affinity(people)
    answered = [i for i, p in enumerate(people) if p.has_answers]
    blank = [i for i, p in enumerate(people) if not p.has_answers]
    sizes = _sizes(len(people), size)
    k = len(sizes)
    # seats for people without answers: round-robin over the groups, largest groups first
    blank_seats = [0] * k
    for n in range(len(blank)):
        blank_seats[n % k] += 1
    inner_sizes = [s - b for s, b in zip(sizes, blank_seats, strict=True)]
    best: list[list[int]] | None = None
    best_points = -math.inf
    for r in range(RESTARTS):
        rng = random.Random(f"{seed}:{r}")
        groups = _improve(_random_split(answered, inner_sizes, rng), a)
        points = _points(groups, a)
        if points > best_points + 1e-9:
            best, best_points = [list(g) for g in groups], points
    assert best is not None
    best = _repair(best, people, a)
    order = list(blank)
    random.Random(f"{seed}:blank").shuffle(order)
    at = 0
    for gi, seats in enumerate(blank_seats):
        best[gi].extend(order[at : at + seats])
        at += seats
    return best


def _has_ground(group: list[int], people: Sequence[Person]) -> bool:
    """True when two members of the group name the same challenge, risk, need or field."""
    seen: set[str] = set()
    for m in group:
        mine = {c for d in SHARE for c in people[m].concepts(d)}
        if seen & mine:
            return True
        seen |= mine
    return False


def _repair(groups: list[list[int]], people: Sequence[Person], a: np.ndarray) -> list[list[int]]:
    """Give every group common ground where one swap can: the swap losing the fewest points that leaves
    both groups with common ground (a group without any is what a facilitator cannot use)."""
    for _ in range(len(groups)):
        bare = [k for k, g in enumerate(groups) if not _has_ground(g, people)]
        if not bare:
            break
        k = bare[0]
        best: tuple[float, int, int, int] | None = None
        for xi, x in enumerate(groups[k]):
            for h, other in enumerate(groups):
                if h == k:
                    continue
                for yi, y in enumerate(other):
                    g1 = [*groups[k][:xi], y, *groups[k][xi + 1 :]]
                    g2 = [*other[:yi], x, *other[yi + 1 :]]
                    if not (
                        _has_ground(g1, people)
                        and (_has_ground(g2, people) or not _has_ground(other, people))
                    ):
                        continue
                    loss = _points([groups[k], other], a) - _points([g1, g2], a)
                    if best is None or loss < best[0] - 1e-9:
                        best = (loss, xi, h, yi)
        if best is None:
            break
        _loss, xi, h, yi = best
        groups[k][xi], groups[h][yi] = groups[h][yi], groups[k][xi]
    return groups


def _common_ground(g: list[int], people: Sequence[Person]) -> tuple[list[dict[str, Any]], str]:
    counts: Counter[tuple[str, str]] = Counter(
        (d, iri) for m in g for d in SHARE for iri in people[m].concepts(d)
    )
    order = {d: i for i, d in enumerate(SHARE)}
    common = sorted(
        ((d, iri, n) for (d, iri), n in counts.items() if n >= 2),
        key=lambda t: (-t[2], order[t[0]], concept_label(t[1])),
    )
    items = [
        {"dimension": d, "label": concept_label(iri), "iri": iri, "members": n} for d, iri, n in common[:8]
    ]
    if not common:
        return (
            items,
            "No challenge, risk, need or field is named by two members; the group mixes perspectives.",
        )
    parts = [f"{n} of {len(g)} {_WORDS[d]} {concept_label(iri).lower()}" for d, iri, n in common[:4]]
    return items, "; ".join(parts) + "."


def _sentences(quality: dict[str, Any], random_quality: dict[str, Any], groups: int, blank: int) -> list[str]:
    ground = quality["groups_with_common_ground"]
    lines = [
        "Every group shares at least one challenge, risk, need or field."
        if ground == groups
        else f"{ground} of {groups} groups share at least one challenge, risk, need or field."
    ]
    mix = (
        f"{quality['sectors_per_group']:.1f} sectors per group against "
        f"{random_quality['sectors_per_group']:.1f} in a random split"
    )
    if quality["countries_per_group"]:
        mix += (
            f"; {quality['countries_per_group']:.1f} countries against "
            f"{random_quality['countries_per_group']:.1f}"
        )
    lines.append(mix + ".")
    lines.append(
        f"Two members of a group name {quality['shared_per_pair']:.1f} of the same challenges, risks, needs "
        f"or fields on average, against {random_quality['shared_per_pair']:.1f} in a random split."
    )
    lines.append(
        f"Common-ground points: {quality['points']:g} against {random_quality['points']:g} for a random "
        "split of the same people."
    )
    if blank:
        who = "person gave" if blank == 1 else "people gave"
        lines.append(
            f"{blank} {who} no survey answers (no challenge, risk, need or field); they are spread over the "
            "groups rather than put together."
        )
    return lines


def group_people(people: Sequence[Person], size: int, *, seed: int = 0) -> dict[str, Any]:
    """Rosters of about ``size`` people each, what every group shares, and a facilitator's summary."""
    if size < 2:
        raise InvalidInputError("group size must be at least 2", size=size)
    if len(people) < size:
        raise InvalidInputError(f"{len(people)} participants cannot fill a group of {size}")
    keys = [p.key for p in people]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise InvalidInputError(f"participants must be distinct; {dup!r} is listed twice", value=dup)
    groups = _optimise(people, size, seed)
    baseline = _random_split(
        list(range(len(people))), _sizes(len(people), size), random.Random(f"{seed}:random")
    )
    quality = score_split(groups, people)
    random_quality = score_split(baseline, people)
    groups = [sorted(g, key=lambda m: (people[m].name.lower(), people[m].key)) for g in groups]
    groups.sort(key=lambda g: (people[g[0]].name.lower(), people[g[0]].key))
    out = []
    for n, g in enumerate(groups, 1):
        common, words = _common_ground(g, people)
        out.append(
            {
                "group": n,
                "members": [people[m].as_dict() for m in g],
                "shares": common,
                "summary": words,
                "sectors": sorted({s for m in g for s in people[m].sectors}),
                "countries": sorted({c for m in g for c in people[m].countries}),
                "synthetic": any(people[m].synthetic for m in g),
                "source": combined(Provenance(people[m].synthetic, people[m].source) for m in g).source,
            }
        )
    blank = sum(1 for p in people if not p.has_answers)
    return {
        "seed": seed,
        "size": size,
        "participants": len(people),
        "objective": OBJECTIVE,
        "summary": _sentences(quality, random_quality, len(groups), blank),
        "quality": quality,
        "random_split": random_quality,
        "without_answers": blank,
        "synthetic": any(p.synthetic for p in people),
        "groups": out,
    }


def _strings(key: str, value: Any) -> list[str]:
    """A profile value as a list of codes: one string or a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidInputError(
        f"profile value of {key!r} must be a code or a list of codes", value=str(value)[:80]
    )


def _mix_label(dimension: str, value: str) -> str:
    """The label a mission participant would show for a profile's sector code or country code."""
    if dimension == "country":
        iri = country_iri(value)
        return concept_label(iri) if iri else value
    found = concept("sector", value)
    return found.pref_label if found else value


def profile_people(model: PeerModel, profiles: Sequence[Mapping[str, Any]]) -> list[Person]:
    """People from respondent profiles (dimension → codes, plus ``id``/``name``, ``sector``, ``country``)."""
    f = model.features
    out = []
    for n, item in enumerate(profiles):
        profile = {k: _strings(k, v) for k, v in item.items() if k not in ("id", "name")}
        q = model.query_for_profile({k: v for k, v in profile.items() if k not in ("sector", "country")})
        values = {}
        for d in SHARED_DIMENSIONS:
            dm = f.dims[d]
            cols = q.cols.get(d, np.array([], int)).tolist()
            values[d] = {dm.terms[c].strip("<>"): dm.labels[c] for c in cols}
        key = str(item.get("id") or item.get("name") or f"participant-{n + 1}")
        out.append(
            Person(
                key=key,
                kind="participant",
                name=str(item.get("name") or key),
                synthetic=False,
                source=PARTICIPANT_LIST,
                sectors={_mix_label("sector", v) for v in profile.get("sector", [])},
                countries={_mix_label("country", v) for v in profile.get("country", [])},
                values=values,
            )
        )
    return out


def form_groups(
    model: PeerModel,
    participants: Sequence[str | Mapping[str, Any]],
    size: int,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """Groups of missions (by id) or respondent profiles; see ``group_people``."""
    if size < 2:
        raise InvalidInputError("group size must be at least 2", size=size)
    if len(participants) < size:
        raise InvalidInputError(f"{len(participants)} participants cannot fill a group of {size}")
    people: list[Person] = []
    for item in participants:
        if isinstance(item, str):
            people.extend(mission_people(model, [item]))
        else:
            people.extend(profile_people(model, [item]))
    return group_people(people, size, seed=seed)
