"""CLI commands on the knowledge graph: build, stats, export and serve."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from api.commands.common import (
    EXIT_STORE,
    EXIT_USAGE,
    WAIT_DEFAULT,
    fail,
    ingest_failure,
    open_store_or_exit,
    privacy_summary,
    progress_bar,
)

if TYPE_CHECKING:
    from graph.stats import FigureRow

__all__ = ["register", "STATS_FORMATS"]

STATS_FORMATS = ("table", "json", "csv")
SYNTHETIC_NOTE = "note: the respondent-level survey data is SYNTHETIC (generated, not real responses)"


def register(app: typer.Typer) -> None:
    @app.command()
    def build(
        if_absent: bool = typer.Option(
            False, "--if-absent", help="Do nothing when the store already holds data."
        ),
        rebuild: bool = typer.Option(
            False, "--rebuild", help="Drop every graph first and build again from data/."
        ),
        respondents: int = typer.Option(
            None,
            "--respondents",
            "-n",
            min=1,
            help="Synthetic respondents to generate (default: the 227 sample).",
        ),
        seed: int = typer.Option(2021, "--seed", help="Seed of the synthetic survey generator."),
        wait: float = typer.Option(
            WAIT_DEFAULT, "--wait", min=0, help="Seconds to wait for the write lock held by another process."
        ),
    ) -> None:
        """Build the store from data/: vocabulary, missions catalogue, published figures, synthetic survey."""
        from rich.progress import (
            TaskID,
        )

        from api.settings import Settings
        from graph.build import STEPS, build_store
        from graph.errors import IngestError, StoreError

        settings = Settings()
        store = open_store_or_exit(settings, wait=wait)
        iris = settings.iris()
        where = settings.store_path if settings.store == "oxigraph" else settings.store
        try:
            if not store.is_empty():
                if if_absent:
                    typer.echo(f"store at {where} already holds data; not building (--if-absent)")
                    return
                if not rebuild:
                    raise fail(
                        f"error: the store at {where} already holds data; use --rebuild to drop it and "
                        "build again from data/, or --if-absent to keep it",
                        EXIT_USAGE,
                    )
            with progress_bar("{task.description:<12}") as bar:
                tasks: dict[str, TaskID] = {
                    step: bar.add_task(step, total=None, start=False) for step in STEPS
                }

                def progress(step: str, done: int, total: int | None) -> None:
                    bar.start_task(tasks[step])
                    bar.update(tasks[step], completed=done, total=total)

                report = build_store(
                    store,
                    iris,
                    respondents=respondents,
                    seed=seed,
                    rebuild=rebuild,
                    progress=progress,
                    k=settings.small_count_k,
                )
        except IngestError as exc:
            raise ingest_failure(exc) from exc
        except StoreError as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
        finally:
            store.close()
        for graph, triples in report.graphs.items():
            typer.echo(f"  {graph:<14} {triples:>10,} triples")
        synthetic = " synthetic" if report.synthetic else ""
        typer.echo(
            f"built store at {where}: {report.triples:,} triples, {report.respondents}{synthetic} "
            f"respondents from {report.survey_file}, in {report.total_seconds:.1f} s"
        )
        typer.echo(privacy_summary(report.disclosure, report.contacts_dropped))
        if report.synthetic:
            typer.echo(SYNTHETIC_NOTE)

    @app.command()
    def stats(
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
        wave: str = typer.Option("2021", "--wave", "-w", help="The survey wave to recompute from."),
    ) -> None:
        """Every figure of the survey deck: the published value beside its recomputation from respondents."""
        from api.settings import Settings
        from graph.errors import NotFoundError, QueryError, StoreError
        from graph.stats import figures_report, wave_is_synthetic

        if fmt not in STATS_FORMATS:
            raise fail(
                f"error: unknown format {fmt!r}; expected one of {', '.join(STATS_FORMATS)}", EXIT_USAGE
            )
        settings = Settings()
        store = open_store_or_exit(settings, read_only=True)
        iris = settings.iris()
        try:
            rows = figures_report(store, iris, wave)
            synthetic = wave_is_synthetic(store, iris, wave)
        except NotFoundError as exc:
            raise fail(f"error: {exc.detail}", EXIT_USAGE) from exc
        except (QueryError, StoreError) as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
        finally:
            store.close()
        typer.echo(_render_stats(rows, fmt, wave, synthetic), nl=False)
        if synthetic and fmt == "table":
            typer.echo(SYNTHETIC_NOTE)
        elif synthetic:
            typer.echo(SYNTHETIC_NOTE, err=True)

    @app.command()
    def export(
        out: Path = typer.Option(Path("dumps"), "--out", "-o", help="Directory to write the dumps to."),
        fmt: list[str] = typer.Option(
            None, "--format", "-f", help="turtle, nquads, jsonld or csv; repeat for several (default: all)."
        ),
    ) -> None:
        """Dump the public graphs (Turtle, N-Quads, JSON-LD, missions CSV) with a DCAT description."""
        from api.settings import Settings
        from graph.dumps import write_dumps
        from graph.errors import InvalidInputError, NotFoundError, StoreError
        from graph.stats import wave_is_synthetic

        settings = Settings()
        store = open_store_or_exit(settings, read_only=True)
        iris = settings.iris()
        try:
            files = write_dumps(store, iris, out, fmt or None)
            synthetic = any(
                wave_is_synthetic(store, iris, g.rsplit("/", 1)[-1])
                for g in store.named_graphs()
                if g.startswith(f"{iris.base}graph/survey/")
            )
        except (InvalidInputError, NotFoundError) as exc:
            raise fail(f"error: {exc.detail}", EXIT_USAGE) from exc
        except OSError as exc:
            raise fail(f"error: cannot write to {out}: {exc}", EXIT_USAGE) from exc
        except StoreError as exc:
            raise fail(f"error: {exc.detail}", EXIT_STORE) from exc
        finally:
            store.close()
        for path in files:
            typer.echo(f"  {path}  {path.stat().st_size:,} bytes")
        typer.echo(f"wrote {len(files)} files to {out} (public graphs only; CC BY 4.0)")
        if synthetic:
            typer.echo(SYNTHETIC_NOTE)

    @app.command()
    def serve(
        host: str = typer.Option(None, help="Address to bind (default: MISSIONGRAPH_HOST)."),
        port: int = typer.Option(None, help="Port (default: MISSIONGRAPH_PORT)."),
        workers: int = typer.Option(
            None,
            "--workers",
            min=1,
            help="HTTP worker processes over read-only snapshots, plus one writer process "
            "(default: MISSIONGRAPH_WORKERS, else the number of cores; 1: everything in one process).",
        ),
    ) -> None:
        """Serve the HTTP API, SPARQL endpoint and pages."""
        import os

        import uvicorn

        from api.app import create_app
        from api.settings import Settings

        settings = Settings()
        count = workers or settings.workers or os.cpu_count() or 1
        if count > 1 and settings.store == "oxigraph" and settings.writer_url is None:
            from api.workers import serve_workers

            serve_workers(settings, host=host or settings.host, port=port or settings.port, workers=count)
            return
        uvicorn.run(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
            # forwarded headers are read by the app, from MISSIONGRAPH_TRUSTED_PROXIES only (see
            # api/ratelimit.py); uvicorn's own default believes any X-Forwarded-For sent from 127.0.0.1
            proxy_headers=False,
            forwarded_allow_ips="",
        )


def _render_stats(rows: list[FigureRow], fmt: str, wave: str, synthetic: bool) -> str:
    """The figures report as a table, JSON or CSV (CSV cells neutralised)."""
    from graph.csvsafe import write_csv

    if fmt == "json":
        payload = {
            "wave": wave,
            "synthetic": synthetic,
            "note": "recomputed values come from synthetic respondents" if synthetic else "",
            "figures": [r.as_dict() for r in rows],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        header = ["code", "label", "unit", "published", "recomputed", "difference", "base", "published_base",
                  "matching", "synthetic"]  # fmt: skip
        return write_csv(({**r.as_dict(), "synthetic": synthetic} for r in rows), header)
    from rich.console import Console
    from rich.table import Table

    source = "synthetic respondents" if synthetic else "respondents"
    table = Table(title=f"Survey deck figures: published vs recomputed from {source} (wave {wave})")
    for name, justify in (("figure", "left"), ("published", "right"), ("recomputed", "right"),
                          ("diff", "right"), ("base", "right")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]

    def shown(value: float | None, unit: str) -> str:
        if value is None:
            return "—"
        return f"{value:.1f}%" if unit == "percent" else f"{value:.0f}"

    for r in rows:
        diff = r.difference
        table.add_row(
            r.label,
            shown(r.published, r.unit),
            shown(r.recomputed, r.unit),
            "—" if diff is None else f"{diff:+.2f}",
            str(r.base),
        )
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()
