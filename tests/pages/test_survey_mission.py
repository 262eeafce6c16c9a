"""A mission described in the (synthetic) survey: labelled synthetic; who can help with its needs.

Its own survey answers are public only when k responses link to it (docs/decisions/0010), which no
mission of the default sample reaches: the page does not list them, but the service still compares it
on them (peers, who can help).
"""

from __future__ import annotations

import pytest

from graph.network.who_can_help import helpers

pytestmark = pytest.mark.browser


def _survey_mission_with_helpers(server) -> str:
    model = server.app.state.ctx.network_view().model
    for mission_id in model.features.ids:
        if mission_id.startswith("s-") and helpers(model, mission_id, limit=3)["needs"]:
            return mission_id
    raise AssertionError("the synthetic sample has a mission with support needs that someone can help with")


def test_survey_mission_is_labelled_synthetic_and_lists_helpers(session):
    mission_id = _survey_mission_with_helpers(session.server)
    response = session.goto(f"/missions/{mission_id}")
    assert response.status == 200
    page = session.page
    assert page.locator("h1 + p .synthetic-badge").is_visible()
    # fewer than k describers: the mission's survey answers stay in the restricted graph (its title,
    # place and year are public, marked synthetic)
    facts = page.locator("#survey-facts")
    assert facts.count() == 1 and "synthetic" in facts.inner_text().lower()
    assert "support need" not in facts.inner_text().lower()
    helpers_shown = page.locator("#helpers-heading ~ ul.helpers li a")
    assert helpers_shown.count() >= 1, "who can help lists missions for the mission's support needs"
    session.shot("survey-mission")
    session.shot_of("svg[data-chart=neighbourhood]", "neighbourhood")
    session.assert_accessible()
