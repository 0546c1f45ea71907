"""In a real browser (Debian's Chromium) on the demo council: the administrator signs in, goes to the people from
the header, adds a person with an account, and makes them a member of a standing committee — forms and links only,
no JavaScript. Screenshots go under test-artifacts/admin/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.test_browser import CHROMIUM_ARGS, chromium, demo  # noqa: F401 (the demo fixture)
from workflow.config import PROJECT_ROOT

pytestmark = pytest.mark.xdist_group("browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "admin"


def test_the_administrator_adds_a_person_and_makes_them_a_committee_member(demo: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA")
            tab.goto(demo + "/login")
            tab.get_by_label("Електронна пошта").fill("d.martyniuk@rada.example")
            tab.get_by_label("Пароль").fill("demo-admin")
            tab.get_by_role("button", name="Увійти").click()

            tab.get_by_role("link", name="Адміністрування").click()
            tab.get_by_role("link", name="Люди й облікові записи").click()
            expect(tab.locator("h1")).to_have_text("Люди і ролі")
            tab.get_by_label("Ім’я або електронна пошта").fill("мартинюк")
            tab.get_by_role("button", name="Знайти").click()
            expect(tab.get_by_role("link", name="Мартинюк Денис Вікторович")).to_be_visible()
            tab.screenshot(path=str(ARTIFACTS / "people.png"), full_page=True)

            tab.get_by_role("link", name="Додати особу").click()
            tab.get_by_label("Прізвище, ім’я, по батькові").fill("Коваленко Ірина Петрівна")
            tab.get_by_label("Електронна пошта (необов’язково)").fill("i.kovalenko@rada.example")
            tab.get_by_label("Відкрити обліковий запис").check()
            tab.get_by_role("button", name="Додати особу").click()

            expect(tab.locator("h1")).to_have_text("Коваленко Ірина Петрівна")
            expect(tab.get_by_role("status")).to_contain_text("посилання для встановлення пароля надіслано")
            expect(tab.locator("#account-state")).to_have_text("пароль ще не встановлено")

            tab.get_by_label("Роль", exact=True).select_option(label="член постійної комісії")
            committee = tab.get_by_label("Для кого (комісія або відділ)")
            first_committee = committee.locator("option", has_text="Комісія:").first.inner_text()
            committee.select_option(label=first_committee)
            tab.get_by_label("Причина або підстава (необов’язково)").fill("рішення сесії")
            tab.get_by_role("button", name="Надати роль").click()

            expect(tab.get_by_role("status")).to_contain_text("тепер має роль «член постійної комісії»")
            row = tab.locator("#roles tbody tr", has_text="член постійної комісії")
            expect(row).to_contain_text(first_committee.removeprefix("Комісія: "))
            expect(row).to_contain_text("Мартинюк Денис Вікторович: рішення сесії")
            expect(tab.locator("ol.history li").first).to_contain_text("надано роль: член постійної комісії")
            tab.screenshot(path=str(ARTIFACTS / "person.png"), full_page=True)
        finally:
            browser.close()
