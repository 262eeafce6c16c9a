"""Content negotiation: pick the best offered media type for an Accept header (RFC 9110 q-values)."""

from __future__ import annotations

from collections.abc import Mapping

from graph.errors import MissionGraphError

__all__ = ["NotAcceptableError", "parse_accept", "negotiate", "RDF_OFFERS", "FORMAT_ALIASES"]


class NotAcceptableError(MissionGraphError):
    """None of the representations on offer is acceptable to the client (HTTP 406)."""

    code = "not-acceptable"
    title = "Not acceptable"


#: RDF graph representations: media type -> format name used by graph.sparql_results
RDF_OFFERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
#: ``?format=`` shortcuts (handy in a browser address bar) -> media type
FORMAT_ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "html": "text/html",
}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header; an absent header accepts all."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    out: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        out.append((media, q, position))
    return out


def _match_quality(media: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int, int] | None:
    """(q, specificity, -position) of the most specific range matching ``media``; None if none."""
    kind, _, _sub = media.partition("/")
    best: tuple[float, int, int] | None = None
    for rng, q, position in ranges:
        if rng == media:
            spec = 2
        elif rng == f"{kind}/*":
            spec = 1
        elif rng == "*/*":
            spec = 0
        else:
            continue
        candidate = (q, spec, -position)
        if best is None or spec > best[1]:
            best = candidate
    return best


def negotiate(
    accept: str | None, offers: Mapping[str, str] | list[str], *, default: str | None = None
) -> str:
    """The offered media type the client prefers; ``offers`` order breaks ties (first = server default).

    Raises ``NotAcceptableError`` when nothing offered is acceptable.
    """
    ranges = parse_accept(accept)
    candidates = list(offers)
    best: tuple[tuple[float, int, int], int, str] | None = None
    for order, media in enumerate(candidates):
        quality = _match_quality(media, ranges)
        if quality is None or quality[0] <= 0:
            continue
        # prefer higher q, then an explicit mention over a wildcard, then the client's order, then ours
        key = (quality[0], quality[1], quality[2])
        if best is None or key > best[0] or (key == best[0] and order < best[1]):
            best = (key, order, media)
    if best is None:
        if default is not None and not accept:
            return default
        raise NotAcceptableError(
            f"none of the available representations is acceptable (Accept: {accept!r}); "
            f"available: {', '.join(candidates)}",
            available=candidates,
        )
    return best[2]
