"""Every public page and every workplace of the demo council, as each demo role meets it, checked in a real browser
(Debian's Chromium, driven by Playwright) in Ukrainian and in English, on a desktop and on a phone 390 px wide:
axe-core finds no serious or critical violation of WCAG 2.1 A/AA, and no page scrolls sideways. What each page
looked like goes under test-artifacts/accessibility/.

axe-core comes with axe-playwright-python (its `axe.min.js`, installed by the test extra): nothing is downloaded
while the tests run. The pages are opened in the states that show the most: a comment on a draft, a committee's
meeting with a paper, a draft written and edited (so its versions differ), an amendment proposed, a sitting opened
with everyone registered and a vote on the agenda being ticked."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.web.browser import CHROMIUM_ARGS, chromium, demo_instance
from tests.web.browser import demo as demo  # the demo served by `radaflow run`: a fixture shared, re-exported
from tests.web.cabinet.test_sitting_browser import Sitting
from tests.web.cabinet.test_sitting_browser import served as served  # a council whose session is today, served
from tests.web.site import PASSWORD
from workflow.config import PROJECT_ROOT

pytestmark = pytest.mark.xdist_group("browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "accessibility"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("uk", "en")
#: WCAG 2.1 level A and AA, the level the council's sites owe their readers
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


@dataclass
class Audit:
    """What the pages were found to lack, in words a person fixing them reads."""

    base: str
    browser: Browser = field(repr=False)
    contexts: list[BrowserContext] = field(default_factory=list, repr=False)
    problems: list[str] = field(default_factory=list, repr=False)
    pages: int = 0

    def tab(self, person: tuple[str, str] | None = None) -> Page:
        """A tab of a browser context of its own (cookies, language), signed in as the person if one is named."""
        context = self.browser.new_context(locale="uk-UA", viewport=DESKTOP)
        # axe-core is in every page the context opens, before the page's own scripts (none run: CSP and no JS)
        context.add_init_script(AXE_SCRIPT)
        self.contexts.append(context)
        tab = context.new_page()
        if person is not None:
            tab.goto(self.base + "/login?lang=uk")
            tab.locator("input[name=email]").fill(person[0])
            tab.locator("input[name=password]").fill(person[1])
            tab.get_by_role("button", name="Увійти").click()
            expect(tab.locator("header .who")).to_be_visible()
        return tab

    def check(self, tab: Page, lang: str, name: str) -> None:
        """The page as it stands, on a desktop and on a phone: photographed, measured and run through axe."""
        for width, viewport in (("desktop", DESKTOP), ("390", PHONE)):
            tab.set_viewport_size(viewport)
            where = f"{name} ({lang}, {width})"
            tab.screenshot(path=str(ARTIFACTS / f"{name}-{lang}-{width}.png"), full_page=True)
            scrolled = tab.evaluate("document.documentElement.scrollWidth")
            if scrolled > viewport["width"]:
                self.problems.append(f"{where}: the page is {scrolled} px wide on a {viewport['width']} px screen")
            for violation in tab.evaluate("options => axe.run(document, options)", WCAG_21_AA)["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                    self.problems.append(
                        f"{where}: {violation['id']} ({violation['impact']}) — {violation['help']}: {targets}"
                    )
        self.pages += 1

    def walk(self, tab: Page, pages: list[tuple[str, str]]) -> None:
        """Each page in each language: the page's own `<title>` and `lang` are checked as well."""
        for lang in LANGUAGES:
            tab.goto(f"{self.base}/?lang={lang}")
            for name, path in pages:
                tab.goto(self.base + path)
                if tab.evaluate("document.documentElement.lang") != lang:
                    self.problems.append(f"{name} ({lang}): <html lang> is not {lang}")
                if tab.title().removesuffix(" — Radaflow") in ("", "Radaflow", tab.title()):
                    self.problems.append(f"{name} ({lang}): the <title> {tab.title()!r} does not say what the page is")
                self.check(tab, lang, name)
        tab.goto(f"{self.base}/?lang={LANGUAGES[0]}")

    def verdict(self) -> None:
        assert not self.problems, f"{len(self.problems)} accessibility problems:\n" + "\n".join(self.problems)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser for every test of the module (each test has its own context: cookies, language)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def auditing(base: str, browser: Browser) -> Iterator[Audit]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    audit = Audit(base, browser)
    try:
        yield audit
    finally:
        for context in audit.contexts:
            context.close()


