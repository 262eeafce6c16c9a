"""Workshop groups: a partition that shares challenges and needs while mixing sectors and countries."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graph.errors import InvalidInputError
from graph.network.peers import PeerModel
from ontology.vocab import concept, country_iri, country_label

__all__ = ["Participant", "form_groups", "SHARE", "MIX"]

#: what group members should have in common, with weights
SHARE: dict[str, float] = {"challenge-field": 1.0, "challenge": 1.0, "support-need": 1.0, "risk": 0.5}
#: what should differ inside a group (a pair with the same value costs this much)
MIX: dict[str, float] = {"sector": 1.0, "country": 1.0}


@dataclass
class Participant:
    key: str
    title: str
    values: dict[str, set[str]]  # dimension → labels


def _participants(model: PeerModel, items: Sequence[str | Mapping[str, Any]]) -> list[Participant]:
    f = model.features
    out = []
    for n, item in enumerate(items):
        if isinstance(item, str):
            row = model.row(item)
            values = {
                d: {f.dims[d].labels[c] for c in f.dims[d].values_of(row).tolist()} for d in (*SHARE, *MIX)
            }
            out.append(Participant(item, f.titles[row], values))
        else:
            profile = {k: _strings(k, v) for k, v in item.items() if k not in ("id", "name")}
            q = model.query_for_profile(profile)
            values = {
                d: {f.dims[d].labels[c] for c in q.cols.get(d, np.array([], int)).tolist()} for d in SHARE
            }
            for d in MIX:  # sectors and countries of people need not appear on any mission yet
                values[d] = {_mix_label(d, v) for v in profile.get(d, [])}
            key = str(item.get("id") or item.get("name") or f"participant-{n + 1}")
            out.append(Participant(key, key, values))
    keys = [p.key for p in out]
    if len(set(keys)) != len(keys):
        raise InvalidInputError("participants must be distinct")
    return out


def _mix_label(dimension: str, value: str) -> str:
    """The label a mission participant would show for a profile's sector code or country code."""
    if dimension == "country":
        iri = country_iri(value)
        return (country_label(iri) if iri else None) or value
    found = concept(dimension, value) if dimension == "sector" else None
    return found.pref_label if found else value


