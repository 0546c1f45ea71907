"""Members voting from their own cabinets: the secretary opens the question, each registered member casts one
ballot, the secretary closes it and the vote is recorded from what was cast; an unregistered member, a member
with a conflict of interest, a second ballot and a ballot after the close are refused and change nothing."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.cabinet.sitting import console, flash_of, nothing_changes, post, refusal_of, sitting
from tests.web.site import page_of, sign_in, stored, text_of
from workflow.council.sittings.conflicts import declare_conflict
from workflow.council.sittings.console_models import CastBallot, OpenVote, VoteSource
from workflow.council.sittings.models import Ballot, Vote


def signed_in(site, person):
    client = site.client()
    sign_in(client, person)
    return client


def opened(site, plenary, item):
    """The secretary opens the item's question to the cabinets; returns the secretary's client and the row."""
    client = signed_in(site, site.world.secretary)
    done = post(client, console(plenary) + "/vote/open", {"purpose": "decision", "subject": str(item.id)})
    assert done.status_code == 302
    with site.app.extensions["radaflow"].sessions() as session:
        row = session.scalar(select(OpenVote))
    return client, row


def cast(client, plenary, row, choice):
    return post(client, f"/cabinet/sessions/{plenary.id}/vote", {"open_vote": str(row.id), "choice": choice})


def test_registered_members_vote_from_their_cabinets_and_the_secretary_closes_the_vote(site):
    plenary, item = sitting(site, approved=True)
    world = site.world
    secretary, row = opened(site, plenary, item)

    member = signed_in(site, world.deputies[0])
    page = text_of(member.get(f"/cabinet/sessions/{plenary.id}/vote").get_data(as_text=True))
    assert "Ви зареєстровані на засіданні." in page
    assert item.title in page
    done = cast(member, plenary, row, "for")
    assert "Ваш голос прийнято." in flash_of(member.get(done.location).get_data(as_text=True))
    assert "Ваш голос: за." in text_of(member.get(f"/cabinet/sessions/{plenary.id}/vote").get_data(as_text=True))
    for person, choice in zip(world.members[1:6], ["for", "for", "for", "against", "abstain"], strict=True):
        assert cast(signed_in(site, person), plenary, row, choice).status_code == 302

    console_page = text_of(secretary.get(console(plenary)).get_data(as_text=True))
    assert "Проголосували: 6 з 9 зареєстрованих." in console_page
    done = post(secretary, console(plenary) + "/vote/close")
    assert "Голосування закрито і записано: «за» 4 з 9, потрібно 5: не прийнято." in flash_of(
        secretary.get(done.location).get_data(as_text=True)
    )

    assert stored(site, item)[0] == "rejected"
    with site.app.extensions["radaflow"].sessions() as session:
        vote = session.scalar(select(Vote).where(Vote.subject_id == item.id))
        assert (vote.votes_for, vote.votes_against, vote.abstained, vote.not_voted) == (4, 1, 1, 3)
        assert session.get(VoteSource, vote.id).method == "cabinets"
        assert session.get(OpenVote, row.id).vote_id == vote.id
        assert session.scalar(
            select(Ballot.choice).where(Ballot.vote_id == vote.id, Ballot.person_id == world.mayor.id)
        ) == ("not_voted")


def test_a_second_ballot_is_refused_and_changes_nothing(site):
    plenary, item = sitting(site, approved=True)
    _secretary, row = opened(site, plenary, item)
    member = signed_in(site, site.world.deputies[0])
    cast(member, plenary, row, "for")
    with nothing_changes(site):
        again = cast(member, plenary, row, "against")
    assert again.status_code == 409
    assert "ви вже проголосували з цього питання" in refusal_of(again.get_data(as_text=True))


def test_a_member_who_is_not_registered_cannot_vote(site):
    plenary, item = sitting(site, present=8, approved=True)
    _secretary, row = opened(site, plenary, item)
    mayor = signed_in(site, site.world.mayor)
    assert "Ви не зареєстровані на засіданні" in text_of(
        mayor.get(f"/cabinet/sessions/{plenary.id}/vote").get_data(as_text=True)
    )
    with nothing_changes(site):
        refused = cast(mayor, plenary, row, "for")
    assert refused.status_code == 409
    assert "ви не зареєстровані на засіданні" in refusal_of(refused.get_data(as_text=True))


def test_a_member_with_a_conflict_of_interest_cannot_vote_on_it(site):
    plenary, item = sitting(site, approved=True)
    world = site.world
    member = world.deputies[2]
    declare_conflict(
        site.session, plenary, world.actor(member, 16), item, member, "Я — директор ліцею", now=world.at(16)
    )
    site.commit()
    _secretary, row = opened(site, plenary, item)
    client = signed_in(site, member)
    with nothing_changes(site):
        refused = cast(client, plenary, row, "for")
    assert refused.status_code == 409
    assert "ви заявили про конфлікт інтересів з цього питання" in refusal_of(refused.get_data(as_text=True))


def test_a_member_declares_a_conflict_from_the_cabinet(site):
    plenary, item = sitting(site, approved=True)
    client = signed_in(site, site.world.deputies[2])
    done = post(client, f"/cabinet/sessions/{plenary.id}/conflict", {"subject": str(item.id), "statement": "Родич"})
    assert "Ваш конфлікт інтересів записано" in flash_of(client.get(done.location).get_data(as_text=True))


def test_a_ballot_after_the_close_is_refused(site):
    plenary, item = sitting(site, approved=True)
    secretary, row = opened(site, plenary, item)
    for person in site.world.members[:5]:
        cast(signed_in(site, person), plenary, row, "for")
    post(secretary, console(plenary) + "/vote/close")
    late = signed_in(site, site.world.members[6])
    with nothing_changes(site):
        refused = cast(late, plenary, row, "against")
    assert refused.status_code == 409
    assert "голосування закрито: голоси більше не приймаються" in refusal_of(refused.get_data(as_text=True))


def test_only_one_question_is_open_at_a_time_and_a_withdrawn_one_records_nothing(site):
    plenary, item = sitting(site, approved=True)
    secretary, _row = opened(site, plenary, item)
    with nothing_changes(site):
        refused = post(secretary, console(plenary) + "/vote/open", {"purpose": "decision", "subject": str(item.id)})
    assert refused.status_code == 409
    assert "відкрито голосування з іншого питання" in refusal_of(refused.get_data(as_text=True))

    post(secretary, console(plenary) + "/vote/withdraw")
    with site.app.extensions["radaflow"].sessions() as session:
        assert session.scalar(select(Vote).where(Vote.subject_id == item.id)) is None
        assert session.scalar(select(OpenVote.closed_at)) is not None
        assert session.scalar(select(CastBallot)) is None


def test_someone_who_is_not_a_member_has_no_ballot(site):
    plenary, item = sitting(site, approved=True)
    _secretary, row = opened(site, plenary, item)
    staff = signed_in(site, site.world.staff)
    assert staff.get(f"/cabinet/sessions/{plenary.id}/vote").status_code == 403
    with nothing_changes(site):
        refused = cast(staff, plenary, row, "for")
    assert refused.status_code == 403
    assert "голосують лише члени ради" in refusal_of(refused.get_data(as_text=True))


def test_a_member_finds_their_page_of_the_sitting_from_the_session_s_page(site):
    plenary, item = sitting(site, approved=True)
    world = site.world
    mine = f'<a href="/cabinet/sessions/{plenary.id}/vote">Мій голос на засіданні</a>'

    member = signed_in(site, world.deputies[2])
    assert mine in page_of(member, plenary)
    # closing the sitting is the secretary's: the member is told so, and not sent to a page that refuses him
    assert '<button type="button" disabled aria-describedby="close-why">Закрити засідання</button>' in page_of(
        member, plenary
    )
    assert f'href="/cabinet/sessions/{plenary.id}#close"' not in page_of(member, plenary)
    # from it the member declares a conflict of interest by the form, as the browser does
    page = member.get(f"/cabinet/sessions/{plenary.id}/vote").get_data(as_text=True)
    assert f'<option value="{item.id}">{item.title}</option>' in page

    secretary = signed_in(site, world.secretary)
    page = page_of(secretary, plenary)
    assert f'<a href="/cabinet/sessions/{plenary.id}">Порядок денний, закриття засідання і протокол сесії</a>' in page
    assert f'<a href="/cabinet/sessions/{plenary.id}/sitting">Пульт засідання</a>' in page
    # while an item waits for its vote the sitting is not closed, and the page says why
    assert '<button type="button" disabled aria-describedby="close-why">Закрити засідання</button>' in page
    assert "пунктів порядку денного без результату: 1" in page
    assert "/vote" not in page  # the test council's secretary is no member of it: no ballot of theirs
    # the console leads back to the session's page, where the sitting is closed
    assert f'href="/cabinet/sessions/{plenary.id}"' in console_page(secretary, plenary)

    staff = signed_in(site, world.staff)
    assert "/vote" not in page_of(staff, plenary)
    assert "Пульт засідання" not in page_of(staff, plenary)


def test_an_agenda_item_s_page_sends_the_secretary_to_the_console_for_its_moves(site):
    plenary, item = sitting(site, approved=True)
    secretary = signed_in(site, site.world.secretary)

    page = page_of(secretary, item)

    assert "виконується на окремому робочому місці:" in page
    assert f'<a href="/cabinet/sessions/{plenary.id}/sitting">відкрити його</a>' in page
    assert "якого в кабінеті ще немає" not in text_of(page)


def console_page(client, plenary):
    return client.get(console(plenary)).get_data(as_text=True)
