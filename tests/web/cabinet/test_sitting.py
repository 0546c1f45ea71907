"""The secretary's sitting console: attendance and the quorum, the agenda approved by vote, each item's reporter
and conflicts of interest, the vote by ticked ballots with its arithmetic, postponing, removing and adding items,
and a veto override — and every refusal, in the reader's language, changing nothing."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.cabinet.sitting import (
    DAY,
    ballots_form,
    console,
    flash_of,
    nothing_changes,
    post,
    refusal_of,
    sitting,
)
from tests.web.cabinet.test_work_queries import statements
from tests.web.site import in_english, sign_in, stored, text_of
from workflow.council.sittings import sessions
from workflow.council.sittings.console_models import ConflictDeclaration, VoteSource
from workflow.council.sittings.models import AgendaItem, Ballot, Vote
from workflow.council.sittings.votes import hold_vote, presence
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.people import Person


def secretary_client(site):
    client = site.client()
    sign_in(client, site.world.secretary)
    return client


# --- the page and who may use it ----------------------------------------------------------------------------
def test_the_console_shows_the_quorum_the_members_and_the_agenda_with_its_reporter(site):
    plenary, item = sitting(site, present=6)
    client = secretary_client(site)

    page = text_of(client.get(console(plenary)).get_data(as_text=True))

    assert "Зареєстровано 6 з 9; для кворуму потрібно 5: кворум є." in page
    assert item.title in page
    assert site.world.deputies[0].full_name in page  # the reporter
    assert "Проголосувати за затвердження порядку денного" in page


def test_an_item_with_no_reporter_named_is_reported_by_its_draft_s_author_as_on_the_session_s_page(site):
    plenary, item = sitting(site, present=6)
    site.session.get(AgendaItem, item.id).reporter_id = None
    site.commit()
    draft = site.session.get(Document, site.session.get(AgendaItem, item.id).draft_id)
    author = site.session.get(Person, draft.author_id)
    client = secretary_client(site)

    row = re.search(r"<tr>\s*<td>1</td>.*?</tr>", client.get(console(plenary)).get_data(as_text=True), re.S)

    assert row is not None
    assert f"<td data-content>{author.full_name}</td>" in row.group(0)
    assert author.full_name in text_of(client.get(f"/cabinet/sessions/{plenary.id}").get_data(as_text=True))


def test_the_console_is_the_secretarys_a_deputy_is_told_so_and_cannot_post_to_it(site):
    plenary, _item = sitting(site, present=6)
    client = site.client()
    sign_in(client, site.world.deputies[0])

    page = client.get(console(plenary))
    assert page.status_code == 403
    assert "пульт засідання — робоче місце секретаря ради" in text_of(page.get_data(as_text=True))

    with nothing_changes(site):
        refused = post(client, console(plenary) + "/attendance", {"all": "1"})
    assert refused.status_code == 403
    assert "пульт засідання — робоче місце секретаря ради" in refusal_of(refused.get_data(as_text=True))


def test_a_document_that_is_not_a_session_has_no_console(site):
    _plenary, item = sitting(site)
    assert secretary_client(site).get(console(item)).status_code == 404
    assert secretary_client(site).get("/cabinet/sessions/99999999999/sitting").status_code == 404


# --- attendance -----------------------------------------------------------------------------------------------
def test_everyone_present_then_the_exceptions_unticked(site):
    plenary, _item = sitting(site, present=0)
    client = secretary_client(site)
    members = site.world.members

    done = post(client, console(plenary) + "/attendance", {"all": "1"}, follow_redirects=True)
    assert "Зареєстровано 9 з 9" in text_of(done.get_data(as_text=True))

    present = [str(p.id) for p in members[2:]]
    done = post(client, console(plenary) + "/attendance", {"present": present}, follow_redirects=True)
    page = text_of(done.get_data(as_text=True))
    assert "Зареєстровано 7 з 9; для кворуму потрібно 5: кворум є." in page
    with site.app.extensions["radaflow"].sessions() as session:
        now = presence(session, plenary.id)
    assert [now[p.id] for p in members] == [False, False, *[True] * 7]


def test_registering_someone_who_is_not_a_member_is_refused_and_changes_nothing(site):
    plenary, _item = sitting(site, present=0)
    client = secretary_client(site)
    with nothing_changes(site):
        refused = post(client, console(plenary) + "/attendance", {"present": [str(site.world.staff.id)]})
    assert refused.status_code == 422
    assert "реєструють лише членів ради" in refusal_of(refused.get_data(as_text=True))


# --- votes by ticking ---------------------------------------------------------------------------------------
def test_all_for_then_the_exceptions_approves_the_agenda_with_its_arithmetic(site):
    plenary, item = sitting(site, present=8)
    client = secretary_client(site)
    world = site.world

    form = text_of(
        client.get(f"{console(plenary)}/vote?purpose=approve_agenda&subject={plenary.id}&preset=for").get_data(
            as_text=True
        )
    )
    assert "Про затвердження порядку денного" in form
    assert "відсутній (не зареєстрований(-а))" in form  # the mayor, the ninth, is not registered

    ballots = {p.id: "for" for p in world.members[:8]}
    ballots[world.deputies[7].id] = "against"
    done = post(
        client,
        console(plenary) + "/vote/ticked",
        ballots_form("approve_agenda", plenary, ballots),
        follow_redirects=True,
    )

    assert "Голосування записано: «за» 7 з 9, потрібно 5: прийнято." in flash_of(done.get_data(as_text=True))
    assert stored(site, item)[0] == "included"
    with site.app.extensions["radaflow"].sessions() as session:
        vote = session.scalar(select(Vote).where(Vote.session_id == plenary.id))
        assert (vote.votes_for, vote.votes_against, vote.absent) == (7, 1, 1)
        assert session.get(VoteSource, vote.id).method == "ticked"


def test_the_vote_on_an_item_adopts_it_and_its_draft(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    ballots = {p.id: "for" for p in site.world.members}

    done = post(
        client, console(plenary) + "/vote/ticked", ballots_form("decision", item, ballots), follow_redirects=True
    )

    assert "«за» 9 з 9, потрібно 5: прийнято" in flash_of(done.get_data(as_text=True))
    assert stored(site, item)[0] == "adopted"


def test_in_english_the_arithmetic_reads_in_english(site):
    plenary, item = sitting(site, approved=True)
    client = in_english(secretary_client(site))
    ballots = {p.id: "for" for p in site.world.members[:4]}
    done = post(
        client, console(plenary) + "/vote/ticked", ballots_form("decision", item, ballots), follow_redirects=True
    )
    assert "The vote is recorded: for 4 of 9, 5 needed: not adopted." in flash_of(done.get_data(as_text=True))


def test_a_vote_without_quorum_is_refused_and_changes_nothing(site):
    plenary, item = sitting(site, present=9, approved=True)
    world = site.world
    for person in world.members[4:]:
        sessions.register(
            site.session, plenary, world.actor(world.secretary, DAY), person, present=False, now=world.at(DAY)
        )
    site.commit()
    client = secretary_client(site)

    with nothing_changes(site):
        refused = post(
            client,
            console(plenary) + "/vote/ticked",
            ballots_form("decision", item, {p.id: "for" for p in world.members[:4]}),
        )

    assert refused.status_code == 409
    assert "немає кворуму: зареєстровано 4 з 9 членів, потрібно щонайменше 5" in refusal_of(
        refused.get_data(as_text=True)
    )


def test_a_ballot_of_an_unregistered_member_is_refused_and_changes_nothing(site):
    plenary, item = sitting(site, present=8, approved=True)
    client = secretary_client(site)
    ballots = {p.id: "for" for p in site.world.members}  # the mayor is not registered

    with nothing_changes(site):
        refused = post(client, console(plenary) + "/vote/ticked", ballots_form("decision", item, ballots))

    assert refused.status_code == 422
    assert f"не зареєстровані члени не можуть голосувати: {site.world.mayor.full_name}" in refusal_of(
        refused.get_data(as_text=True)
    )


def test_a_ballot_the_form_does_not_offer_is_refused(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    with nothing_changes(site):
        refused = post(
            client,
            console(plenary) + "/vote/ticked",
            {"purpose": "decision", "subject": str(item.id), f"ballot-{site.world.mayor.id}": "maybe"},
        )
    assert refused.status_code == 422


def test_the_secretary_alone_records_a_vote(site):
    plenary, item = sitting(site, approved=True)
    client = site.client()
    sign_in(client, site.world.deputies[1])
    with nothing_changes(site):
        refused = post(
            client,
            console(plenary) + "/vote/ticked",
            ballots_form("decision", item, {p.id: "for" for p in site.world.members}),
        )
    assert refused.status_code == 403


def test_a_second_vote_on_the_same_question_is_refused(site):
    plenary, _item = sitting(site, approved=True)
    client = secretary_client(site)
    with nothing_changes(site):
        refused = post(
            client,
            console(plenary) + "/vote/ticked",
            ballots_form("approve_agenda", plenary, {p.id: "for" for p in site.world.members}),
        )
    assert refused.status_code == 409
    assert "рада вже проголосувала з цього питання (прийнято: прийнято: за — 9" in refusal_of(
        refused.get_data(as_text=True)
    )


# --- conflicts of interest ----------------------------------------------------------------------------------
def test_a_member_with_a_conflict_of_interest_does_not_vote_and_the_record_keeps_it(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    member = site.world.deputies[3]

    done = post(
        client,
        console(plenary) + "/conflicts",
        {"member": str(member.id), "subject": str(item.id), "statement": "Мій брат — підрядник"},
        follow_redirects=True,
    )
    assert f"Конфлікт інтересів: {member.full_name}" in flash_of(done.get_data(as_text=True))

    form = text_of(client.get(f"{console(plenary)}/vote?purpose=decision&subject={item.id}").get_data(as_text=True))
    assert "заявив(-ла) про конфлікт інтересів: не голосує" in form

    everyone = {p.id: "for" for p in site.world.members}
    with nothing_changes(site):
        refused = post(client, console(plenary) + "/vote/ticked", ballots_form("decision", item, everyone))
    assert refused.status_code == 422
    assert f"{member.full_name} заявили про конфлікт інтересів" in refusal_of(refused.get_data(as_text=True))

    del everyone[member.id]
    post(client, console(plenary) + "/vote/ticked", ballots_form("decision", item, everyone))
    with site.app.extensions["radaflow"].sessions() as session:
        declaration = session.scalar(select(ConflictDeclaration))
        assert (declaration.person_id, declaration.subject_id, declaration.statement) == (
            member.id,
            item.id,
            "Мій брат — підрядник",
        )
        vote = session.scalar(select(Vote).where(Vote.subject_id == item.id))
        choice = session.scalar(select(Ballot.choice).where(Ballot.vote_id == vote.id, Ballot.person_id == member.id))
        assert (vote.votes_for, choice) == (8, "not_voted")


def test_a_conflict_without_a_statement_or_declared_twice_is_refused(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    member = site.world.deputies[3]
    form = {"member": str(member.id), "subject": str(item.id)}
    with nothing_changes(site):
        refused = post(client, console(plenary) + "/conflicts", {**form, "statement": "  "})
    assert refused.status_code == 422
    post(client, console(plenary) + "/conflicts", {**form, "statement": "Родинні зв'язки"})
    with nothing_changes(site):
        again = post(client, console(plenary) + "/conflicts", {**form, "statement": "Ще раз"})
    assert again.status_code == 422
    assert "вже заявив(-ла) про конфлікт інтересів" in refusal_of(again.get_data(as_text=True))


# --- items: postponed, removed, added -----------------------------------------------------------------------
def test_an_item_is_postponed_with_its_reason_and_not_without(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    url = f"{console(plenary)}/items/{item.id}/postpone"

    with nothing_changes(site):
        refused = post(client, url, {"reason": ""})
    assert refused.status_code == 422
    assert "скажіть чому" in refusal_of(refused.get_data(as_text=True))

    done = post(client, url, {"reason": "Доповідач хворий"}, follow_redirects=True)
    assert "перенесено" in flash_of(done.get_data(as_text=True))
    assert stored(site, item)[0] == "postponed"


def test_an_item_is_added_during_the_sitting_by_a_procedural_vote(site):
    plenary, _item = sitting(site, approved=True)
    world = site.world
    other = world.reviewed_draft("Про найменування скверу")
    site.commit()
    client = secretary_client(site)

    page = text_of(client.get(console(plenary)).get_data(as_text=True))
    assert "Про найменування скверу" in page
    done = post(
        client,
        console(plenary) + "/vote/ticked",
        ballots_form("add_item", other, {p.id: "for" for p in world.members}),
        follow_redirects=True,
    )

    assert "прийнято" in flash_of(done.get_data(as_text=True))
    assert stored(site, other)[0] == "on_agenda"
    agenda = [(d.title, d.state) for _i, d in sessions.agenda(site.session, plenary)]
    assert ("Про найменування скверу", "included") in agenda


def test_a_veto_is_overridden_by_two_thirds(site):
    plenary, item = sitting(site, approved=True)
    world = site.world
    secretary = world.actor(world.secretary, DAY)
    sessions.vote_on_item(site.session, plenary, secretary, item, world.ballots(for_=9), now=world.at(DAY))
    draft = site.session.get(type(item), item.fields["draft_id"])
    fire(
        site.session, draft, "veto", world.actor(world.mayor, DAY), comment="Суперечить бюджету", now=world.at(DAY + 1)
    )
    site.commit()
    client = secretary_client(site)

    page = text_of(client.get(console(plenary)).get_data(as_text=True))
    assert "Проголосувати за подолання вета (дві третини)" in page
    ballots = {p.id: "for" for p in world.members[:5]}
    done = post(
        client, console(plenary) + "/vote/ticked", ballots_form("veto_override", draft, ballots), follow_redirects=True
    )
    assert "«за» 5 з 9, потрібно 6: не прийнято" in flash_of(done.get_data(as_text=True))
    assert stored(site, draft)[0] == "vetoed"


def test_the_ballot_form_holds_120_members(site):
    """A large council: the form and the vote for 120 members (defaults from the registration)."""
    plenary, item = sitting(site, approved=True)
    world = site.world
    secretary = world.actor(world.secretary, DAY)
    from workflow.council.organisation import setup

    extra = [
        setup.add_person(site.session, f"Депутат {i:03d}", email=f"d{i}@rada.example", roles=["deputy"])
        for i in range(111)
    ]
    for person in extra:
        sessions.register(site.session, plenary, secretary, person, now=world.at(DAY))
    site.commit()
    client = secretary_client(site)
    form = client.get(f"{console(plenary)}/vote?purpose=decision&subject={item.id}&preset=for").get_data(as_text=True)
    assert form.count('value="for" checked') == 120
    everyone = {p.id: "for" for p in [*world.members, *extra]}
    done = post(client, console(plenary) + "/vote/ticked", ballots_form("decision", item, everyone))
    assert done.status_code == 302
    with site.app.extensions["radaflow"].sessions() as session:
        assert session.scalar(select(Vote.votes_for).where(Vote.subject_id == item.id)) == 120


def test_a_vote_held_elsewhere_is_no_business_of_the_console(site):
    """A hold_vote straight through the domain is listed with its arithmetic on the console too."""
    plenary, item = sitting(site, approved=True)
    world = site.world
    fire(site.session, item, "consider", world.actor(world.secretary, DAY), now=world.at(DAY))
    hold_vote(
        site.session,
        plenary,
        world.actor(world.secretary, DAY),
        purpose="decision",
        subject=item,
        question="Про прийняття рішення",
        ballots=world.ballots(for_=6, against=3),
        now=world.at(DAY),
    )
    site.commit()
    page = text_of(secretary_client(site).get(console(plenary)).get_data(as_text=True))
    assert "«за» 6 з 9, потрібно 5: прийнято" in page


def test_recording_a_vote_writes_its_ballots_at_once_and_reads_the_registration_once(site):
    plenary, item = sitting(site, approved=True)
    client = secretary_client(site)
    ballots = {p.id: "for" for p in site.world.members}

    with statements(site) as sent:
        done = post(client, console(plenary) + "/vote/ticked", ballots_form("decision", item, ballots))

    assert done.status_code == 302
    assert stored(site, item)[0] == "adopted"
    assert len(site.session.scalars(select(Ballot).join(Vote).where(Vote.subject_id == item.id)).all()) == 9
    if site.session.get_bind().dialect.name == "postgresql":  # (SQLite's driver takes the rows one by one)
        assert sum(s.startswith("INSERT INTO ballots") for s in sent) == 1  # one statement for the 9 ballots
    assert sum(s.startswith("SELECT attendance.person_id") for s in sent) == 1  # the quorum checked once
