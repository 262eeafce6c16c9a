"""Survey dashboard: the deck's figures as SVG charts, published beside recomputed, synthetic labelled."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_dashboard_draws_published_and_recomputed_bars(session):
    response = session.goto("/dashboard")
    assert response.status == 200
    page = session.page
    assert page.locator("#synthetic-notice .synthetic-badge").is_visible()
    for chart in ("sectors", "external-drivers", "internal-drivers", "design", "funding"):
        svg = page.locator(f"svg[data-chart={chart}]")
        assert svg.count() == 1, chart
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40, chart
    # each deck figure: one published and one recomputed bar, sized by the value
    design = page.locator("svg[data-chart=design]")
    published = design.locator("rect.published")
    recomputed = design.locator("rect.recomputed")
    assert published.count() == 2 and recomputed.count() == 2
    widths = [float(published.nth(i).get_attribute("width")) for i in range(2)]
    assert widths[0] > widths[1] * 2, "25% clear target is drawn longer than 11% M&E plan"
    text = page.locator("#design").inner_text()
    assert "25%" in text and "11%" in text
    # the recomputed synthetic values are close to the published ones they were generated to match
    cells = page.locator("#design table tbody tr").first.locator("td").all_text_contents()
    published_value, recomputed_value = (float(c.rstrip("%")) for c in cells)
    assert published_value == 25.0
    assert abs(recomputed_value - published_value) < 3
    # the key numbers: 40 countries published
    assert "40" in page.locator("#key-numbers").inner_text()
    session.shot("dashboard")
    session.assert_accessible()


def test_dashboard_fits_a_phone(phone):
    phone.goto("/dashboard")
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.shot("dashboard")
    assert overflow <= 0
