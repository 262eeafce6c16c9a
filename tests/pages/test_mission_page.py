"""Mission page: facts with their sources, peers with reasons, who can help, the neighbourhood picture."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_mission_page_shows_facts_sources_peers_and_picture(session):
    response = session.goto("/missions/eu-mission-cancer")
    assert response.status == 200
    page = session.page
    assert "Cancer" in page.locator("h1").inner_text()
    facts = page.locator("#facts").inner_text()
    assert "eu-mission-cancer" in facts
    sources = page.locator("#sources a")
    assert sources.count() >= 1
    assert sources.first.get_attribute("href").startswith("http")
    peers = page.locator("#peers .peer")
    assert peers.count() >= 3
    assert "Why:" in peers.first.inner_text()
    # the neighbourhood picture is drawn server-side: nodes, edges and links to peer missions
    svg = page.locator("svg[data-chart=neighbourhood]")
    assert svg.locator("line").count() > 0
    assert svg.locator("a").count() >= 1
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    session.shot("mission")
    session.shot_of("svg[data-chart=neighbourhood]", "neighbourhood")
    session.assert_accessible()

    # follow a peer
    first = peers.first.locator("h3 a")
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert re.search(r"/missions/[a-z0-9-]+$", page.url)
    assert not page.url.endswith("/eu-mission-cancer")
    assert page.locator("h1").inner_text().strip() == title.strip()
    session.shot("peer")


def test_unknown_mission_is_a_404_page(session):
    response = session.goto("/missions/no-such-mission")
    assert response.status == 404
    assert "no-such-mission" in session.page.locator("main").inner_text()
    session.assert_accessible()


def test_mission_page_fits_a_phone(phone):
    phone.goto("/missions/eu-mission-cancer")
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.shot("mission")
    assert overflow <= 0
