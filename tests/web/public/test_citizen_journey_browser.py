"""A citizen's whole way through the portal, in Debian's Chromium on the demo council served by `radaflow run` with
its e-mail going to the test's SMTP server: she finds a decision by words in other forms than its title has, reads
its roll call, goes from a ballot to the deputy's page, registers, confirms her address from the e-mail she
received, comments on a draft open for discussion and writes to the deputy; the deputy, signed in elsewhere, answers
publicly, and the answer is on his page. Every page is photographed at a desktop's width and at 390 px (and fits
the phone's width) under test-artifacts/citizen-journey/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.processes import Mailbox, mailbox, wait_for  # noqa: F401 (the mailbox fixture)
from tests.web.browser import CHROMIUM_ARGS, chromium, served_demo
from workflow.config import PROJECT_ROOT

pytestmark = pytest.mark.xdist_group("browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "citizen-journey"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: not one of these word forms is in the decision's title («Про надання в оренду земельної ділянки ...»)
SEARCH = "оренда земельних ділянок"
DECISION = "Про надання в оренду земельної ділянки комунальної власності площею 0,25 га по вулиці Промисловій, 14"
DEPUTY = "Мельничук Богдан Степанович"
DEPUTY_EMAIL, DEPUTY_PASSWORD = "b.melnychuk@rada.example", "demo-deputy"
DRAFT = "Про затвердження Правил благоустрою території Вербівської міської територіальної громади"
CITIZEN = {"name": "Галина Остапчук", "email": "halyna.ostapchuk@example.org", "password": "тополі-над-ставком"}
COMMENT = "Пункт про заборону торгівлі з рук біля ринку треба прибрати."
SUBJECT = "Ями на вулиці Промисловій"
QUESTION = "Після будівництва хлібозаводу вулиця Промислова вся в ямах. Коли її відремонтують?"
ANSWER = "Ремонт вулиці Промислової внесено до Програми благоустрою; підрядник почне роботи у квітні."


@pytest.fixture
def portal(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Mailbox]]:
    """The demo council served with its e-mail handed to the test's SMTP server; (base URL, what it received)."""
    box, port = request.getfixturevalue("mailbox")
    with served_demo(tmp_path, tmp_path_factory, SMTP_URL=f"smtp://127.0.0.1:{port}") as base:
        yield base, box


