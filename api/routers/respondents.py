"""GET /api/respondents/{id} (public, pseudonymous) and GET /api/lab/respondents/{id} (Lab: contact too)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.auth import require_lab
from api.context import AppContext, get_context
from api.mission_table import code_of
from api.responses import problem_responses
from api.sparql.dataset import public_graphs
from graph.errors import NotFoundError
from graph.store import Dataset
from ontology import vocab
from ontology.namespaces import MG_NS

router = APIRouter(tags=["respondents"])

MG = MG_NS
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"

_ID = Path(
    pattern=r"^[0-9a-f]{16}$",
    description="The respondent's opaque id (16 hex digits; no personal data).",
    examples=["aaaaaaaaaaaaaaaa"],
)


class ResponseSummary(BaseModel):
    iri: str
    wave: str | None = None
    mission: str | None = Field(None, description="Id of the mission the response describes.")
    sector: str | None = None
    role: str | None = None


class Place(BaseModel):
    """Where a respondent works, as the graph shows it: a country, or a world region when the public
    graph generalised the country (decisions/0010)."""

    iri: str
    code: str = Field(description="ISO 3166-1 alpha-3 for a country, the UN M49 code for a region.")
    label: str = Field(description="The place's English name (skos:prefLabel), e.g. Northern Europe.")
    kind: str = Field(description="country or region")


class RespondentView(BaseModel):
    id: str
    iri: str
    synthetic: bool
    countries: list[str] = Field(
        description="Codes of the places shown (alpha-3 countries; M49 codes of regions): see places."
    )
    places: list[Place] = Field(default_factory=list, description="The places shown, with their names.")
    organisations: list[str] = Field(description="IRIs of the organisations the respondent belongs to.")
    responses: list[ResponseSummary]

    model_config = {
        "json_schema_extra": {
            "example": {
                "id": "aaaaaaaaaaaaaaaa",
                "iri": "http://127.0.0.1:8000/id/respondent/aaaaaaaaaaaaaaaa",
                "synthetic": True,
                "countries": ["DNK"],
                "places": [
                    {
                        "iri": "http://publications.europa.eu/resource/authority/country/DNK",
                        "code": "DNK",
                        "label": "Denmark",
                        "kind": "country",
                    }
                ],
                "organisations": ["http://127.0.0.1:8000/id/organisation/danish-design-centre"],
                "responses": [
                    {
                        "iri": "http://127.0.0.1:8000/id/response/2021/aaaaaaaaaaaaaaaa",
                        "wave": "2021",
                        "mission": "dk-innomission-greenfuels",
                        "sector": "national-government",
                        "role": None,
                    }
                ],
            }
        }
    }


class Contact(BaseModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    organisation_name: str | None = None


class LabRespondentView(RespondentView):
    contact: Contact | None = Field(
        None, description="Contact details, only for respondents who consented to be contacted."
    )


def public_respondent(ctx: AppContext, opaque: str, graphs: tuple[str, ...] | None = None) -> RespondentView:
    """The public, pseudonymous view of a respondent: read from public graphs only (k-anonymous:
    docs/privacy.md). ``graphs`` other graphs to read instead (the Lab's full detail)."""
    iri = ctx.iris.instance("respondent", opaque)
    graphs = tuple(public_graphs(ctx)) if graphs is None else graphs
    facts = ctx.store.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", dataset=Dataset(default=graphs))
    if not any(
        f["p"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and f["o"] == f"{FOAF}Person"
        for f in facts
    ):
        raise NotFoundError(f"no respondent with id {opaque!r}", id=opaque)
    responses = ctx.store.select(
        f"""SELECT ?r ?wave ?mission ?sector ?role WHERE {{
              ?r <{PROV}wasAttributedTo> <{iri}> .
              OPTIONAL {{ ?r <{PROV}wasGeneratedBy> ?wave }}
              OPTIONAL {{ ?r <{MG}describesMission> ?mission }}
              OPTIONAL {{ ?r <{MG}sector> ?sector }}
              OPTIONAL {{ ?r <{MG}respondentRole> ?role }}
            }} ORDER BY ?r""",
        dataset=Dataset(default=graphs),
    )
    return RespondentView(
        id=opaque,
        iri=iri,
        synthetic=any(f["p"] == f"{MG}synthetic" and f["o"] is True for f in facts),
        countries=sorted({code_of(f["o"]) for f in facts if f["p"] == f"{DCT}spatial"}),
        places=[place_of(iri) for iri in sorted({f["o"] for f in facts if f["p"] == f"{DCT}spatial"})],
        organisations=sorted({f["o"] for f in facts if f["p"] == f"{ORG}memberOf"}),
        responses=[
            ResponseSummary(
                iri=r["r"],
                wave=code_of(r["wave"]) if "wave" in r else None,
                mission=ctx.iris.mission_id(r["mission"]) if "mission" in r else None,
                sector=code_of(r["sector"]) if "sector" in r else None,
                role=code_of(r["role"]) if "role" in r else None,
            )
            for r in responses
        ],
    )


def place_of(iri: str) -> Place:
    """A place IRI (country or region) with its code and English name."""
    region = iri.startswith(vocab.REGION_SCHEME)
    return Place(
        iri=iri,
        code=code_of(iri),
        label=vocab.country_label(iri) or code_of(iri),
        kind="region" if region else "country",
    )


@router.get(
    "/api/respondents/{respondent_id}",
    response_model=RespondentView,
    summary="A respondent's public, pseudonymous view (no personal data; k-anonymous country, sector, "
    "role and organisation)",
    responses=problem_responses(404),
)
def get_respondent(respondent_id: str = _ID, ctx: AppContext = Depends(get_context)) -> RespondentView:
    return public_respondent(ctx, respondent_id)


@router.get(
    "/api/lab/respondents/{respondent_id}",
    response_model=LabRespondentView,
    summary="A respondent in full detail, with contact details when they consented (Lab staff)",
    responses=problem_responses(401, 404),
    dependencies=[Depends(require_lab)],
)
def get_lab_respondent(respondent_id: str = _ID, ctx: AppContext = Depends(get_context)) -> LabRespondentView:
    # full detail: the restricted graph holds every response as it was answered (decisions/0010); a
    # store built before the two tiers has the respondent in full detail in the public graphs only
    iri = ctx.iris.instance("respondent", respondent_id)
    detailed = ctx.store.ask(f"ASK {{ GRAPH <{ctx.iris.restricted_graph}> {{ <{iri}> a <{FOAF}Person> }} }}")
    view = public_respondent(ctx, respondent_id, (ctx.iris.restricted_graph,) if detailed else None)
    rows = ctx.store.select(
        f"""SELECT ?p ?o WHERE {{ <{view.iri}> <{MG}contactConsent> true ; ?p ?o }}""",
        dataset=Dataset(default=(ctx.iris.restricted_graph,)),
    )
    contact = None
    if rows:
        values = {r["p"]: r["o"] for r in rows}
        email = values.get(f"{FOAF}mbox")
        phone = values.get(f"{FOAF}phone")
        contact = Contact(
            name=values.get(f"{FOAF}name"),
            email=email.removeprefix("mailto:") if isinstance(email, str) else None,
            phone=phone.removeprefix("tel:") if isinstance(phone, str) else None,
            organisation_name=values.get(f"{MG}organisationName"),
        )
    return LabRespondentView(**view.model_dump(), contact=contact)
