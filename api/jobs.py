"""Asynchronous survey loads: one job at a time in a background thread, status kept on disk as JSON.

A job goes through phases (read, validate, write, index), each with its counts and ISO 8601 times. A job
found on disk as queued or running that this process does not run was cut off by a stop of the service:
it is reported as failed, saying what that means for the store (a write is one transaction: a job cut
off before or during it left the store as it was).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.errors import IngestError, MissionGraphError, NotFoundError
from graph.store.oxigraph import no_space

__all__ = ["Job", "JobRunner", "Phase", "PHASES", "now_iso", "sweep_uploads"]

#: the phases of a survey load, in order
PHASES = ("read", "validate", "write", "index")

#: hears phase(name, done, total)
PhaseHook = Callable[[str, int, int], None]
#: what a job does: given a phase hook, return a report (a JSON-able dict)
Work = Callable[[PhaseHook], dict[str, Any]]


def now_iso() -> str:
    """The current time as ISO 8601 in UTC (``2026-11-29T14:30:05.123Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Phase:
    name: str
    status: str = "pending"  # pending, running, done, failed
    done: int = 0
    total: int = 0
    started: str | None = None
    finished: str | None = None


@dataclass
class Job:
    id: str
    kind: str
    file: str
    wave: str
    status: str = "queued"  # queued, running, succeeded, failed
    phase: str | None = None  # the phase running now (or the one the job failed in)
    phases: list[Phase] = field(default_factory=lambda: [Phase(name) for name in PHASES])
    created: str = field(default_factory=now_iso)
    started: str | None = None
    finished: str | None = None
    report: dict[str, Any] | None = None
    #: the same report the CLI prints for a bad file: one entry per problem (file, row, column ...)
    problems: list[dict[str, Any]] = field(default_factory=list)
    detail: str | None = None

    @property
    def done(self) -> int:
        current = self._current()
        return current.done if current else 0

    @property
    def total(self) -> int:
        current = self._current()
        return current.total if current else 0

    def _current(self) -> Phase | None:
        return next((p for p in self.phases if p.name == self.phase), None)

    @property
    def progress(self) -> float:
        """0 to 1: finished phases count whole, the running one by its counts."""
        if self.status == "succeeded":
            return 1.0
        value = 0.0
        for p in self.phases:
            if p.status == "done":
                value += 1
            elif p.status == "running" and p.total:
                value += min(1.0, p.done / p.total)
        return round(value / len(self.phases), 4)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "progress": self.progress, "done": self.done, "total": self.total}

    def enter(self, name: str, done: int, total: int) -> None:
        """Record progress of phase ``name``; earlier phases are done by then."""
        stamp = now_iso()
        for p in self.phases:
            if p.name == name:
                if p.status == "pending":
                    p.status, p.started = "running", stamp
                p.done, p.total = done, total
                break
            if p.status != "done":
                p.status = "done"
                p.started = p.started or stamp
                p.finished = stamp
        self.phase = name

    def close_phases(self, ok: bool) -> None:
        stamp = now_iso()
        for p in self.phases:
            if p.status == "running":
                p.status = "done" if ok else "failed"
                p.finished = stamp
            elif ok and p.status == "pending":
                p.status, p.started, p.finished = "done", stamp, stamp


class JobRunner:
    """Runs jobs one after the other (a store takes one writer at a time) and remembers them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-job")
        self.recover()

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
            if job is not None and job.status in ("queued", "running"):
                job = self._cut_off(job)  # on disk as running, but no thread of this process runs it
        if job is None:
            raise NotFoundError(f"no load job {job_id!r}", id=job_id)
        return job

    def recover(self) -> list[str]:
        """Mark every job that was queued or running when the service stopped as failed; their ids."""
        found: list[str] = []
        for path in sorted(self.folder.glob("*.json")):
            job = self._load(path.stem)
            if job is not None and job.status in ("queued", "running") and job.id not in self._jobs:
                self._cut_off(job)
                found.append(job.id)
        return found

    def _cut_off(self, job: Job) -> Job:
        wrote = any(p.name == "write" and p.status == "done" for p in job.phases)
        job.status = "failed"
        job.close_phases(ok=False)
        job.finished = now_iso()
        if wrote:
            job.detail = (
                "the service stopped while the job was updating the search index: the data were written "
                "to the store; run `missiongraph index` (or restart the service) to bring search up to date"
            )
        else:
            job.detail = (
                f"the service stopped while the job was running (phase {job.phase or 'queued'}); the load "
                "is one transaction, so nothing of it was written: upload the file again"
            )
        self._save(job)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.status = "running"
        job.started = now_iso()
        self._save(job)
        last_saved = [""]

        def phase(name: str, done: int, total: int) -> None:
            job.enter(name, done, total)
            if last_saved[0] != name:  # the file on disk knows the phase (a restart reports it)
                last_saved[0] = name
                self._save(job)

        try:
            job.report = work(phase)
            job.status = "succeeded"
        except IngestError as exc:
            job.status = "failed"
            job.detail = exc.detail
            job.problems = [p.as_dict() for p in exc.problems]
        except MissionGraphError as exc:
            job.status = "failed"
            job.detail = exc.detail
        except Exception as exc:  # a job reports its failure instead of vanishing
            job.status = "failed"
            if no_space(exc):
                job.detail = (
                    f"the disk is full ({exc}): the load stopped before its write to the store was kept, so "
                    "the store is as it was; free some disk space and upload the file again"
                )
            else:
                job.detail = f"unexpected error: {type(exc).__name__}: {exc}"
        if job.detail:  # a job report is for the Lab, not a map of the server's folders
            job.detail = self._without_paths(job.detail)
        job.close_phases(ok=job.status == "succeeded")
        job.finished = now_iso()
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
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for derived in ("progress", "done", "total"):
            data.pop(derived, None)
        if not isinstance(data.get("created"), str):  # a job file of an older version (epoch seconds)
            for stamp in ("created", "started", "finished"):
                value = data.get(stamp)
                if isinstance(value, int | float):
                    data[stamp] = datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
        phases = data.pop("phases", None)
        try:
            job = Job(**data)
        except TypeError:
            return None
        if isinstance(phases, list):
            job.phases = [Phase(**p) for p in phases if isinstance(p, dict)]
        return job

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


def sweep_uploads(jobs: Path, days: float, *, keep: str | None = None) -> list[Path]:
    """Delete uploaded files older than ``days`` (all of them for 0), except job ``keep``'s; the job
    status files (``<id>.json``) stay."""
    removed: list[Path] = []
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
