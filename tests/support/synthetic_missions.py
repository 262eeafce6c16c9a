"""Synthetic missions as N-Triples (seeded; decisions/0002 shape) for network tests and benchmarks that
need many missions fast without the survey pipeline (``missiongraph build --respondents N``).

Every mission is marked ``mg:synthetic true`` and titled "Synthetic mission N".
"""

from __future__ import annotations

import random

from graph.iris import Iris
from ontology.vocab import concepts

__all__ = ["synthetic_ntriples"]

MG = "https://w3id.org/missiongraph/def#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
COUNTRIES = [
    "DNK",
    "SWE",
    "NLD",
    "DEU",
    "GBR",
    "ESP",
    "FIN",
    "NOR",
    "AUT",
    "JPN",
    "CAN",
    "AUS",
    "IRL",
    "FRA",
    "ITA",
]
WORDS = {
    "health": "cancer patients care prevention hospital disease",
    "climate": "emissions net-zero carbon resilience adaptation warming",
    "cities": "urban neighbourhoods housing streets districts municipalities",
    "mobility": "transport cycling buses vehicles commuting railways",
    "energy": "electricity renewable heating grid hydrogen solar",
    "mental-health": "loneliness wellbeing young anxiety depression support",
    "food-agriculture": "farming food diets soil crops farmers",
    "circular-economy": "plastic waste recycling materials reuse packaging",
}


def codes(scheme: str) -> list[str]:
    return [c.iri for c in concepts(scheme)]


def synthetic_ntriples(n: int, iris: Iris, seed: int = 0) -> str:
    rng = random.Random(seed)
    schemes = {
        s: codes(s)
        for s in (
            "challenge-field",
            "risk",
            "challenge",
            "support-need",
            "learning-need",
            "phase",
            "external-driver",
            "internal-driver",
            "funding-source",
            "level",
        )
    }
    fields = schemes["challenge-field"]
    lines: list[str] = []
    for i in range(n):
        m = f"<{iris.mission(f'syn-{i:06d}')}>"
        chosen = rng.sample(fields, rng.choice((1, 2, 2, 3)))
        words = [w for f in chosen for w in WORDS.get(f.rsplit("/", 1)[-1], "public innovation").split()]
        goal = " ".join(rng.sample(words, min(6, len(words))))
        lines.append(f"{m} <{RDF_TYPE}> <{MG}Mission> .")
        lines.append(f'{m} <{DCT}title> "Synthetic mission {i}"@en .')
        lines.append(f'{m} <{MG}goalStatement> "By 2030: {goal}."@en .')
        lines.append(f'{m} <{MG}synthetic> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .')
        lines.append(f"{m} <{DCT}spatial> <{COUNTRY}{rng.choice(COUNTRIES)}> .")
        for f in chosen:
            lines.append(f"{m} <{MG}challengeField> <{f}> .")
        for prop, scheme, k in (
            ("perceivedRisk", "risk", (1, 3)),
            ("facedChallenge", "challenge", (1, 3)),
            ("supportNeed", "support-need", (1, 3)),
            ("learningNeed", "learning-need", (0, 2)),
            ("fundingSource", "funding-source", (1, 2)),
        ):
            for v in rng.sample(schemes[scheme], rng.randint(*k)):
                lines.append(f"{m} <{MG}{prop}> <{v}> .")
        for prop, scheme in (
            ("phase", "phase"),
            ("mainExternalDriver", "external-driver"),
            ("mainInternalDriver", "internal-driver"),
            ("level", "level"),
        ):
            lines.append(f"{m} <{MG}{prop}> <{rng.choice(schemes[scheme])}> .")
    return "\n".join(lines) + "\n"
