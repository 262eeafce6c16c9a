"""POST /api/lab/groups and /api/lab/introductions, GET /api/lab/match/people: people (with contact data),
behind a Lab token."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.auth import require_lab
from api.conneg import negotiate
from api.context import AppContext, get_context
from api.lab_people import groups_for, introductions_for, people_to_talk_to
from api.people_output import groups_csv, introductions_csv
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.schemas import IntroductionsResponse, LabGroupsResponse, MatchPeopleResponse
from graph.iris import WAVE_PATTERN
from graph.network.attendees import Attendees

__all__ = ["router", "PeopleRequest"]

router = APIRouter(tags=["lab"], dependencies=[Depends(require_lab), Depends(rate_limited)])
_ERRORS = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    **problem_responses(400, 401, 404, 406, 429),
}

ParticipantValue = str | list[str] | bool | None


class PeopleRequest(BaseModel):
    """Who is in the room: any combination of the four inputs."""

    respondents: list[str] = Field(
        default=[], max_length=1000, description="Respondent ids (16 hex digits).", examples=[[]]
    )
    wave: str | None = Field(
        None,
        pattern=WAVE_PATTERN,
        description="Every respondent of this survey wave who consented to be contacted.",
    )
    participants: list[dict[str, ParticipantValue]] | None = Field(
        None,
        max_length=1000,
        description="A participant list as JSON rows: name, organisation, email, mission (an id) or "
        "mission_description, risks, needs, challenges, fields, sector, country, offers, consent "
        "(docs/workshops.md).",
    )
    participants_csv: str | None = Field(
        None, max_length=2_000_000, description="The same participant list as CSV text (header row first)."
    )
    missions: list[str] = Field(
        default=[], max_length=1000, description="Mission ids (a mission stands for its people)."
    )

    def attendees(self) -> Attendees:
        import json

        file = None
        if self.participants_csv is not None:
            file = ("participants.csv", self.participants_csv)
        elif self.participants is not None:
            file = ("participants.json", json.dumps(self.participants))
        return Attendees(
            respondent_ids=self.respondents, wave=self.wave, participant_file=file, mission_ids=self.missions
        )


class LabGroupsRequest(PeopleRequest):
    size: int = Field(4, ge=2, le=50, description="Members per group (groups differ by at most one).")
    seed: int = Field(0, ge=0, le=2**31, description="Same seed, same groups.")


class LabIntroductionsRequest(PeopleRequest):
    per_person: int = Field(2, ge=1, le=20, description="Introductions per person, at most.")
    limit: int = Field(50, ge=1, le=1000, description="Introductions in all, at most.")
    person: str | None = Field(None, max_length=200, description="Only this person's introductions (an id).")


def _media(request: Request, format: str | None) -> str:
    if format:
        return {"json": "application/json", "csv": "text/csv"}[format]
    return negotiate(request.headers.get("accept"), ["application/json", "text/csv"])


def _answer(body: dict[str, Any], media: str, csv_text: str, name: str) -> Response:
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if media == "text/csv":
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(csv_text, media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(body, headers=headers)


@router.post(
    "/api/lab/groups",
    summary="Workshop groups of people: rosters with contacts (consenting only), what each group shares",
    response_model=LabGroupsResponse,
    responses=_ERRORS,
)
def lab_groups(
    body: LabGroupsRequest,
    request: Request,
    format: Literal["json", "csv"] | None = Query(None, description="json or csv (overrides Accept)."),
    ctx: AppContext = Depends(get_context),
) -> Response:
    media = _media(request, format)
    result = groups_for(ctx, body.attendees(), body.size, body.seed)
    return _answer(result, media, groups_csv(result) if media == "text/csv" else "", "groups")


@router.post(
    "/api/lab/introductions",
    summary="Pairs of people to introduce, each with the reason and the shared concepts",
    response_model=IntroductionsResponse,
    responses=_ERRORS,
)
def lab_introductions(
    body: LabIntroductionsRequest,
    request: Request,
    format: Literal["json", "csv"] | None = Query(None, description="json or csv (overrides Accept)."),
    ctx: AppContext = Depends(get_context),
) -> Response:
    media = _media(request, format)
    result = introductions_for(
        ctx, body.attendees(), per_person=body.per_person, limit=body.limit, person=body.person
    )
    return _answer(result, media, introductions_csv(result) if media == "text/csv" else "", "introductions")


_CODES = "Concept codes (repeat the parameter for several), as GET /api/schemes/{scheme} lists them."


@router.get(
    "/api/lab/match/people",
    summary="People to talk to about a described profile: consenting respondents with the reason",
    response_model=MatchPeopleResponse,
    responses=problem_responses(400, 401, 429),
)
def lab_match_people(
    challenge_field: list[str] = Query([], alias="challenge-field", description=_CODES, max_length=50),
    risk: list[str] = Query([], description=_CODES, max_length=50),
    challenge: list[str] = Query([], description=_CODES, max_length=50),
    support_need: list[str] = Query([], alias="support-need", description=_CODES, max_length=50),
    limit: int = Query(8, ge=1, le=50, description="People listed, at most."),
    ctx: AppContext = Depends(get_context),
) -> JSONResponse:
    """The "people to talk to" of the Lab's match page, as JSON: respondents who consented to be
    contacted whose answers share the profile's challenge fields, risks and challenges, or who can help
    with its support needs. Each person says ``synthetic`` and ``source``; e-mail only with consent."""
    from graph.errors import InvalidInputError

    picked = {
        "challenge-field": challenge_field,
        "risk": risk,
        "challenge": challenge,
        "support-need": support_need,
    }
    criteria = {k: v for k, v in picked.items() if v}
    if not criteria:
        raise InvalidInputError(
            "give at least one of the query parameters challenge-field, risk, challenge, support-need",
            expected="concept codes",
        )
    people = people_to_talk_to(ctx, criteria, limit=limit)
    body = {
        "criteria": criteria,
        "total": len(people),
        "people": people,
        "synthetic": any(p["synthetic"] for p in people),
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
