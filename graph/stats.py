"""Every published deck figure beside the same figure recomputed from the respondents of a survey wave."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.iris import Iris
from graph.store.base import Dataset, Store
from ontology.namespaces import MG_NS
from ontology.queries import load_queries

__all__ = ["FigureRow", "figures_report", "wave_is_synthetic"]

_MG = MG_NS


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
    return store.ask(
        f"ASK {{ GRAPH <{iris.survey_graph(wave)}> {{ ?r <{_MG}synthetic> true }} }}"
    ) or store.ask(
        f"ASK {{ GRAPH <{iris.restricted_graph}> {{ ?r <{_MG}synthetic> true ; "
        f"<http://www.w3.org/ns/prov#wasGeneratedBy> <{iris.wave(wave)}> }} }}"
    )


def _public_dataset(store: Store, iris: Iris) -> Dataset:
    # the catalogue queries read the default graph: make it the public graphs (never the restricted one)
    return Dataset(default=tuple(g for g in store.named_graphs() if iris.is_public_graph(g)))


def figures_report(store: Store, iris: Iris, wave: str = "2021") -> list[FigureRow]:
    """Every deck figure: the catalogue's ``figure-{code}-published`` query beside its
    ``figure-{code}-recomputed`` query on ``wave``. Raises NotFoundError when the store has no figures."""
    queries = load_queries()
    codes = sorted(
        {q.figure for q in queries.values() if q.figure and q.kind == "published"},
        key=lambda code: (_DECK_ORDER.index(code) if code in _DECK_ORDER else len(_DECK_ORDER), code),
    )
    dataset = _public_dataset(store, iris)
    # the recomputation counts the full-detail responses (the public graph generalises countries,
    # decisions/0010); only these aggregates leave the restricted graph. A store built before the two
    # tiers has its responses in full detail in the public graph only: then they are counted there.
    full_detail = (
        Dataset(default=(iris.restricted_graph,))
        if store.ask(
            f"ASK {{ GRAPH <{iris.restricted_graph}> {{ ?r a <{_MG}SurveyResponse> ; "
            f"<http://www.w3.org/ns/prov#wasGeneratedBy> <{iris.wave(wave)}> }} }}"
        )
        else dataset
    )
    rows: list[FigureRow] = []
    for code in codes:
        published = store.select(queries[f"figure-{code}-published"].render(), dataset=dataset)
        if not published:
            continue
        fig = published[0]
        recomputed_query = queries.get(f"figure-{code}-recomputed")
        got = (
            store.select(recomputed_query.render({"wave": wave}), dataset=full_detail)
            if recomputed_query
            else []
        )
        again = got[0] if got else {}
        base = int(again.get("base", 0))
        is_share = "share" in fig
        rows.append(
            FigureRow(
                code=code,
                label=str(fig.get("label", code)),
                published=round(float(fig["value"]), 4),
                recomputed=round(float(again["value"]), 4) if base > 0 and "value" in again else None,
                base=base,
                unit="percent" if is_share else "count",
                published_base=int(fig["base"]),
                matching=int(again.get("count", 0)),
            )
        )
    if not rows:
        raise NotFoundError("the store holds no published figures: run `missiongraph build` first")
    return rows


#: the order the deck presents its figures in
_DECK_ORDER = (
    "involved", "countries", "sector-national-government", "sector-private-sector", "sector-foundation",
    "external-driver-collaboration", "external-driver-global-challenges", "external-driver-economic",
    "external-driver-direction", "external-driver-individuals", "internal-driver-strategy",
    "internal-driver-policy", "internal-driver-impact", "internal-driver-capacity", "internal-driver-method",
    "clear-target", "me-plan",
)  # fmt: skip
