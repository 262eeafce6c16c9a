"""The vocabulary: OWL ontology, SKOS concept schemes, crosswalks, SHACL shapes, SPARQL query catalogue."""

from __future__ import annotations

__all__ = ["errors", "namespaces", "queries", "shapes", "vocab"]
