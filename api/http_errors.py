"""Protocol errors of the SPARQL endpoint that have no home in graph/errors.py (they are about HTTP)."""

from __future__ import annotations

from graph.errors import InvalidInputError

__all__ = ["UnsupportedMediaTypeError"]


class UnsupportedMediaTypeError(InvalidInputError):
    """A POST whose Content-Type is neither form-encoded nor application/sparql-query (HTTP 415)."""

    code = "unsupported-media-type"
    title = "Unsupported media type"