@pytest.fixture
def audit(demo: str, browser: Browser) -> Iterator[Audit]:
    """The demo council's pages under audit."""
    with auditing(demo, browser) as audit:
        yield audit


@pytest.fixture
def demo_ids(tmp_path_factory: pytest.TempPathFactory) -> DemoIds:
    """The ids of the demo's documents the pages are about, read from the settled demo every copy is made from."""
    with closing(sqlite3.connect(demo_instance(tmp_path_factory) / "radaflow.sqlite3")) as database:

        def one(sql: str, *args: object) -> int:
            row = database.execute(sql + " ORDER BY 1 LIMIT 1", args).fetchone()
            assert row is not None, sql
            return int(row[0])

        def document(kind: str, state: str) -> int:
            return one("SELECT id FROM documents WHERE kind = ? AND state = ?", kind, state)

        return DemoIds(
            decision=document("decision_draft", "in_force"),
            discussed_draft=document("decision_draft", "public_discussion"),
            reviewed_draft=document("decision_draft", "committee_review"),
            draft_in_visas=document("decision_draft", "visas"),
            requested_visa=document("visa", "requested"),
            prepared_conclusion=document("committee_conclusion", "prepared"),
            closed_session=document("session", "closed"),
            convened_session=document("session", "convened"),
            protocol=document("session_protocol", "published"),
            deputy=one("SELECT id FROM persons WHERE email = ?", DEPUTY[0]),
            message_to_deputy=one(
                "SELECT d.id FROM documents d JOIN persons p ON p.id = json_extract(d.fields, '$.deputy_id') "
                "WHERE d.kind = 'citizen_message' AND d.state = 'sent' AND p.email = ?",
                DEPUTY[0],
            ),
            committee=one("SELECT id FROM committees"),
        )


@dataclass(frozen=True)
class DemoIds:
    decision: int
    discussed_draft: int
    reviewed_draft: int
    draft_in_visas: int
    requested_visa: int
    prepared_conclusion: int
    closed_session: int
    convened_session: int
    protocol: int
    deputy: int
    message_to_deputy: int
    committee: int


SECRETARY = ("o.hrytsenko@rada.example", "demo-secretary")
MAYOR = ("o.humeniuk@rada.example", "demo-mayor")
DEPUTY = ("b.melnychuk@rada.example", "demo-deputy")
EDUCATION_CHAIR = ("n.oliinyk@rada.example", "demo-chair")
LEGAL = ("l.tymoshenko@rada.example", "demo-legal")
FINANCE = ("v.sydorenko@rada.example", "demo-finance")
STAFF = ("i.kyrylenko@rada.example", "demo-staff")
CITIZEN = ("p.ivanenko@rada.example", "demo-citizen")
ADMIN = ("d.martyniuk@rada.example", "demo-admin")


def test_every_public_page_meets_wcag_21_aa_in_both_languages_and_at_390_px(audit: Audit, demo_ids: DemoIds) -> None:
    ids = demo_ids
    # a citizen's comment, so the draft's page shows the discussion as it is read
    citizen = audit.tab(CITIZEN)
    citizen.goto(f"{audit.base}/drafts/{ids.discussed_draft}")
    citizen.locator("#comment-name").fill("Петро І.")
    citizen.locator("input[name=position][value=for]").check()
    citizen.locator("#comment-text").fill("Підтримую: тротуари нарешті без сходинок.")
    citizen.get_by_role("button", name="Опублікувати коментар").click()
    expect(citizen.locator("ol.comments")).to_contain_text("Петро І.")

    visitor = audit.tab()
    audit.walk(
        visitor,
        [
            ("home", "/"),
            ("decisions", "/decisions"),
            ("decisions-search", "/decisions?q=бюджету&sort=relevance"),
            ("decisions-search-nothing", "/decisions?q=жодного+такого+слова"),
            ("decision", f"/decisions/{ids.decision}"),
            ("drafts", "/drafts"),
            ("draft-discussed", f"/drafts/{ids.discussed_draft}"),
            ("sessions", "/sessions"),
            ("session-closed", f"/sessions/{ids.closed_session}"),
            ("session-next", f"/sessions/{ids.convened_session}"),
            ("deputies", "/deputies"),
            ("deputy", f"/deputies/{ids.deputy}"),
            ("committees", "/committees"),
            ("committee", f"/committees/{ids.committee}"),
            ("seals", "/seals"),
            ("register", "/register"),
            ("sign-in", "/login"),
            ("not-found", "/no-such-page"),
            ("decision-not-found", "/decisions/999999"),
        ],
    )
    audit.walk(citizen, [("citizen-messages", "/my/messages"), ("citizen-draft", f"/drafts/{ids.discussed_draft}")])
    audit.verdict()


