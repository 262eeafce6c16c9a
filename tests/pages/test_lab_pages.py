"""Lab pages behind a token: sign in, upload a bad export and see every problem, match, form groups."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.pages.conftest import LAB_TOKEN

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "survey" / "survey-2021-synthetic.csv"


def _bad_export(tmp_path: Path) -> tuple[Path, int]:
    """Three real rows of the synthetic sample, two of them spoiled: an unknown country and sector."""
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = [next(reader) for _ in range(3)]
    rows[0]["country"] = "XX"
    rows[2]["sector"] = "astrology"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "survey-bad-synthetic.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, 2


def _sign_in(session, path: str = "/lab") -> None:
    response = session.goto(path)
    assert response.status == 401
    session.page.fill("#token", LAB_TOKEN)
    with session.page.expect_navigation():
        session.page.click("#lab-login button[type=submit]")


def test_lab_needs_a_valid_token(session):
    response = session.goto("/lab/loads")
    assert response.status == 401
    session.page.fill("#token", "not-the-token")
    with session.page.expect_navigation():
        session.page.click("#lab-login button[type=submit]")
    assert session.page.locator("#login-error").is_visible()
    assert session.page.locator("#upload-form").count() == 0
    session.assert_accessible()


def test_upload_a_bad_export_and_see_its_errors(session, tmp_path):
    before = session.server.app.state.ctx.store.state()
    _sign_in(session, "/lab/loads")
    page = session.page
    assert page.url.endswith("/lab/loads")
    session.assert_accessible()
    path, spoiled = _bad_export(tmp_path)
    page.set_input_files("#file", str(path))
    page.fill("#wave", "2099")
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert "/lab/loads/" in page.url
    # the page follows the job until it has finished
    page.wait_for_selector("#job[data-status=failed]", timeout=30_000)
    problems = page.locator("#problems tbody tr")
    assert problems.count() >= spoiled
    text = page.locator("#problems").inner_text()
    assert "XX" in text and "astrology" in text
    assert "country" in text and "sector" in text
    # the store is as it was
    assert session.server.app.state.ctx.store.state() == before
    session.shot("errors")
    session.assert_accessible()


def test_match_collaborators_and_form_groups(session):
    _sign_in(session, "/lab/match")
    page = session.page
    page.get_by_label("Climate", exact=True).check()
    page.get_by_label("Effect of silos").check()
    with page.expect_navigation():
        page.click("#match")
    matches = page.locator("#matches .peer")
    assert matches.count() >= 5
    assert "challenge fields" in matches.first.inner_text()
    session.shot("match")
    session.assert_accessible()

    session.goto("/lab/groups")
    sample = page.locator("#groups-form p.muted").inner_text().removeprefix("For example: ").split(", ")
    assert len(sample) == 6
    page.fill("#participants", "\n".join(sample))
    page.fill("#size", "3")
    with page.expect_navigation():
        page.click("#form-groups")
    groups = page.locator("#groups .group")
    assert groups.count() == 2
    members = page.locator("#groups .group li a").all_inner_texts()
    assert len(members) == 6
    session.shot("groups")
    session.assert_accessible()


def test_upload_a_good_export_and_follow_it_to_the_end(fresh_session, tmp_path):
    """A store with the catalogue only: the sample's first rows load, and search then finds them."""
    session = fresh_session
    store = session.server.app.state.ctx.store
    iris = session.server.app.state.ctx.iris
    assert store.count(iris.survey_graph("2021")) == 0
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        head = [next(f) for _ in range(6)]  # header and five respondents
    path = tmp_path / "survey-2021-synthetic-head.csv"
    path.write_text("".join(head), encoding="utf-8")
    _sign_in(session, "/lab/loads")
    page = session.page
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    assert "Loaded. 5 rows of synthetic data" in page.locator("#job").inner_text()
    assert store.count(iris.survey_graph("2021")) > 0
    session.shot("loaded")
    session.assert_accessible()
    # the new responses are searchable at once (the job keeps the index in step)
    session.goto("/search?type=response")
    assert int(page.locator("#total").inner_text()) == 5
