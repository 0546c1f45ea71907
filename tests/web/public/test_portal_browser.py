"""The portal's sessions, committees and front page in a real browser (Debian's Chromium) on the demo council,
on a desktop and on a phone 390 px wide: each page fits the phone's width (a wide table scrolls inside its own
wrapper), and a citizen goes from the front page to the next session, to a closed session's roll call and from a
ballot to the deputy's address. Screenshots go under test-artifacts/portal/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, DESKTOP, PHONE, chromium, photograph
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")


def test_a_citizen_follows_the_sessions_on_a_desktop_and_on_a_phone(demo: str) -> None:
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
                ballot = tab.locator(".roll-call table.ballots a").first
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


def fits(tab: Page, viewport: dict[str, int], shot: str) -> None:
    """The page is no wider than the screen, and what it looks like is kept."""
    photograph(tab, "portal", shot, fits=viewport["width"])
