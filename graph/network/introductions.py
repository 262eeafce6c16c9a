"""Introductions: pairs of people worth introducing, each with the reason and the shared concepts.

Two reasons make a pair: the need of one is met by the strength of the other (a support need and an
answer the ontology maps to it, ``ontology.vocab.need_strengths``), or a shared problem (the same
challenges, risks or needs in the same field). People of the same organisation or the same mission are
not introduced (they know each other).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from graph.errors import InvalidInputError, NotFoundError
from graph.network.people import Person, concept_label, vocabulary_iri
from graph.provenance import Provenance, combined

__all__ = ["introductions", "NEED_MET", "SHARED_PROBLEM"]

NEED_MET = "need met"
SHARED_PROBLEM = "shared problem"
#: points of a pair: per shared concept of each kind, and per need of one met by the other's strength
WEIGHTS = {"challenge": 1.0, "risk": 0.5, "support-need": 0.5, "challenge-field": 1.0}
NEED_POINTS = 2.0
#: a shared-problem pair needs at least this many shared challenges, risks or needs
MIN_SHARED_PROBLEMS = 2


def _matrix(people: Sequence[Person], sets: list[set[str]]) -> tuple[np.ndarray, list[str]]:
    columns = sorted({v for s in sets for v in s})
    index = {v: i for i, v in enumerate(columns)}
    m = np.zeros((len(people), len(columns)))
    for r, s in enumerate(sets):
        for v in s:
            m[r, index[v]] = 1.0
    return m, columns


def _same_context(a: Person, b: Person) -> bool:
    if a.organisation and b.organisation and a.organisation.casefold() == b.organisation.casefold():
        return True
    return bool(a.mission_id and a.mission_id == b.mission_id)


def _shared(a: Person, b: Person) -> list[dict[str, str]]:
    out = []
    for d in WEIGHTS:
        for iri in sorted(a.concepts(d) & b.concepts(d), key=concept_label):
            out.append({"dimension": d, "label": concept_label(iri), "iri": iri})
    return out


def _need_met(needy: Person, helper: Person) -> list[dict[str, str]]:
    return [
        {
            "need": code,
            "label": concept_label(vocabulary_iri("support-need", code)),
            "who_needs": needy.key,
            "who_helps": helper.key,
            "strength": helper.strengths[code],
        }
        for code in sorted(needy.needs & set(helper.strengths))
    ]


def _reason(a: Person, b: Person, met: list[dict[str, str]], shared: list[dict[str, str]]) -> str:
    parts = []
    for needy, helper in ((a, b), (b, a)):
        labels = [m["label"].lower() for m in met if m["who_needs"] == needy.key]
        if labels:
            parts.append(f"{needy.name} needs help with {_join(labels[:3])}; {helper.name} can help.")
    problems = [s["label"].lower() for s in shared if s["dimension"] in ("challenge", "risk")]
    fields = [s["label"] for s in shared if s["dimension"] == "challenge-field"]
    if problems:
        parts.append(f"Both face {_join(problems[:2])}.")
    needs = [s["label"].lower() for s in shared if s["dimension"] == "support-need"]
    if needs and not met:
        parts.append(f"Both need help with {_join(needs[:2])}.")
    if fields:
        parts.append(f"Both work on {_join(fields[:2])}.")
    return " ".join(parts)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def introductions(
    people: Sequence[Person], *, per_person: int = 2, limit: int = 50, person: str | None = None
) -> dict[str, Any]:
    """The best pairs to introduce: each person in at most ``per_person`` pairs, ``limit`` pairs in all.

    With ``person`` (a key), only introductions of that person, best first.
    """
    if per_person < 1 or limit < 1:
        raise InvalidInputError("per_person and limit must be at least 1")
    n = len(people)
    if n < 2:
        raise InvalidInputError(f"{n} participant(s): an introduction needs two people")
    keys = [p.key for p in people]
    if len(set(keys)) != n:
        dup = next(k for k in keys if keys.count(k) > 1)
        raise InvalidInputError(f"participants must be distinct; {dup!r} is listed twice", value=dup)
    focus = None
    if person is not None:
        if person not in keys:
            raise NotFoundError(f"{person!r} is not among the participants", id=person)
        focus = keys.index(person)

    points = np.zeros((n, n))
    problems = np.zeros((n, n))
    for d, w in WEIGHTS.items():
        m, _ = _matrix(people, [p.concepts(d) for p in people])
        overlap = m @ m.T
        points += w * overlap
        if d != "challenge-field":
            problems += overlap
    needs, codes = _matrix(people, [p.needs for p in people])
    index = {c: i for i, c in enumerate(codes)}
    strengths = np.zeros_like(needs)
    for r, p in enumerate(people):
        for code in p.strengths:
            if code in index:
                strengths[r, index[code]] = 1.0
    met = needs @ strengths.T  # met[i, j]: needs of i that j can help with
    points += NEED_POINTS * (met + met.T)
    np.fill_diagonal(points, 0.0)
    eligible = ((met + met.T) > 0) | (problems >= MIN_SHARED_PROBLEMS)
    np.fill_diagonal(eligible, False)

    rows, cols = np.nonzero(np.triu(eligible, 1))
    if focus is not None:
        keep = (rows == focus) | (cols == focus)
        rows, cols = rows[keep], cols[keep]
    order = sorted(
        zip(rows.tolist(), cols.tolist(), strict=True),
        key=lambda ij: (-float(points[ij]), keys[ij[0]], keys[ij[1]]),
    )
    count = [0] * n
    out: list[dict[str, Any]] = []
    introduced: set[str] = set()
    for i, j in order:
        a, b = people[i], people[j]
        if _same_context(a, b):
            continue
        if focus is None and (count[i] >= per_person or count[j] >= per_person):
            continue
        shared = _shared(a, b)
        need = _need_met(a, b) + _need_met(b, a)
        introduced |= {a.key, b.key}
        count[i] += 1
        count[j] += 1
        out.append(
            {
                "people": [a.as_dict(), b.as_dict()],
                "kind": NEED_MET if need else SHARED_PROBLEM,
                "reason": _reason(a, b, need, shared),
                "needs_met": need,
                "shared": shared,
                "points": round(float(points[i, j]), 2),
                "synthetic": a.synthetic or b.synthetic,
                "source": combined(
                    [Provenance(a.synthetic, a.source), Provenance(b.synthetic, b.source)]
                ).source,
            }
        )
        if len(out) >= limit:
            break
    return {
        "participants": n,
        "introductions": out,
        "introduced": len(introduced),
        "not_introduced": sorted(p.name for p in people if p.key not in introduced)[:50],
        "synthetic": any(p.synthetic for p in people),
        "how": (
            "A pair is introduced when one needs help the other can give (a support need and an answer "
            "that shows strength in it), or when both name at least "
            f"{MIN_SHARED_PROBLEMS} of the same challenges, risks or needs; best pairs first, each person "
            f"in at most {per_person} introductions; people of the same organisation or mission are left out."
        ),
    }
