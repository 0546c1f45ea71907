"""In a real browser (Debian's Chromium, driven by Playwright), as the demo council's secretary sees a document
in her work: its state diagram drawn on the page with the document's stage marked, on a phone 390 px wide (the
picture scrolls in its own frame, reachable by the keyboard; the page does not scroll sideways) and on a desk.
Photographed under test-artifacts/diagram/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported

pytestmark = pytest.mark.xdist_group("browser")
WIDTH = 390


def test_a_document_s_page_draws_its_diagram_with_its_stage_marked(demo: str) -> None:
    folder = ARTIFACTS / "diagram"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA", viewport={"width": WIDTH, "height": 800})
            tab.goto(demo + "/login")
            tab.get_by_label("Електронна пошта").fill("o.hrytsenko@rada.example")
            tab.get_by_label("Пароль").fill("demo-secretary")
            tab.get_by_role("button", name="Увійти").click()
            tab.get_by_role("link", name="Мої справи").click()
            tab.locator("tbody a").first.click()

            picture = tab.locator(".diagram-picture")
            expect(picture.locator("svg[role=img]")).to_be_visible()
            stage = tab.locator("dl.facts dd").first.inner_text().split(" (")[0]
            current = picture.locator("g.state.current")
            expect(current).to_have_count(1)
            expect(current).to_contain_text(stage)
            expect(current).to_contain_text("поточний стан")
            picture.scroll_into_view_if_needed()
            tab.screenshot(path=str(folder / "01-document-390px.png"), full_page=True)
            assert tab.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
            frame = picture.evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert frame[0] > frame[1], "the picture keeps its size and scrolls in its own frame"
            picture.focus()
            tab.keyboard.press("ArrowRight")
            expect(picture).to_be_focused()
            # the keyboard scrolls the picture (smoothly: a moment later)
            tab.wait_for_function("e => e.scrollLeft > 0", arg=picture.element_handle(), timeout=5000)

            tab.get_by_text("Діаграма словами").click()
            expect(tab.locator(".diagram-words li[aria-current=step]")).to_contain_text(stage)

            tab.set_viewport_size({"width": 1280, "height": 1000})
            picture.screenshot(path=str(folder / "02-document-diagram.png"))
        finally:
            browser.close()
