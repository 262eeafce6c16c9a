"""The SPARQL page: vendored Yasgui, the query catalogue as examples, rows from the real endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_sparql_page_loads_editor_from_this_server(session):
    session.goto("/sparql")
    page = session.page
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    assert any(u.endswith("/static/vendor/yasgui/yasgui.min.js") for u in session.requests)
    session.shot("editor")
    session.assert_accessible()


def test_run_an_example_and_see_rows(session):
    session.goto("/sparql")
    page = session.page
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    example = page.locator("#examples a.example[data-name=catalogue-missions]")
    assert example.count() == 1
    example.click()
    # Yasr draws the result table from the real endpoint's answer
    page.wait_for_selector(".yasr table tbody tr", timeout=30_000)
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() >= 10
    assert "eu-mission-cancer" in page.locator(".yasr").inner_text() or rows.count() > 10
    assert any("/sparql" in u and u.startswith(session.server.url) for u in session.requests)
    # the example's link is shareable: the address now carries the query
    assert "#query=" in page.url
    session.shot("results")
    session.assert_accessible()


def test_a_shared_link_opens_the_query(session, browser):
    session.goto("/sparql")
    link = session.page.locator("#examples a.example[data-name=missions-per-country]").get_attribute("href")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(session.server.url + link)
        page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
        text = page.evaluate("window.missiongraphYasgui.getTab().getQuery()")
        assert "SELECT" in text and "country" in text.lower()
    finally:
        context.close()


def test_without_javascript_a_plain_form_runs_the_query(browser, live_server):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/sparql")
        assert page.locator("#plain-query").is_visible()
        page.select_option("#plain-format", "csv")
        # the browser saves the CSV answer of the real endpoint
        with page.expect_download() as info:
            page.click("#plain-query button[type=submit]")
        lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",")[0] == "id"
        assert len(lines) > 10
        assert any(line.startswith("eu-mission-cancer,") for line in lines)
    finally:
        context.close()


def test_start_page_opens_a_real_first_query_and_the_catalogue_as_tabs(session):
    session.goto("/sparql")
    page = session.page
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    text = page.evaluate("window.missiongraphYasgui.getTab().getQuery()")
    assert "mg:challengeField" in text and "PREFIX" not in text.upper().replace("NO PREFIX", "")
    tabs = page.locator(".tabsList a[role=tab]")
    names = [tabs.nth(i).locator("span").first.inner_text().strip() for i in range(tabs.count())]
    assert names[0] == "Missions per challenge field"
    assert "Catalogue missions" in names and "Number of missions per country" in names
    # the editor knows the predeclared prefixes: no syntax error marker on the prefix-free query
    assert page.locator(".yasqe .parseErrorIcon").count() == 0
    page.locator(".yasqe .yasqe_queryButton").click()
    page.wait_for_selector(".yasr table tbody tr", timeout=30_000)
    assert "Climate" in page.locator(".yasr").inner_text()
    session.shot("first-query")
    session.assert_accessible()


def test_a_bad_query_shows_the_one_line_hint_wrapped(session):
    session.goto("/sparql")
    page = session.page
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    page.evaluate(
        "(() => { const t = window.missiongraphYasgui.getTab();"
        " t.setQuery('SELECT ?m WHERE { ?m a mgx:Mission }'); t.query(); })()"
    )
    problem = page.wait_for_selector(".query-problem .query-problem-detail", timeout=30_000)
    text = problem.inner_text()
    assert text.startswith("line 1, column 24: unknown prefix mgx:") and "did you mean mg:?" in text
    assert "{" not in text  # the line, not the JSON document
    # wrapped: the message never runs off the page
    width = page.evaluate("document.querySelector('.query-problem').scrollWidth")
    visible = page.evaluate("document.querySelector('.query-problem').clientWidth")
    assert width <= visible + 1
    session.shot("bad-query")
    session.assert_accessible()
