"""CLI commands over the network view: peers, helpers, benchmark, analytics (groups: commands/people)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import typer

from api.commands.common import open_store_or_exit

__all__ = ["register"]


def _run(work: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Open the store the settings name, build the network view, run ``work(view)``; errors → exit 2."""
    from api.context import AppContext
    from api.routers.peers import network_view
    from api.settings import Settings
    from graph.errors import MissionGraphError
    from graph.iris import Iris

    settings = Settings()
    store = open_store_or_exit(settings, read_only=True)
    try:
        ctx = AppContext(settings=settings, store=store, iris=Iris(settings.base_iri))
        return work((network_view(ctx), settings))
    except MissionGraphError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
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
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """Peer missions with reasons (GET /api/missions/{id}/peers, or POST /api/peers for a profile)."""
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
                found = view.model.peers_for_profile(wanted, limit=limit)
                return {"profile": wanted, "peers": [p.as_dict() for p in found]}
            found = view.model.peers(mission_id, limit=limit)
            return {"id": mission_id, "peers": [p.as_dict() for p in found]}

        body = _run(work)
        if as_json:
            _print(body)
            return
        for rank, p in enumerate(body["peers"], 1):
            typer.echo(f"{rank:>3}. {p['title']}  [{p['id']}, score {p['score']:.3f}]")
            for d in p["explanation"]:
                shared = ", ".join(d["shared"]) or "similar meaning"
                typer.echo(f"       {d['share']:>5.0%} {d['label']}: {shared}")

    @app.command("helpers")
    def helpers_command(
        mission_id: str = typer.Argument(..., help="Mission id."),
        need: list[str] = typer.Option([], "--need", help="Support-need code; default: the mission's own."),
        limit: int = typer.Option(5, min=1, max=50),
    ) -> None:
        """Who can help: peers showing the strength matching each support need."""
        from graph.network.helpers import helpers

        body = _run(lambda arg: helpers(arg[0].model, mission_id, needs=need, limit=limit))
        if not body["needs"]:
            typer.echo("the mission names no support needs; ask for some with --need CODE")
        for item in body["needs"]:
            typer.echo(f"{item['label']}:")
            for h in item["helpers"] or [{"title": "(nobody found)", "id": "", "reason": ""}]:
                typer.echo(f"  - {h['title']} [{h['id']}] {h['reason']}")

    @app.command("benchmark")
    def benchmark_command(mission_id: str = typer.Argument(..., help="Mission id.")) -> None:
        """The mission against the cohort; counts below MISSIONGRAPH_SMALL_COUNT_K shown as '<k'."""
        from graph.network.benchmark import benchmark

        _print(_run(lambda arg: benchmark(arg[0].model, mission_id, k=arg[1].small_count_k)))

    @app.command("analytics")
    def analytics_command(
        what: str = typer.Argument("communities", help="communities, centrality or cooccurrence"),
        seed: int = typer.Option(0, help="Seed of the community detection."),
        limit: int = typer.Option(15, help="How many concepts (centrality)."),
        missions: bool = typer.Option(
            False, "--missions", help="Centrality: also rank missions (kNN graph)."
        ),
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

        _print(_run(work))
