"""Survey ingest: mapping-driven reading, validation, RDF conversion and one-transaction loading."""

from __future__ import annotations

from graph.ingest.load import LoadReport, check_survey, load_survey
from graph.ingest.mapping import DEFAULT_MAPPING, MAPPINGS_DIR, Mapping, load_mapping

__all__ = [
    "LoadReport",
    "load_survey",
    "check_survey",
    "load_mapping",
    "Mapping",
    "DEFAULT_MAPPING",
    "MAPPINGS_DIR",
]
