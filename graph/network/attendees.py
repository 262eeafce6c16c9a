"""Who is in the room: people from respondent ids, a wave's consenting respondents, a list, mission ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.errors import InvalidInputError
from graph.iris import Iris
from graph.network.participants import Describe, parse_participants, participant_people
from graph.network.peers import PeerModel
from graph.network.people import (
    Person,
    attach_mission_titles,
    mission_people,
    respondents,
    wave_respondents,
)
from graph.store import Store

__all__ = ["Attendees", "gather_people"]


@dataclass
class Attendees:
    """What the Lab asked for; any combination, at least one person in all."""

    respondent_ids: Sequence[str] = ()
    #: every consenting respondent of this survey wave
    wave: str | None = None
    #: a participant list: (file name, CSV or JSON text)
    participant_file: tuple[str, str | bytes] | None = None
    mission_ids: Sequence[str] = ()
    extra: list[Person] = field(default_factory=list)


def gather_people(
    store: Store, iris: Iris, model: PeerModel, wanted: Attendees, *, describe: Describe | None = None
) -> list[Person]:
    """Every person asked for, validated (bad input names what and where), without duplicates."""
    people: list[Person] = []
    if wanted.respondent_ids:
        people += respondents(store, iris, wanted.respondent_ids)
    if wanted.wave:
        people += wave_respondents(store, iris, wanted.wave)
    if wanted.participant_file is not None:
        name, data = wanted.participant_file
        rows = parse_participants(data, name, known_missions=model.features.row_of)
        people += participant_people(model, rows, describe=describe)
    if wanted.mission_ids:
        people += mission_people(model, wanted.mission_ids)
    people += wanted.extra
    seen: dict[str, Person] = {}
    for p in people:
        seen.setdefault(p.key, p)
    if not seen:
        raise InvalidInputError(
            "nobody to match: give respondent ids, a survey wave, a participant list or mission ids"
        )
    out = list(seen.values())
    attach_mission_titles(model, out)
    return out
