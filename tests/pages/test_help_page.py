"""“Where do I need help?”: pick risks and support needs, see peers who reported the same."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_pick_risks_and_needs_and_see_peers(session):
    session.goto("/help")
    page = session.page
    page.get_by_label("Silos").check()
    page.locator("#help-form input[name=support-need]").first.check()
    need = page.locator("#help-form input[name=support-need]").first.get_attribute("value")
    with page.expect_navigation():
        page.click("#find-peers")
    assert "risk=silos" in page.url and f"support-need={need}" in page.url
    peers = page.locator("#help-peers .peer")
    assert peers.count() >= 3
    first = peers.first.inner_text()
    assert "Same perceived risks" in first or "Same support needs" in first
    assert "Support they asked for:" in first
    # a peer that reported silos says so
    assert page.locator("#help-peers .peer", has_text="Silos").count() >= 1
    # the choices stay ticked
    assert page.get_by_label("Silos").is_checked()
    session.shot("peers")
    session.assert_accessible()


def test_help_page_lists_helpers_for_a_ticked_need_with_badges(session):
    session.goto("/help")
    page = session.page
    page.get_by_label("Evaluation", exact=False).first.check()
    need = "evaluation"
    with page.expect_navigation():
        page.click("#find-peers")
    assert f"support-need={need}" in page.url
    helpers = page.locator(f"#helpers-{need} .helper")
    assert helpers.count() >= 1
    # each helper names the strength that matches the need (an M&E plan)
    assert "monitoring" in helpers.first.inner_text().lower()
    for item in (
        page.locator(".helper[data-synthetic=true]").all()
        + page.locator("#help-peers .peer[data-synthetic=true]").all()
    ):
        assert item.locator(".synthetic-badge").count() == 1
    assert page.locator(".helper[data-synthetic=true], #help-peers .peer[data-synthetic=true]").count() >= 1
    session.shot("helpers")
    session.assert_accessible()

    page.get_by_label("Real missions only").check()
    with page.expect_navigation():
        page.click("#find-peers")
    assert "synthetic=exclude" in page.url
    assert page.locator(".helper[data-synthetic=true], #help-peers .peer[data-synthetic=true]").count() == 0
    assert page.locator("#helpers-heading").count() == 1  # the section stays, with what real missions show


def test_help_page_filters_helpers_by_field_and_level(session):
    session.goto("/help?support-need=evaluation&field=health&level=national")
    page = session.page
    assert page.locator("#help-field").input_value() == "health"
    assert page.locator("#help-level").input_value() == "national"
    for h in page.locator("#helpers-evaluation .helper a").all():
        href = h.get_attribute("href")
        mission = href.rsplit("/", 1)[-1]
        import json
        import urllib.request

        with urllib.request.urlopen(f"{session.server.url}/api/missions/{mission}") as r:
            body = json.loads(r.read())
        assert "health" in body["fields"] and "national" in body["level"]
