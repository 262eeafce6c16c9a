"""CLI commands on the knowledge graph: serve (more are registered by the graph work)."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(None, help="Address to bind (default: MISSIONGRAPH_HOST)."),
        port: int = typer.Option(None, help="Port (default: MISSIONGRAPH_PORT)."),
    ) -> None:
        """Serve the HTTP API, SPARQL endpoint and pages."""
        import uvicorn

        from api.app import create_app
        from api.settings import Settings

        settings = Settings()
        uvicorn.run(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
        )
