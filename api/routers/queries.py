"""GET /api/queries and /api/queries/{name}: the SPARQL query catalogue with typed parameters, JSON or CSV."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.conneg import negotiate
from api.context import AppContext, get_context
from api.ratelimit import rate_limited
from api.responses import problem_responses
from api.sparql import get_runner, public_graphs
from graph.csvsafe import Verbatim, write_csv
from graph.disclosure import suppress
from graph.errors import InvalidInputError, NotFoundError
from graph.query_runner import QueryRequest
from ontology.errors import QueryParameterError, UnknownQueryError
from ontology.queries import NamedQuery, catalogue

router = APIRouter(prefix="/api/queries", tags=["queries"])

_COUNT_AS = re.compile(r"COUNT\s*\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", re.IGNORECASE)
#: variables that carry a count in the catalogue's figure queries
_COUNT_NAMES = {"count"}
#: variables derived from a count in the same row (hidden with it)
_DERIVED = {"share", "value"}
_RESERVED = {"format", "timeout"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class ParamModel(BaseModel):
    name: str
    type: str = Field(description="iri, string, integer or code:{scheme}.")
    default: str | None = None


class NamedQueryModel(BaseModel):
    name: str
    title: str
    description: str
    params: list[ParamModel]
    href: str
    sparql: str = Field(description="The query text; parameters appear as ?_{name}.")


class QueryResultModel(BaseModel):
    name: str
    params: dict[str, str] = Field(description="The parameter values used (defaults included).")
    variables: list[str]
    rows: list[dict[str, Any]] = Field(description="One object per result row; counts below k read '<k'.")
    truncated: bool = Field(description="True when the row cap cut the results.")

    model_config = {
        "json_schema_extra": {
            "example": {
                "name": "missions-per-country",
                "params": {},
                "variables": ["country", "missions"],
                "rows": [
                    {
                        "country": "http://publications.europa.eu/resource/authority/country/GBR",
                        "missions": 28,
                    }
                ],
                "truncated": False,
            }
        }
    }


def _model(q: NamedQuery) -> NamedQueryModel:
    return NamedQueryModel(
        name=q.name,
        title=q.title,
        description=q.description,
        params=[ParamModel(name=p.name, type=p.type, default=p.default) for p in q.params],
        href=f"/api/queries/{q.name}",
        sparql=q.text,
    )


@router.get(
    "",
    response_model=list[NamedQueryModel],
    summary="Every query of the catalogue",
    responses=problem_responses(),
)
def list_queries() -> list[NamedQueryModel]:
    return [_model(q) for q in catalogue()]


def count_columns(q: NamedQuery) -> set[str]:
    """The result variables of ``q`` that hold counts (COUNT(...) AS ?x, or ?count)."""
    return set(_COUNT_AS.findall(q.text)) | _COUNT_NAMES


def _value(binding: dict[str, Any]) -> Any:
    value = binding["value"]
    datatype = binding.get("datatype", "")
    if datatype.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
        return int(value)
    if datatype.endswith(("#decimal", "#double", "#float")):
        return float(value)
    if datatype.endswith("#boolean"):
        return value in ("true", "1")
    if binding.get("type") == "literal" and "xml:lang" not in binding and datatype not in ("", _XSD_STRING):
        return Verbatim(value)  # a date, a duration ...: data, never touched by the CSV formula guard
    if binding.get("type") == "uri":
        return Verbatim(value)
    return value


def _suppressed(rows: list[dict[str, Any]], counts: set[str], k: int) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        row = dict(row)
        hidden = False
        for name in counts:
            value = row.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                shown = suppress(value, k) if value >= 0 else value
                hidden |= isinstance(shown, str)
                row[name] = shown
        if hidden:
            for name in _DERIVED & row.keys():
                row[name] = None
        out.append(row)
    return out


@router.get(
    "/{name}",
    summary="Run a catalogue query; parameters as ?name=value (typed), JSON or CSV",
    description="Each parameter of the query (see GET /api/queries) is passed as a query-string parameter; a "
    "value that does not fit its type is a 400. `format=csv` (or Accept: text/csv) answers CSV.",
    response_model=QueryResultModel,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(400, 404, 406, 429, 503),
    },
    dependencies=[Depends(rate_limited)],
)
async def run_query(
    request: Request,
    name: str = Path(examples=["missions-per-country"]),
    format: str | None = Query(None, description="json or csv (overrides Accept).", max_length=16),
    ctx: AppContext = Depends(get_context),
) -> Response:
    try:
        query = catalogue().get(name)
    except UnknownQueryError as exc:
        raise NotFoundError(str(exc), name=name) from None
    values = {k: v for k, v in request.query_params.items() if k not in _RESERVED}
    try:
        sparql = query.render(values)
    except QueryParameterError as exc:
        raise InvalidInputError(str(exc), params=[p.name for p in query.params]) from None
    if format:
        media = {"json": "application/json", "csv": "text/csv"}.get(format.lower())
        if media is None:
            raise InvalidInputError(f"format must be json or csv, got {format!r}")
    else:
        media = negotiate(request.headers.get("accept"), ["application/json", "text/csv"])
    graphs = tuple(public_graphs(ctx))
    outcome = await run_in_threadpool(
        get_runner(ctx).run,
        QueryRequest(sparql, graphs, graphs, "json", ctx.settings.sparql_row_cap),
        timeout=ctx.settings.sparql_timeout,
    )
    data = json.loads(outcome.body)
    variables: list[str] = data["head"].get("vars", [])
    rows = [{k: _value(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]
    rows = _suppressed(rows, count_columns(query), ctx.settings.small_count_k)
    used = {p.name: str(values.get(p.name, p.default)) for p in query.params}
    headers = {"X-Result-Truncated": "true" if outcome.truncated else "false", "Vary": "Accept"}
    if media == "text/csv":
        return Response(write_csv(rows, variables), media_type="text/csv", headers=headers)
    body = QueryResultModel(
        name=name, params=used, variables=variables, rows=rows, truncated=outcome.truncated
    )
    return JSONResponse(body.model_dump(), headers=headers)
