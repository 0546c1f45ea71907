"""Every word translated: Ukrainian by default, English by the switch in every page's header (remembered in a
cookie, or `?lang=` on any page). Walked in English, no page keeps a Ukrainian word outside the documents'
content, which the templates mark with `data-content`; a Ukrainian reader reads a refusal wholly in Ukrainian."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from tests.web.site import act, legal_visa, message_to_deputy, sign_in, token
from web.i18n import COOKIE

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Chrome(HTMLParser):
    """The page's own words: its text and its attributes people read, without the elements marked as content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._content: list[str] = []  # open elements inside a content element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._content:
            if tag not in VOID:
                self._content.append(tag)
            return
        # a page's <title> repeats its <h1> (a document's own title, on a document's page)
        if tag == "title" or any(name == "data-content" for name, _ in attrs):
            if tag not in VOID:
                self._content.append(tag)
            return
        self.words += [
            value for name, value in attrs if name in ("aria-label", "title", "alt", "placeholder", "value") and value
        ]

    def handle_endtag(self, tag: str) -> None:
        if self._content:
            while self._content and self._content.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._content and data.strip():
            self.words.append(data.strip())


def ukrainian_left(html: str) -> list[str]:
    chrome = Chrome()
    chrome.feed(html)
    return [words for words in chrome.words if CYRILLIC.search(words)]


def english(client: FlaskClient) -> FlaskClient:
    client.set_cookie(COOKIE, "en")
    return client


def test_walked_in_english_no_page_keeps_a_ukrainian_word_outside_the_content(site):
    world = site.world
    visa = legal_visa(site)
    message_to_deputy(site)
    site.commit()
    visitor = english(site.client())
    pages = {
        "home": visitor.get("/"),
        "login": visitor.get("/login"),
        "login refused": visitor.post("/login", data={"email": "", "password": ""}),
        "definition": visitor.get("/definitions/decision_draft"),
        "kinds of documents": visitor.get("/definitions"),
        "sessions": visitor.get("/sessions"),
        "committees": visitor.get("/committees"),
        "committee": visitor.get(f"/committees/{world.budget.id}"),
        "missing page": visitor.get("/no/such/page"),
        "document signed out": visitor.get(f"/documents/{visa.parent_id}", follow_redirects=True),
    }
    staff = english(site.client())
    sign_in(staff, world.staff)
    pages |= {
        "my work": staff.get("/cabinet"),
        "notifications": staff.get("/notifications"),
        "document": staff.get(f"/documents/{visa.parent_id}"),
        "visa with refused reasons": staff.get(f"/documents/{visa.id}"),
        "refusal": act(staff, visa, "give"),
        "nothing marked": staff.post("/notifications/read", data={"csrf_token": _token(staff)}),
        "stale form": staff.post("/notifications/read", data={"all": "1"}),
    }
    lawyer = english(site.client())
    sign_in(lawyer, world.lawyer)
    pages |= {
        "lawyer's work": lawyer.get("/cabinet"),
        "lawyer's notifications": lawyer.get("/notifications"),
        "visa to give": lawyer.get(f"/documents/{visa.id}"),
        "comment missing": act(lawyer, visa, "return", comment=" "),
        "stale page": act(lawyer, visa, "give", version=0),
    }
    assert act(lawyer, visa, "give").status_code == 302
    pages["done"] = lawyer.get(f"/documents/{visa.id}")
    deputy = english(site.client())
    sign_in(deputy, world.deputies[0])
    pages["deputy's notifications"] = deputy.get("/notifications")

    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    assert {name: text for name, text in html.items() if '<html lang="en">' not in text} == {}
    assert {name: ukrainian_left(text) for name, text in html.items() if ukrainian_left(text)} == {}
    # the walk saw what it meant to: the refusals, the forms and the lists in English
    assert "Not done." in html["comment missing"]
    assert "needs a comment saying why" in html["comment missing"]
    assert "the document changed after you opened it" in html["stale page"]
    assert "can be done only by: the department&#39;s reviewer" in html["visa with refused reasons"]
    assert "Give the visa" in html["lawyer's work"]
    assert "Draft decision" in html["document"]
    assert "Sign in to see this page." in html["document signed out"]
    assert "Done: Give the visa." in html["done"]


