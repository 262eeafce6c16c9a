"""A mission described in the (synthetic) survey: its answers are labelled synthetic; who can help."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MG = "https://w3id.org/missiongraph/def#"


def _survey_mission_with_needs(server) -> str:
    ctx = server.app.state.ctx
    rows = ctx.store.select(
        f"SELECT DISTINCT ?m WHERE {{ GRAPH ?g {{ ?m a <{MG}Mission> ; <{MG}supportNeed> ?n ; "
        f"<{MG}challengeField> ?f }} FILTER(CONTAINS(STR(?m), '/id/mission/s-')) }} ORDER BY ?m LIMIT 1"
    )
    assert rows, "the synthetic sample describes missions with support needs"
    return ctx.iris.mission_id(rows[0]["m"])


def test_survey_mission_is_labelled_synthetic_and_lists_helpers(session):
    mission_id = _survey_mission_with_needs(session.server)
    response = session.goto(f"/missions/{mission_id}")
    assert response.status == 200
    page = session.page
    assert page.locator("h1 + p .synthetic-badge").is_visible()
    assert page.locator("#survey-facts").count() == 1
    assert "support need" in page.locator("#survey-facts").inner_text().lower()
    helpers = page.locator("#helpers-heading ~ ul.helpers li a")
    assert helpers.count() >= 1, "who can help lists missions for the mission's support needs"
    session.shot("survey-mission")
    session.shot_of("svg[data-chart=neighbourhood]", "neighbourhood")
    session.assert_accessible()
