"""In Chromium at a phone's width (390 px), on the demo: the secretary plans a session, adds standing items and
moves one up by the buttons — forms only, no JavaScript — and the pages fit the screen; the mayor opens the
decisions to sign. Screenshots of each workplace go to test-artifacts/sessions/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, PHONE, chromium, photograph, sign_in
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")


def _fits(tab: Page) -> None:
    """Nothing wider than the screen: a reader at 390 px never scrolls sideways (tables scroll in their wrapper)."""
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{tab.url} is {width} px wide"


def _shot(tab: Page, name: str) -> None:
    photograph(tab, "sessions", name)


def test_the_secretary_builds_an_agenda_on_a_phone_and_the_mayor_opens_the_decisions_to_sign(demo: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA", viewport=PHONE)
            sign_in(tab, demo, "o.hrytsenko@rada.example", "demo-secretary")
            tab.locator("header").get_by_role("link", name="Сесії").click()
            expect(tab.locator("h1")).to_have_text("Сесії")
            _fits(tab)
            _shot(tab, "sessions")

            tab.get_by_role("link", name="Запланувати нову сесію").click()
            tab.get_by_label("Номер сесії").fill("90")
            tab.get_by_label("Дата").fill("2031-03-19")
            tab.get_by_label("Час (київський)").fill("10:00")
            tab.get_by_label("Місце").fill("Сесійна зала")
            _fits(tab)
            _shot(tab, "new-session")
            tab.get_by_role("button", name="Запланувати сесію").click()

            expect(tab.locator("h1")).to_have_text("Сесія № 90")
            tab.get_by_role("button", name="Додати «Різне»").click()
            tab.get_by_label("Інше питання без проєкту рішення").fill("Інформація міського голови")
            tab.get_by_role("button", name="Додати", exact=True).click()
            items = tab.locator("ul.agenda > li.on strong")
            expect(items).to_have_count(2)
            expect(items.nth(0)).to_contain_text("1. Різне")
            tab.get_by_role("button", name="Вище: Інформація міського голови").click()
            expect(tab.get_by_role("status")).to_contain_text("тепер питання № 1")
            expect(items.nth(0)).to_contain_text("1. Інформація міського голови")
            expect(items.nth(1)).to_contain_text("2. Різне")
            _fits(tab)
            _shot(tab, "session-builder")

            mayor = browser.new_page(locale="uk-UA", viewport=PHONE)
            sign_in(mayor, demo, "o.humeniuk@rada.example", "demo-mayor")
            mayor.locator("header").get_by_role("link", name="На підпис").click()
            expect(mayor.locator("h1")).to_have_text("Рішення на підпис")
            _fits(mayor)
            _shot(mayor, "signing")
        finally:
            browser.close()
