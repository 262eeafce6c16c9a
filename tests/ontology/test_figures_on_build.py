"""On the store built from data/: each figure's published query gives the deck value, its recomputed query
gives the synthetic respondents' value within one percentage point."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import build_store
from graph.figures import Figure, read_figures
from graph.iris import Iris
from graph.store import OxigraphStore
from graph.store.base import Dataset, Store
from ontology.queries import catalogue

UNION = Dataset(union=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = OxigraphStore(Path(tmp_path_factory.mktemp("figures")) / "store")
    build_store(store, Iris())
    return store


@pytest.mark.parametrize("figure", read_figures(), ids=lambda f: f.code)
def test_published_and_recomputed(built: Store, figure: Figure) -> None:
    pair = catalogue().figure_queries()[figure.code]
    published = built.select(pair["published"].render(), dataset=UNION)
    assert len(published) == 1
    assert published[0]["value"] == pytest.approx(figure.value)
    # recomputed on the full-detail responses (the public graph generalises countries: decisions/0010)
    full = Dataset(default=(Iris().restricted_graph,))
    recomputed = built.select(pair["recomputed"].render({"wave": "2021"}), dataset=full)
    assert len(recomputed) == 1
    row = recomputed[0]
    assert row["base"] == 227
    if figure.unit == "count":
        assert row["value"] == figure.count
    else:
        assert abs(float(row["value"]) - figure.value) <= 1.0, (figure.code, row)


def test_every_catalogue_query_runs_on_the_built_store(built: Store) -> None:
    for query in catalogue():
        rows = built.select(query.render(), dataset=UNION)
        assert rows, f"{query.name} found nothing in the built store"
        if "mission" in rows[0] and "property" not in rows[0]:  # a list of missions: one row each
            missions = [r["mission"] for r in rows]
            assert len(missions) == len(set(missions)), f"{query.name}: a mission listed twice"
    # survey answers on catalogue missions (levels, ...) do not multiply the catalogue rows
    assert len(built.select(catalogue().render("catalogue-missions"), dataset=UNION)) == 225
