"""OpenAPI pieces every router shares: the problem+json model and the error responses it documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ProblemModel", "problem_responses", "CountValue"]

#: a public count: the number itself, or "<k" when small-count suppression hides it
CountValue = int | str


class ProblemModel(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "type": "https://w3id.org/missiongraph/problems/not-found",
                "title": "Not found",
                "status": 404,
                "detail": "no mission with id 'nope'",
                "instance": "/api/missions/nope",
            }
        },
    )

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None


_TEXT = {
    400: "Bad request: an invalid parameter, body or query (never 422)",
    401: "Lab bearer token missing or invalid",
    403: "Not allowed on this endpoint",
    404: "Not found",
    406: "No acceptable representation",
    413: "Upload too large",
    415: "Unsupported media type",
    429: "Too many requests (see Retry-After)",
    503: "Unavailable or timed out",
    507: "Not enough disk space (nothing was kept)",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status documented as application/problem+json."""
    out: dict[int | str, dict[str, Any]] = {}
    # an invalid parameter is always a 400 (decisions/0011): a route never answers 422
    for code in sorted({c for c in (*codes, 400) if c != 422}):
        out[code] = {
            "description": _TEXT.get(code, "Error"),
            "model": ProblemModel,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemModel"}}
            },
        }
    return out
