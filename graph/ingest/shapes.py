"""SHACL check of the RDF an ingest would write: every record of a small file, a sample of a big one."""

from __future__ import annotations

from graph import shacl
from graph.disclosure import Shown
from graph.errors import IngestError, Problem
from graph.ingest.mapping import Mapping
from graph.ingest.to_rdf import response_quads, wave_quads
from graph.iris import Iris
from graph.records import Response

__all__ = ["check_shapes", "shacl_sample", "SAMPLE_SIZE", "FULL_CHECK_MAX"]

#: pyshacl takes ~20 ms per response (more on a busy machine): files up to FULL_CHECK_MAX responses
#: (a real survey wave: 227) are checked whole, larger ones on a sample of SAMPLE_SIZE plus every shape
FULL_CHECK_MAX = 250
SAMPLE_SIZE = 30


def _signature(r: Response) -> tuple[object, ...]:
    """The shape of a record: which answers it has and what kind of mission it describes."""
    p = r.respondent
    return (
        tuple(sorted(r.answers)),
        tuple(sorted(r.texts)),
        "catalogue" if r.mission_id else ("own" if r.mission_title else "none"),
        r.mission_goal is not None,
        r.target_year is not None,
        r.submitted_at is not None,
        tuple(x is not None for x in (p.name, p.email, p.phone, p.organisation, p.consent)),
        r.synthetic,
    )


def shacl_sample(
    responses: list[Response], size: int = SAMPLE_SIZE, full_max: int = FULL_CHECK_MAX
) -> list[Response]:
    """Every response when there are few; else one of every distinct shape plus an even, fixed stride."""
    if len(responses) <= max(size, full_max):
        return list(responses)
    chosen: dict[int, Response] = {}
    seen: set[tuple[object, ...]] = set()
    for i, r in enumerate(responses):
        sig = _signature(r)
        if sig not in seen:
            seen.add(sig)
            chosen[i] = r
    stride = max(1, len(responses) // size)
    for i in range(0, len(responses), stride):
        if len(chosen) >= max(size, len(seen)):
            break
        chosen.setdefault(i, responses[i])
    return [chosen[i] for i in sorted(chosen)]


def check_shapes(
    iris: Iris,
    wave: str,
    responses: list[Response],
    mapping: Mapping,
    file: str,
    *,
    synthetic: bool,
    shown: dict[str, Shown | None] | None = None,
) -> int:
    """Validate the sample's RDF with the ontology's shapes; returns how many responses were checked."""
    sample = shacl_sample(responses)
    lines = [
        f"{s} {p} {o} {g} .\n"
        for s, p, o, g in wave_quads(
            iris, wave, synthetic=synthetic, source="urn:x-file", fields=mapping.fields
        )
    ]
    for r in sample:
        public = (shown or {}).get(iris.response(wave, r.respondent.respondent_id))
        lines.extend(f"{s} {p} {o} {g} .\n" for s, p, o, g in response_quads(iris, wave, r, public))
    violations = shacl.validate_nquads("".join(lines).encode("utf-8"), iris)
    if violations:
        rows = {iris.response(wave, r.respondent.respondent_id): r.row for r in sample}
        problems = [
            Problem(
                file,
                f"the RDF does not fit the shapes: {v.message}",
                row=rows.get(v.focus),
                column=v.path,
                value=v.value,
            )
            for v in violations
        ]
        raise IngestError(f"{file}: {len(problems)} SHACL violation(s); nothing was loaded", problems)
    return len(sample)
