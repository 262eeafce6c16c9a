"""The Lab's people operations (groups, introductions, match) over the app context: one place for the
API, the pages and the CLI. Free-text mission descriptions are mapped with the search index."""

from __future__ import annotations

from typing import Any

from api.context import AppContext
from graph.network.attendees import Attendees, gather_people
from graph.network.groups import group_people
from graph.network.introductions import introductions
from graph.network.participants import Describe, DescriptionMatch
from graph.network.people import Person

__all__ = [
    "index_describe",
    "people_for",
    "groups_for",
    "introductions_for",
    "people_to_talk_to",
    "MATCH_CRITERIA",
]

#: what a profile to match can name: (dimension, concept scheme); the values are concept codes
MATCH_CRITERIA = (
    ("challenge-field", "challenge-field"),
    ("risk", "risk"),
    ("challenge", "challenge"),
    ("support-need", "support-need"),
)

#: a concept counts for a description when its score is at least this share of the best one
CONCEPT_SHARE = 0.6


def _index(ctx: AppContext) -> Any:
    provider = ctx.index_provider
    if ctx.index is not None:
        return ctx.index
    if provider is not None and provider.ready():
        return provider.get()
    return None


def index_describe(index: Any, *, semantic: bool) -> Describe | None:
    """A description → the challenge fields and missions the search index ranks first (None: no index)."""
    if index is None:
        return None

    def describe(text: str) -> DescriptionMatch:
        q = text[:500]
        found = index.search(q, filters={"type": ["concept"]}, limit=20, semantic=semantic)["results"]
        fields = [r for r in found if str(r["id"]).startswith("challenge-field/")]
        best = fields[0]["score"] if fields else 0.0
        chosen = [r["iri"] for r in fields[:3] if r["score"] >= CONCEPT_SHARE * best]
        missions = index.search(q, filters={"type": ["mission"]}, limit=2, semantic=semantic)["results"]
        return DescriptionMatch(
            {"challenge-field": chosen} if chosen else {},
            [(str(r["id"]), str(r["title"])) for r in missions],
        )

    return describe


def people_for(ctx: AppContext, wanted: Attendees) -> list[Person]:

    describe = index_describe(_index(ctx), semantic=ctx.settings.semantic)
    return gather_people(ctx.store, ctx.iris, ctx.network_view().model, wanted, describe=describe)


def groups_for(ctx: AppContext, wanted: Attendees, size: int, seed: int) -> dict[str, Any]:
    return group_people(people_for(ctx, wanted), size, seed=seed)


def introductions_for(
    ctx: AppContext, wanted: Attendees, *, per_person: int, limit: int, person: str | None
) -> dict[str, Any]:
    return introductions(people_for(ctx, wanted), per_person=per_person, limit=limit, person=person)


def people_to_talk_to(ctx: AppContext, picked: dict[str, list[str]], limit: int = 8) -> list[dict[str, Any]]:
    """Respondents who consented to be contacted, introduced to a described profile (best first): each
    a person (``LabPerson``) with the ``reason`` and the ``match`` kind of the introduction.

    ``picked``: dimension (MATCH_CRITERIA) → concept codes; an unknown dimension or code is an
    ``InvalidInputError`` naming it.
    """
    from graph.errors import InvalidInputError
    from graph.network.groups import profile_people
    from graph.network.people import attach_mission_titles, consenting_respondents
    from ontology.vocab import concepts

    schemes = dict(MATCH_CRITERIA)
    wanted: dict[str, list[str]] = {}
    for name, codes in picked.items():
        if name not in schemes:
            raise InvalidInputError(
                f"query parameter {name}: not a match criterion", parameter=name, expected=", ".join(schemes)
            )
        known = {c.code for c in concepts(schemes[name])}
        for code in codes:
            if code not in known:
                raise InvalidInputError(
                    f"query parameter {name}: {code!r} is not a {schemes[name]} code",
                    parameter=name,
                    value=code,
                    expected=", ".join(sorted(known)),
                )
        if codes:
            wanted[name] = list(dict.fromkeys(codes))
    if not wanted:
        return []
    model = ctx.network_view().model
    (probe,) = profile_people(model, [{"id": "the-profile", "name": "This profile", **wanted}])
    others = consenting_respondents(ctx.store, ctx.iris)
    if not others:
        return []
    attach_mission_titles(model, others)
    found = introductions([probe, *others], person=probe.key, limit=limit)["introductions"]
    out = []
    for item in found:
        person = next(p for p in item["people"] if p["id"] != probe.key)
        out.append({**person, "reason": item["reason"], "match": item["kind"]})
    return out
