"""Every published deck figure beside the same figure recomputed from the respondents of a survey wave."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.iris import Iris
from graph.store.base import Store

__all__ = ["FigureRow", "figures_report", "wave_is_synthetic", "PUBLISHED_QUERY", "RECOMPUTE_QUERY"]

_MG = "https://w3id.org/missiongraph/def#"
_PREFIXES = """PREFIX mg: <https://w3id.org/missiongraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: the published figures: code, label, share or count, base, question and concept
PUBLISHED_QUERY = (
    _PREFIXES
    + """SELECT ?code ?label ?share ?count ?base ?question ?concept WHERE {
  GRAPH <%(figures)s> {
    ?o a qb:Observation ; mg:figureCode ?code ; rdfs:label ?label ; mg:base ?base ; mg:question ?question .
    OPTIONAL { ?o mg:share ?share } OPTIONAL { ?o mg:count ?count } OPTIONAL { ?o mg:concept ?concept }
  }
} ORDER BY ?code"""
)

#: each figure recomputed from the wave: responses whose answer to the figure's question is the
#: figure's concept (shares), or distinct answers (counts, e.g. countries); the question gives the
#: property through mg:recordedAs, so the query needs no per-figure code
RECOMPUTE_QUERY = (
    _PREFIXES
    + """SELECT ?code (COUNT(DISTINCT ?r) AS ?matching) (COUNT(DISTINCT ?value) AS ?distinct) WHERE {
  GRAPH <%(figures)s> { ?o mg:figureCode ?code ; mg:question ?question . OPTIONAL { ?o mg:concept ?concept } }
  GRAPH <%(wave)s> {
    ?question mg:recordedAs ?property .
    ?r a mg:SurveyResponse ; ?property ?value .
  }
  FILTER (!BOUND(?concept) || ?value = ?concept)
} GROUP BY ?code"""
)

_RESPONSES_QUERY = (
    _PREFIXES + "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { GRAPH <%(wave)s> { ?r a mg:SurveyResponse } }"
)


@dataclass(frozen=True)
class FigureRow:
    """One deck figure: the published value and the value recomputed from respondent data.

    Shares are in percent (``published`` 64.0); counts are plain numbers (40 countries).
    """

    code: str
    label: str
    published: float
    recomputed: float | None  # None when the wave holds no responses
    base: int  # respondents the recomputation counted (the published base is ``published_base``)
    unit: str  # "percent" or "count"
    published_base: int = 0
    matching: int = 0  # respondents with the answer (shares), or distinct answers (counts)

    @property
    def difference(self) -> float | None:
        return None if self.recomputed is None else round(self.recomputed - self.published, 4)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "difference": self.difference}


def wave_is_synthetic(store: Store, iris: Iris, wave: str = "2021") -> bool:
    """True when the wave's responses are marked ``mg:synthetic true``."""
    return store.ask(f"ASK {{ GRAPH <{iris.survey_graph(wave)}> {{ ?r <{_MG}synthetic> true }} }}")


def figures_report(store: Store, iris: Iris, wave: str = "2021") -> list[FigureRow]:
    """Every published figure beside its recomputation from ``wave``; raises NotFoundError without figures."""
    names = {"figures": iris.figures_graph, "wave": iris.survey_graph(wave)}
    published = store.select(PUBLISHED_QUERY % names)
    if not published:
        raise NotFoundError("the store holds no published figures: run `missiongraph build` first")
    counted = {row["code"]: row for row in store.select(RECOMPUTE_QUERY % names)}
    responses = int(store.select(_RESPONSES_QUERY % names)[0].get("n", 0))
    rows: list[FigureRow] = []
    for fig in published:
        is_share = "share" in fig
        got = counted.get(fig["code"], {})
        matching = int(got.get("matching" if is_share else "distinct", 0))
        if responses == 0:
            recomputed = None
        elif is_share:
            recomputed = round(100 * matching / responses, 4)
        else:
            recomputed = float(matching)
        rows.append(
            FigureRow(
                code=fig["code"],
                label=fig["label"],
                published=round(float(fig["share"]) * 100, 4) if is_share else float(fig.get("count", 0)),
                recomputed=recomputed,
                base=responses,
                unit="percent" if is_share else "count",
                published_base=int(fig["base"]),
                matching=matching,
            )
        )
    order = {code: i for i, code in enumerate(_DECK_ORDER)}
    return sorted(rows, key=lambda r: (order.get(r.code, len(order)), r.code))


#: the order the deck presents its figures in
_DECK_ORDER = (
    "involved", "countries", "sector-national-government", "sector-private-sector", "sector-foundation",
    "external-driver-collaboration", "external-driver-global-challenges", "external-driver-economic",
    "external-driver-direction", "external-driver-individuals", "internal-driver-strategy",
    "internal-driver-policy", "internal-driver-impact", "internal-driver-capacity", "internal-driver-method",
    "clear-target", "me-plan",
)  # fmt: skip
