"""In a real browser (Debian's Chromium, driven by Playwright) 390 px wide, as a committee's chair meets the demo:
the education committee's chair finds the advisory conclusion waiting in her work, opens her committee's
workplace, plans a meeting, puts the draft on its agenda, opens it, records who is present, writes the conclusion,
records the vote, signs and closes the meeting, and finds its protocol — forms and links only, no JavaScript.
Every page is photographed under test-artifacts/ and fits the width without scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, PHONE, chromium, photograph, sign_in
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")


def photographed(tab: Page, name: str) -> None:
    """A full-page screenshot, and the page fits the phone's width (a wide table scrolls in its own region)."""
    photograph(tab, "committees", name, fits=PHONE["width"])


def test_the_education_committee_meets_votes_and_its_chair_signs(demo: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA", viewport=PHONE)
            sign_in(tab, demo, "n.oliinyk@rada.example", "demo-chair")

            tab.get_by_role("link", name="Мої справи").click()
            expect(tab.locator("tbody")).to_contain_text("Висновок комісії")
            photographed(tab, "01-my-work")

            tab.get_by_role("link", name="Мої комісії").click()
            tab.get_by_role("link", name="Постійна комісія з питань освіти, культури, молоді та спорту").click()
            expect(tab.locator("h1")).to_contain_text("з питань освіти")
            expect(tab.locator("#referred + .scroll")).to_contain_text("дорадча")
            photographed(tab, "02-committee")

            tab.get_by_label("Дата").fill("2030-03-04")
            tab.get_by_label("Час (київський)").fill("14:00")
            tab.get_by_label("Місце").fill("Кімната 12")
            tab.get_by_role("button", name="Запланувати засідання").click()
            expect(tab.get_by_role("status")).to_have_text("Засідання заплановано.")
            tab.get_by_role("button", name="Додати до порядку денного").click()
            tab.get_by_role("button", name="Відкрити засідання").click()
            expect(tab.get_by_role("status")).to_have_text("Засідання відкрито.")

            for box in tab.locator("input[name=present]").all():
                box.check()
            tab.get_by_role("button", name="Записати присутність").click()
            expect(tab.locator("p.quorum")).to_contain_text("Комісія має кворум.")
            tab.get_by_label("Рекомендація").select_option(label="підтримати проєкт рішення")
            tab.get_by_role("button", name="Зберегти висновок").click()
            expect(tab.get_by_role("status")).to_have_text("Висновок збережено.")
            photographed(tab, "03-meeting-vote")

            for ballot in tab.locator("fieldset.ballot").all():
                ballot.get_by_label("за", exact=True).check()
            tab.get_by_role("button", name="Записати голосування").click()
            expect(tab.get_by_role("status")).to_have_text("Голосування комісії записано.")
            expect(tab.locator("section.paper")).to_contain_text("прийнято")
            tab.get_by_role("button", name="Підписати висновок").click()
            expect(tab.get_by_role("status")).to_have_text("Висновок підписано.")
            tab.get_by_role("button", name="Завершити засідання").click()
            expect(tab.get_by_role("status")).to_contain_text("Засідання завершено")

            # the protocol is rendered by the ticker a moment after the commit
            for _attempt in range(30):
                if tab.locator("#protocol").count():
                    break
                tab.wait_for_timeout(500)
                tab.reload()
            expect(tab.locator("#protocol + ul a")).to_contain_text(".docx")
            photographed(tab, "04-meeting-closed")
        finally:
            browser.close()
