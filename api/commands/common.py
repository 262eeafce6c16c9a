"""What every CLI command shares: exit codes, opening the store, progress bars, clear failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from api.settings import Settings
    from graph.errors import IngestError
    from graph.store import Store

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_USAGE",
    "EXIT_STORE",
    "fail",
    "ingest_failure",
    "open_store_or_exit",
    "progress_bar",
]

#: exit codes: 0 ok, 1 bad input (a file or a query), 2 usage, 3 store error
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_STORE = 3


def fail(message: str, code: int) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise (never a traceback for bad input)."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def ingest_failure(exc: IngestError) -> typer.Exit:
    """Every problem of a rejected file as one line each, then the exit for bad input."""
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    return fail(f"error: {exc.detail}", EXIT_BAD_INPUT)


def open_store_or_exit(settings: Settings) -> Store:
    """The store the settings name, or a clear line and exit code 3 when it cannot be opened."""
    from api.app import open_store_from_settings
    from graph.errors import StoreError

    try:
        return open_store_from_settings(settings)
    except StoreError as exc:
        raise fail(f"error: {exc.detail}", EXIT_STORE) from exc


def progress_bar(description: str = "{task.description}") -> Progress:
    """A transient progress bar on stderr (stdout stays clean for the command's output)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn(description),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
