"""In a real browser (Debian's Chromium, driven by Playwright): the secretary runs a sitting from the console —
registers everyone present, then unticks the one who is not, approves the agenda by ticking the ballots ("all
for", then an exception) and votes on the item — forms and links only, with screenshots under test-artifacts/."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import DEFINITIONS, DEPUTY_NAMES, build_world
from tests.web.browser import CHROMIUM_ARGS, RADAFLOW, chromium, photograph, serve, sign_in, stop
from tests.web.conftest import is_setting
from tests.web.site import PASSWORD, password_hash
from workflow.council.catalog import CATALOG
from workflow.council.sittings import sessions
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import fire
from workflow.timeutil import utcnow

pytestmark = pytest.mark.xdist_group("browser")


@dataclass
class Sitting:
    base: str
    session_id: int
    secretary_email: str
    item_title: str
    absent: str


def convened_today(url: str) -> tuple[int, str, str, str]:
    """The test council with session № 12 convened for today and a reviewed draft on its agenda; nobody is
    registered yet. Returns (session id, the secretary's e-mail, the item's title, the mayor's name)."""
    engine = make_engine(url)
    registry = DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)
    try:
        with make_sessionmaker(engine, registry).begin() as session:
            world = build_world(session)
            world.secretary.password_hash = password_hash()
            draft = world.reviewed_draft("Про ремонт даху ліцею № 2")
            now = utcnow()
            secretary = world.actor(world.secretary)
            plenary = sessions.plan_session(
                session, secretary, number=12, starts_at=now, place="Сесійна зала", now=now - timedelta(days=13)
            )
            sessions.add_to_agenda(
                session, plenary, secretary, draft, reporter=world.deputies[0], now=now - timedelta(days=13)
            )
            fire(session, plenary, "convene", secretary, now=now - timedelta(days=12))
            return plenary.id, str(world.secretary.email), draft.title, world.mayor.full_name
    finally:
        engine.dispose()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Sitting]:
    instance = tmp_path / "instance"
    url = f"sqlite:///{tmp_path / 'sitting.sqlite3'}"
    env = {name: value for name, value in os.environ.items() if not is_setting(name)}
    env.update(RADAFLOW_INSTANCE=str(instance), DATABASE_URL=url)
    env.pop("SMTP_URL", None)
    subprocess.run([RADAFLOW, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=180)
    session_id, email, title, absent = convened_today(url)
    server, base = serve(instance, database_url=url)
    try:
        yield Sitting(base, session_id, email, title, absent)
    finally:
        stop(server)


def test_the_secretary_registers_attendance_and_records_a_vote_by_ticking(served: Sitting) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA", viewport={"width": 1280, "height": 900})
            sign_in(tab, served.base, served.secretary_email, PASSWORD)
            expect(tab.locator("header .who")).to_have_text("Тарас Коваль")

            tab.goto(f"{served.base}/cabinet/sessions/{served.session_id}/sitting")
            tab.get_by_role("button", name="Відкрити засідання").click()
            expect(tab.get_by_role("status").first).to_have_text("Засідання відкрито.")
            expect(tab.locator("#quorum")).to_contain_text("Зареєстровано 0 з 9")

            # everyone present, then the exception unticked
            tab.get_by_role("button", name="Присутні всі").click()
            expect(tab.locator("#quorum")).to_contain_text("Зареєстровано 9 з 9")
            tab.get_by_label(served.absent).uncheck()
            tab.get_by_role("button", name="Зберегти реєстрацію").click()
            expect(tab.locator("#quorum")).to_have_text("Зареєстровано 8 з 9; для кворуму потрібно 5: кворум є.")
            photograph(tab, "sitting-console", "01-attendance")

            # the agenda: all for, then one against
            tab.get_by_role("link", name="Проголосувати за затвердження порядку денного").click()
            expect(tab.locator("h1")).to_have_text("Про затвердження порядку денного")
            tab.get_by_role("link", name="Усі зареєстровані «за»").click()
            row = tab.get_by_role("row", name="Юлія Поліщук")
            row.get_by_label("проти").check()
            photograph(tab, "sitting-console", "02-ballots")
            tab.get_by_role("button", name="Записати голосування", exact=True).click()
            expect(tab.get_by_role("status").first).to_have_text(
                "Голосування записано: «за» 7 з 9, потрібно 5: прийнято."
            )

            # the item, everyone registered for: with JavaScript the ballots are set on the page, no reload, and
            # the count so far is read out as they change
            tab.get_by_role("link", name="Поставити на голосування").click()
            expect(tab.locator("h1")).to_contain_text(served.item_title)
            voting = tab.url
            tab.get_by_role("link", name="Усі зареєстровані «за»").click()
            assert tab.url == voting  # set here, not by a new page
            expect(tab.locator("#tally")).to_have_text(
                "Позначено досі: «за» 8, «проти» 0, «утрималися» 0, не голосували 0; "
                "потрібно 5 голосів «за»: досить для прийняття."
            )
            for name in DEPUTY_NAMES[:4]:
                tab.get_by_role("row", name=name).get_by_label("проти").check()
            expect(tab.locator("#tally")).to_contain_text("«за» 4, «проти» 4")
            expect(tab.locator("#tally")).to_contain_text("замало для прийняття")
            tab.get_by_role("link", name="Усі зареєстровані «за»").click()
            expect(tab.locator("#tally")).to_contain_text("«за» 8, «проти» 0")
            tab.get_by_role("button", name="Записати голосування", exact=True).click()
            expect(tab.get_by_role("status").first).to_have_text(
                "Голосування записано: «за» 8 з 9, потрібно 5: прийнято."
            )
            expect(tab.locator("table.items")).to_contain_text("Прийнято")
            photograph(tab, "sitting-console", "03-console")

            # at 390 px wide the tables scroll in their wrapper and the page does not
            tab.set_viewport_size({"width": 390, "height": 844})
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390 + 1
            photograph(tab, "sitting-console", "04-console-390px")
        finally:
            browser.close()
