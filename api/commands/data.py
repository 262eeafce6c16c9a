"""CLI commands on data: `load` a survey export, `query` the store with SPARQL."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import typer

from api.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_STORE,
    EXIT_USAGE,
    WAIT_DEFAULT,
    fail,
    ingest_failure,
    open_store_or_exit,
    privacy_summary,
    progress_bar,
)
from graph.textsafe import for_terminal

__all__ = ["register", "QUERY_FORMATS"]

QUERY_FORMATS = ("table", "json", "csv", "tsv", "turtle", "ntriples")


def register(app: typer.Typer) -> None:
    @app.command()
    def load(
        file: Path = typer.Argument(..., help="The survey export (CSV or XLSX).", dir_okay=False),
        mapping: Path = typer.Option(
            None, "--mapping", "-m", help="Column mapping (TOML); default: the codebook."
        ),
        wave: str = typer.Option("2021", "--wave", "-w", help="The survey wave the file belongs to."),
        encoding: str = typer.Option(None, "--encoding", help="Text encoding of a CSV (e.g. cp1252)."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; write nothing."),
        wait: float = typer.Option(
            WAIT_DEFAULT, "--wait", min=0, help="Seconds to wait for the write lock held by another process."
        ),
    ) -> None:
        """Validate a survey export and load it into the store (all of it, or nothing)."""

        from api.settings import Settings
        from graph.errors import IngestError, StoreError
        from graph.ingest import check_survey, load_survey
        from graph.iris import Iris
        from graph.store import OxigraphStore, Store
        from graph.store.oxigraph import store_exists

        if not file.is_file():
            raise fail(f"error: no such file: {file}", EXIT_USAGE)
        if mapping is not None and not mapping.is_file():
            raise fail(f"error: no such mapping file: {mapping}", EXIT_USAGE)
        settings = Settings()
        if dry_run and settings.store == "oxigraph" and not store_exists(settings.store_path):
            store: Store = OxigraphStore(None)  # nothing built yet: check against an empty store, create none
            iris = Iris(settings.base_iri)  # nor a pseudonym key: a check writes nothing
        else:
            store = open_store_or_exit(settings, read_only=dry_run, wait=wait)
            iris = settings.iris()
        try:
            with progress_bar() as bar:
                task = bar.add_task(f"{'checking' if dry_run else 'loading'} {file.name}", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                run = check_survey if dry_run else load_survey
                report = run(
                    store,
                    iris,
                    file,
                    mapping=mapping,
                    wave=wave,
                    encoding=encoding,
                    progress=progress,
                    k=settings.small_count_k,
                )
        except IngestError as exc:
            raise ingest_failure(exc) from exc
        except StoreError as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
        finally:
            store.close()
        for notice in report.notices:
            typer.echo(for_terminal(f"notice: {notice}"), err=True)
        label = " (synthetic data)" if report.synthetic else ""
        checked = f"; SHACL checked {report.shacl_checked} of {report.rows} responses"
        if report.dry_run:
            typer.echo(
                f"{file.name}: {report.rows} rows valid, "
                f"{report.quads} triples would be written{checked}{label}"
            )
        else:
            typer.echo(
                f"{file.name}: loaded {report.rows} rows into wave {report.wave}: "
                f"{report.respondents_added} respondents and {report.triples_added} triples added "
                f"in {report.seconds:.2f} s{checked}{label}"
            )
        typer.echo(privacy_summary(report.disclosure, report.contacts_dropped))

    @app.command()
    def query(
        sparql: str = typer.Argument(..., help="A SPARQL query, or @file.rq to read one from a file."),
        fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, tsv, turtle or ntriples."),
        include_restricted: bool = typer.Option(
            False, "--include-restricted", help="Also query the restricted (personal data) graph."
        ),
    ) -> None:
        """Run a SPARQL query on the store (the public graphs as the default graph)."""
        import pyoxigraph as ox

        from api.settings import Settings
        from api.sparql.endpoint import checked_query
        from graph.errors import ForbiddenQueryError, QueryError, QueryTimeoutError, StoreError
        from graph.sparql_hints import explain
        from graph.store import Dataset

        if fmt not in QUERY_FORMATS:
            raise fail(
                f"error: unknown format {fmt!r}; expected one of {', '.join(QUERY_FORMATS)}", EXIT_USAGE
            )
        if sparql.startswith("@"):
            path = Path(sparql[1:])
            try:
                sparql = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise fail(f"error: cannot read the query file {path}: {exc}", EXIT_USAGE) from exc
        try:  # the same predeclared prefixes, checks and one-line hints as the /sparql endpoint
            prepared, guarded = checked_query(sparql)
        except QueryError as exc:
            raise fail(f"error: bad query: {exc.detail}", EXIT_BAD_INPUT) from exc
        except ForbiddenQueryError as exc:
            raise fail(f"error: {exc.detail}", EXIT_BAD_INPUT) from exc
        try:  # parsed (over an empty store) first: a bad query is exit 1 whatever the state of the store
            ox.Store().query(guarded.text)
        except SyntaxError as exc:
            raise fail(f"error: bad query: {explain(prepared, str(exc)).detail}", EXIT_BAD_INPUT) from exc
        except (OSError, ValueError, TypeError):
            pass  # not a syntax problem: the real store answers below
        settings = Settings()
        store = open_store_or_exit(settings, read_only=True)
        iris = settings.iris()
        try:
            graphs = tuple(g for g in store.named_graphs() if include_restricted or iris.is_public_graph(g))
            try:
                result = store.query(guarded.text, dataset=Dataset(default=graphs, named=graphs))
                out = _render(result, fmt)
            except QueryError as exc:
                raise explain(prepared, exc.detail) from exc
        except (QueryError, QueryTimeoutError) as exc:
            raise fail(f"error: bad query: {exc.detail}", EXIT_BAD_INPUT) from exc
        except StoreError as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
        except ValueError as exc:  # a format that does not fit the query form
            raise fail(f"error: {exc}", EXIT_USAGE) from exc
        finally:
            store.close()
        typer.echo(out, nl=not out.endswith("\n"))


def _render(result: Any, fmt: str) -> str:
    """A query result as text in ``fmt``; ValueError when the format does not fit the query form."""
    import pyoxigraph as ox

    from graph.sparql_results import serialize_boolean, serialize_solutions, serialize_triples
    from ontology.prefixes import prefix_map

    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[solution[n] for n in names] for solution in result]
        if fmt == "table":
            return _table(names, rows)
        if fmt in ("json", "csv", "tsv"):
            return serialize_solutions(names, rows, fmt).decode("utf-8")
        raise ValueError(f"a SELECT result cannot be written as {fmt}; use table, json, csv or tsv")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return serialize_boolean(bool(result), "json").decode("utf-8")
        if fmt == "table":
            return "true" if bool(result) else "false"
        raise ValueError(f"an ASK result cannot be written as {fmt}; use table or json")
    if fmt in ("turtle", "ntriples"):
        return serialize_triples(list(result), fmt, prefixes=prefix_map()).decode("utf-8")
    if fmt == "table":
        return serialize_triples(list(result), "turtle", prefixes=prefix_map()).decode("utf-8")
    raise ValueError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; use turtle or ntriples")


def _table(names: list[str], rows: list[list[Any]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*names, show_lines=False)
    for row in rows:
        table.add_row(*("" if t is None else (t.value if hasattr(t, "value") else str(t)) for t in row))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    console.print(f"{len(rows)} row(s)")
    return console.export_text()
