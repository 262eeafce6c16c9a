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

__all__ = ["index_describe", "people_for", "groups_for", "introductions_for"]

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
