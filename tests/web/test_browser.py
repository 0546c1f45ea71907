"""In a real browser (Debian's Chromium, driven by Playwright), as a new user meets the demo: the legal reviewer
signs in, finds the visa request among her notifications, opens the draft, goes to her department's visa and
gives it — forms and links only, no JavaScript of ours."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, chromium
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

#: real processes that wait on one another with timeouts: under pytest-xdist the browser tests take turns on one
#: worker, which makes the demo instance once for them all; the other real processes (Celery workers, Redis,
#: `radaflow run` alone) take theirs on another, in the group "processes", so that neither waits for the other
pytestmark = pytest.mark.xdist_group("browser")


def test_the_legal_reviewer_signs_in_finds_the_request_and_gives_the_visa(demo: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA")
            tab.goto(demo + "/login")
            tab.get_by_label("Електронна пошта").fill("l.tymoshenko@rada.example")
            tab.get_by_label("Пароль").fill("demo-legal")
            tab.get_by_role("button", name="Увійти").click()

            # expect() waits for each page to arrive before it judges
            expect(tab).to_have_url(demo + "/notifications")
            expect(tab.locator("header .who")).to_have_text("Тимошенко Лариса Андріївна")
            request = tab.locator("li.unread", has_text="чекає на вашу візу").first
            draft_title = request.locator("strong").inner_text().split("«", 1)[1].rstrip("»")
            request.get_by_role("link", name="Відкрити документ").click()

            expect(tab.locator("h1")).to_have_text(draft_title)
            tab.get_by_role("link", name="Віза «Юридичний відділ»").click()
            expect(tab.locator("dl.facts dd").first).to_have_text("Очікує візи")
            tab.get_by_role("button", name="Завізувати").click()

            expect(tab.get_by_role("status")).to_have_text("Виконано: Завізувати.")
            expect(tab.locator("dl.facts dd").first).to_have_text("Завізовано")
            expect(tab.get_by_role("button", name="Завізувати")).to_have_count(0)
        finally:
            browser.close()