def test_the_drafting_and_reviewing_workplaces_meet_wcag_21_aa(audit: Audit, demo_ids: DemoIds) -> None:
    ids = demo_ids
    staff = audit.tab(STAFF)
    staff.goto(audit.base + "/drafts/new")
    staff.locator("input[name=title]").fill("Про облаштування велодоріжки на вулиці Соборній")
    staff.locator("textarea[name=body]").fill("Облаштувати велодоріжку вздовж вулиці Соборної.")
    staff.get_by_role("button", name="Написати проєкт").click()
    expect(staff.locator("h1")).to_have_text("Про облаштування велодоріжки на вулиці Соборній")
    draft = staff.url.rsplit("/", 1)[1]
    staff.goto(f"{audit.base}/drafts/{draft}/edit")
    staff.locator("textarea[name=body]").fill("Облаштувати велодоріжку вздовж вулиць Соборної та Шевченка.")
    staff.get_by_role("button", name="Зберегти зміни").click()
    expect(staff.get_by_role("status")).to_be_visible()
    audit.walk(
        staff,
        [
            ("staff-my-work", "/cabinet"),
            ("staff-notifications", "/notifications"),
            ("draft-new", "/drafts/new"),
            ("draft-document", f"/documents/{draft}"),
            ("draft-edit", f"/drafts/{draft}/edit"),
            ("draft-versions-diff", f"/drafts/{draft}/versions?from=1&to=2"),
            ("draft-files", f"/drafts/{draft}/files"),
        ],
    )
    legal = audit.tab(LEGAL)
    audit.walk(
        legal,
        [
            ("legal-my-work", "/cabinet"),
            ("legal-visas", "/visas"),
            ("visa-document", f"/documents/{ids.requested_visa}"),
            ("draft-in-visas", f"/documents/{ids.draft_in_visas}"),
        ],
    )
    audit.walk(audit.tab(FINANCE), [("finance-visas", "/visas")])
    audit.verdict()


def test_the_committees_workplaces_and_amendments_meet_wcag_21_aa(audit: Audit, demo_ids: DemoIds) -> None:
    ids = demo_ids
    chair = audit.tab(EDUCATION_CHAIR)
    chair.goto(audit.base + "/cabinet/committees")
    chair.get_by_role("link", name="Постійна комісія з питань освіти, культури, молоді та спорту").click()
    committee = chair.url
    chair.locator("input[type=date]").fill("2030-03-04")
    chair.locator("input[type=time]").fill("14:00")
    chair.get_by_label("Місце").fill("Кімната 12")
    chair.get_by_role("button", name="Запланувати засідання").click()
    chair.get_by_role("button", name="Додати до порядку денного").click()
    chair.get_by_role("button", name="Відкрити засідання").click()
    expect(chair.get_by_role("status")).to_have_text("Засідання відкрито.")
    meeting = chair.url.removeprefix(audit.base)

    deputy = audit.tab(DEPUTY)
    deputy.goto(f"{audit.base}/drafts/{ids.reviewed_draft}/amendments/new")
    deputy.locator("textarea[name=replace]").fill("статей 25, 26")
    deputy.locator("textarea[name=wording]").fill("статей 25 і 26")
    deputy.locator("textarea[name=text]").fill("Уточнення посилання на статті закону.")
    deputy.get_by_role("button", name="Подати поправку").click()
    expect(deputy).to_have_url(re.compile(r"/amendments/\d+/change$"))
    amendment = deputy.url.removeprefix(audit.base)

    audit.walk(
        chair,
        [
            ("chair-my-work", "/cabinet"),
            ("committees-workplace", "/cabinet/committees"),
            ("committee-workplace", committee.removeprefix(audit.base)),
            ("committee-meeting", meeting),
            ("conclusion-document", f"/documents/{ids.prepared_conclusion}"),
        ],
    )
    audit.walk(
        deputy,
        [("amendment-new", f"/drafts/{ids.reviewed_draft}/amendments/new"), ("amendment-change", amendment)],
    )
    audit.verdict()


