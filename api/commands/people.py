"""CLI commands for workshops: ``groups`` (rosters) and ``introductions`` (pairs to introduce)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from api.commands.common import EXIT_BAD_INPUT, EXIT_USAGE, fail, open_store_or_exit

__all__ = ["register"]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _run(
    respondents: list[str], wave: str | None, file: Path | None, work: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """Open the store, gather the people asked for, run ``work(ctx, attendees)``; bad input → exit 1."""
    from api.context import AppContext
    from api.settings import Settings
    from graph.errors import IngestError, MissionGraphError, NotFoundError
    from graph.network.attendees import Attendees

    missions = [r for r in respondents if not _is_respondent(r)]
    people = [r for r in respondents if _is_respondent(r)]
    participant_file = None
    if file is not None:
        try:
            participant_file = (file.name, file.read_bytes())
        except OSError as exc:
            raise fail(f"error: cannot read {file}: {exc.strerror}", EXIT_USAGE) from exc
    if not (people or missions or wave or participant_file):
        raise fail("error: give respondent or mission ids, --wave or --file", EXIT_USAGE)
    settings = Settings()
    store = open_store_or_exit(settings, read_only=True)
    try:
        ctx = AppContext(settings=settings, store=store, iris=settings.iris())
        ctx.index = _open_index(settings)
        wanted = Attendees(
            respondent_ids=people, wave=wave, participant_file=participant_file, mission_ids=missions
        )
        return work((ctx, wanted))
    except IngestError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise fail(f"error: {exc.detail}", EXIT_BAD_INPUT) from exc
    except (NotFoundError, MissionGraphError) as exc:
        raise fail(f"error: {exc.detail}", EXIT_BAD_INPUT) from exc
    finally:
        store.close()


def _is_respondent(value: str) -> bool:
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


def _open_index(settings: Any) -> Any:
    """The search index (maps free-text mission descriptions), or None: then goal-text matching is used."""
    try:
        from search import open_index

        return open_index(
            settings.index_path / settings.search_engine,
            engine=settings.search_engine,
            semantic=settings.semantic,
        )
    except Exception:  # any index trouble: fall back to the model's goal text
        return None


_IDS = typer.Argument(None, help="Respondent ids (16 hex digits) and/or mission ids.")
_WAVE = typer.Option(None, "--wave", help="Every respondent of this wave who consented to be contacted.")
_FILE = typer.Option(
    None, "--file", dir_okay=False, help="Participant list, CSV or JSON (docs/workshops.md)."
)
_FORMAT = typer.Option(Format.table, "--format", help="table (readable), csv or json.")


def register(app: typer.Typer) -> None:
    @app.command("groups")
    def groups_command(
        ids: list[str] = _IDS,
        wave: str = _WAVE,
        file: Path = _FILE,
        size: int = typer.Option(4, min=2, max=50, help="Members per group."),
        seed: int = typer.Option(0, min=0, help="Same seed, same groups."),
        format: Format = _FORMAT,
        as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    ) -> None:
        """Workshop groups: rosters (name, organisation, e-mail of consenting people, mission) and what
        each group shares, with a summary against a random split."""
        from api.lab_people import groups_for
        from api.people_output import groups_csv, groups_table

        body = _run(list(ids or []), wave, file, lambda arg: groups_for(arg[0], arg[1], size, seed))
        chosen = Format.json if as_json else format
        if chosen is Format.json:
            typer.echo(json.dumps(body, indent=1, ensure_ascii=False))
        elif chosen is Format.csv:
            typer.echo(groups_csv(body), nl=False)
        else:
            typer.echo(groups_table(body))

    @app.command("introductions")
    def introductions_command(
        ids: list[str] = _IDS,
        wave: str = _WAVE,
        file: Path = _FILE,
        person: str = typer.Option(None, "--person", help="Only this person's introductions (an id)."),
        per_person: int = typer.Option(2, "--per-person", min=1, max=20, help="Introductions per person."),
        limit: int = typer.Option(50, min=1, max=1000, help="Introductions in all."),
        format: Format = _FORMAT,
    ) -> None:
        """Pairs of people to introduce: the need of one met by the strength of the other, or a shared
        problem; with the shared concepts."""
        from api.lab_people import introductions_for
        from api.people_output import introductions_csv, introductions_table

        body = _run(
            list(ids or []),
            wave,
            file,
            lambda arg: introductions_for(arg[0], arg[1], per_person=per_person, limit=limit, person=person),
        )
        if format is Format.json:
            typer.echo(json.dumps(body, indent=1, ensure_ascii=False))
        elif format is Format.csv:
            typer.echo(introductions_csv(body), nl=False)
        else:
            typer.echo(introductions_table(body))
