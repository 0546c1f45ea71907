"""The sessions' pages: the calendar by month and the list, and a session's agenda, votes with their roll
calls, attendance and papers; only what the law makes public."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.web.pages import tables
from tests.web.public.council_record import INTERNAL_TITLE, REMARK
from tests.web.site import in_english, text_of
from workflow.files import list_files


def words(html: str) -> str:
    """The page's text as a reader reads it (no space before a comma or a colon left by the markup)."""
    return re.sub(r" ([,.:;])", r"\1", text_of(html))


def test_the_calendar_of_a_month_shows_its_sessions_by_day_with_links_to_the_months_around(site, record):
    page = site.client().get("/sessions?month=2026-03")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Засідання ради: березень 2026 — Radaflow</title>" in html
    (calendar,) = [t for t in tables(html) if t[0][0] == "пн"]
    assert calendar[0] == ["пн", "вт", "ср", "чт", "пт", "сб", "нд"]
    wednesday_18 = next(row for row in calendar if "18 Сесія № 12, 11:00" in row)
    assert wednesday_18.index("18 Сесія № 12, 11:00") == 2
    assert f'href="/sessions/{record.held.id}"' in html
    assert 'href="/sessions?month=2026-02#calendar" rel="prev"' in html
    assert 'href="/sessions?month=2026-04#calendar" rel="next"' in html
    april = site.client().get("/sessions?month=2026-04").get_data(as_text=True)
    # 9:00 UTC is 11:00 in Kyiv in winter time, 12:00 in summer time (from 29 March 2026)
    assert "Сесія № 13, 12:00" in words(april)
    assert "Сесія № 14, 12:00 (скасовано)" in words(april)


def test_the_list_shows_every_announced_session_but_none_only_planned(site, record):
    html = site.client().get("/sessions?month=2026-03").get_data(as_text=True)
    text = words(html)

    for shown in (record.held, record.convened, record.cancelled):
        assert f'href="/sessions/{shown.id}"' in html
    for hidden in (record.planned, record.never_announced):
        assert f'href="/sessions/{hidden.id}"' not in html
    assert "Сесія № 16" not in text
    assert "Сесія № 15" not in text
    # the list says when and where, and what was cancelled
    assert "Сесія № 12 (чергова) — 18 березня 2026 р., 11:00, Сесійна зала, пл. Свободи, 1" in text


def test_a_session_only_planned_or_cancelled_before_it_was_convened_answers_404(site, record):
    client = site.client()
    for hidden in (record.planned, record.never_announced, record.item, record.draft):
        assert client.get(f"/sessions/{hidden.id}").status_code == 404
    assert client.get("/sessions/2147483648").status_code == 404
    assert client.get("/sessions/0").status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3", "1900-01", "2026-03-01", "", "9999-01"])
def test_a_month_that_is_not_one_is_refused_in_words(site, month):
    response = site.client().get("/sessions", query_string={"month": month})

    assert response.status_code == 422
    assert "Місяць пишуть як рік і місяць, наприклад 2026-03." in response.get_data(as_text=True)


def test_without_a_month_the_calendar_shows_this_one(site):
    assert site.client().get("/sessions").status_code == 200


