"""Lab pages about people: match collaborators, workshop groups and introductions (printable, CSV, JSON)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.context import AppContext, get_context
from api.pages.lab import lab_gate
from api.pages.rendering import render
from api.ratelimit import rate_limited
from graph.errors import IngestError, InvalidInputError, MissionGraphError
from graph.network.attendees import Attendees

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)
#: the largest participant list the pages accept
MAX_UPLOAD = 2_000_000

#: what the matching form asks: (peer dimension, concept scheme, legend)
_MATCH_CHOICES = [
    ("challenge-field", "challenge-field", "Challenge fields"),
    ("phase", "phase", "Phase"),
    ("risk", "risk", "Risks"),
    ("challenge", "challenge", "Challenges"),
    ("support-need", "support-need", "Support needs"),
]


@router.get(
    "/lab/match", response_class=HTMLResponse, name="page_lab_match", dependencies=[Depends(rate_limited)]
)
def lab_match_page(request: Request, ctx: AppContext = Depends(get_context)) -> HTMLResponse:
    """Match collaborators: the missions closest to a described profile, the reasons, and their people."""
    from graph.network.people import people_on_missions
    from ontology.vocab import concepts

    gate = lab_gate(request, ctx)
    if gate is not None:
        return gate
    params = request.query_params
    picked = {name: [c for c in params.getlist(name) if c] for name, _, _ in _MATCH_CHOICES}
    goal = params.get("goal", "").strip()[:500]
    choices = [
        {"name": name, "legend": legend, "concepts": concepts(scheme), "picked": set(picked[name])}
        for name, scheme, legend in _MATCH_CHOICES
    ]
    context: dict[str, Any] = {"active": "page_lab", "choices": choices, "goal": goal}
    profile: dict[str, list[str]] = {k: v for k, v in picked.items() if v}
    if goal:
        profile["goal"] = [goal]
    if profile:
        model = ctx.network_view().model
        try:
            q = model.query_for_profile(profile)
            matches = [model.peer(q, row, score).as_dict() for row, score in model.top(q, 12)]
        except InvalidInputError as exc:
            context["error"] = exc.detail
            return render(request, "lab_match.html", context, status_code=400)
        features = ctx.network_view().features
        people = people_on_missions(ctx.store, ctx.iris, [m["id"] for m in matches])
        for m in matches:
            if "synthetic" not in m:
                row = features.row_of[m["id"]]
                m["synthetic"], m["source"] = features.synthetic[row], features.sources[row]
            m["people"] = [p.as_dict() for p in people.get(m["id"], [])]
        context["matches"] = matches
        context["people"] = _people_who_match(ctx, picked)
    return render(request, "lab_match.html", context)


def _people_who_match(ctx: AppContext, picked: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Respondents who consented to be contacted, introduced to the described profile (best first)."""
    from api.lab_people import MATCH_CRITERIA, people_to_talk_to

    criteria = {name for name, _ in MATCH_CRITERIA}
    found = people_to_talk_to(ctx, {k: v for k, v in picked.items() if v and k in criteria})
    return [{**p, "kind": p["match"]} for p in found]  # the page names the kind of introduction


async def _read_form(request: Request) -> tuple[dict[str, Any], Attendees | None]:
    """The people form's fields (kept for the page) and what they ask for (None: nothing asked yet)."""
    form = await request.form()
    fields: dict[str, Any] = {
        k: str(form.get(k, "") or "")
        for k in (
            "participants",
            "wave",
            "use_wave",
            "size",
            "seed",
            "participants_text",
            "participants_name",
            "per_person",
            "person",
        )  # fmt: skip
    }
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InvalidInputError(f"the participant list is larger than {MAX_UPLOAD // 1_000_000} MB")
        try:
            fields["participants_text"] = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError(f"{upload.filename}: not a UTF-8 CSV or JSON file") from None
        fields["participants_name"] = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:100]
    ids = [t.strip() for t in fields["participants"].replace(",", "\n").splitlines() if t.strip()]
    respondents = [i for i in ids if len(i) == 16 and all(c in "0123456789abcdef" for c in i)]
    missions = [i for i in ids if i not in respondents]
    wave = fields["wave"].strip() if fields["use_wave"] else None
    file = None
    if fields["participants_text"].strip():
        file = (fields["participants_name"] or "participants.csv", fields["participants_text"])
    if not (ids or wave or file):
        return fields, None
    return fields, Attendees(respondent_ids=respondents[:1000], wave=wave, participant_file=file,
                             mission_ids=missions[:1000])  # fmt: skip


def _int(value: str, default: int, low: int, high: int, what: str) -> int:
    if not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInputError(f"{what} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise InvalidInputError(f"{what} must be between {low} and {high}, got {number}")
    return number


def _download(body: dict[str, Any], fmt: str, csv_text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"', "Cache-Control": "no-store"}
    if fmt == "csv":
        return Response(csv_text, media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(body, headers=headers)


async def _people_page(request: Request, ctx: AppContext, kind: str) -> Response:
    from api.lab_people import groups_for, introductions_for
    from api.people_output import groups_csv, introductions_csv

    template = f"lab_{kind}.html"
    gate = lab_gate(request, ctx)
    if gate is not None:
        return gate
    context: dict[str, Any] = {"active": "page_lab", "form": {"size": "4", "seed": "0", "wave": "2021",
                                                             "per_person": "2"}}  # fmt: skip
    if request.method != "POST":
        return render(request, template, context)
    try:
        fields, wanted = await _read_form(request)
        context["form"] = {**context["form"], **{k: v for k, v in fields.items() if v}}
        if wanted is None:
            raise InvalidInputError("Give respondent or mission ids, tick the survey wave, or upload a list.")
        if kind == "groups":
            size = _int(fields["size"], 4, 2, 50, "Members per group")
            seed = _int(fields["seed"], 0, 0, 2**31, "Seed")
            result = await run_in_threadpool(groups_for, ctx, wanted, size, seed)
            text = groups_csv(result)
        else:
            per_person = _int(fields["per_person"], 2, 1, 20, "Introductions per person")
            person = fields["person"].strip() or None
            result = await run_in_threadpool(
                lambda: introductions_for(ctx, wanted, per_person=per_person, limit=500, person=person)
            )
            text = introductions_csv(result)
    except IngestError as exc:
        context["error"] = exc.detail
        context["problems"] = [p.as_dict() for p in exc.problems]
        return render(request, template, context, status_code=400)
    except MissionGraphError as exc:
        context["error"] = exc.detail
        return render(request, template, context, status_code=404 if exc.code == "not-found" else 400)
    form = await request.form()
    fmt = str(form.get("format", "") or "")
    if fmt in ("csv", "json"):
        return _download(result, fmt, text, kind)
    context["result"] = result
    return render(request, template, context)


@router.api_route(
    "/lab/groups",
    methods=["GET", "POST"],
    response_class=HTMLResponse,
    name="page_lab_groups",
    dependencies=[Depends(rate_limited)],
)
async def lab_groups_page(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    """Workshop groups of people: printable rosters, CSV and JSON (the same as ``POST /api/lab/groups``)."""
    return await _people_page(request, ctx, "groups")


@router.api_route(
    "/lab/introductions",
    methods=["GET", "POST"],
    response_class=HTMLResponse,
    name="page_lab_introductions",
    dependencies=[Depends(rate_limited)],
)
async def lab_introductions_page(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    """Pairs of people to introduce, with the reasons: printable, CSV and JSON."""
    return await _people_page(request, ctx, "introductions")
