"""A survey export uploaded over HTTP (API or Lab page): saved privately, loaded by a background job."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from api.context import AppContext
from api.http_errors import PayloadTooLargeError
from api.jobs import Job, sweep_uploads
from graph.errors import DiskFullError, InvalidInputError, StaleIndexError
from graph.store.oxigraph import no_space

__all__ = ["submit_load"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


async def submit_load(ctx: AppContext, file: UploadFile, *, wave: str, encoding: str | None) -> Job:
    """Save ``file`` for the service's user only and queue the job that loads it into ``wave``."""
    runner = ctx.jobs
    job_id = runner.new_id()
    name = _SAFE.sub("_", Path(file.filename or "upload.csv").name).strip("._") or "upload.csv"
    if len(name) > 100:  # a file system takes 255 bytes at most; keep the extension the reader needs
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[:80]}.{ext[:16]}" if dot and stem else name[:100]
    ctx.settings.jobs_path.mkdir(parents=True, exist_ok=True)
    folder = ctx.settings.jobs_path / job_id
    folder.mkdir(mode=0o700)
    target = folder / name
    size = 0
    limit = ctx.settings.upload_max_bytes
    # personal data: readable by the service's user only
    try:
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    out.close()
                    target.unlink(missing_ok=True)
                    raise PayloadTooLargeError(f"the upload is larger than {limit} bytes")
                out.write(chunk)
    except OSError as exc:
        target.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()
        if no_space(exc):
            raise DiskFullError(
                "the disk is full: the upload could not be kept (nothing was loaded); free some disk space "
                "and upload the file again"
            ) from None
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        raise InvalidInputError("the uploaded file is empty")
    job = runner.submit(
        Job(id=job_id, kind="survey-load", file=name, wave=wave),
        _retained(_load_work(ctx, target, wave, encoding), target, ctx.settings.upload_retention_days),
    )
    return job


def _searchable(index: Any) -> dict[str, str]:
    """Every document the index can return now: id -> content digest."""
    return {d.id: d.digest() for i, d in enumerate(index.docs) if index.alive[i]}


def _retained(work: Any, path: Path, days: float) -> Any:
    """``work``, then the upload deleted once the job ended (succeeded or not) unless kept for ``days``."""

    def run(progress: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = work(progress)
            return result
        finally:
            if days <= 0:
                with contextlib.suppress(OSError):
                    path.unlink()
                with contextlib.suppress(OSError):
                    path.parent.rmdir()
            else:
                sweep_uploads(path.parent.parent, days, keep=path.parent.name)

    return run


def _load_work(ctx: AppContext, path: Path, wave: str, encoding: str | None = None) -> Any:
    def work(phase: Any) -> dict[str, Any]:
        from dataclasses import asdict

        from graph.ingest import load_survey

        provider = ctx.index_provider
        before = _searchable(provider.get()) if provider is not None else None
        report = load_survey(
            ctx.store, ctx.iris, path, wave=wave, encoding=encoding, k=ctx.settings.small_count_k, phase=phase
        )
        result = asdict(report)
        if provider is not None and before is not None:  # keep search in step with the store
            phase("index", 0, 0)
            # the next index version and network view are built beside the served ones, then switched
            # to: searches and peers go on answering from the earlier state meanwhile
            try:
                index = provider.refresh([ctx.iris.survey_graph(wave), ctx.iris.restricted_graph])
            except StaleIndexError as exc:
                full = exc.__cause__ is not None and no_space(exc.__cause__)
                raise (DiskFullError if full else StaleIndexError)(
                    "the data were written to the store, but the search index could not be updated "
                    f"({'the disk is full' if full else exc.__cause__ or exc}); the service keeps answering "
                    "from the earlier index and updates it in the background"
                    + (" as soon as disk space is freed" if full else ""),
                ) from exc
            ctx.network_view(build=True)
            after = _searchable(index)
            added = sorted(set(after) - set(before))
            changed = sorted(i for i in after if i in before and after[i] != before[i])
            removed = sorted(set(before) - set(after))
            # what became searchable, counted on the index itself (not on what this job re-indexed)
            result["index"] = {
                "added": len(added),
                "changed": len(changed),
                "removed": len(removed),
                "searchable": len(after),
            }
            n = len(added) + len(changed) + len(removed)
            phase("index", n, n)
        return result

    return work