def test_the_session_and_signing_workplaces_meet_wcag_21_aa(audit: Audit, demo_ids: DemoIds) -> None:
    ids = demo_ids
    secretary = audit.tab(SECRETARY)
    audit.walk(
        secretary,
        [
            ("secretary-my-work", "/cabinet"),
            ("sessions-workplace", "/cabinet/sessions"),
            ("session-new", "/cabinet/sessions/new"),
            ("session-builder", f"/cabinet/sessions/{ids.convened_session}"),
            ("session-closed-workplace", f"/cabinet/sessions/{ids.closed_session}"),
            ("sitting-console-before", f"/cabinet/sessions/{ids.convened_session}/sitting"),
            ("referral", f"/drafts/{ids.discussed_draft}/committees"),
            ("protocol-document", f"/documents/{ids.protocol}"),
            ("session-document", f"/documents/{ids.convened_session}"),
            ("discussed-draft-document", f"/documents/{ids.discussed_draft}"),
        ],
    )
    audit.walk(audit.tab(MAYOR), [("mayor-my-work", "/cabinet"), ("signing", "/cabinet/signing")])
    deputy = audit.tab(DEPUTY)
    deputy.goto(f"{audit.base}/cabinet/messages/{ids.message_to_deputy}")
    deputy.get_by_role("button", name="Позначити прочитаним і відповісти").click()
    expect(deputy.locator("#answer")).to_be_visible()
    audit.walk(
        deputy,
        [
            ("deputy-my-work", "/cabinet"),
            ("deputy-notifications", "/notifications"),
            ("cabinet-messages", "/cabinet/messages"),
            ("cabinet-message", f"/cabinet/messages/{ids.message_to_deputy}"),
            ("my-vote", f"/cabinet/sessions/{ids.convened_session}/vote"),
        ],
    )
    audit.verdict()


