"""Asynchronous survey loads: one job at a time in a background thread, status kept on disk as JSON."""

from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import IngestError, MissionGraphError, NotFoundError

__all__ = ["Job", "JobRunner"]

#: what a job does: given a progress callback (done, total), return a report (a JSON-able dict)
Work = Callable[[Callable[[int, int], None]], dict[str, Any]]


@dataclass
class Job:
    id: str
    kind: str
    file: str
    wave: str
    status: str = "queued"  # queued, running, succeeded, failed
    done: int = 0
    total: int = 0
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    report: dict[str, Any] | None = None
    #: the same report the CLI prints for a bad file: one entry per problem (file, row, column ...)
    problems: list[dict[str, Any]] = field(default_factory=list)
    detail: str | None = None

    @property
    def progress(self) -> float:
        if self.status == "succeeded":
            return 1.0
        return round(self.done / self.total, 4) if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "progress": self.progress}


class JobRunner:
    """Runs jobs one after the other (a store takes one writer at a time) and remembers them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-job")

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def submit(self, job: Job, work: Work) -> Job:
        with self._lock:
            self._jobs[job.id] = job
        self._save(job)
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            job = self._load(job_id)
        if job is None:
            raise NotFoundError(f"no load job {job_id!r}", id=job_id)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.status = "running"
        job.started = time.time()
        self._save(job)

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            job.report = work(progress)
            job.status = "succeeded"
        except IngestError as exc:
            job.status = "failed"
            job.detail = exc.detail
            job.problems = [p.as_dict() for p in exc.problems]
        except MissionGraphError as exc:
            job.status = "failed"
            job.detail = exc.detail
        except Exception as exc:  # noqa: BLE001 - a job reports its failure instead of vanishing
            job.status = "failed"
            job.detail = f"unexpected error: {type(exc).__name__}: {exc}"
        if job.detail:  # a job report is for the Lab, not a map of the server's folders
            job.detail = self._without_paths(job.detail)
        job.finished = time.time()
        self._save(job)

    def _without_paths(self, text: str) -> str:
        for folder, name in (
            (self.folder.resolve(), "<jobs>"),
            (self.folder.resolve().parent, "<data>"),
            (Path(tempfile.gettempdir()).resolve(), "<tmp>"),
        ):
            text = text.replace(str(folder), name)
        return text

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def _save(self, job: Job) -> None:
        tmp = self._path(job.id).with_suffix(".tmp")
        tmp.write_text(json.dumps(job.as_dict(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(self._path(job.id))

    def _load(self, job_id: str) -> Job | None:
        if not job_id.isalnum():
            return None
        path = self._path(job_id)
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("progress", None)
        return Job(**data)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