def _token(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_a_ukrainian_secretary_reads_a_refusal_wholly_in_ukrainian(site):
    """«Не виконано. the document changed after you opened it» no more: the engine's words are translated too."""
    visa = legal_visa(site)
    lawyer = site.client()
    sign_in(lawyer, site.world.lawyer)

    page = act(lawyer, visa, "give", version=0).get_data(as_text=True)

    refusal = re.search(r'<div role="alert" class="refusal" id="refusal">(.*?)</div>', page, flags=re.S)
    assert refusal is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", refusal.group(1)).split())
    assert text == (
        "Не виконано. документ змінився після того, як ви його відкрили: перегляньте його ще раз, тоді дійте"
    )
    assert re.search(r"[A-Za-z]{3,}", text) is None


def test_the_language_switch_is_on_every_page_and_remembered(site):
    client = site.client()

    home = client.get("/").get_data(as_text=True)
    assert '<html lang="uk">' in home
    assert '<a href="/language/en?next=/" lang="en" hreflang="en" data-content>English</a>' in home

    switched = client.get("/language/en?next=/login")
    assert (switched.status_code, switched.headers["Location"]) == (302, "/login")
    assert f"{COOKIE}=en" in switched.headers["Set-Cookie"]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in to the cabinet</h1>" in page
    assert '<a href="/language/uk?next=/login" lang="uk" hreflang="uk" data-content>Українська</a>' in page

    client.get("/language/uk")
    assert "<h1>Вхід до кабінету</h1>" in client.get("/login").get_data(as_text=True)


def test_lang_in_the_address_chooses_the_language_and_is_remembered(site):
    client = site.client()

    assert "<h1>Kinds of documents</h1>" in client.get("/definitions?lang=en").get_data(as_text=True)
    assert "<h1>Kinds of documents</h1>" in client.get("/definitions").get_data(as_text=True)
    assert "<h1>Види документів</h1>" in client.get("/definitions?lang=uk").get_data(as_text=True)


@pytest.mark.parametrize("asked", ["de", "xx", "", "ukr", "%3Cscript%3E"])
def test_a_language_radaflow_does_not_speak_is_read_as_ukrainian(site, asked):
    client = site.client()

    assert '<html lang="uk">' in client.get(f"/?lang={asked}").get_data(as_text=True)
    switched = client.get(f"/language/{asked or 'x'}")
    assert f"{COOKIE}=uk" in switched.headers["Set-Cookie"]


def test_the_switch_goes_back_only_to_a_page_of_this_site(site):
    client = site.client()

    assert client.get("/language/en?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/en?next=https://evil.example/").headers["Location"] == "/"


def test_dates_and_sizes_follow_the_reader_s_language(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    uk = client.get(f"/documents/{visa.id}").get_data(as_text=True)
    en = english(client).get(f"/documents/{visa.id}").get_data(as_text=True)

    assert "<dt>Створено</dt><dd>02.03.2026 11:00</dd>" in uk
    assert "<dt>Created</dt><dd>02.03.2026 11:00</dd>" in en


def test_switching_language_on_a_refusal_shown_at_a_form_s_address_goes_back_to_the_form_s_page(site):
    """The refusal page answers the form's POST; its address takes no GET, so the switch leads to the page the
    form was sent from."""
    visa = legal_visa(site)
    lawyer = site.client()
    sign_in(lawyer, site.world.lawyer)
    document_page = f"http://localhost/documents/{visa.id}"

    refused = lawyer.post(
        f"/documents/{visa.id}/actions/give",
        data={"version": "0", "csrf_token": token(lawyer)},
        headers={"Referer": document_page},
    )
    assert refused.status_code == 409  # the page was out of date
    switch = re.search(r'<a href="(/language/en\?next=[^"]+)"', refused.get_data(as_text=True))

    assert switch is not None
    switched = lawyer.get(switch.group(1).replace("&amp;", "&"))
    assert switched.headers["Location"] == f"/documents/{visa.id}"
    assert lawyer.get(switched.headers["Location"]).status_code == 200


def test_a_link_followed_to_a_form_s_address_gets_the_site_s_own_page_in_the_reader_s_language(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    answer = client.get(f"/documents/{visa.id}/actions/give")

    assert answer.status_code == 405
    page = answer.get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert "Ця адреса лише приймає надіслані форми; сторінки за нею немає." in page
    assert "Method Not Allowed" not in page
    english = client.get(f"/documents/{visa.id}/actions/give?lang=en").get_data(as_text=True)
    assert "This address is for sending a form, not for reading." in english
