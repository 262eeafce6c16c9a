"""The peers commands of the CLI over an on-disk store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.iris import Iris
from graph.store import OxigraphStore
from tests.support.stores import survey_store


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
    code, out = run(env, "peers", "--profile", '{"challenge-field": "no-such-field"}')
    assert code == 1 and "mental-health" in out  # unknown codes name the valid ones
    code, out = run(env, "peers", "eu-mission-cities", "--mode", "nonsense")
    assert code == 1 and "obstacles" in out
    code, out = run(env, "peers")
    assert code == 2  # usage: neither a mission nor a profile
    code, out = run(env, "peers", "no-such-mission")
    assert code == 1 and "no mission" in out  # bad input is exit 1 (README), not 2 (usage)


def test_helpers_benchmark_analytics(env: dict[str, str]) -> None:
    code, out = run(env, "helpers", "s-t1-needy")
    assert code == 0 and "Mental wellbeing in Malmo schools" in out
    assert "synthetic" in out  # the synthetic column
    code, out = run(env, "helpers", "--need", "evaluation", "--synthetic", "exclude", "--json")
    assert code == 0 and all(not h["synthetic"] for n in json.loads(out)["needs"] for h in n["helpers"])
    code, out = run(env, "helpers", "--need", "no-such-need")
    assert code == 1 and "evaluation" in out  # names the valid codes (bad input: exit 1)
    code, out = run(env, "benchmark", "s-t1-needy", "--json")
    assert code == 0 and json.loads(out)["items"][0]["base"] == "<5"
    assert all("synthetic" in c and "source" in c for i in json.loads(out)["items"] for c in i["cohort"])
    code, out = run(env, "benchmark", "s-t1-needy")
    assert code == 0 and "synthetic" in out and "source" in out
    code, out = run(env, "analytics", "centrality", "--limit", "2", "--missions", "--json")
    assert code == 0 and len(json.loads(out)["concepts"]) == 2 and len(json.loads(out)["missions"]) == 2
    code, out = run(env, "analytics", "centrality", "--limit", "2")
    assert code == 0 and out.splitlines()[0].startswith("synthetic")
    code, out = run(env, "analytics", "nonsense")
    assert code != 0


def test_groups(env: dict[str, str], tmp_path: Path) -> None:
    ids = ["s-t1-needy", "s-t1-planner", "s-t1-target", "s-t1-offtopic"]
    code, out = run(env, "groups", *ids, "--size", "2", "--seed", "1", "--json")
    assert code == 0
    body = json.loads(out)
    assert sorted(m["id"] for g in body["groups"] for m in g["members"]) == sorted(ids)
    participants = tmp_path / "participants.csv"
    participants.write_text(
        "name,organisation,email,mission,mission_description,risks,needs,sector\n"
        "Ana Lima,City of Aarhus,ana@example.org,s-t1-needy,,silos,evaluation,local-government\n"
        "Ben Ode,Malmo City,ben@example.org,s-t1-planner,,silos,funding,local-government\n"
        "Cleo Park,Lund University,,eu-mission-cities,,momentum,,academia\n"
        "Dan Roe,Harbour Foundation,dan@example.org,,Zero plastic waste in the harbour,short-termism,,"
        "foundation\n",
        encoding="utf-8",
    )
    code, out = run(env, "groups", "--file", str(participants), "--size", "2")
    assert code == 0, out
    assert "Group 1" in out and "Ana Lima" in out and "ana@example.org" in out and "Synthetic" in out
    assert "sectors per group against" in out and "{" not in out  # readable, not a Python dict
    code, out = run(env, "groups", "--file", str(participants), "--size", "2", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4 and {r["group"] for r in rows} == {"1", "2"}
    assert {"name", "organisation", "email", "mission", "synthetic", "source"} <= set(rows[0])
    ana = next(r for r in rows if r["name"] == "Ana Lima")
    assert ana["synthetic"] == "true" and ana["source"] == "participant-list"  # on a synthetic mission
    code, out = run(env, "groups", "--file", str(participants), "--size", "2", "--format", "json")
    assert code == 0 and len(json.loads(out)["groups"]) == 2

    code, out = run(env, "introductions", "--file", str(participants))
    assert code == 0, out
    assert "Ana Lima" in out and "↔" in out and "needs help with" in out
    code, out = run(env, "introductions", "--file", str(participants), "--format", "csv")
    assert code == 0 and out.startswith("introduction,kind,person_a")

    bad = tmp_path / "bad.csv"
    bad.write_text("name,sector\nAna,wizards\n", encoding="utf-8")
    code, out = run(env, "groups", "--file", str(bad))
    assert code == 1
    assert "bad.csv, row 2, column 'sector': unknown sector (got 'wizards'" in out
    code, out = run(env, "groups")
    assert code == 2


def test_peers_json_equals_the_api(env: dict[str, str]) -> None:
    from pathlib import Path

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    args = ("eu-mission-cities", "--limit", "5", "--mode", "problem", "--synthetic", "exclude", "--json")
    code, out = run(env, "peers", *args)
    assert code == 0
    cli = json.loads(out)
    store = OxigraphStore(Path(env["MISSIONGRAPH_DATA_DIR"]) / "store")
    try:
        settings = Settings(store="memory", semantic=False, rate_limit_per_minute=0)
        with TestClient(create_app(settings, store=store)) as client:
            api = client.get(
                "/api/missions/eu-mission-cities/peers",
                params={"limit": 5, "mode": "problem", "synthetic": "exclude"},
            ).json()
    finally:
        store.close()
    assert cli == api
    assert all(not p["synthetic"] and p["source"] == "catalogue" for p in cli["peers"])
