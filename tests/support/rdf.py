"""Parse an RDF answer of the service; compact JSON-LD gets the context the service serves inlined."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pyoxigraph as ox
from fastapi.testclient import TestClient

__all__ = ["parse_answer"]


def parse_answer(client: TestClient, content: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    """The triples of ``content``; a JSON-LD ``@context`` URL is fetched from the same service."""
    if fmt == ox.RdfFormat.JSON_LD:
        document = json.loads(content)
        context = document.get("@context")
        if isinstance(context, str):
            served = client.get(urlsplit(context).path)
            assert served.status_code == 200
            document["@context"] = served.json()["@context"]
        content = json.dumps(document).encode()
    return [q.triple for q in ox.parse(content, format=fmt)]