def _strings(key: str, value: Any) -> list[str]:
    """A profile value as a list of codes: one string or a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidInputError(
        f"profile value of {key!r} must be a code or a list of codes", value=str(value)[:80]
    )


def _affinity(people: list[Participant]) -> np.ndarray:
    n = len(people)
    a = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            s = 0.0
            for d, w in SHARE.items():
                x, y = people[i].values[d], people[j].values[d]
                if x and y:
                    s += w * len(x & y) / len(x | y)
            for d, w in MIX.items():
                if people[i].values[d] & people[j].values[d]:
                    s -= w
            a[i, j] = a[j, i] = s
    return a


def _objective(groups: list[list[int]], a: np.ndarray) -> float:
    return float(sum(a[np.ix_(g, g)].sum() / 2 for g in groups))


def _improve(groups: list[list[int]], a: np.ndarray, rounds: int = 50) -> list[list[int]]:
    """Best member swap between each pair of groups while it raises the objective (deterministic).

    ``g[x, k]`` = affinity of participant x to the members of group k, kept up to date, so a swap's
    gain is read off in one vectorised step: g[y,i] + g[x,j] - g[x,i] - g[y,j] - 2·a[x,y].
    """
    n = a.shape[0]
    member = np.zeros((n, len(groups)))
    for k, grp in enumerate(groups):
        member[grp, k] = 1.0
    g = a @ member
    for _ in range(rounds):
        improved = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                xs, ys = np.asarray(groups[i]), np.asarray(groups[j])
                gain = (
                    g[ys, i][np.newaxis, :]
                    + g[xs, j][:, np.newaxis]
                    - g[xs, i][:, np.newaxis]
                    - g[ys, j][np.newaxis, :]
                    - 2 * a[np.ix_(xs, ys)]
                )
                best = int(np.argmax(gain))
                xi, yj = divmod(best, len(ys))
                if gain[xi, yj] > 1e-9:
                    x, y = int(xs[xi]), int(ys[yj])
                    groups[i][xi], groups[j][yj] = y, x
                    g[:, i] += a[:, y] - a[:, x]
                    g[:, j] += a[:, x] - a[:, y]
                    improved = True
        if not improved:
            break
    return groups


def _random_partition(n: int, size: int, rng: random.Random) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    k = math.ceil(n / size)
    return [order[i::k] for i in range(k)]  # balanced: sizes differ by at most one


def _quality(groups: list[list[int]], people: list[Participant]) -> dict[str, float]:
    shared, diversity = [], []
    for g in groups:
        counts: Counter[tuple[str, str]] = Counter(
            (d, v) for m in g for d in SHARE for v in people[m].values[d]
        )
        shared.append(sum(1 for n in counts.values() if n >= 2))
        distinct = [len({v for m in g for v in people[m].values[d]}) / len(g) for d in MIX]
        diversity.append(sum(distinct) / len(distinct))
    return {
        "shared_concepts_per_group": round(sum(shared) / len(groups), 3),
        "pairwise_overlap": round(_pairwise_overlap(groups, people), 4),
        "diversity_per_group": round(sum(diversity) / len(groups), 3),
    }


def _pairwise_overlap(groups: list[list[int]], people: list[Participant]) -> float:
    """Mean Jaccard overlap of what should be shared, over every pair of members of the same group."""
    scores = []
    for grp in groups:
        for n, x in enumerate(grp):
            for y in grp[n + 1 :]:
                a = {(d, v) for d in SHARE for v in people[x].values[d]}
                b = {(d, v) for d in SHARE for v in people[y].values[d]}
                scores.append(len(a & b) / len(a | b) if a | b else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _common_ground(g: list[int], people: list[Participant]) -> tuple[list[dict[str, Any]], str]:
    counts: Counter[tuple[str, str]] = Counter((d, v) for m in g for d in SHARE for v in people[m].values[d])
    common = [(d, v, n) for (d, v), n in counts.most_common() if n >= 2][:6]
    items = [{"dimension": d, "label": v, "members": n} for d, v, n in common]
    if not common:
        return items, "No concept is shared by two members; the group mixes perspectives."
    words = {
        "challenge-field": "work on",
        "challenge": "face",
        "support-need": "need help with",
        "risk": "fear",
    }
    parts = [f"{n} of {len(g)} {words[d]} {v.lower()}" for d, v, n in common[:4]]
    return items, "; ".join(parts) + "."


def form_groups(
    model: PeerModel, participants: Sequence[str | Mapping[str, Any]], size: int, *, seed: int = 0
) -> dict[str, Any]:
    """Partition ``participants`` (mission ids or respondent profiles) into groups of about ``size``.

    Deterministic for a seed: a seeded random start improved by member swaps. The quality of the result
    is reported beside a random partition drawn in the same run with the same seed.
    """
    if size < 2:
        raise InvalidInputError("group size must be at least 2", size=size)
    if len(participants) < size:
        raise InvalidInputError(f"{len(participants)} participants cannot fill a group of {size}")
    people = _participants(model, participants)
    a = _affinity(people)
    rng = random.Random(seed)
    baseline = _random_partition(len(people), size, rng)
    groups = _improve([list(g) for g in _random_partition(len(people), size, random.Random(seed + 1))], a)
    groups = [sorted(g, key=lambda m: people[m].key) for g in groups]
    groups.sort(key=lambda g: people[g[0]].key)
    out = []
    for n, g in enumerate(groups, 1):
        common, words = _common_ground(g, people)
        out.append(
            {
                "group": n,
                "members": [{"id": people[m].key, "title": people[m].title} for m in g],
                "common_ground": common,
                "summary": words,
                "sectors": sorted({v for m in g for v in people[m].values["sector"]}),
                "countries": sorted({v for m in g for v in people[m].values["country"]}),
            }
        )
    return {
        "seed": seed,
        "size": size,
        "groups": out,
        "quality": {**_quality(groups, people), "objective": round(_objective(groups, a), 3)},
        "random_partition_quality": {
            **_quality(baseline, people),
            "objective": round(_objective(baseline, a), 3),
        },
    }
