"""What every CLI command shares: exit codes and the one way to fail with a clear line."""

from __future__ import annotations

import typer

__all__ = ["EXIT_BAD_INPUT", "EXIT_USAGE", "EXIT_STORE", "fail"]

#: exit codes: 0 ok, 1 bad input (a file or a query), 2 usage, 3 store error
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_STORE = 3


def fail(message: str, code: int) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise (never a traceback for bad input)."""
    typer.echo(message, err=True)
    return typer.Exit(code)
