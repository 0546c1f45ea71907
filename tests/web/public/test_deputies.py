"""The deputies' pages: the list of the council's deputies, and each deputy's committees, attendance, voting
record (filtered, paged), agreement with the majority and answers to citizens; nobody else has a page."""

from __future__ import annotations

import pytest

from tests.web.cabinet.test_work_queries import page_statements
from tests.web.pages import tables
from tests.web.public.conftest import form_token
from tests.web.public.people_world import hold_sitting
from tests.web.site import Site, in_english, message_to_deputy, text_of
from workflow.council.messages import messages


def test_the_list_names_every_deputy_with_their_committees_and_nobody_else(site: Site) -> None:
    world = site.world
    page = site.client().get("/deputies")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Депутати ради — Radaflow</title>" in html
    for deputy in world.deputies:
        assert f'<a href="/deputies/{deputy.id}" data-content>{deputy.full_name}</a>' in html
    assert world.mayor.full_name not in html
    assert world.secretary.full_name not in html
    assert "З питань бюджету (голова)" in text_of(html)


def test_a_deputys_page_shows_committees_attendance_record_and_agreement(site: Site) -> None:
    hold_sitting(site)
    first = site.world.deputies[0]

    response = site.client().get(f"/deputies/{first.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert f"<title>{first.full_name} — депутат ради — Radaflow</title>" in html
    assert f"<h1 data-content>{first.full_name}</h1>" in html
    assert "З питань бюджету (голова)" in text
    assert "100% — зареєстровано на 1 з 1 засідань" in text
    # the agenda and the roof with the majority (for), the street against it (the majority voted against)
    assert "67% — 2 з 3 голосувань" in text
    (record,) = tables(html)
    header, *rows = record
    assert header == ["Коли", "Сесія", "Питання", "Вибір", "Результат"]
    assert [row[2:] for row in rows] == [
        ["Про прийняття рішення «Про перейменування вулиці Садової» в цілому", "За", "Не прийнято"],
        ["Про прийняття рішення «Про ремонт даху ліцею № 2» в цілому", "За", "Прийнято"],
        [rows[2][2], "За", "Прийнято"],
    ]
    assert "Голосувань знайдено: 3" in text


def test_an_absent_deputy_has_no_registrations_and_no_ballots_to_agree_with(site: Site) -> None:
    hold_sitting(site)
    absent = site.world.deputies[7]

    text = text_of(site.client().get(f"/deputies/{absent.id}").get_data(as_text=True))

    assert "0% — зареєстровано на 0 з 1 засідань" in text
    assert "Відсутній" in text


def test_the_record_is_filtered_by_choice_and_session(site: Site) -> None:
    sitting = hold_sitting(site)
    dissenter = site.world.deputies[6]
    client = site.client()

    against = client.get(f"/deputies/{dissenter.id}?choice=against")
    (record,) = tables(against.get_data(as_text=True))
    assert [row[2:4] for row in record[1:]] == [
        ["Про прийняття рішення «Про перейменування вулиці Садової» в цілому", "Проти"],
        ["Про прийняття рішення «Про ремонт даху ліцею № 2» в цілому", "Проти"],
    ]
    by_session = client.get(f"/deputies/{dissenter.id}?session={sitting.plenary.id}&choice=for")
    (record,) = tables(by_session.get_data(as_text=True))
    assert len(record) == 2  # the header and the agenda's approval
    other_session = client.get(f"/deputies/{dissenter.id}?session={sitting.roof.id}")
    assert "Голосувань знайдено: 0" in text_of(other_session.get_data(as_text=True))
    # what is not a choice or a number filters nothing and breaks nothing
    odd = client.get(f"/deputies/{dissenter.id}?choice=%27%3B--&session=abc&page=-3")
    assert odd.status_code == 200
    assert "Голосувань знайдено: 3" in text_of(odd.get_data(as_text=True))


def test_the_record_is_paged(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    hold_sitting(site)
    from workflow.council.deputies import record

    monkeypatch.setattr(record, "PAGE_SIZE", 2)
    first = site.world.deputies[0]
    client = site.client()

    page_one = client.get(f"/deputies/{first.id}").get_data(as_text=True)
    page_two = client.get(f"/deputies/{first.id}?page=2").get_data(as_text=True)
    past = client.get(f"/deputies/{first.id}?page=99").get_data(as_text=True)

    assert "Сторінка 1 з 2" in text_of(page_one)
    assert 'rel="next"' in page_one
    assert len(tables(page_one)[0]) == 3
    assert len(tables(page_two)[0]) == 2
    assert 'rel="prev"' in page_two
    assert "Сторінка 2 з 2" in text_of(past)


def test_public_answers_and_the_counts_of_waiting_messages_without_the_citizens_name(site: Site) -> None:
    world = site.world
    citizen, answered = message_to_deputy(site, read=True)
    deputy = world.actor(world.deputies[0], 3)
    messages.answer(site.session, answered, deputy, "Ліхтарі полагодять до п'ятниці.", public=True, now=world.at(3))
    private = messages.write_to_deputy(
        site.session,
        world.actor(citizen),
        world.deputies[0],
        "Особисте",
        "Моя адреса: вул. Лісова, 3.",
        now=world.at(4),
    )
    messages.read_message(site.session, private, deputy, now=world.at(5))
    messages.answer(site.session, private, deputy, "Відповідаю особисто.", public=False, now=world.at(6))
    waiting = messages.write_to_deputy(
        site.session, world.actor(citizen), world.deputies[0], "Сміття", "Не вивозять сміття.", now=world.at(1)
    )
    site.commit()

    html = site.client().get(f"/deputies/{world.deputies[0].id}").get_data(as_text=True)
    text = text_of(html)

    assert "Освітлення" in text
    assert "Не світять ліхтарі." in text
    assert "Ліхтарі полагодять до п'ятниці." in text or "Ліхтарі полагодять до п&#39;ятниці." in html
    assert "відповідей: 2; медіана часу до відповіді: 2,5 дн." in text  # 3 days and 2 days
    assert "звернень: 1; найдовше чекає" in text
    for secret in (
        citizen.full_name,
        citizen.email,
        "Особисте",
        "Лісова",
        "Відповідаю особисто.",
        "Сміття",
        "Не вивозять",
    ):
        assert secret not in html, secret
    assert waiting.state == "sent"


@pytest.mark.parametrize("who", ["mayor", "secretary", "citizen", "nobody"])
def test_nobody_but_a_deputy_has_a_page(site: Site, who: str) -> None:
    world = site.world
    citizen, _message = message_to_deputy(site)
    site.commit()
    person_id = {"mayor": world.mayor.id, "secretary": world.secretary.id, "citizen": citizen.id, "nobody": 99999}[who]
    client = site.client()

    assert client.get(f"/deputies/{person_id}").status_code == 404
    assert client.get(f"/deputies/{person_id}/answers.atom").status_code == 404
    assert client.get("/deputies/0").status_code == 404
    assert client.get(f"/deputies/{2**31}").status_code == 404


def test_the_pages_speak_english_too(site: Site) -> None:
    hold_sitting(site)
    client = in_english(site.client())

    listing = client.get("/deputies").get_data(as_text=True)
    page = client.get(f"/deputies/{site.world.deputies[0].id}").get_data(as_text=True)

    assert "<title>Deputies of the council — Radaflow</title>" in listing
    assert "Voting record" in page
    assert "registered at 1 of 1 sittings" in text_of(page)


def test_walked_in_english_the_portals_pages_keep_no_ukrainian_word_outside_the_content(site: Site) -> None:
    from tests.web.site import sign_in
    from tests.web.test_i18n import ukrainian_left

    hold_sitting(site)
    world = site.world
    citizen, answered = message_to_deputy(site, read=True, password="довгий-пароль-для-тесту")
    deputy = world.actor(world.deputies[0], 3)
    messages.answer(site.session, answered, deputy, "Полагодимо.", public=True, now=world.at(3))
    waiting = messages.write_to_deputy(
        site.session, world.actor(citizen), world.deputies[0], "Сміття", "Не вивозять.", now=world.at(4)
    )
    site.commit()
    visitor = in_english(site.client())
    pages = {
        "deputies": visitor.get("/deputies"),
        "deputy": visitor.get(f"/deputies/{world.deputies[0].id}"),
        "filtered": visitor.get(f"/deputies/{world.deputies[0].id}?choice=against"),
        "register": visitor.get("/register"),
        "register refused": visitor.post(
            "/register",
            data={"full_name": "", "email": "", "password": "", "csrf_token": form_token(visitor, "/register")},
        ),
        "seals": visitor.get("/seals?document=1"),
    }
    writer = in_english(site.client())
    sign_in(writer, citizen)
    pages |= {
        "my messages": writer.get("/my/messages"),
        "deputy to write to": writer.get(f"/deputies/{world.deputies[0].id}"),
    }
    member = in_english(site.client())
    sign_in(member, world.deputies[0])
    pages |= {"inbox": member.get("/cabinet/messages"), "message": member.get(f"/cabinet/messages/{waiting.id}")}

    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    assert {name: text for name, text in html.items() if '<html lang="en">' not in text} == {}
    assert {name: ukrainian_left(text) for name, text in html.items() if ukrainian_left(text)} == {}
    assert "Voting record" in html["deputy"]
    assert "Write your name." in html["register refused"]
    assert "Mark as read and answer" in html["message"]


def test_a_deputys_page_costs_the_same_statements_however_many_votes_are_on_the_record(site: Site) -> None:
    first = site.world.deputies[0]
    client = site.client()
    none = page_statements(site, client, f"/deputies/{first.id}")

    hold_sitting(site)  # three roll calls on the record
    some = page_statements(site, client, f"/deputies/{first.id}")

    assert len(tables(client.get(f"/deputies/{first.id}").get_data(as_text=True))[0]) == 1 + 3
    assert some == none


def test_the_record_s_summary_in_one_pass_says_what_each_of_its_queries_says(site: Site) -> None:
    from workflow.council.deputies.record import agreement, record_sessions, record_summary, voting_record

    sitting = hold_sitting(site)
    for deputy in site.world.deputies[:8]:
        summary = record_summary(site.session, deputy.id)
        assert summary.agreement == agreement(site.session, deputy.id)
        assert summary.sessions == record_sessions(site.session, deputy.id)
        for choice in (None, "for", "against", "abstain", "not_voted", "absent"):
            for session_id in (None, sitting.plenary.id, sitting.plenary.id + 1000):
                counted = voting_record(site.session, deputy.id, choice=choice, session_id=session_id).total
                assert summary.total(choice, session_id) == counted
