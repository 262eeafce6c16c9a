"""Errors of the vocabulary layer: plain ``ValueError`` subclasses, so ontology/ needs nothing from graph/."""

from __future__ import annotations

__all__ = ["VocabularyError", "UnknownSchemeError", "QueryParameterError", "UnknownQueryError"]


class VocabularyError(ValueError):
    """A request the vocabulary cannot answer (unknown scheme, code, query or parameter)."""


class UnknownSchemeError(VocabularyError):
    """A concept scheme name that decisions/0001 does not list."""


class QueryParameterError(VocabularyError):
    """A value for a catalogue query parameter that does not fit the parameter's type."""


class UnknownQueryError(VocabularyError):
    """A query name the catalogue does not hold."""
