"""What every CLI command shares: exit codes, opening the store, progress bars, clear failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from graph.textsafe import for_terminal

if TYPE_CHECKING:
    from rich.progress import Progress

    from api.settings import Settings
    from graph.errors import IngestError
    from graph.store import Store

__all__ = [
    "privacy_summary",
    "EXIT_BAD_INPUT",
    "EXIT_USAGE",
    "EXIT_STORE",
    "WAIT_DEFAULT",
    "fail",
    "ingest_failure",
    "open_store_or_exit",
    "progress_bar",
]

#: exit codes: 0 ok, 1 bad input (a file or a query), 2 usage, 3 store error
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_STORE = 3

#: seconds `load` and `build` wait for the write lock another process holds (``--wait``)
WAIT_DEFAULT = 30.0


def fail(message: str, code: int) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise (never a traceback for bad input)."""
    typer.echo(for_terminal(message), err=True)  # file contents never drive the terminal
    return typer.Exit(code)


def ingest_failure(exc: IngestError) -> typer.Exit:
    """Every problem of a rejected file as one line each, then the exit for bad input."""
    for problem in exc.problems:
        typer.echo(for_terminal(str(problem)), err=True)
    return fail(f"error: {exc.detail}", EXIT_BAD_INPUT)


def open_store_or_exit(settings: Settings, *, read_only: bool = False, wait: float = 0.0) -> Store:
    """The store the settings name, or a clear line and exit code 3 when it cannot be opened.

    ``read_only``: for commands that only read. They work beside a running service (through the
    snapshot its writer publishes) and never create a store: a data directory without one is exit 3.
    Otherwise the write lock is needed; while another process holds it (a running service, another
    load) this waits up to ``wait`` seconds, saying so once, then exits 3 naming the way through the
    running service.
    """
    import time

    from api.app import open_store_from_settings
    from graph.errors import StoreError, StoreLockedError

    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            store = open_store_from_settings(settings, read_only=read_only)
            break
        except StoreLockedError as exc:
            if time.monotonic() >= deadline:
                raise fail(
                    f"error: {exc.detail}.\n"
                    "  Beside a running service, load through it instead:\n"
                    "    curl -H 'Authorization: Bearer $LAB_TOKEN' -F file=@FILE -F wave=WAVE "
                    f"http://{settings.host}:{settings.port}/api/loads\n"
                    "  or stop the service, or wait longer with --wait SECONDS.",
                    EXIT_STORE,
                ) from exc
            if not said:
                typer.echo(
                    f"{exc.detail}; waiting up to {wait:.0f} s for the write lock (Ctrl-C to stop)",
                    err=True,
                )
                said = True
            time.sleep(0.5)
        except StoreError as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
    return store


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


def privacy_summary(disclosure: dict[str, Any], contacts_dropped: int) -> str:
    """One line on what a load kept private: contacts dropped, how the public graph generalised."""
    d = disclosure
    return (
        f"privacy: contact details of {contacts_dropped} non-consenting respondent(s) dropped; public graph "
        f"k={d.get('k')}: of {d.get('respondents', 0)} respondent(s) {d.get('full_detail', 0)} shown with "
        f"their country, {d.get('countries_generalised', 0)} with a world region, "
        f"{d.get('countries_suppressed', 0)} without a place; sectors suppressed "
        f"{d.get('sectors_suppressed', 0)}, roles suppressed {d.get('roles_suppressed', 0)}, organisations "
        f"generalised to a type {d.get('organisations_generalised', 0)}, withheld {d.get('withheld', 0)}"
    )
