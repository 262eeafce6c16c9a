"""CLI commands over the network view: peers, helpers, benchmark, analytics (groups: commands/people)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import typer

from api.commands.common import open_store_or_exit

__all__ = ["register"]


def _run(work: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Open the store the settings name, build the network view, run ``work(view)``; bad input → exit 1."""
    from api.context import AppContext
    from api.settings import Settings
    from graph.errors import MissionGraphError

    settings = Settings()
    store = open_store_or_exit(settings, read_only=True)
    try:
        ctx = AppContext(settings=settings, store=store, iris=settings.iris())
        return work((ctx.network_view(), settings))
    except MissionGraphError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    finally:
        store.close()


def _print(body: dict[str, Any]) -> None:
    typer.echo(json.dumps(body, indent=1, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    @app.command("peers")
    def peers_command(
        mission_id: str = typer.Argument(None, help="Mission id, e.g. eu-mission-cities."),
        profile: str = typer.Option(
            None, help='A respondent profile as JSON instead of a mission: {"challenge-field": ["climate"]}'
        ),
        limit: int = typer.Option(10, min=1, max=100, help="How many peers."),
        mode: str = typer.Option(
            "problem", help="problem (the same problem) or obstacles (the same obstacles)."
        ),
        synthetic: str = typer.Option("include", help="include, exclude or only synthetic missions."),
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """Peer missions with reasons (GET /api/missions/{id}/peers, or POST /api/peers for a profile)."""
        from api.peer_answers import peers_body, profile_peers_body

        if (mission_id is None) == (profile is None):
            raise typer.BadParameter("give a mission id or --profile, not both or neither")
        wanted: dict[str, Any] = {}
        if profile is not None:
            try:
                wanted = json.loads(profile)
            except ValueError as exc:
                raise typer.BadParameter(f"not JSON: {exc}", param_hint="--profile") from exc
            if not isinstance(wanted, dict):
                raise typer.BadParameter("expected a JSON object", param_hint="--profile")
            wanted = {k: [v] if isinstance(v, str) else list(v) for k, v in wanted.items()}

        def work(arg: Any) -> dict[str, Any]:
            view, _ = arg
            if mission_id is None:
                return profile_peers_body(view, wanted, limit=limit, mode=mode, synthetic=synthetic)
            return peers_body(view, mission_id, limit=limit, mode=mode, synthetic=synthetic)

        body = _run(work)
        if as_json:
            _print(body)
            return
        if body.get("note"):
            typer.echo(body["note"])
        typer.echo(f"{'':>4} {'synthetic':<9}  {'source':<9}  peer")
        for rank, p in enumerate(body["peers"], 1):
            typer.echo(f"{rank:>3}. {_marks(p, 9)}  {p['title']}  [{p['id']}, score {p['score']:.3f}]")
            for d in p["explanation"]:
                if not d["assumed"]:
                    shared = ", ".join(d["shared"]) or "similar meaning"
                    typer.echo(f"{'':>27}{d['share']:>5.0%} {d['label']}: {shared}")
            assumed = [d for d in p["explanation"] if d["assumed"]]
            if assumed:
                part = sum(d["share"] for d in assumed)
                names = ", ".join(d["label"] for d in assumed)
                typer.echo(f"{'':>27}{part:>5.0%} typical similarity assumed (no answers): {names}")

    @app.command("helpers")
    def helpers_command(
        mission_id: str = typer.Argument(None, help="Mission id (leave out to ask for --need alone)."),
        need: list[str] = typer.Option(
            [], "--need", help="Support-need code or label; default: the mission's own."
        ),
        field: list[str] = typer.Option([], "--field", help="Only helpers in this challenge field."),
        level: list[str] = typer.Option([], "--level", help="Only helpers at this level of government."),
        synthetic: str = typer.Option("include", help="include, exclude or only synthetic missions."),
        limit: int = typer.Option(5, min=1, max=50),
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """Who can help: missions showing the strength matching each support need."""
        from graph.network.who_can_help import helpers

        body = _run(
            lambda arg: helpers(
                arg[0].model,
                mission_id,
                needs=need,
                fields=field,
                levels=level,
                synthetic=synthetic,
                limit=limit,
            )
        )
        if as_json:
            _print(body)
            return
        if not body["needs"]:
            typer.echo("the mission names no support needs; ask for some with --need CODE")
        for item in body["needs"]:
            typer.echo(f"{item['label']}:")
            if not item["helpers"]:
                typer.echo("  (nobody found)")
            for h in item["helpers"]:
                typer.echo(f"  - {_marks(h, 9)}  {h['title']} [{h['id']}] {h['reason']}")

    @app.command("benchmark")
    def benchmark_command(
        mission_id: str = typer.Argument(..., help="Mission id."),
        synthetic: str = typer.Option("include", help="Cohort: include, exclude or only synthetic missions."),
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """The mission against the cohort; counts below MISSIONGRAPH_SMALL_COUNT_K shown as '<k'."""
        from graph.network.benchmark import benchmark

        body = _run(
            lambda arg: benchmark(arg[0].model, mission_id, k=arg[1].small_count_k, synthetic=synthetic)
        )
        if as_json:
            _print(body)
            return
        typer.echo(f"{body['title']} [{body['mission']}] against {body['cohort_size']} missions")
        for item in body["items"]:
            own = ", ".join(item["mission"]) or "no answer"
            typer.echo(f"\n{item['label']} (this mission: {own}; base {item['base']})")
            typer.echo(f"  {'synthetic':<9}  {'source':<16}  {'missions':>8}  {'share':>6}  value")
            for c in item["cohort"]:
                share = f"{c['share']:.0%}" if c["share"] is not None else "–"
                mark = " *" if c["this_mission"] else ""
                typer.echo(f"  {_marks(c)}  {c['missions']!s:>8}  {share:>6}  {c['value']}{mark}")

    @app.command("analytics")
    def analytics_command(
        what: str = typer.Argument("communities", help="communities, centrality or cooccurrence"),
        seed: int = typer.Option(0, help="Seed of the community detection."),
        limit: int = typer.Option(15, help="How many concepts (centrality)."),
        missions: bool = typer.Option(
            False, "--missions", help="Centrality: also rank missions (kNN graph)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """Communities of missions, the most central concepts, or risks × support needs."""
        from graph.network.analytics import central_concepts, cooccurrence
        from graph.network.communities import central_missions, communities

        if what not in ("communities", "centrality", "cooccurrence"):
            raise typer.BadParameter("expected communities, centrality or cooccurrence", param_hint="WHAT")

        def work(arg: Any) -> dict[str, Any]:
            view, settings = arg
            if what == "communities":
                return {"communities": communities(view.model, view.knn, seed=seed)}
            if what == "centrality":
                body = {"concepts": central_concepts(view.features, limit=limit, k=settings.small_count_k)}
                if missions:
                    body["missions"] = central_missions(view.model, view.knn, limit=limit)
                return body
            return cooccurrence(view.features, k=settings.small_count_k)

        body = _run(work)
        if as_json:
            _print(body)
            return
        head = f"{'synthetic':<9}  {'source':<16}"
        if what == "communities":
            for i, c in enumerate(body["communities"], 1):
                typer.echo(f"{head}  community {i}: {c['size']} missions")
                for m in c["members"][:10]:
                    typer.echo(f"{_marks(m)}    {m['title']} [{m['id']}]")
        elif what == "centrality":
            typer.echo(f"{head}  {'pagerank':>8}  concept")
            for c in body["concepts"]:
                typer.echo(f"{_marks(c)}  {c['pagerank']:>8.4f}  {c['label']} ({c['dimension']})")
            for m in body.get("missions", []):
                typer.echo(f"{_marks(m)}  {m['pagerank']:>8.4f}  {m['title']} [{m['id']}]")
        else:
            typer.echo(f"{head}  {'missions':>8}  {'lift':>6}  {body['rows']} × {body['columns']}")
            for c in body["cells"]:
                lift = f"{c['lift']:.2f}" if c["lift"] is not None else "–"
                typer.echo(
                    f"{_marks(c)}  {c['missions']!s:>8}  {lift:>6}  {c[body['rows']]} × {c[body['columns']]}"
                )


def _yes(flag: bool) -> str:
    return "synthetic" if flag else "real"


def _marks(item: dict[str, Any], width: int = 16) -> str:
    """The synthetic and source columns of one list item."""
    return f"{_yes(item['synthetic']):<9}  {item['source']:<{width}}"
