"""The public registry of decisions and a decision's page, as a citizen uses them (signed out): search by word
forms, filters, order, pages, snippets escaped; the page's number, date, text, files with SHA-256 and legal status;
nothing that is not public, and any input a normal answer."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import pytest

from tests.web.cabinet.test_work_queries import page_statements
from tests.web.pages import tables
from tests.web.site import in_english, sign_in, text_of
from tests.workflow.council.decisions.corpus import CORPUS, Text, decided, reviewed
from workflow.council.decisions.models import DecisionEntry
from workflow.files import list_files


def results_of(page: str) -> list[str]:
    """The titles of the results, in order, as text."""
    return [text_of(found) for found in re.findall(r"<h2><a href=\"/decisions/\d+\">(.*?)</a></h2>", page)]


@pytest.fixture
def council(site):
    made = decided(site.world, CORPUS, reject=("school",))
    site.commit()
    return made


def test_a_citizen_finds_a_decision_by_word_forms_not_in_it_and_sees_them_marked(site, council):
    client = site.client()
    page = client.get("/decisions?q=" + quote("ЗЕМЕЛЬНИХ ділянок"))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert results_of(html) == [CORPUS["land"].title]
    assert "Знайдено 1 рішення" in text_of(html)
    assert "<mark>земельної</mark> <mark>ділянки</mark>" in html
    assert "<title>Рішення ради: пошук «ЗЕМЕЛЬНИХ ділянок» — Radaflow</title>" in html
    assert 'value="ЗЕМЕЛЬНИХ ділянок"' in html
    assert "Рішення № 1-12-VIII" in text_of(html)

    everything = client.get("/decisions").get_data(as_text=True)
    assert "<title>Рішення ради — Radaflow</title>" in everything
    assert "4 рішення" in text_of(everything)
    assert len(results_of(everything)) == 4

    rejected = client.get("/decisions?status=rejected&sort=date").get_data(as_text=True)
    assert results_of(rejected) == [CORPUS["school"].title]
    assert "Не прийнято" in text_of(rejected)
    english = in_english(site.client()).get("/decisions?q=" + quote("м'ясо")).get_data(as_text=True)
    assert "1 decision found" in text_of(english)
    assert "<title>Decisions of the council: search for «м&#39;ясо» — Radaflow</title>" in english


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "%",
        "_",
        "*",
        "-",
        "NEAR(ділянка земельна)",
        "ділянка*",
        "title:ділянка OR body:*",
        "' OR 1=1; DROP TABLE documents; --",
        "ділянка\x00",
        "<script>alert(1)</script>",
        "ділянка " * 2000,
        "я" * 10_000,
    ],
)
def test_any_query_is_a_normal_answer(site, query):
    response = site.client().get("/decisions", query_string={"q": query})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ("from=вчора", "Дата від: дату пишуть як РРРР-ММ-ДД"),
        ("to=2026-02-30", "Дата до: дату пишуть як РРРР-ММ-ДД"),
        ("from=2026-03-20&to=2026-03-01", "Період закінчується раніше, ніж починається"),
        ("session=abc", "Сесія: оберіть значення зі списку."),
        ("committee=99999999999", "Комісія: оберіть значення зі списку."),
        ("initiator=-1", "Ініціатор: оберіть значення зі списку."),
        ("status=drafting", "Статус: оберіть значення зі списку."),
        ("status=visas", "Статус: оберіть значення зі списку."),
        ("kind=%27", "Вид: оберіть значення зі списку."),
        ("sort=id;drop", "Упорядкувати за: оберіть значення зі списку."),
        ("page=x", "Сторінка — це число"),
    ],
)
def test_a_filter_that_is_not_one_is_told_in_the_reader_s_language(site, args, said):
    response = site.client().get(f"/decisions?{args}")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert said in text_of(html)
    assert "Пошук не вдалося виконати" in text_of(html)
    assert '<ol class="results">' not in html


def test_the_decision_page_shows_number_date_text_files_with_sha256_and_legal_status(site, council):
    land = council["land"]
    client = site.client()

    response = client.get(f"/decisions/{land.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert f"<title>Рішення № 1-12-VIII: {CORPUS['land'].title} — Radaflow</title>" in html
    assert f"<h1>{CORPUS['land'].title}</h1>" in html
    assert "Номер № 1-12-VIII" in text
    assert "Дата 18 березня 2026 р." in text
    assert "Сесія Сесія № 12, 18 березня 2026 р." in text
    assert "Ініціатор Оксана Мельник" in text
    assert "Головна комісія З питань бюджету" in text
    assert "Правовий статус Підписано — підписано 19 березня 2026 р. Прийнято радою" in text
    assert "Прийнято радою: 18 березня 2026 р." in text
    assert CORPUS["land"].body in text
    (stored,) = list_files(site.session, land.id)
    files = tables(html)[0]  # the first table is the files; the path's roll calls follow
    assert files[0] == ["Файл", "Версія", "Розмір, КБ", "SHA-256"]
    assert files[1][0] == stored.filename
    assert files[1][3] == stored.sha256
    assert "sha256sum ФАЙЛ" in text
    download = client.get(f"/decisions/{land.id}/files/{stored.id}")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == stored.sha256
    assert download.headers["Content-Disposition"].startswith("attachment;")
    # the page links only to pages that exist
    assert "Такої сторінки немає" not in html


def test_only_what_the_law_makes_public_is_in_the_registry_or_on_a_page(site, council):
    world = site.world
    in_discussion = reviewed(world, Text("Про ділянку для школи", "Чернетка: земельна ділянка під школу."))
    site.commit()
    client = site.client()

    assert client.get(f"/decisions/{in_discussion.id}").status_code == 404
    assert CORPUS["land"].title in results_of(client.get("/decisions?q=ділянка").get_data(as_text=True))
    assert "Про ділянку для школи" not in client.get("/decisions?q=ділянка").get_data(as_text=True)
    land_page = client.get(f"/decisions/{council['land'].id}").get_data(as_text=True)
    # the committee's signed conclusion is public, and the page shows it in the decision's path, not as its text
    assert "Так." in text_of(land_page.split('class="decision-path"')[1])
    assert "Так." not in text_of(land_page.split('class="decision-path"')[0])
    assert "visas" not in land_page
    assert "committee_review" not in land_page
    # the secretary, who reads everything in the cabinet, sees no more on the public page
    secretary = site.client()
    sign_in(secretary, world.secretary)
    assert secretary.get(f"/decisions/{in_discussion.id}").status_code == 404
    for missing in ("/decisions/2147483647", "/decisions/0", f"/decisions/{council['land'].id}/files/2147483647"):
        assert client.get(missing).status_code == 404, missing
    other = council["meat"]
    (stored,) = list_files(site.session, other.id)
    assert client.get(f"/decisions/{council['land'].id}/files/{stored.id}").status_code == 404


def test_a_title_with_markup_is_shown_as_text_with_only_the_found_words_marked(site):
    world = site.world
    made = decided(world, {"x": Text('<script>alert("ділянка")</script> & <b>ділянки</b>', "Текст про ділянку.")})
    site.commit()

    html = site.client().get("/decisions?q=ділянка").get_data(as_text=True)

    assert "<script>alert" not in html
    assert "<b>" not in html
    assert (
        "&lt;script&gt;alert(&#34;<mark>ділянка</mark>&#34;)&lt;/script&gt; &amp; &lt;b&gt;<mark>ділянки</mark>" in html
    )
    page = site.client().get(f"/decisions/{made['x'].id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert site.session.get(DecisionEntry, made["x"].id) is not None


def test_pages_of_results_link_to_each_other_keeping_the_query(site, monkeypatch):
    from workflow.council.decisions import search as registry

    monkeypatch.setattr(registry, "PER_PAGE", 2)
    decided(site.world, {key: CORPUS[key] for key in ("land", "budget", "meat")})
    site.commit()
    client = site.client()

    first = client.get("/decisions?sort=date&status=signed").get_data(as_text=True)
    second = client.get("/decisions?sort=date&status=signed&page=2").get_data(as_text=True)

    assert "сторінка 1 з 2" in text_of(first)
    assert 'href="/decisions?status=signed&amp;sort=date&amp;page=2" rel="next"' in first
    assert len(results_of(first)) == 2
    assert len(results_of(second)) == 1
    assert 'rel="prev"' in second
    assert "<title>Рішення ради — сторінка 2 — Radaflow</title>" in second


def test_the_decision_page_shows_its_whole_path_with_the_roll_call_of_its_vote(site, council):
    land = council["land"]

    html = site.client().get(f"/decisions/{land.id}").get_data(as_text=True)

    text = text_of(html)
    assert "Шлях рішення" in text
    # the council's vote with every member's ballot, each name linking to the deputy's page
    assert re.search(r'<a href="/deputies/\d+"', html)
    assert "<svg" in html
    # nothing the path keeps out: the remarks of a visa round
    assert "Доопрацюйте" not in text


def test_a_search_costs_the_same_statements_however_many_decisions_it_finds(site):
    client = site.client()
    searched = "/decisions?q=" + quote("бюджету")
    decided(site.world, {key: CORPUS[key] for key in ("land", "budget")})
    site.commit()
    few = page_statements(site, client, searched)

    decided(site.world, {key: CORPUS[key] for key in CORPUS if key not in ("land", "budget")}, number=13)
    site.commit()
    many = page_statements(site, client, searched)

    assert results_of(client.get(searched).get_data(as_text=True))
    assert many == few
