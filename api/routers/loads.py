"""POST /api/loads (Lab): upload a survey export, loaded by a background job; GET /api/loads/{job}."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from pathlib import Path as FsPath
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.auth import require_lab
from api.context import AppContext, get_context
from api.http_errors import PayloadTooLargeError
from api.jobs import Job, JobRunner
from api.ratelimit import rate_limited
from api.responses import problem_responses
from graph.errors import InvalidInputError

router = APIRouter(prefix="/api/loads", tags=["loads"], dependencies=[Depends(require_lab)])
_lock = threading.Lock()
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class PhaseModel(BaseModel):
    name: str = Field(description="read, validate, write or index.")
    status: str = Field(description="pending, running, done or failed.")
    done: int = Field(description="Rows (read, validate, write) or search documents (index) done so far.")
    total: int
    started: str | None = Field(None, description="ISO 8601 (UTC).")
    finished: str | None = Field(None, description="ISO 8601 (UTC).")


class JobModel(BaseModel):
    id: str
    kind: str
    file: str = Field(description="The uploaded file's name (never a path on the server).")
    wave: str
    status: str = Field(description="queued, running, succeeded or failed.")
    phase: str | None = Field(None, description="The phase running now, or the one the job ended in.")
    phases: list[PhaseModel] = Field(description="read, validate, write, index: each with its counts.")
    progress: float = Field(description="0 to 1 over the four phases.")
    done: int = Field(description="Counts of the current phase.")
    total: int
    created: str = Field(description="ISO 8601 (UTC).")
    started: str | None = Field(None, description="ISO 8601 (UTC).")
    finished: str | None = Field(None, description="ISO 8601 (UTC).")
    report: dict[str, Any] | None = Field(
        None,
        description="What the load did: rows, respondents and triples added, contacts dropped for want "
        "of consent, how the public graph generalised respondents (disclosure), and what became "
        "searchable (index).",
    )
    problems: list[dict[str, Any]] = Field(
        description="Every problem of a rejected file (file, row, column, value, expected), as the CLI "
        "reports them."
    )
    detail: str | None = None


def job_runner(ctx: AppContext) -> JobRunner:
    runner = ctx.extras.get("job_runner")
    if runner is None:
        with _lock:
            runner = ctx.extras.get("job_runner")
            if runner is None:
                runner = JobRunner(ctx.settings.jobs_path)
                # no job runs yet: uploads left by an earlier process (a crash mid-load) go now
                sweep_uploads(ctx.settings.jobs_path, ctx.settings.upload_retention_days)
                ctx.extras["job_runner"] = runner
    return runner


def _searchable(index: Any) -> dict[str, str]:
    """Every document the index can return now: id -> content digest."""
    with index.lock:
        return {d.id: d.digest() for i, d in enumerate(index.docs) if index.alive[i]}


def sweep_uploads(jobs: FsPath, days: float, *, keep: str | None = None) -> list[FsPath]:
    """Delete uploaded files older than ``days`` (all of them for 0), except job ``keep``'s; the job
    status files (``<id>.json``) stay."""
    removed: list[FsPath] = []
    if not jobs.is_dir():
        return removed
    cutoff = time.time() - days * 86400
    for folder in jobs.iterdir():
        if not folder.is_dir() or folder.is_symlink() or folder.name == keep:
            continue
        for upload in folder.iterdir():
            with contextlib.suppress(OSError):
                if upload.stat().st_mtime <= cutoff:
                    upload.unlink()
                    removed.append(upload)
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty
    return removed


def _retained(work: Any, path: FsPath, days: float) -> Any:
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


def _load_work(ctx: AppContext, path: FsPath, wave: str, encoding: str | None = None) -> Any:
    def work(phase: Any) -> dict[str, Any]:
        from dataclasses import asdict  # noqa: PLC0415

        from graph.ingest import load_survey  # noqa: PLC0415

        provider = ctx.extras.get("index_provider")
        before = _searchable(provider.get()) if provider is not None else None
        report = load_survey(
            ctx.store, ctx.iris, path, wave=wave, encoding=encoding, k=ctx.settings.small_count_k, phase=phase
        )
        result = asdict(report)
        if provider is not None and before is not None:  # keep search in step with the store
            from search import update_index  # noqa: PLC0415

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


@router.post(
    "",
    status_code=202,
    response_model=JobModel,
    summary="Upload a survey export (CSV or XLSX); it is loaded by a background job",
    responses=problem_responses(400, 401, 413, 429),
    dependencies=[Depends(rate_limited)],
)
async def create_load(
    file: UploadFile = File(description="The survey export."),
    wave: str = Form("2021", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="Survey wave."),
    encoding: str | None = Form(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
        description="Text encoding of a CSV export (e.g. cp1252), as `missiongraph load --encoding`.",
    ),
    ctx: AppContext = Depends(get_context),
) -> JSONResponse:
    runner = job_runner(ctx)
    job_id = runner.new_id()
    name = _SAFE.sub("_", FsPath(file.filename or "upload.csv").name).strip("._") or "upload.csv"
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
    return JSONResponse(job.as_dict(), status_code=202, headers={"Location": f"/api/loads/{job_id}"})


@router.get(
    "/{job_id}",
    response_model=JobModel,
    summary="Status, progress and report (or every problem) of a load job",
    responses=problem_responses(401, 404),
)
def get_load(
    job_id: str = Path(pattern=r"^[0-9a-f]{32}$"),
    ctx: AppContext = Depends(get_context),
) -> JobModel:
    return JobModel(**job_runner(ctx).get(job_id).as_dict())
