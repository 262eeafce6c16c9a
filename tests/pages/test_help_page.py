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
