"""The front page a citizen opens: the next session with its date and agenda, the latest decisions, the drafts
open for public discussion with the working days left, and a search of the decisions; nothing internal."""

from __future__ import annotations

import re

from tests.web.cabinet.test_work_queries import page_statements
from tests.web.public.council_record import INTERNAL_TITLE, REMARK
from tests.web.site import in_english, text_of
from web.public import home
from workflow.council.sittings import sessions


def words(html: str) -> str:
    return re.sub(r" ([,.:;])", r"\1", text_of(html))


def on_day(monkeypatch, site, days: float) -> None:
    """The front page read on day `days` of the test council's calendar."""
    monkeypatch.setattr(home, "utcnow", lambda: site.world.at(days))


def test_the_front_page_shows_the_next_session_with_its_date_and_agenda(site, record, monkeypatch):
    on_day(monkeypatch, site, 31)  # Thursday 2 April 2026

    response = site.client().get("/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Славутицька міська рада — Radaflow</title>" in html
    text = words(html)
    assert "Наступне засідання Сесія № 13 (чергова): 8 квітня 2026 р., 12:00, Сесійна зала, пл. Свободи, 1" in text
    assert f'<a href="/sessions/{record.convened.id}">Сесія № 13</a>' in html
    assert "Порядок денний Про облаштування шкільного стадіону" in text


def test_the_session_under_way_is_the_next_one_until_it_closes(site, monkeypatch):
    world = site.world
    plenary = world.planned_session(number=12, days=16)
    sessions.add_to_agenda(
        site.session, plenary, world.actor(world.secretary, 5), world.reviewed_draft(), now=world.at(5)
    )
    world.open(plenary, days=16)
    site.commit()
    on_day(monkeypatch, site, 16.1)

    text = words(site.client().get("/").get_data(as_text=True))

    assert "Сесія № 12 (чергова) — триває: 18 березня 2026 р., 11:00" in text


def test_the_front_page_lists_the_latest_decisions_with_their_numbers(site, record, monkeypatch):
    on_day(monkeypatch, site, 31)

    html = site.client().get("/").get_data(as_text=True)

    assert f'<a href="/decisions/{record.draft.id}">№ 1-12-VIII</a>' in html
    assert "№ 1-12-VIII від 18 березня 2026 р.: Про ремонт даху ліцею № 2 (Підписано)" in words(html)


def test_drafts_open_for_discussion_show_the_working_days_left(site, record, monkeypatch):
    # published on day 30 (Wednesday 1 April); read on day 31: one working day has passed, 9 are left
    on_day(monkeypatch, site, 31)
    html = site.client().get("/").get_data(as_text=True)
    assert f'<a href="/drafts/{record.discussed.id}" data-content>Про програму озеленення міста</a>' in html
    assert "оприлюднено 1 квітня 2026 р.; залишилося 9 робочих днів" in words(html)

    # 14 days later (Wednesday 15 April; 13 April, Easter Monday, is no working day where the calendar says so)
    on_day(monkeypatch, site, 60)
    assert "встановлений законом строк обговорення минув" in words(site.client().get("/").get_data(as_text=True))


def test_the_search_box_asks_the_registry_of_decisions(site):
    html = site.client().get("/").get_data(as_text=True)

    form = re.search(r'<form method="get" action="/decisions" role="search"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert '<label for="q">Пошук у рішеннях</label>' in form.group(1)
    assert '<input type="search" id="q" name="q"' in form.group(1)


def test_on_an_empty_council_the_front_page_says_there_is_nothing_yet(site):
    text = words(site.client().get("/").get_data(as_text=True))

    assert "Жодного засідання ще не скликано." in text
    assert "Жодного рішення ще не прийнято." in text
    assert "Зараз жоден проєкт не винесено на обговорення." in text


def test_the_kinds_of_documents_moved_to_their_own_page_linked_from_the_front(site):
    html = site.client().get("/").get_data(as_text=True)
    assert '<a href="/definitions">' in html
    assert site.client().get("/definitions").status_code == 200


def test_nothing_internal_reaches_the_front_page(site, record, monkeypatch):
    on_day(monkeypatch, site, 31)
    html = site.client().get("/").get_data(as_text=True)

    assert INTERNAL_TITLE not in html
    assert REMARK not in html
    # a session only planned is not the next one, however soon
    assert "Сесія № 16" not in html


def test_the_front_page_in_english(site, record, monkeypatch):
    on_day(monkeypatch, site, 31)

    text = words(in_english(site.client()).get("/").get_data(as_text=True))

    assert "The next session Session № 13 (regular): 8 April 2026, 12:00" in text
    assert "published 1 April 2026; 9 working days left" in text
    assert "№ 1-12-VIII of 18 March 2026" in text


def test_the_front_page_lists_the_ten_drafts_soonest_to_close_at_the_same_cost_however_many_are_open(site, monkeypatch):
    world = site.world
    for n in range(3):
        world.published_draft(f"Про сквер № {n}", days=n)
    site.commit()
    on_day(monkeypatch, site, 20)
    client = site.client()
    few = page_statements(site, client, "/")
    assert len(re.findall(r'<a href="/drafts/\d+" data-content>', client.get("/").get_data(as_text=True))) == 3

    for n in range(3, 15):
        world.published_draft(f"Про сквер № {n}", days=n)
    site.commit()
    many = page_statements(site, client, "/")

    html = client.get("/").get_data(as_text=True)
    listed = re.findall(r'<a href="/drafts/\d+" data-content>Про сквер № (\d+)</a>', html)
    assert listed == [str(n) for n in range(10)]  # published first, closing first
    assert '<a href="/drafts">Усі проєкти на громадському обговоренні</a>' in html
    assert many == few
