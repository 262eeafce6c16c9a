"""The peer-similarity dimensions and their weights: the one place they are set (docs/peers.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from graph.errors import InvalidInputError
from ontology.namespaces import MG_NS

__all__ = [
    "Dimension",
    "DIMENSIONS",
    "TEXT_DIMENSION",
    "dimension",
    "MG",
    "DCT",
    "SKOS_NS",
    "MODES",
    "DEFAULT_MODE",
    "Mode",
    "mode",
    "check_mode",
]

MG = MG_NS
DCT = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class Dimension:
    """One facet two missions can share."""

    #: stable name used in explanations, the API and the weights table
    name: str
    #: a few words a practitioner understands
    label: str
    #: SPARQL property path from a mission to the shared value (a concept IRI or a literal)
    path: str
    #: share of the total score when both missions have values on every dimension
    weight: float
    #: "cosine" over the set of values, or "idf-cosine" when rare shared values should count more
    measure: Literal["cosine", "idf-cosine"] = "cosine"


# Weights: challenge fields and goal text say what a mission is about, so they lead; the survey answers
# (risks, challenges, needs) say how it is going and matter for "facing similar challenges"; context
# (country, level, programme, funding) helps but alone does not make a peer. A dimension a mission has no
# data on drops out of its score (scores are normalised by the weights present on the query mission).
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("challenge-field", "challenge fields", f"<{MG}challengeField>", 3.0, "idf-cosine"),
    Dimension("sdg", "sustainable development goals", f"<{DCT}subject>", 0.5, "idf-cosine"),
    Dimension("risk", "perceived risks", f"<{MG}perceivedRisk>", 1.0),
    Dimension("challenge", "challenges faced", f"<{MG}facedChallenge>", 1.0),
    Dimension("support-need", "support needs", f"<{MG}supportNeed>", 1.0),
    Dimension("learning-need", "learning needs", f"<{MG}learningNeed>", 0.3),
    Dimension("phase", "phase", f"<{MG}phase>", 0.5),
    Dimension("driver", "main drivers", f"<{MG}mainExternalDriver>|<{MG}mainInternalDriver>", 0.5),
    Dimension("funding-source", "funding sources", f"<{MG}fundingSource>", 0.25, "idf-cosine"),
    Dimension("level", "level of government", f"<{MG}level>", 0.15),
    Dimension("sector", "sectors of the people describing it", f"^<{MG}describesMission>/<{MG}sector>", 0.3),
    Dimension("country", "country", f"<{DCT}spatial>", 0.12),
    Dimension("programme", "programme", f"<{MG}programme>", 0.25),
    Dimension("governing-body", "governing body", f"<{MG}governingBody>", 0.12),
)

#: goal-text similarity: lexical (shared goal terms, always) plus semantic (when embeddings are injected)
TEXT_DIMENSION = Dimension("goal-text", "goal text", f"<{MG}goalStatement>", 4.0)
#: the goal-text weight when only the lexical part is there (no embeddings): shared words are a weaker
#: sign of the same problem than shared meaning, so they weigh less than a shared challenge field
LEXICAL_ONLY_WEIGHT = 2.0
#: of the goal-text weight, the share given to the semantic (embedding) part when vectors are present
SEMANTIC_SHARE = 0.67

_BY_NAME = {d.name: d for d in (*DIMENSIONS, TEXT_DIMENSION)}


def dimension(name: str) -> Dimension:
    return _BY_NAME[name]


@dataclass(frozen=True)
class Mode:
    """What makes a peer: the weight of each dimension, and which dimensions lead.

    A *lead* dimension counts in every score where the query has values on it (a candidate without
    values there scores 0 on it). Any other dimension only refines: it counts where both the query and
    the candidate have values, so a mission nobody answered the survey about is not pushed down by the
    questions it has no answers to (and a made-up answer cannot outweigh what a mission is about).
    """

    name: str
    description: str
    #: dimension name (and "goal-text", which covers the lexical and the semantic goal parts) → weight
    weights: dict[str, float]
    lead: frozenset[str]


_PROBLEM = {d.name: d.weight for d in DIMENSIONS} | {TEXT_DIMENSION.name: TEXT_DIMENSION.weight}
MODES: dict[str, Mode] = {
    "problem": Mode(
        "problem",
        "missions on the same problem: challenge fields, goal meaning and SDGs lead; context and survey "
        "answers refine",
        _PROBLEM,
        frozenset({"challenge-field", "goal-text", "sdg"}),
    ),
    "obstacles": Mode(
        "obstacles",
        "missions facing the same obstacles on any topic: the same risks, challenges and support needs",
        {
            "risk": 3.0,
            "challenge": 3.0,
            "support-need": 3.0,
            "learning-need": 1.0,
            "phase": 0.5,
            "driver": 0.5,
            "sector": 0.3,
        },
        frozenset({"risk", "challenge", "support-need"}),
    ),
}
DEFAULT_MODE = "problem"


def check_mode(name: str | None) -> str:
    """The mode's name, or a 400 (``InvalidInputError``) naming the valid modes."""
    chosen = (name or DEFAULT_MODE).strip().lower()
    if chosen not in MODES:
        raise InvalidInputError(
            f"query parameter mode: {name!r} is not one of {', '.join(MODES)}",
            parameter="mode",
            expected=", ".join(MODES),
        )
    return chosen


def mode(name: str | None = None) -> Mode:
    return MODES[check_mode(name)]
