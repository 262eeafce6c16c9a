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
from graph.errors import InvalidInputError

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
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while chunk := await file.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise PayloadTooLargeError(f"the upload is larger than {limit} bytes")
            out.write(chunk)
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
    with index.lock:
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
            from search import update_index

            index = provider.get()
            phase("index", 0, 0)
            update_index(index, ctx.store, ctx.iris, [ctx.iris.survey_graph(wave), ctx.iris.restricted_graph])
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
