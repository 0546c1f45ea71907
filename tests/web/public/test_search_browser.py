"""In Debian's Chromium, on the demo council: a citizen (signed out) looks for decisions by words in another form
than the titles have, opens one, and reads its status and files; on a desktop and on a phone 390 px wide (nothing
wider than the screen). Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, chromium, photograph
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")


def shot(tab: Page, name: str) -> Path:
    return photograph(tab, "search", name)


def test_a_citizen_finds_a_decision_by_an_inflected_word_and_opens_it(demo: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            for width, name in ((1280, "desktop"), (390, "phone")):
                tab = browser.new_page(locale="uk-UA", viewport={"width": width, "height": 900})
                tab.goto(demo + "/decisions")
                expect(tab).to_have_title("Рішення ради — Radaflow")
                tab.get_by_label("Слова для пошуку").fill("бюджетом громади")
                tab.get_by_role("button", name="Знайти").click()

                expect(tab).to_have_title("Рішення ради: пошук «бюджетом громади» — Radaflow")
                first = tab.locator("ol.results h2 a").first
                expect(first).to_contain_text("бюджет")
                expect(tab.locator("ol.results mark").first).to_be_visible()
                assert tab.evaluate("document.documentElement.scrollWidth") <= width
                shot(tab, f"decisions-search-{name}")

                title = first.inner_text()
                first.click()
                expect(tab.locator("h1")).to_have_text(title)
                expect(tab.get_by_role("heading", name="Правовий статус")).to_be_visible()
                expect(tab.get_by_role("heading", name="Файли")).to_be_visible()
                tab.wait_for_load_state()  # the stylesheet too: measured before it applies, the page is wider
                assert tab.evaluate("document.documentElement.scrollWidth") <= width
                shot(tab, f"decision-page-{name}")
                tab.close()
        finally:
            browser.close()
