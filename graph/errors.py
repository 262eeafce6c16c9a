"""The one error hierarchy of missiongraph; no HTTP here (api/ maps these to problem+json)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "MissionGraphError",
    "NotFoundError",
    "InvalidInputError",
    "Problem",
    "IngestError",
    "QueryError",
    "QueryTimeoutError",
    "ForbiddenQueryError",
    "StoreError",
    "StoreLockedError",
    "NotReadyError",
    "StaleIndexError",
    "DamagedIndexError",
    "DiskFullError",
    "AuthError",
    "RateLimitedError",
]


class MissionGraphError(Exception):
    """Base of every error missiongraph raises on purpose."""

    #: short, stable machine name; api/ builds the problem `type` URI from it
    code = "error"
    #: a one-line human title
    title = "missiongraph error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFoundError(MissionGraphError):
    code = "not-found"
    title = "Not found"


class InvalidInputError(MissionGraphError):
    code = "invalid-input"
    title = "Invalid input"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is, what was there, what was expected."""

    file: str
    message: str
    row: int | None = None  # 1-based row in the file as a spreadsheet shows it (header = row 1)
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        text = f"{where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (got {shown!r}"
            text += f", expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class IngestError(InvalidInputError):
    """A file could not be loaded; carries every problem found, not just the first."""

    code = "ingest-failed"
    title = "The file could not be loaded"

    def __init__(self, detail: str, problems: list[Problem] | None = None) -> None:
        super().__init__(detail)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        lines = [self.detail] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class QueryError(InvalidInputError):
    """A SPARQL query that does not parse or cannot be evaluated."""

    code = "bad-query"
    title = "Bad SPARQL query"


class ForbiddenQueryError(MissionGraphError):
    """A query the public endpoint refuses (updates, SERVICE, LOAD, file access ...)."""

    code = "forbidden-query"
    title = "Query not allowed on this endpoint"


class QueryTimeoutError(MissionGraphError):
    code = "query-timeout"
    title = "Query timed out"


class StoreError(MissionGraphError):
    """The store could not be reached or refused an operation."""

    code = "store-unavailable"
    title = "Store unavailable"


class StoreLockedError(StoreError):
    """Another process holds the store's write lock (a running service, another load)."""

    code = "store-locked"
    title = "Store in use by another process"


class NotReadyError(MissionGraphError):
    """Something derived from the store (dumps, communities) is still being computed; ask again later.

    ``retry_after`` (extra, seconds) tells the client when.
    """

    code = "not-ready"
    title = "Being computed; retry shortly"


class StaleIndexError(MissionGraphError):
    """The search index was built from another store state than the current one."""

    code = "stale-index"
    title = "Search index is stale"


class DamagedIndexError(StaleIndexError):
    """An index file does not match the checksum its manifest recorded: never served, rebuilt."""

    code = "index-damaged"
    title = "Search index damaged"


class DiskFullError(StoreError):
    """A write ran out of disk space; nothing of it was kept, and reads go on."""

    code = "disk-full"
    title = "Not enough disk space"


class AuthError(MissionGraphError):
    code = "unauthorized"
    title = "Authentication required"


class RateLimitedError(MissionGraphError):
    code = "rate-limited"
    title = "Too many requests"
