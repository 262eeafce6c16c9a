"""The peers commands of the CLI over an on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.iris import Iris
from graph.store import OxigraphStore
from tests.network.stores import survey_store


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("cli-data")
    store = OxigraphStore(data / "store")
    survey_store(Iris("http://127.0.0.1:8000/"), store)
    store.close()
    return {"MISSIONGRAPH_DATA_DIR": str(data), "MISSIONGRAPH_SEMANTIC": "false"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_peers(env: dict[str, str]) -> None:
    code, out = run(env, "peers", "eu-mission-cities", "--limit", "3")
    assert code == 0
    assert "at-climate-neutral-city" in out and "challenge fields" in out
    code, out = run(env, "peers", "eu-mission-cities", "--limit", "3", "--json")
    assert code == 0
    peers = json.loads(out)["peers"]
    assert len(peers) == 3 and all(p["explanation"] and p["sparql"] for p in peers)
    code, out = run(env, "peers", "--profile", '{"challenge-field": "mental-health"}', "--limit", "2")
    assert code == 0 and "s-t1-" in out
    code, out = run(env, "peers")
    assert code != 0
    code, out = run(env, "peers", "no-such-mission")
    assert code == 2 and "no mission" in out


def test_helpers_benchmark_analytics(env: dict[str, str]) -> None:
    code, out = run(env, "helpers", "s-t1-needy")
    assert code == 0 and "Mental wellbeing in Malmo schools" in out
    code, out = run(env, "benchmark", "s-t1-needy")
    assert code == 0 and json.loads(out)["items"][0]["base"] == "<5"
    code, out = run(env, "analytics", "centrality", "--limit", "2", "--missions")
    assert code == 0 and len(json.loads(out)["concepts"]) == 2 and len(json.loads(out)["missions"]) == 2
    code, out = run(env, "analytics", "nonsense")
    assert code != 0


def test_groups(env: dict[str, str], tmp_path: Path) -> None:
    ids = ["s-t1-needy", "s-t1-planner", "s-t1-target", "s-t1-offtopic"]
    code, out = run(env, "groups", *ids, "--size", "2", "--seed", "1", "--json")
    assert code == 0
    body = json.loads(out)
    assert sorted(m["id"] for g in body["groups"] for m in g["members"]) == sorted(ids)
    participants = tmp_path / "p.json"
    participants.write_text(json.dumps([{"id": "a", "challenge-field": ["climate"]}, {"id": "b"}]))
    code, out = run(env, "groups", "--file", str(participants), "--size", "2")
    assert code == 0 and "Group 1" in out
