"""POST /api/loads (Lab): upload a survey export, loaded by a background job; GET /api/loads/{job}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.auth import require_lab
from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.uploads import submit_load
from graph.iris import WAVE_PATTERN

router = APIRouter(prefix="/api/loads", tags=["loads"], dependencies=[Depends(require_lab)])


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


@router.post(
    "",
    status_code=202,
    response_model=JobModel,
    summary="Upload a survey export (CSV or XLSX); it is loaded by a background job",
    responses=problem_responses(400, 401, 413, 429, 507),
    dependencies=[Depends(rate_limited)],
)
async def create_load(
    file: UploadFile = File(description="The survey export."),
    wave: str = Form("2021", pattern=WAVE_PATTERN, description="Survey wave."),
    encoding: str | None = Form(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
        description="Text encoding of a CSV export (e.g. cp1252), as `missiongraph load --encoding`.",
    ),
    ctx: AppContext = Depends(get_context),
) -> JSONResponse:
    job = await submit_load(ctx, file, wave=wave, encoding=encoding)
    return JSONResponse(job.as_dict(), status_code=202, headers={"Location": f"/api/loads/{job.id}"})


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
    return JobModel(**ctx.jobs.get(job_id).as_dict())
