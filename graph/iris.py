"""Instance and named-graph IRIs under the configurable base (docs/decisions/0001)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from graph.pseudonyms import pseudonym

__all__ = ["Iris", "DEFAULT_BASE_IRI", "WAVE_PATTERN", "is_wave"]

DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"
#: a survey wave's name (it becomes part of graph IRIs): a letter or digit, then letters, digits, . _ -
WAVE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_WAVE = re.compile(WAVE_PATTERN[1:-1])


def is_wave(text: str) -> bool:
    """True when ``text`` is a whole wave name (no trailing newline, nothing outside the pattern)."""
    return _WAVE.fullmatch(text) is not None


@dataclass(frozen=True)
class Iris:
    """Builds every instance and graph IRI from one base, so that instance IRIs dereference."""

    base: str = DEFAULT_BASE_IRI
    #: the deployment's pseudonym key (graph.pseudonyms); empty only in tests and throw-away stores
    key: bytes = field(default=b"", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    # --- named graphs -------------------------------------------------------------------------
    @property
    def vocabulary_graph(self) -> str:
        return f"{self.base}graph/vocabulary"

    @property
    def catalogue_graph(self) -> str:
        return f"{self.base}graph/catalogue"

    @property
    def figures_graph(self) -> str:
        return f"{self.base}graph/figures"

    @property
    def restricted_graph(self) -> str:
        return f"{self.base}graph/restricted"

    def survey_graph(self, wave: str) -> str:
        return f"{self.base}graph/survey/{wave}"

    def is_public_graph(self, graph: str) -> bool:
        return graph.startswith(f"{self.base}graph/") and graph != self.restricted_graph

    # --- instances ----------------------------------------------------------------------------
    def instance(self, kind: str, key: str) -> str:
        return f"{self.base}id/{kind}/{key}"

    def mission(self, mission_id: str) -> str:
        return self.instance("mission", mission_id)

    def mission_id(self, iri: str) -> str | None:
        """The catalogue/survey id of a mission IRI, or None when the IRI is not a mission."""
        prefix = self.instance("mission", "")
        return iri[len(prefix) :] if iri.startswith(prefix) else None

    def opaque(self, wave: str, respondent_id: str) -> str:
        """A stable pseudonym for a respondent, keyed: without the deployment's key it cannot be computed."""
        return pseudonym(self.key, wave, respondent_id)

    def organisation_key(self, name: str) -> str:
        """A stable, keyed organisation key: colleagues share it, the public graph cannot read the name."""
        folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
        return "o-" + pseudonym(self.key, "organisation", folded)

    def respondent(self, wave: str, respondent_id: str) -> str:
        return self.instance("respondent", self.opaque(wave, respondent_id))

    def response(self, wave: str, respondent_id: str) -> str:
        return self.instance("response", f"{wave}/{self.opaque(wave, respondent_id)}")

    @staticmethod
    def own_mission_key(
        wave: str, title: str, country: str | None, goal: str | None = None, target_year: int | None = None
    ) -> str:
        """The id of a mission respondents describe themselves: in one wave, the same title, goal, target year
        and country (spacing aside) is the same mission, so colleagues who describe it describe one mission;
        a different goal or year keeps them apart (one mission never gets two titles, goals or years)."""
        parts = (wave, " ".join(title.split()), " ".join((goal or "").split()), str(target_year or ""))
        key = "\x1f".join((*parts, (country or "").upper()))
        return f"s-{wave}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    def survey_mission(
        self,
        wave: str,
        title: str,
        country: str | None,
        goal: str | None = None,
        target_year: int | None = None,
    ) -> str:
        return self.mission(self.own_mission_key(wave, title, country, goal, target_year))

    def wave(self, wave: str) -> str:
        return self.instance("wave", wave)

    def question(self, code: str) -> str:
        return self.instance("question", code)

    def variable(self, code: str) -> str:
        return self.instance("variable", code)

    def organisation(self, slug: str) -> str:
        return self.instance("organisation", slug)

    def figure(self, code: str) -> str:
        return self.instance("figure", code)

    @property
    def figures_dataset(self) -> str:
        return self.instance("dataset", "survey-2021-figures")
