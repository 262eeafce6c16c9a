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


def _synthetic_mission(session) -> str:
    """A mission of the synthetic survey sample (ids are opaque, so ask the API)."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{session.server.url}/api/missions?synthetic=only&limit=1") as r:
        return json.loads(r.read())["items"][0]["id"]


def test_synthetic_peers_carry_a_badge_and_real_missions_only_removes_them(session):
    mission = _synthetic_mission(session)
    session.goto(f"/missions/{mission}")
    page = session.page
    made_up = page.locator("#peers .peer[data-synthetic=true]")
    assert made_up.count() >= 1
    for i in range(made_up.count()):
        assert made_up.nth(i).locator(".synthetic-badge").count() == 1
    assert page.locator("#peers .peer[data-synthetic=false] .synthetic-badge").count() == 0
    assert page.locator("#helpers-heading").count() == 1
    for item in page.locator(".helpers .helper[data-synthetic=true]").all():
        assert item.locator(".synthetic-badge").count() == 1
    session.shot("synthetic-peers")

    control = page.get_by_label("Real missions only")
    assert not control.is_checked()
    control.check()
    with page.expect_navigation():
        page.click("#apply-peer-options")
    assert "synthetic=exclude" in page.url
    assert page.get_by_label("Real missions only").is_checked()
    assert page.locator("#peers .peer").count() >= 1  # real peers remain
    assert page.locator("#peers .peer[data-synthetic=true]").count() == 0
    assert page.locator(".helpers .helper[data-synthetic=true]").count() == 0
    assert page.locator("#peers .synthetic-badge").count() == 0
    session.shot("real-peers")
    session.assert_accessible()


def test_peers_on_the_same_obstacles(session):
    mission = _synthetic_mission(session)
    session.goto(f"/missions/{mission}")
    page = session.page
    page.select_option("#peer-mode", "obstacles")
    with page.expect_navigation():
        page.click("#apply-peer-options")
    assert "mode=obstacles" in page.url
    assert "same risks" in page.locator("#mode-description").inner_text()
    first = page.locator("#peers .peer").first.inner_text()
    assert any(w in first for w in ("perceived risks", "challenges faced", "support needs"))