class Camera:
    """Each page photographed at a desktop's width and at a phone's, and checked to fit the phone's screen."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):  # the last run's, which this run's numbering may not overwrite
            old.unlink()
        self.folder = folder
        self.taken = 0

    def shoot(self, tab: Page, name: str) -> None:
        self.taken += 1
        tab.wait_for_load_state()  # the stylesheet applied, or the page is measured wider than it is
        for width, viewport in (("desktop", DESKTOP), ("390", PHONE)):
            tab.set_viewport_size(viewport)
            tab.screenshot(path=str(self.folder / f"{self.taken:02d}-{name}-{width}.png"), full_page=True)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"{name}: the page is {wide} px wide on a 390 px screen"
        tab.set_viewport_size(DESKTOP)


def mail_to(box: Mailbox, address: str, subject: str) -> EmailMessage:
    """The e-mail the SMTP server received for `address` with this subject (waiting for it to arrive)."""

    def found() -> EmailMessage | None:
        with box.lock:
            for message in box.received:
                recipients = [a.addr_spec for a in message["To"].addresses]
                if address in recipients and message["Subject"] == subject:
                    return message
        return None

    wait_for(lambda: found() is not None, timeout=60, what=f"the e-mail «{subject}» to {address}")
    message = found()
    assert message is not None
    return message


def sign_in(tab: Page, email: str, password: str) -> None:
    tab.get_by_label("Електронна пошта").fill(email)
    tab.get_by_label("Пароль").fill(password)
    tab.get_by_role("button", name="Увійти").click()


def test_a_citizen_finds_reads_registers_comments_and_writes_and_the_deputy_answers_publicly(
    portal: tuple[str, Mailbox],
) -> None:
    base, mail = portal
    camera = Camera(ARTIFACTS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            citizen = browser.new_context(locale="uk-UA", viewport=DESKTOP).new_page()

            # the front page's search box, with words in other forms than the decision's title has
            citizen.goto(base + "/")
            citizen.get_by_label("Пошук у рішеннях").fill(SEARCH)
            camera.shoot(citizen, "home")
            citizen.get_by_role("button", name="Шукати").click()
            expect(citizen).to_have_title(f"Рішення ради: пошук «{SEARCH}» — Radaflow")
            found = citizen.locator("ol.results h2 a", has_text=DECISION)
            expect(found).to_have_count(1)
            expect(found.locator("mark")).to_have_text(["оренду", "земельної", "ділянки"])
            camera.shoot(citizen, "search")

            # the decision, its vote and every member's ballot
            found.click()
            expect(citizen.locator("h1")).to_have_text(DECISION)
            roll_call = citizen.locator("table.ballots")
            expect(roll_call.locator("caption")).to_have_text("Поіменне голосування: як голосував кожен член ради")
            expect(roll_call.locator("tbody tr")).to_have_count(27)
            ballot = roll_call.locator("tr", has_text=DEPUTY)
            expect(ballot.locator("td")).to_have_text("За")
            camera.shoot(citizen, "decision")

            # from the ballot to the deputy's page, which invites to register to write to him
            ballot.get_by_role("link", name=DEPUTY).click()
            expect(citizen.locator("h1")).to_have_text(DEPUTY)
            expect(citizen).to_have_title(f"{DEPUTY} — депутат ради — Radaflow")
            deputy_page = citizen.url
            camera.shoot(citizen, "deputy")
            citizen.locator("#write + p").get_by_role("link", name="зареєструйтеся").click()

            expect(citizen.locator("h1")).to_have_text("Реєстрація, щоб писати депутатам")
            citizen.get_by_label("Ваше ім").fill(CITIZEN["name"])
            citizen.get_by_label("Електронна пошта").fill(CITIZEN["email"])
            citizen.get_by_label("Пароль").fill(CITIZEN["password"])
            camera.shoot(citizen, "register")
            citizen.get_by_role("button", name="Зареєструватися").click()
            expect(citizen.locator("h1")).to_have_text("Перевірте пошту")
            camera.shoot(citizen, "check-your-mail")

            # the e-mail went through the outbox and the SMTP server; its link confirms the address
            letter = mail_to(mail, CITIZEN["email"], "Підтвердьте адресу електронної пошти")
            link = re.search(r"http://\S+/register/confirm/\S+", letter.get_content())
            assert link is not None, letter.get_content()
            assert link.group(0).startswith(base + "/"), "the link leads back to the site that sent it"
            citizen.goto(link.group(0))
            expect(citizen.locator("h1")).to_have_text("Адресу підтверджено")
            camera.shoot(citizen, "confirmed")

            # signing in leads back to the deputy's page, now with the form to write
            citizen.get_by_role("main").get_by_role("link", name="Увійти").click()
            sign_in(citizen, CITIZEN["email"], CITIZEN["password"])
            expect(citizen).to_have_url(deputy_page + "#write")
            expect(citizen.locator("header .who")).to_have_text(CITIZEN["name"])
            expect(citizen.get_by_label("Тема")).to_be_visible()

            # a draft open for public discussion, and her comment on it
            citizen.get_by_role("navigation", name="Портал").get_by_role("link", name="Проєкти рішень").click()
            citizen.get_by_role("link", name=DRAFT).first.click()
            expect(citizen.locator("h1")).to_have_text(DRAFT)
            expect(citizen.locator("dl.facts")).to_contain_text("Громадське обговорення")
            comment = citizen.locator("form.comment-form")
            expect(comment.get_by_label("Ім'я, яке показати біля коментаря")).to_have_value(CITIZEN["name"])
            comment.get_by_label("Проти проєкту").check()
            comment.get_by_label("Коментар", exact=True).fill(COMMENT)
            camera.shoot(citizen, "draft")
            comment.get_by_role("button", name="Опублікувати коментар").click()
            expect(citizen.get_by_role("status")).to_have_text("Ваш коментар опубліковано.")
            posted = citizen.locator("ol.comments li").last
            expect(posted).to_contain_text(f"{CITIZEN['name']} — проти проєкту")
            expect(posted).to_contain_text(COMMENT)
            expect(citizen.locator("#comments + p")).to_contain_text("0 за, 1 проти")
            camera.shoot(citizen, "commented")

            # back to the deputy, and her message to him
            citizen.get_by_role("navigation", name="Портал").get_by_role("link", name="Депутати").click()
            citizen.get_by_role("link", name=DEPUTY).click()
            citizen.get_by_label("Тема").fill(SUBJECT)
            citizen.get_by_label("Ваше звернення").fill(QUESTION)
            camera.shoot(citizen, "writing")
            citizen.get_by_role("button", name="Надіслати").click()
            expect(citizen).to_have_title("Мої звернення до депутатів — Radaflow")
            expect(citizen.get_by_role("heading", name=SUBJECT)).to_be_visible()
            camera.shoot(citizen, "my-messages")

            # the deputy, signed in elsewhere, is told of it, reads it in the cabinet and answers publicly
            mail_to(mail, DEPUTY_EMAIL, f"Вам надіслали звернення: «{SUBJECT}»")
            deputy = browser.new_context(locale="uk-UA", viewport=DESKTOP).new_page()
            deputy.goto(base + "/")
            deputy.get_by_role("navigation", name="Кабінет").get_by_role("link", name="Увійти").click()
            sign_in(deputy, DEPUTY_EMAIL, DEPUTY_PASSWORD)
            expect(deputy.locator("header .who")).to_have_text(DEPUTY)
            deputy.get_by_role("navigation", name="Кабінет").get_by_role("link", name="Звернення громадян").click()
            expect(deputy).to_have_title("Звернення громадян — Radaflow")
            camera.shoot(deputy, "deputy-inbox")
            deputy.get_by_role("link", name=SUBJECT).click()
            expect(deputy.locator("pre")).to_have_text(QUESTION)
            deputy.get_by_role("button", name="Позначити прочитаним і відповісти").click()
            deputy.get_by_role("textbox", name="Відповідь").fill(ANSWER)
            deputy.get_by_label("Усі:").check()
            camera.shoot(deputy, "deputy-answers")
            deputy.get_by_role("button", name="Надіслати відповідь").click()
            expect(deputy.get_by_role("status")).to_have_text("Відповідь оприлюднено.")

            # anyone, signed in or not, reads the question and the answer on the deputy's page, without her name
            passer_by = browser.new_context(locale="uk-UA", viewport=DESKTOP).new_page()
            passer_by.goto(deputy_page)
            answered = passer_by.locator("article.answer", has_text=SUBJECT)
            expect(answered).to_contain_text(QUESTION)
            expect(answered).to_contain_text(ANSWER)
            expect(passer_by.locator("main")).not_to_contain_text(CITIZEN["name"])
            camera.shoot(passer_by, "deputy-answered")
            # and she is told by e-mail, and finds the answer among her messages
            mail_to(mail, CITIZEN["email"], f"Депутат відповів на ваше звернення: «{SUBJECT}»")
            citizen.reload()
            expect(citizen.locator("main")).to_contain_text(ANSWER)
        finally:
            browser.close()
