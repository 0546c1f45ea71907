"""In a real browser (Debian's Chromium, driven by Playwright), as the demo's administrator meets the system: from
the header's «Адміністрування» to the council's settings, where the pattern of decision numbers is tried out and
saved, and to the failed effects, where one that failed for good is put back in line and is then carried out —
forms and links only, no JavaScript. Every page is photographed under test-artifacts/admin/."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.processes import wait_for
from tests.web.test_browser import CHROMIUM_ARGS, chromium
from tests.web.test_browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")
ARTIFACTS = Path(os.environ.get("RADAFLOW_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def photographed(tab: Page, name: str) -> None:
    folder = ARTIFACTS / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def fail_one_effect(database: Path) -> int:
    """What a worker leaves after an effect's last attempt failed: the demo's first notification, failed."""
    with closing(sqlite3.connect(database)) as connection, connection:
        (row_id,) = connection.execute("SELECT min(id) FROM outbox WHERE effect = 'notify'").fetchone()
        connection.execute(
            "UPDATE outbox SET status = 'failed', attempts = 8, last_error = ? WHERE id = ?",
            ("SMTPServerDisconnected: Connection unexpectedly closed", row_id),
        )
    return int(row_id)


def status_of(database: Path, row_id: int) -> str:
    with closing(sqlite3.connect(database)) as connection:
        return str(connection.execute("SELECT status FROM outbox WHERE id = ?", (row_id,)).fetchone()[0])


def test_the_administrator_changes_the_number_pattern_and_retries_a_failed_effect(demo: str, tmp_path: Path) -> None:
    database = tmp_path / "instance" / "radaflow.sqlite3"
    row_id = fail_one_effect(database)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA")
            tab.goto(demo + "/login")
            tab.get_by_label("Електронна пошта").fill("d.martyniuk@rada.example")
            tab.get_by_label("Пароль").fill("demo-admin")
            tab.get_by_role("button", name="Увійти").click()

            tab.get_by_role("link", name="Адміністрування").click()
            expect(tab.locator("h1")).to_have_text("Адміністрування")
            photographed(tab, "01-index")

            tab.get_by_role("link", name="Рада", exact=True).click()
            expect(tab.locator("h1")).to_have_text("Рада")
            photographed(tab, "02-council")
            pattern = tab.get_by_label("Шаблон номера рішення")
            pattern.fill("№ {number}-{session}-{year}")
            tab.get_by_role("button", name="Зберегти").click()
            expect(tab.get_by_role("alert")).to_contain_text("Не виконано.")
            expect(pattern).to_have_attribute("aria-invalid", "true")
            photographed(tab, "03-council-refused")

            pattern.fill("{number}/{session}-{convocation}")
            tab.get_by_role("button", name="Переглянути номер").click()
            expect(tab.locator("#tried-number")).to_contain_text("-VIII")
            photographed(tab, "04-council-preview")
            tab.get_by_role("button", name="Зберегти").click()
            expect(tab.get_by_role("status")).to_have_text("Налаштування ради збережено.")
            expect(tab.locator("#next-number")).to_contain_text("/")
            expect(tab.get_by_label("Шаблон номера рішення")).to_have_value("{number}/{session}-{convocation}")

            tab.goto(demo + "/admin")
            tab.get_by_role("link", name="Невиконані завдання й листи").click()
            row = tab.locator(f"#effect-{row_id}")
            expect(row).to_contain_text("SMTPServerDisconnected")
            photographed(tab, "05-failed-effects")
            row.get_by_role("button", name=f"Повторити завдання {row_id}").click()
            expect(tab.get_by_role("status")).to_contain_text("Завдання повернуто в чергу")
            expect(tab.locator(f"#effect-{row_id}")).to_have_count(0)
            photographed(tab, "06-effect-retried")
        finally:
            browser.close()
    # the commit woke the server's ticker, which carried the effect out under its old key
    wait_for(lambda: status_of(database, row_id) == "done", timeout=30, what="the effect carried out again")
