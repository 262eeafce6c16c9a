"""Opaque, stable paging cursors: the sort key of the last result shown, bound to the query."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from graph.errors import InvalidInputError

__all__ = ["encode_cursor", "decode_cursor", "query_fingerprint", "MAX_CURSOR_CHARS"]

#: longest cursor accepted; a longer one is not ours (and would only cost time to decode)
MAX_CURSOR_CHARS = 1024


def query_fingerprint(query: str, filters: dict[str, list[str]]) -> str:
    canonical = json.dumps([query.strip(), {k: sorted(v) for k, v in sorted(filters.items()) if v}])
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def encode_cursor(score: float, doc_id: str, fingerprint: str) -> str:
    raw = json.dumps({"s": score, "i": doc_id, "q": fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> tuple[float, str]:
    """The (score, id) after which the next page starts; InvalidInputError for a foreign cursor."""
    if len(cursor) > MAX_CURSOR_CHARS:  # ours are about 80 characters
        raise InvalidInputError("the cursor is not one this service issued", parameter="cursor")
    try:
        data: Any = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        score, doc_id, fp = float(data["s"]), str(data["i"]), str(data["q"])
    except (ValueError, KeyError, TypeError, RecursionError) as exc:  # deep nesting: RecursionError
        raise InvalidInputError("the cursor is not one this service issued", parameter="cursor") from exc
    if fp != fingerprint:
        raise InvalidInputError(
            "the cursor belongs to another query or other filters; search again", parameter="cursor"
        )
    return score, doc_id
