"""The SHACL check of ingest: what it samples, and that a violation stops the load with its row."""

from __future__ import annotations

import pytest

from graph.errors import IngestError
from graph.ingest.mapping import load_mapping
from graph.ingest.shapes import check_shapes, shacl_sample
from graph.iris import Iris
from graph.records import Respondent, Response


def _response(i: int, **answers: tuple[str, tuple[str, ...]]) -> Response:
    return Response(row=i + 2, respondent=Respondent(f"r{i}", country="DK"), answers=dict(answers))


def test_sample_keeps_every_distinct_shape_and_is_deterministic() -> None:
    plain = [_response(i, involved=("answer", ("no",))) for i in range(1000)]
    odd = _response(1000, involved=("answer", ("yes",)), risks=("risk", ("silos",)))
    records = plain[:700] + [odd] + plain[700:]
    sample = shacl_sample(records, size=50, full_max=0)
    assert odd in sample
    assert 50 <= len(sample) <= 52
    assert sample == shacl_sample(records, size=50, full_max=0)
    assert shacl_sample(records[:40], size=50, full_max=0) == records[:40]
    assert shacl_sample(records[:200], size=50, full_max=250) == records[:200]  # small files: everything


def test_a_shape_violation_names_the_row(iris: Iris) -> None:
    bad = _response(5, sector=("risk", ("silos",)), involved=("answer", ("yes",)))  # a risk as a sector
    good = _response(6, sector=("sector", ("foundation",)), involved=("answer", ("no",)))
    with pytest.raises(IngestError) as caught:
        check_shapes(iris, "2021", [good, bad], load_mapping(None), "f.csv", synthetic=False)
    rows = {p.row for p in caught.value.problems}
    assert 7 in rows and 8 not in rows


def test_valid_records_pass(iris: Iris) -> None:
    good = _response(6, sector=("sector", ("foundation",)), involved=("answer", ("no",)))
    assert check_shapes(iris, "2021", [good], load_mapping(None), "f.csv", synthetic=False) == 1