def test_a_held_session_shows_its_agenda_decision_votes_with_roll_calls_and_attendance(site, record):
    world = site.world
    response = site.client().get(f"/sessions/{record.held.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = words(html)
    assert "<title>Сесія № 12, 18 березня 2026\u202fр. — Radaflow</title>" in html
    assert "Сесія № 12 (чергова)" in text
    assert "Коли 18 березня 2026 р., 11:00" in text
    assert "Етап Закрито" in text
    # the item with its outcome and the decision's number, linked to the decision's page
    assert "Про ремонт даху ліцею № 2" in text
    assert f'<a href="/decisions/{record.draft.id}">рішення № 1-12-VIII від 18 березня 2026\u202fр.</a>' in html
    # the vote on it with its arithmetic and its roll call, each name linking to the deputy's page: in the words
    # and the order the decision's page shows them (one partial, public/_roll_call.html)
    assert "Прийнято, 18.03.2026 13:24. Потрібно було 5 голосів «за»: більше половини від загального складу 9." in text
    assert "За: 6; Проти: 2; Утрималися: 0; Не голосували: 0; Відсутні: 1." in text
    roll_calls = [t for t in tables(html) if t[0] == ["Член ради", "Голос"]]
    assert len(roll_calls) == 2  # the agenda's approval and the decision
    decision_roll = roll_calls[1]
    assert len(decision_roll) == 1 + 9
    assert ["Микола Бондар", "Відсутній"] in decision_roll
    assert ["Василь Гончаренко", "За"] in decision_roll
    assert decision_roll[1:] == sorted(decision_roll[1:], key=lambda row: row[0].lower().replace("і", "и~"))
    gonch = world.deputies[0]
    assert f'<a href="/deputies/{gonch.id}" data-content>Василь Гончаренко</a>' in html
    # attendance: 8 of 9 registered, the mayor absent
    (attendance,) = [t for t in tables(html) if t[0] == ["Депутат", "Реєстрація"]]
    assert ["Микола Бондар", "відсутній"] in attendance
    assert sum(1 for row in attendance[1:] if row[1] == "присутній") == 8
    assert "Зареєструвалися: 8 з 9." in text
    assert "Процедурні голосування" in text
    assert "Про затвердження порядку денного" in text


def test_the_mayor_in_the_roll_calls_and_the_attendance_is_named_without_a_link_to_a_page_he_has_not(site, record):
    mayor = site.world.mayor
    html = site.client().get(f"/sessions/{record.held.id}").get_data(as_text=True)

    assert f'href="/deputies/{mayor.id}"' not in html
    # two roll calls and the attendance
    assert html.count(f'<th scope="row"><span data-content>{mayor.full_name}</span></th>') == 3
    assert html.count('<th scope="row"><a href="/deputies/') == 3 * len(site.world.deputies)


def test_the_session_page_and_the_decision_page_show_a_vote_alike(site, record):
    client = site.client()
    decision_page = client.get(f"/decisions/{record.draft.id}").get_data(as_text=True)
    session_page = client.get(f"/sessions/{record.held.id}").get_data(as_text=True)

    def roll_call(html: str, vote: str) -> str:
        """A vote's roll call in words from the moment it was held (the decision page names the question before
        the outcome, the session page heads the vote with it) to its last ballot; the fold's summary left out."""
        found = re.search(rf'<div class="roll-call" id="{vote}">.*?</strong>(.*?)</table>', html, re.S)
        assert found is not None, f"the page shows the roll call {vote}"
        return words(re.sub(r"<summary>.*?</summary>", "", found.group(1)))

    (vote,) = re.findall(r'<div class="roll-call" id="(vote-\d+)">', decision_page)
    shown = roll_call(decision_page, vote)
    assert shown.startswith(", 18.03.2026 13:24. Потрібно було 5 голосів «за»")
    assert "Член ради Голос Андрій Мороз Проти Василь Гончаренко За" in shown
    assert roll_call(session_page, vote) == shown
    assert "<summary>Поіменне голосування</summary>" in session_page  # folded there: a sitting has many votes


def test_the_protocol_and_the_extract_download_with_the_sha_256_shown(site, record):
    client = site.client()
    html = client.get(f"/sessions/{record.held.id}").get_data(as_text=True)

    with site.app.app_context():
        protocol = [f for f in list_files(site.session, record.protocol.id) if f.name == "protocol"][-1]
        extract = [f for f in list_files(site.session, record.item.id) if f.name == "protocol_extract"][-1]
    for stored, label in ((protocol, "Протокол"), (extract, "Витяг з протоколу, питання 1")):
        link = f"/documents/{stored.document_id}/files/{stored.id}"
        assert f'<a href="{link}" download>{label}</a>' in html
        assert f"<code data-content>{stored.sha256}</code>" in html
        download = client.get(link)
        assert download.status_code == 200
        assert hashlib.sha256(download.data).hexdigest() == stored.sha256
    assert "sha256sum" in html


def test_a_convened_session_shows_its_agenda_and_no_paper_before_the_protocol(site, record):
    html = site.client().get(f"/sessions/{record.convened.id}").get_data(as_text=True)
    text = words(html)

    assert "Про облаштування шкільного стадіону" in text
    assert f'href="/drafts/{record.convened_item.fields["draft_id"]}"' in html
    assert "Учасники реєструються, коли засідання відкривається." in text
    assert "Протокол" not in text


def test_a_cancelled_session_says_so(site, record):
    text = words(site.client().get(f"/sessions/{record.cancelled.id}").get_data(as_text=True))
    assert "Етап Скасовано" in text


def test_nothing_internal_reaches_the_sessions_pages(site, record):
    client = site.client()
    pages = [
        client.get("/sessions?month=2026-03"),
        client.get("/sessions?month=2026-04"),
        *(client.get(f"/sessions/{s.id}") for s in (record.held, record.convened, record.cancelled)),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        assert REMARK not in html
        assert INTERNAL_TITLE not in html
        assert "Карантин" not in html  # the cancellation's reason is said on its way, not published
        # no internal code of a state, a choice or a role
        assert not re.search(r">\s*(in_progress|convened|not_voted|committee_chair|abstain|absent)\s*<", html)


def test_the_session_page_in_english(site, record):
    client = in_english(site.client())
    text = words(client.get(f"/sessions/{record.held.id}").get_data(as_text=True))

    assert "Session № 12 (regular)" in text
    assert "When 18 March 2026, 11:00" in text
    assert "Adopted, " in text
    assert "It needed 5 votes for: more than half of the total composition of 9." in text
    assert "For: 6; Against: 2; Abstained: 0; Did not vote: 0; Absent: 1." in text
    assert "Registered: 8 of 9." in text
    calendar = words(client.get("/sessions?month=2026-03").get_data(as_text=True))
    assert "March 2026" in calendar
    assert "Mon Tue Wed Thu Fri Sat Sun" in calendar
