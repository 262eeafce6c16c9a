"""Errors about HTTP itself (media types, upload sizes) that have no place in graph/errors.py."""

from __future__ import annotations

from graph.errors import InvalidInputError

__all__ = ["UnsupportedMediaTypeError", "PayloadTooLargeError"]


class UnsupportedMediaTypeError(InvalidInputError):
    """A request body in a media type the route does not read (HTTP 415)."""

    code = "unsupported-media-type"
    title = "Unsupported media type"


class PayloadTooLargeError(InvalidInputError):
    """An upload above ``upload_max_bytes`` (HTTP 413)."""

    code = "payload-too-large"
    title = "Upload too large"
