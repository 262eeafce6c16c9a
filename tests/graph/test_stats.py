"""Every deck figure: published value exact, recomputed from the synthetic respondents within 1 point."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.build import build_store
from graph.errors import NotFoundError
from graph.figures import read_figures
from graph.stats import figures_report, wave_is_synthetic
from graph.store import OxigraphStore
from tests.support import IRIS

DECK = {
    "involved": 64, "countries": 40, "sector-national-government": 30, "sector-private-sector": 24,
    "sector-foundation": 4, "external-driver-collaboration": 34, "external-driver-global-challenges": 21,
    "external-driver-economic": 13, "external-driver-direction": 12, "external-driver-individuals": 4,
    "internal-driver-strategy": 24, "internal-driver-policy": 18, "internal-driver-impact": 15,
    "internal-driver-capacity": 8, "internal-driver-method": 7, "clear-target": 25, "me-plan": 11,
}  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("stats") / "store")
    build_store(store, IRIS)
    return store


def test_every_figure_published_exact_and_recomputed_within_one_point(store: OxigraphStore) -> None:
    rows = figures_report(store, IRIS)
    assert [r.code for r in rows] == list(DECK)
    for row in rows:
        assert row.published == DECK[row.code], row.code
        assert row.base == 227 and row.published_base == 227
        assert row.recomputed is not None
        if row.unit == "count":
            assert row.recomputed == 40
        else:
            assert abs(row.recomputed - row.published) <= 1.0, row
            assert row.recomputed == pytest.approx(100 * row.matching / 227, abs=1e-3)
    assert wave_is_synthetic(store, IRIS)


def test_recomputation_follows_the_data_not_the_published_value(store: OxigraphStore) -> None:
    # move ten national-government respondents to academia: the recomputed share must drop by 10/227
    sector = "https://w3id.org/missiongraph/def#sector"
    wave = IRIS.restricted_graph  # the figures are recomputed on the full-detail responses
    gov = "https://w3id.org/missiongraph/vocab/sector/national-government"
    academia = "https://w3id.org/missiongraph/vocab/sector/academia"
    picked = store.select(
        f"SELECT ?r WHERE {{ GRAPH <{wave}> {{ ?r <{sector}> <{gov}> }} }} ORDER BY ?r LIMIT 10"
    )
    changes = " ".join(f"<{r['r']}> <{sector}> <{{}}> ." for r in picked)
    other = OxigraphStore(None)
    other.load(store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    other.update(
        f"DELETE DATA {{ GRAPH <{wave}> {{ {changes.format(*[gov] * 10)} }} }} ;"
        f"INSERT DATA {{ GRAPH <{wave}> {{ {changes.format(*[academia] * 10)} }} }}"
    )
    before = {r.code: r.recomputed for r in figures_report(store, IRIS)}
    after = {r.code: r.recomputed for r in figures_report(other, IRIS)}
    assert after["sector-national-government"] == pytest.approx(100 * 58 / 227, abs=1e-3)
    assert after["sector-private-sector"] == before["sector-private-sector"]


def test_an_empty_store_says_build_first() -> None:
    with pytest.raises(NotFoundError, match="missiongraph build"):
        figures_report(OxigraphStore(None), IRIS)


def test_published_figures_file_and_report_agree(store: OxigraphStore) -> None:
    from_file = {f.code: f.value for f in read_figures()}
    assert {r.code: r.published for r in figures_report(store, IRIS)} == from_file
