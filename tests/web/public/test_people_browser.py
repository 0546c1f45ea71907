"""In Chromium, on the demo council, at a desktop's width and a phone's (390 px): a citizen opens the deputies,
a deputy's page (no part of it wider than the screen), signs in and writes; the deputy answers publicly from the
cabinet, and the answer is on the deputy's page. Screenshots of each width go under test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, chromium, photograph, sign_in
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")
DEPUTY = "Мельничук Богдан Степанович"


def fits(tab: Page) -> bool:
    # a page reached by a click may still be loading its stylesheet, and is measured as it will be shown
    tab.wait_for_load_state()
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_citizen_writes_to_a_deputy_who_answers_publicly_at_both_widths(request: pytest.FixtureRequest) -> None:
    base: str = request.getfixturevalue("demo")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            phone = browser.new_page(locale="uk-UA", viewport={"width": 390, "height": 844})
            phone.goto(base + "/deputies")
            expect(phone).to_have_title("Депутати ради — Radaflow")
            assert fits(phone)
            photograph(phone, "portal-people", "deputies-390")
            phone.get_by_role("link", name=DEPUTY).click()
            expect(phone.locator("h1")).to_have_text(DEPUTY)
            assert fits(phone), "the deputy's page is wider than a phone's screen"
            photograph(phone, "portal-people", "deputy-390")
            deputy_page = phone.url

            citizen = browser.new_page(locale="uk-UA", viewport={"width": 1280, "height": 900})
            sign_in(citizen, base, "p.ivanenko@rada.example", "demo-citizen")
            citizen.goto(deputy_page)
            photograph(citizen, "portal-people", "deputy-desktop")
            citizen.get_by_label("Тема").fill("Лавки в парку")
            citizen.get_by_label("Ваше звернення").fill("<b>Прошу</b> поставити лавки біля ставка.")
            citizen.get_by_role("button", name="Надіслати").click()
            expect(citizen).to_have_title("Мої звернення до депутатів — Radaflow")
            expect(citizen.get_by_role("heading", name="Лавки в парку")).to_be_visible()

            deputy = browser.new_page(locale="uk-UA", viewport={"width": 390, "height": 844})
            sign_in(deputy, base, "b.melnychuk@rada.example", "demo-deputy")
            deputy.goto(base + "/cabinet/messages")
            photograph(deputy, "portal-people", "inbox-390")
            assert fits(deputy), "the inbox is wider than a phone's screen"
            deputy.get_by_role("link", name="Лавки в парку").click()
            deputy.get_by_role("button", name="Позначити прочитаним і відповісти").click()
            deputy.get_by_role("textbox", name="Відповідь").fill("Лавки поставимо до травня.")
            deputy.get_by_label("Усі:").check()
            photograph(deputy, "portal-people", "answer-390")
            deputy.get_by_role("button", name="Надіслати відповідь").click()
            expect(deputy.get_by_role("status")).to_have_text("Відповідь оприлюднено.")

            phone.goto(deputy_page)
            answer = phone.locator("article.answer", has_text="Лавки в парку")
            expect(answer).to_contain_text("Лавки поставимо до травня.")
            expect(answer).to_contain_text("<b>Прошу</b>")
            expect(phone.locator("body")).not_to_contain_text("Іваненко")
            assert fits(phone)
            photograph(phone, "portal-people", "deputy-answered-390")
        finally:
            browser.close()
