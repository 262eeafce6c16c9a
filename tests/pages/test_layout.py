"""The base layout: landmarks, skip link, keyboard focus, no horizontal scrolling on a 375 px screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_has_landmarks_skip_link_and_is_accessible(session):
    response = session.goto("/")
    assert response.status == 200
    page = session.page
    assert page.locator("header").count() == 1
    assert page.locator("main#main").count() == 1
    assert page.locator("nav[aria-label='Main']").count() == 1
    assert page.locator("footer").count() == 1
    # the first Tab lands on the skip link, and following it moves focus into main
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    session.shot("home")
    session.assert_accessible()


PAGES = [
    "/",
    "/search?q=loneliness",
    "/help?risk=silos&support-need=evaluation",
    "/sparql",
    "/lab",
    "/id/mission/eu-mission-cancer",  # a linked-data resource page (resource.html) in the same layout
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_screen_and_are_accessible(phone, path):
    phone.goto(path)
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.shot(path.strip("/").split("?")[0] or "home")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 375px screen"
    # every page has exactly one h1 and a main landmark, and no serious accessibility violation
    assert phone.page.locator("h1").count() == 1
    assert phone.page.locator("main").count() == 1
    phone.assert_accessible()


def test_no_page_loads_anything_from_elsewhere(session):
    for path in PAGES + ["/dashboard", "/missions/eu-mission-cancer"]:
        session.goto(path)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for url in session.page.eval_on_selector_all(f"{tag}[{attr}]", f"els => els.map(e => e.{attr})"):
                assert url.startswith(session.server.url + "/"), f"{path} loads {url}"
    assert session.external_requests() == []
