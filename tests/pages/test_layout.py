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


@pytest.mark.parametrize("path", ["/", "/sparql"])
def test_pages_fit_a_phone_screen(phone, path):
    phone.goto(path)
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.shot(path.strip("/") or "home")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 375px screen"
