"""The `missiongraph` command line: the same operations as the service."""

from __future__ import annotations

import sys

import typer

from api.commands import data as data_commands
from api.commands import graph as graph_commands
from api.commands import peers as peers_commands
from api.commands import people as people_commands
from api.commands import search as search_commands

__all__ = ["app", "main"]

app = typer.Typer(
    name="missiongraph",
    help="Build, query and serve the mission knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Build, query and serve the mission knowledge graph."""


graph_commands.register(app)
search_commands.register(app)
peers_commands.register(app)
people_commands.register(app)
data_commands.register(app)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
