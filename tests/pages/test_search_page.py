"""Search page: a query, facets with counts, snippets; a facet narrows the results; works without JS."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _total(page) -> int:
    return int(page.locator("#total").inner_text())


def test_search_pick_a_facet_and_open_a_mission(session):
    session.goto("/search?q=climate")
    page = session.page
    total = _total(page)
    assert total > 1
    assert page.locator("#results .result").count() > 0
    assert page.locator("#results mark").count() > 0, "snippets mark the query words"
    facet = page.locator("#facet-form input[data-facet=country]").first
    label = facet.locator("xpath=..").inner_text()
    count = int(re.search(r"\((\d+)\)", label).group(1))
    session.shot("results")
    session.assert_accessible()
    with page.expect_navigation():
        facet.check()  # the script submits the form at once
    page.wait_for_load_state("networkidle")
    assert _total(page) == count < total
    assert page.locator("#facet-form input[data-facet=country]:checked").count() == 1
    session.shot("facet")
    first = page.locator("#results .result[data-type=mission] h3 a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert re.search(r"/missions/[a-z0-9-]+$", page.url)
    assert page.locator("h1").inner_text().strip() == title.strip()


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/search")
        page.fill("#q", "plastic waste")
        with page.expect_navigation():
            page.click("#search-form button[type=submit]")
        assert "q=plastic+waste" in page.url
        total = int(page.locator("#total").inner_text())
        assert total > 0
        page.locator("#facet-form input[type=checkbox]").first.check()
        with page.expect_navigation():
            page.click("#apply-filters")
        assert int(page.locator("#total").inner_text()) <= total
        assert page.locator("#facet-form input[type=checkbox]:checked").count() == 1
    finally:
        context.close()


def test_search_by_keyboard_only(session):
    session.goto("/search")
    page = session.page

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#q")
    page.keyboard.type("youth loneliness")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    total = _total(page)
    assert total > 0
    tab_to("#facet-form input[type=checkbox]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert _total(page) <= total
    assert page.locator("#facet-form input[type=checkbox]:checked").count() == 1
    # focus is visible: the focused control draws an outline
    tab_to("#q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_on_a_phone_results_come_first_and_filters_unfold(phone):
    phone.goto("/search?q=climate")
    page = phone.page
    panel = page.locator("details.facet-panel")
    assert panel.evaluate("d => d.open") is False
    first_result = page.locator("#results .result").first.bounding_box()
    assert first_result["y"] < 1200, "the first result is near the top of the page"
    page.click("details.facet-panel > summary")
    assert page.locator("#facet-form input[type=checkbox]").first.is_visible()
    phone.shot("search")
    phone.assert_accessible()


def test_synthetic_items_show_a_badge_and_real_missions_only_hides_them(session):
    session.goto("/search?q=youth+loneliness")
    page = session.page
    total = _total(page)
    made_up = page.locator("#results .result[data-synthetic=true]")
    assert made_up.count() > 0, "the synthetic survey wave speaks of youth loneliness"
    for i in range(made_up.count()):
        assert made_up.nth(i).locator(".synthetic-badge").is_visible()
    real = page.locator("#results .result[data-synthetic=false]")
    for i in range(real.count()):
        assert real.nth(i).locator(".synthetic-badge").count() == 0
    assert page.locator("#facet-form input[data-facet=source]").count() >= 2, "a Source facet"
    control = page.get_by_label("Real missions only")
    assert control.is_visible() and not control.is_checked()
    session.shot("with-synthetic")
    with page.expect_navigation():
        control.check()  # applies at once
    page.wait_for_load_state("networkidle")
    assert "synthetic=exclude" in page.url
    assert page.get_by_label("Real missions only").is_checked()
    assert page.locator("#results .result").count() > 0
    assert page.locator("#results .result[data-synthetic=true]").count() == 0
    assert page.locator("#results .synthetic-badge").count() == 0
    assert 0 < _total(page) < total
    # a facet ticked next keeps the filter
    with page.expect_navigation():
        page.locator("#facet-form input[data-facet=type]").first.check()
    assert "synthetic=exclude" in page.url
    assert page.locator("#results .result[data-synthetic=true]").count() == 0
    session.shot("real-only")
    session.assert_accessible()


def test_a_query_of_stop_words_says_why_nothing_is_listed(session):
    session.goto("/search?q=the+of")
    page = session.page
    assert _total(page) == 0
    assert "stop words" in page.locator("#search-notice").inner_text()