def test_the_administrators_pages_meet_wcag_21_aa(audit: Audit, demo_ids: DemoIds) -> None:
    admin = audit.tab(ADMIN)
    admin.goto(audit.base + "/definitions")
    kinds = [
        (href or "").rsplit("/", 1)[1]
        for href in admin.locator("main a[href^='/definitions/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    assert kinds, "the definitions page lists the kinds of documents"
    pages = [
        ("admin-my-work", "/cabinet"),
        ("admin-index", "/admin"),
        ("admin-council", "/admin/council"),
        ("admin-committees", "/admin/committees"),
        ("admin-committee", f"/admin/committees/{demo_ids.committee}"),
        ("admin-operations", "/admin/operations"),
        ("admin-audit", "/admin/audit"),
        ("admin-people", "/admin/people"),
        ("admin-people-found", "/admin/people?q=%D0%BC%D0%B5%D0%BB%D1%8C%D0%BD"),  # «мельн»
        ("admin-new-person", "/admin/people/new"),
        ("admin-person", f"/admin/people/{demo_ids.deputy}"),
        ("definitions", "/definitions"),
    ]
    audit.walk(admin, pages + [(f"definition-{kind}", f"/definitions/{kind}") for kind in kinds])
    audit.verdict()


def test_the_sitting_console_and_its_votes_meet_wcag_21_aa(served: Sitting, browser: Browser) -> None:
    """The console while a sitting is in progress, on the test council whose session is convened for today (the
    demo's next session is two weeks ahead, and a sitting opens on its day)."""
    with auditing(served.base, browser) as audit:
        secretary = audit.tab((served.secretary_email, PASSWORD))
        sitting = f"/cabinet/sessions/{served.session_id}/sitting"
        secretary.goto(audit.base + sitting)
        secretary.get_by_role("button", name="Відкрити засідання").click()
        secretary.get_by_role("button", name="Присутні всі").click()
        expect(secretary.locator("#quorum")).to_contain_text("кворум є")
        secretary.get_by_role("link", name="Проголосувати за затвердження порядку денного").click()
        secretary.get_by_role("link", name="Усі зареєстровані «за»").click()
        audit.walk(secretary, [("sitting-vote-agenda", secretary.url.removeprefix(audit.base))])
        secretary.goto(audit.base + sitting)
        secretary.get_by_role("link", name="Проголосувати за затвердження порядку денного").click()
        secretary.get_by_role("link", name="Усі зареєстровані «за»").click()
        secretary.get_by_role("button", name="Записати голосування", exact=True).click()
        expect(secretary.get_by_role("status").first).to_contain_text("прийнято")
        secretary.get_by_role("link", name="Поставити на голосування").click()
        item_vote = secretary.url.removeprefix(audit.base)
        audit.walk(
            secretary,
            [("sitting-console", sitting), ("sitting-vote-item", item_vote)],
        )
        audit.verdict()


#: what the focused element looks like: the page says where the keyboard is (WCAG 2.4.7)
FOCUS = """selector => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        reached: element.matches(selector),
        what: `${element.tagName.toLowerCase()} «${(element.innerText || element.value || "").trim().slice(0, 40)}»`,
        // on the calendar button inside a date or time field the focus is the browser's own, with its own ring
        visible: !element.matches(":focus") ||
            (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
        on_screen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
    };
}"""


def tabbed_to(tab: Page, selector: str, problems: list[str], where: str, limit: int = 250) -> None:
    """Tab from the top of the page until the element is focused; every stop on the way shows its focus."""
    for _stop in range(limit):
        tab.keyboard.press("Tab")
        focus = tab.evaluate(FOCUS, selector)
        if not (focus["visible"] and focus["on_screen"]):
            problems.append(f"{where}: the focus on {focus['what']} is not visible")
        if focus["reached"]:
            return
    problems.append(f"{where}: {limit} presses of Tab never reached {selector}")


def test_the_main_forms_are_reached_and_sent_by_keyboard_with_the_focus_visible(
    audit: Audit, demo_ids: DemoIds
) -> None:
    ids = demo_ids
    problems: list[str] = []
    # the citizen signs in by keyboard alone: typed into the fields the Tab key reaches, sent with Enter
    citizen = audit.tab()
    citizen.goto(audit.base + "/login")
    tabbed_to(citizen, "input[name=email]", problems, "sign-in")
    citizen.keyboard.type(CITIZEN[0])
    tabbed_to(citizen, "input[name=password]", problems, "sign-in")
    citizen.keyboard.type(CITIZEN[1])
    tabbed_to(citizen, "main form button[type=submit]", problems, "sign-in")
    citizen.keyboard.press("Enter")
    expect(citizen.locator("header .who")).to_be_visible()

    forms = [
        (None, "/register", "main form:has(input[name=password]) button[type=submit]"),
        (None, "/decisions", "main form[role=search] button[type=submit]"),
        (None, f"/deputies/{ids.deputy}", "main form.filters button[type=submit]"),
        (CITIZEN, f"/drafts/{ids.discussed_draft}", "form.comment-form button[type=submit]"),
        (CITIZEN, f"/deputies/{ids.deputy}", "main form:has(textarea) button[type=submit]"),
        (STAFF, "/drafts/new", "form.draft-form button[type=submit]"),
        (LEGAL, "/visas", "main form button[type=submit]"),
        (EDUCATION_CHAIR, "/cabinet/committees", "main a[href^='/cabinet/committees/']"),
        (SECRETARY, "/cabinet/sessions/new", "main form.stacked button[type=submit]"),
        (SECRETARY, f"/drafts/{ids.discussed_draft}/committees", "main form button[type=submit]"),
    ]
    tabs: dict[tuple[str, str] | None, Page] = {None: audit.tab(), CITIZEN: citizen}
    for person, path, submit in forms:
        if person not in tabs:
            tabs[person] = audit.tab(person)
        tab = tabs[person]
        tab.goto(audit.base + path)
        expect(tab.locator(submit).first).to_be_attached()
        tabbed_to(tab, submit, problems, path)
    # the deputy opens a citizen's message and answers it, by keyboard
    deputy = audit.tab(DEPUTY)
    deputy.goto(f"{audit.base}/cabinet/messages/{ids.message_to_deputy}")
    tabbed_to(deputy, "main form button[type=submit]", problems, "a citizen's message")
    deputy.keyboard.press("Enter")
    expect(deputy.locator("#answer")).to_be_visible()
    tabbed_to(deputy, "#answer", problems, "the answer")
    deputy.keyboard.type("Дякую, перевіримо освітлення цього тижня.")
    tabbed_to(deputy, "#visibility-public", problems, "the answer")
    deputy.keyboard.press("Space")
    tabbed_to(deputy, "main form button[type=submit]", problems, "the answer")
    deputy.keyboard.press("Enter")
    expect(deputy.get_by_role("status")).to_be_visible()
    assert not problems, "\n".join(problems)
