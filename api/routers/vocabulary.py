"""GET /api/schemes and /api/concepts: the SKOS concept schemes and their concepts (codes, labels)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.responses import problem_responses
from graph.errors import NotFoundError
from ontology import vocab
from ontology.errors import UnknownSchemeError
from ontology.namespaces import scheme_iri

router = APIRouter(tags=["vocabulary"])


class ConceptModel(BaseModel):
    iri: str
    code: str
    scheme: str
    label: str
    alt_labels: list[str] = []
    definition: str = ""

    model_config = {
        "json_schema_extra": {
            "example": {
                "iri": "https://w3id.org/missiongraph/vocab/risk/silos",
                "code": "silos",
                "scheme": "risk",
                "label": "Silos",
                "alt_labels": [],
                "definition": "",
            }
        }
    }


class SchemeModel(BaseModel):
    code: str = Field(description="The scheme's name in decisions/0001, e.g. risk.")
    iri: str
    label: str
    concepts: int = Field(description="Number of concepts in the scheme.")
    href: str = Field(description="Where the concepts are listed.")


class SchemeDetail(SchemeModel):
    members: list[ConceptModel]


def _concept(c: vocab.Concept) -> ConceptModel:
    return ConceptModel(
        iri=c.iri,
        code=c.code,
        scheme=c.scheme,
        label=c.pref_label,
        alt_labels=list(c.alt_labels),
        definition=c.definition,
    )


def _scheme(code: str) -> SchemeModel:
    iri = str(scheme_iri(code))
    return SchemeModel(
        code=code,
        iri=iri,
        label=vocab.label(iri),
        concepts=len(vocab.concepts(code)),
        href=f"/api/schemes/{code}",
    )


def _check(scheme: str) -> None:
    try:
        vocab.concepts(scheme)
    except UnknownSchemeError as exc:
        raise NotFoundError(str(exc), scheme=scheme) from None


@router.get(
    "/api/schemes",
    response_model=list[SchemeModel],
    summary="Every concept scheme",
    responses=problem_responses(),
)
def list_schemes() -> list[SchemeModel]:
    return [_scheme(code) for code in vocab.schemes()]


@router.get(
    "/api/schemes/{scheme}",
    response_model=SchemeDetail,
    summary="One concept scheme with its concepts",
    responses=problem_responses(404),
)
def get_scheme(scheme: str = Path(examples=["risk"])) -> SchemeDetail:
    _check(scheme)
    return SchemeDetail(**_scheme(scheme).model_dump(), members=[_concept(c) for c in vocab.concepts(scheme)])


@router.get(
    "/api/concepts",
    response_model=list[ConceptModel],
    summary="Concepts, of every scheme or of one (?scheme=)",
    responses=problem_responses(404),
)
def list_concepts(
    scheme: str | None = Query(None, description="Only this scheme, e.g. risk.", examples=["risk"]),
) -> list[ConceptModel]:
    if scheme is not None:
        _check(scheme)
        return [_concept(c) for c in vocab.concepts(scheme)]
    return [_concept(c) for s in vocab.schemes() for c in vocab.concepts(s)]
