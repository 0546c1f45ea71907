"""The portal's sessions, committees and front page in a real browser (Debian's Chromium) on the demo council,
on a desktop and on a phone 390 px wide: each page fits the phone's width (a wide table scrolls inside its own
wrapper), and a citizen goes from the front page to the next session, to a closed session's roll call and from a
ballot to the deputy's address. Screenshots go under test-artifacts/portal/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.test_browser import CHROMIUM_ARGS, chromium, demo  # noqa: F401 (the demo fixture)
from workflow.config import PROJECT_ROOT

pytestmark = pytest.mark.xdist_group("browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "portal"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_citizen_follows_the_sessions_on_a_desktop_and_on_a_phone(demo: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                tab = browser.new_page(locale="uk-UA", viewport=viewport)
                tab.goto(demo + "/")
                expect(tab.locator("h1")).to_have_text("Вербівська міська рада")
                expect(tab.get_by_label("Пошук у рішеннях")).to_be_visible()
                fits(tab, viewport, f"home-{name}")

                tab.locator("#next-session ~ p a").first.click()
                expect(tab.locator("h1")).to_contain_text("Сесія №")
                expect(tab.get_by_role("heading", name="Порядок денний")).to_be_visible()
                fits(tab, viewport, f"next-session-{name}")

                tab.goto(demo + "/sessions")
                expect(tab.locator("table.month-calendar")).to_be_visible()
                fits(tab, viewport, f"sessions-{name}")
                tab.get_by_role("heading", name="Минулі засідання").scroll_into_view_if_needed()
                tab.locator("h2:has-text('Минулі засідання') + ul a").first.click()
                expect(tab.get_by_role("heading", name="Присутність")).to_be_visible()
                tab.locator("details summary").first.click()
                ballot = tab.locator("table.roll-call a").first
                expect(ballot).to_be_visible()
                fits(tab, viewport, f"session-{name}")
                assert (ballot.get_attribute("href") or "").startswith("/deputies/")

                tab.goto(demo + "/committees")
                fits(tab, viewport, f"committees-{name}")
                tab.locator("table a").first.click()
                expect(tab.get_by_role("heading", name="Склад")).to_be_visible()
                fits(tab, viewport, f"committee-{name}")
                tab.close()
        finally:
            browser.close()


def fits(tab, viewport: dict[str, int], shot: str) -> None:  # type: ignore[no-untyped-def]
    """The page is no wider than the screen, and what it looks like is kept."""
    tab.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{shot}: the page is {width} px wide on a {viewport['width']} px screen"
