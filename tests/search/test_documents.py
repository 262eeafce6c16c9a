"""Documents derived from the store: public graphs only, catalogue ids kept, facets from concepts."""

from __future__ import annotations

from graph.store import Store
from search.documents import documents_from_store
from tests.search.conftest import IRIS, SECRET_NAME


def test_documents_cover_missions_responses_and_concepts(search_store: Store) -> None:
    docs = documents_from_store(search_store, IRIS).documents
    by_type: dict[str, int] = {}
    for d in docs:
        by_type[d.type] = by_type.get(d.type, 0) + 1
    assert by_type["mission"] == 225
    assert by_type["response"] == 8
    assert by_type["concept"] > 20
    ids = {d.id for d in docs}
    assert "eu-mission-cancer" in ids  # the catalogue id, not the IRI


def test_mission_document_fields_and_facets(search_store: Store) -> None:
    docs = {d.id: d for d in documents_from_store(search_store, IRIS).documents}
    ocean = docs["eu-mission-ocean-waters"]
    assert ocean.title == "EU Mission: Restore our Ocean and Waters"
    assert "free-flowing rivers" in ocean.goal
    assert set(ocean.facets["field"]) == {"oceans-water", "biodiversity", "climate"}
    assert ocean.facets["country"] == ["EUR"]
    assert ocean.facets["wave"] == ["2022"]  # a survey response in wave 2022 describes it
    assert ocean.facets["risk"] == ["momentum"]
    # linked concepts: their preferred labels as text, the concepts themselves as terms (an
    # altLabel such as "marine" finds the document through the concept: decisions/0013)
    assert "Oceans and water" in ocean.labels and "marine" not in ocean.labels
    assert "https://w3id.org/missiongraph/vocab/challenge-field/oceans-water" in ocean.concepts
    silos = docs["risk/silos"]
    assert silos.concepts == ["https://w3id.org/missiongraph/vocab/risk/silos"] and silos.labels
    assert "Fields: " in ocean.embed_text


def test_no_personal_data_and_no_restricted_graph(search_store: Store) -> None:
    docs = documents_from_store(search_store, IRIS).documents
    for d in docs:
        blob = " ".join([d.title, d.goal, d.answers, *d.labels, d.iri, d.url])
        assert SECRET_NAME not in blob
        assert "respondent" not in d.iri


def test_response_document_is_the_public_view(search_store: Store) -> None:
    docs = [d for d in documents_from_store(search_store, IRIS).documents if d.type == "response"]
    r2 = next(d for d in docs if "Plastic packaging" in d.answers)
    assert r2.facets["risk"] == ["momentum", "silos"]
    assert r2.facets["wave"] == ["2021"]
    assert r2.id.startswith("response/2021/")
    assert "Netherlands" in r2.title or "circular" in r2.title.lower()
