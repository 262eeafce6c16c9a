"""The SPARQL page: vendored Yasgui, the query catalogue as examples, rows from the real endpoint."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_sparql_page_loads_editor_from_this_server(session):
    session.goto("/sparql")
    page = session.page
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    assert any(u.endswith("/static/vendor/yasgui/yasgui.min.js") for u in session.requests)
    session.shot("editor")
    session.assert_accessible()
