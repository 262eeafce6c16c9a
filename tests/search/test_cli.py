"""`missiongraph index` and `missiongraph search` over an on-disk store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.store import OxigraphStore
from tests.search.conftest import fill_store


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store on disk and its index, built once by `missiongraph index`."""
    tmp = tmp_path_factory.mktemp("cli")
    store = fill_store(OxigraphStore(tmp / "store"))
    store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MISSIONGRAPH_DATA_DIR", str(tmp))
        mp.setenv("MISSIONGRAPH_STORE", "oxigraph")
        built = CliRunner().invoke(app, ["index"])
        assert built.exit_code == 0, built.output
        yield tmp


def test_index_then_search(data_dir: Path) -> None:
    runner = CliRunner()
    assert (data_dir / "index" / "tantivy" / "CURRENT").exists()  # the default engine
    again = runner.invoke(app, ["index", "--if-absent"])
    assert again.exit_code == 0 and "nothing to do" in again.output

    result = runner.invoke(
        app, ["search", "healthy soils", "--facet", "type=mission", "--json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["results"][0]["id"] == "eu-mission-soil"
    assert all(r["type"] == "mission" for r in body["results"])

    text = runner.invoke(app, ["search", "helthy soils", "--limit", "2"])
    assert text.exit_code == 0
    assert "did you mean: healthy soils?" in text.output and "<mark>" not in text.output


def test_bad_facet_is_an_error(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["search", "x", "--facet", "nonsense"]).exit_code == 2
    unknown = runner.invoke(app, ["search", "x", "--facet", "colour=red"])
    assert unknown.exit_code == 1 and "unknown facet" in unknown.output  # bad input (README), not usage
