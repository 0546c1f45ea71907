"""In a real browser (Debian's Chromium, driven by Playwright), the demo's staff member writes a draft decision,
attaches a PDF to it and submits it for visas — forms and links only. Screenshots of each workplace are kept under
test-artifacts/ (or TEST_ARTIFACTS) for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, chromium, photograph, sign_in
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def shot(tab: Page, name: str) -> None:
    photograph(tab, "drafting", name)


def test_the_staff_member_writes_a_draft_attaches_a_pdf_and_submits_it(demo: str, tmp_path: Path) -> None:
    estimate = tmp_path / "кошторис.pdf"
    estimate.write_bytes(PDF)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA")
            sign_in(tab, demo, "i.kyrylenko@rada.example", "demo-staff")
            expect(tab.locator("header .who")).to_have_text("Кириленко Інна Василівна")

            tab.get_by_role("link", name="Мої справи").click()
            tab.get_by_role("link", name="Написати проєкт рішення").click()
            expect(tab.locator("h1")).to_have_text("Написати проєкт рішення")
            tab.get_by_label("Назва").fill("Про облаштування дитячого майданчика на вул. Садовій")
            tab.get_by_label("Текст рішення").fill(
                "1. Облаштувати дитячий майданчик на вул. Садовій.\n2. Фінансувати з міського бюджету."
            )
            tab.get_by_label("Ініціатор (суб’єкт подання)").fill("Управління освіти")
            tab.get_by_label("Головна комісія (пропозиція)").select_option(index=1)
            shot(tab, "1-write")
            tab.get_by_role("button", name="Написати проєкт").click()

            expect(tab.get_by_role("status")).to_contain_text("Проєкт рішення написано")
            expect(tab.locator("h1")).to_have_text("Про облаштування дитячого майданчика на вул. Садовій")
            tab.get_by_role("link", name="Долучити файли").click()
            tab.get_by_label("Файл (PDF, DOCX, ODT, XLSX, PNG або JPEG)").set_input_files(str(estimate))
            tab.get_by_role("button", name="Долучити", exact=True).click()
            expect(tab.get_by_role("status")).to_have_text("Долучено: кошторис.pdf (версія 1).")
            expect(tab.get_by_role("link", name="кошторис.pdf")).to_be_visible()
            shot(tab, "2-files")

            tab.get_by_role("link", name="Про облаштування дитячого майданчика на вул. Садовій").click()
            tab.get_by_role("button", name="Подати на візування").click()
            expect(tab.get_by_role("status")).to_have_text("Виконано: Подати на візування.")
            expect(tab.locator("dl.facts dd").first).to_have_text("На візуванні")
            expect(tab.get_by_role("link", name="кошторис.pdf")).to_be_visible()
            shot(tab, "3-submitted")
        finally:
            browser.close()
