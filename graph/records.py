"""Domain records of a survey export: one respondent and their validated response."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Respondent", "Response"]


@dataclass(frozen=True)
class Respondent:
    """Who answered. Everything but the id, country and organisation slug is personal data."""

    respondent_id: str
    country: str | None = None  # ISO 3166-1 alpha-2, or "EU"
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    organisation: str | None = None
    consent: bool | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class Response:
    """One validated row: coded answers per field (scheme, codes), free texts, the mission described."""

    row: int  # the row in the file, as a spreadsheet shows it (header = 1)
    respondent: Respondent
    #: field name (codebook column) -> (concept scheme, codes); single-choice answers have one code
    answers: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: field name -> free text
    texts: dict[str, str] = field(default_factory=dict)
    submitted_at: str | None = None
    mission_id: str | None = None  # a catalogue mission id
    mission_title: str | None = None  # the respondent's own mission
    mission_goal: str | None = None
    target_year: int | None = None
    synthetic: bool = False

    def codes(self, name: str) -> tuple[str, ...]:
        """The codes answered for one field (empty when unanswered)."""
        answer = self.answers.get(name)
        return answer[1] if answer else ()
