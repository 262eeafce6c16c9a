"""GET /dumps (DCAT description, licence and files of the public graphs) and GET /dumps/{file}."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.conneg import RDF_OFFERS, negotiate
from api.context import AppContext, get_context
from api.refresh import dumps_root
from api.responses import problem_responses
from graph.dumps import DCAT_FILE, DUMP_FORMATS, public_graphs, published_dumps
from graph.errors import NotFoundError, NotReadyError
from graph.figures import LICENSE

router = APIRouter(tags=["dumps"])


class DumpFile(BaseModel):
    name: str
    url: str
    media_type: str
    title: str
    bytes: int


class DumpIndex(BaseModel):
    license: str = Field(description="The licence of every dump (CC BY 4.0).")
    description: str = Field(description="DCAT 3 description of the datasets and distributions (Turtle).")
    files: list[DumpFile]
    note: str

    model_config = {
        "json_schema_extra": {
            "example": {
                "license": "https://creativecommons.org/licenses/by/4.0/",
                "description": "/dumps/catalog.ttl",
                "files": [
                    {
                        "name": "missiongraph.ttl",
                        "url": "/dumps/missiongraph.ttl",
                        "media_type": "text/turtle",
                        "title": "Turtle (public graphs merged)",
                        "bytes": 1200000,
                    }
                ],
                "note": "Public graphs only; survey respondent data is a synthetic sample.",
            }
        }
    }


def current_dumps(ctx: AppContext) -> FsPath:
    """The folder of dumps for the store's current state; the writer writes it when the store changes
    (a GET never writes): until then, "not ready" with a Retry-After."""
    state = ctx.store.state()
    folder = published_dumps(dumps_root(ctx), state)
    if folder is None:
        if not public_graphs(ctx.store, ctx.iris):
            raise NotFoundError("the store holds no public data: run `missiongraph build` first")
        raise NotReadyError(
            "the dumps of the current store state are being written; retry shortly", retry_after=5
        )
    return folder


_OFFERS = ["application/json", *RDF_OFFERS]


@router.get(
    "/dumps",
    summary="The dumps of the public graphs: files, DCAT description and licence",
    response_model=DumpIndex,
    responses={
        200: {"content": {m: {"schema": {"type": "string"}} for m in RDF_OFFERS if not m.endswith("json")}},
        **problem_responses(404, 406, 503),
    },
)
async def dumps_index(request: Request, ctx: AppContext = Depends(get_context)) -> Response:
    media = negotiate(request.headers.get("accept"), _OFFERS)
    folder = await run_in_threadpool(current_dumps, ctx)
    if media != "application/json":
        from api.routers.linked_data import rdf_response

        triples = [q.triple for q in ox.parse(path=str(folder / DCAT_FILE), format=ox.RdfFormat.TURTLE)]
        return rdf_response(request, triples, media)
    files = [
        DumpFile(
            name=f.file,
            url=f"/dumps/{f.file}",
            media_type=f.media_type,
            title=f.title,
            bytes=(folder / f.file).stat().st_size,
        )
        for f in DUMP_FORMATS.values()
        if (folder / f.file).is_file()
    ]
    index = DumpIndex(
        license=LICENSE,
        description=f"/dumps/{DCAT_FILE}",
        files=files,
        note="Public graphs only (never personal data); survey respondent data marked synthetic is a "
        "synthetic sample shaped to match the published 2021 figures.",
    )
    return JSONResponse(index.model_dump(), headers={"Vary": "Accept"})


_MEDIA: dict[str, str] = {f.file: f.media_type for f in DUMP_FORMATS.values()} | {DCAT_FILE: "text/turtle"}
_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The dump file.",
        "content": {m: {"schema": {"type": "string"}} for m in sorted(set(_MEDIA.values()))},
    },
    **problem_responses(404, 503),
}


@router.get("/dumps/{name}", summary="One dump file", response_class=Response, responses=_FILE_RESPONSES)
async def dump_file(
    name: str = Path(examples=["missiongraph.ttl"]),
    ctx: AppContext = Depends(get_context),
) -> Response:
    if name not in _MEDIA:
        raise NotFoundError(f"no dump named {name!r}; see /dumps", name=name)
    folder = await run_in_threadpool(current_dumps, ctx)
    return FileResponse(
        folder / name, media_type=_MEDIA[name], filename=name, headers={"Link": f'<{LICENSE}>; rel="license"'}
    )
