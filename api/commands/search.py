"""CLI commands for the search index: `missiongraph index` (rebuild) and `missiongraph search`."""

from __future__ import annotations

import html
import json
import re
import time

import typer

from api.commands.common import open_store_or_exit

__all__ = ["register"]

_MARK = re.compile(r"</?mark>")


def register(app: typer.Typer) -> None:
    @app.command("index")
    def index_command(
        if_absent: bool = typer.Option(False, "--if-absent", help="Only build when no index exists yet."),
        engine: str = typer.Option(None, help="whoosh or tantivy (default: MISSIONGRAPH_SEARCH_ENGINE)."),
    ) -> None:
        """Rebuild the search index from the store's public graphs."""
        from api.settings import Settings
        from search.index import build_index, open_index

        settings = Settings()
        name = engine or settings.search_engine
        if name not in ("whoosh", "tantivy"):
            raise typer.BadParameter("expected whoosh or tantivy", param_hint="--engine")
        path = settings.index_path / name
        if if_absent and open_index(path, engine=name, semantic=settings.semantic) is not None:
            typer.echo(f"index present at {path}; nothing to do")
            return
        store = open_store_or_exit(settings, read_only=True)
        try:
            started = time.perf_counter()
            index = build_index(store, settings.iris(), path, engine=name, semantic=settings.semantic)
            typer.echo(
                f"indexed {index.size} documents with {name} in {time.perf_counter() - started:.1f} s "
                f"at {path} (store state {index.store_state})"
            )
            index.close()
        finally:
            store.close()

    @app.command("search")
    def search_command(
        query: str = typer.Argument("", help="What you are looking for, in your own words."),
        facet: list[str] = typer.Option([], "--facet", help="Filter as facet=value; repeat for more."),
        limit: int = typer.Option(10, help="How many results."),
        synthetic: str = typer.Option(
            "include", "--synthetic", help="include, exclude or only: keep, hide or show only made-up data."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    ) -> None:
        """Search missions, survey responses and concepts (the same ranking as GET /api/search)."""
        from api.settings import Settings
        from graph.errors import MissionGraphError
        from search.index import open_index
        from search.provider import IndexProvider

        filters: dict[str, list[str]] = {}
        for item in facet:
            key, sep, value = item.partition("=")
            if not sep or not key or not value:
                raise typer.BadParameter(f"expected facet=value, got {item!r}", param_hint="--facet")
            filters.setdefault(key.strip(), []).append(value.strip())
        settings = Settings()
        store = open_store_or_exit(settings, read_only=True)
        # the index on disk belongs to whoever writes the store: used when it matches the store,
        # else this search builds its own in a temporary folder and leaves the one on disk alone
        index = None
        if store.kind != "memory":
            index = open_index(
                settings.index_path / settings.search_engine,
                engine=settings.search_engine,
                semantic=settings.semantic,
            )
            if index is not None and index.store_state != store.state():
                index.close()
                index = None
            if index is None:
                typer.echo("note: no index matches the store; indexing into a temporary folder", err=True)
        provider = IndexProvider(
            store,
            settings.iris(),
            path=None,
            engine=settings.search_engine,
            semantic=settings.semantic,
            index=index,
        )
        try:
            body = provider.get().search(
                query, filters=filters, limit=limit, small_count_k=settings.small_count_k, synthetic=synthetic
            )
        except MissionGraphError as exc:
            typer.echo(f"error: {exc.detail}", err=True)
            raise typer.Exit(1) from exc
        finally:
            provider.close()
            if index is not None:
                index.close()
            store.close()
        if as_json:
            typer.echo(json.dumps(body, indent=1, ensure_ascii=False))
            return
        hidden = {"exclude": ", synthetic data hidden", "only": ", synthetic data only"}.get(synthetic, "")
        typer.echo(f"{body['total']} results for {query!r}{hidden}")
        if body.get("notice"):
            typer.echo(body["notice"]["message"])
        for suggestion in body["suggestions"]:
            typer.echo(f"did you mean: {suggestion}?")
        for phrase, info in body["expansion"].items():
            typer.echo(f"also searched for {phrase!r} as: {', '.join(info['added'])}")
        if body["results"]:
            typer.echo(f"{'#':>3}  {'synthetic':<9}  {'source':<12}  title  [type id, score]")
        for rank, hit in enumerate(body["results"], 1):
            flag = "SYNTHETIC" if hit["synthetic"] else "real"
            typer.echo(
                f"{rank:>3}. {flag:<9}  {hit['source']:<12}  {hit['title']}  "
                f"[{hit['type']} {hit['id']}, score {hit['score']:.3f}]"
            )
            if hit["snippet"]:
                typer.echo(f"     {html.unescape(_MARK.sub('', hit['snippet']))}")
