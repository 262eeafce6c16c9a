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


PARTICIPANTS = (
    "name,organisation,email,mission,mission_description,risks,needs,sector\n"
    "Ana Lima,City of Aarhus,ana@example.org,,Halve loneliness among young people in our city,silos,"
    "evaluation,local-government\n"
    "Ben Ode,Climate KIC,ben@example.org,eu-mission-cities,,silos;momentum,funding,private-sector\n"
    "Cleo Park,Lund University,cleo@example.org,se-viable-cities,,momentum,evaluation,academia\n"
    "Dan Roe,Harbour Foundation,dan@example.org,,Zero plastic waste in the harbour,short-termism,funding,"
    "foundation\n"
    "Eva Berg,Region Skane,eva@example.org,dk-innomission-greenfuels,,silos,target-setting,"
    "regional-government\n"
    "Finn Holm,Health Ministry,,eu-mission-cancer,,committed-support,evaluation,national-government\n"
)


def test_match_collaborators_and_see_their_people(session):
    _sign_in(session, "/lab/match")
    page = session.page
    page.get_by_label("Climate", exact=True).check()
    page.get_by_label("Effect of silos").check()
    page.check("input[name=support-need][value=evaluation]")
    with page.expect_navigation():
        page.click("#match")
    # people first: consenting respondents whose strengths or problems fit, with the reason and a contact
    people = page.locator("#people .person")
    assert people.count() >= 3
    assert "This profile needs help with evaluation" in people.first.inner_text()
    assert "@" in people.first.inner_text()
    matches = page.locator("#matches .peer")
    assert matches.count() >= 5
    assert "challenge fields" in matches.first.inner_text()
    # from a match to the people in one step: who describes the mission (contacts when they consented)
    assert page.locator("#matches .people").count() == matches.count()
    assert "People on it" in page.locator("#matches").inner_text()
    assert page.locator("#matches .synthetic-badge").count() > 0
    session.shot("match")
    session.assert_accessible()


def test_printable_workshop_groups_from_a_participant_list(session, tmp_path):
    _sign_in(session, "/lab/groups")
    page = session.page
    listing = tmp_path / "participants.csv"
    listing.write_text(PARTICIPANTS, encoding="utf-8")
    page.set_input_files("#file", str(listing))
    page.fill("#size", "3")
    with page.expect_navigation():
        page.click("#form-groups")
    rosters = page.locator("#groups .roster")
    assert rosters.count() == 2
    names = page.locator("#groups .member th").all_inner_texts()
    assert sorted(n.strip() for n in names) == sorted(
        line.split(",")[0] for line in PARTICIPANTS.splitlines()[1:]
    )
    assert "ana@example.org" in page.locator("#groups").inner_text()
    assert all("The group shares:" in t for t in page.locator("#groups .shares").all_inner_texts())
    summary = page.locator("#group-summary").inner_text()
    assert "sectors per group against" in summary and "Objective" not in summary
    session.shot("groups")
    session.assert_accessible()

    # on paper: no navigation, no form, every roster
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#groups-form").is_visible()
    assert not page.locator("#download-form").is_visible()
    assert page.locator("#groups .roster").first.is_visible()
    assert page.locator("#groups-heading").is_visible()
    pdf = page.pdf(path=str(tmp_path / "groups.pdf"))
    assert pdf.startswith(b"%PDF")
    session.shot("groups-print")
    page.emulate_media(media="screen")

    # the same rosters as CSV (the list is posted again from the page)
    with page.expect_download() as download:
        page.click("#download-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 6 and {r["group"] for r in rows} == {"1", "2"}
    assert next(r for r in rows if r["name"] == "Ana Lima")["email"] == "ana@example.org"


def test_a_bad_participant_list_shows_every_problem(session, tmp_path):
    _sign_in(session, "/lab/groups")
    page = session.page
    listing = tmp_path / "bad.csv"
    listing.write_text("name,email,sector\nAna,not-a-mail,wizards\n", encoding="utf-8")
    page.set_input_files("#file", str(listing))
    with page.expect_navigation():
        page.click("#form-groups")
    text = page.locator("#problems").inner_text()
    assert "not-a-mail" in text and "wizards" in text and "bad.csv" in text
    assert page.locator("#groups .roster").count() == 0
    session.assert_accessible()


def test_introductions_of_a_waves_consenting_respondents(session):
    _sign_in(session, "/lab/introductions")
    page = session.page
    page.check("#use-wave")
    page.fill("#per-person", "1")
    with page.expect_navigation():
        page.click("#introduce")
    items = page.locator("#introductions .introduction")
    assert items.count() > 10
    first = items.first.inner_text()
    assert "needs help with" in first or "Both face" in first
    assert "@" in first and page.locator("#introductions .synthetic-badge").count() > 0
    session.shot("introductions")
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
