"""A decision's public path, read from the draft's audit log in the order of its versions: what the public is told
at each step, and nothing said inside (remarks, visas awaited, conclusions not signed)."""

from __future__ import annotations

import uuid

from workflow.council.discussion import discussion
from workflow.council.drafts import drafts
from workflow.council.organisation import setup
from workflow.council.path.path import decision_path
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_committee_vote, hold_vote
from workflow.engine import edit_document, fire


def citizen(world):
    person = setup.add_person(
        world.session, "Галина Остапчук", email=f"{uuid.uuid4().hex[:10]}@ex.org", roles=["citizen"]
    )
    return world.actor(person)


def adopted(world, *, returned_first=False):
    """A draft through its whole way to the council's vote (adopted 6 for, 2 against, 1 abstained) on day 16."""
    session = world.session
    title = "Про ремонт даху ліцею № 2"
    if returned_first:
        author = world.actor(world.staff)
        draft = drafts.write_draft(session, author, title, "Виділити кошти.", now=world.at(0))
        legal = next(
            v
            for v in drafts.submit_draft(session, draft, author, now=world.at(0))
            if v.fields["department_kind"] == "legal"
        )
        fire(session, legal, "return", world.actor(world.lawyer), comment="Немає джерела коштів", now=world.at(0))
        session.refresh(draft)
        for visa in drafts.submit_draft(session, draft, author, now=world.at(0)):
            reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
            fire(session, visa, "give", world.actor(reviewer), now=world.at(0))
        fire(session, draft, "publish_for_discussion", world.actor(world.secretary), now=world.at(0))
    else:
        draft = world.published_draft(title)
    who = citizen(world)
    for position in ("for", "for", "against"):
        discussion.post_comment(session, draft, who, name="Галина", position=position, text="Думка", now=world.at(0.5))
    hidden = discussion.post_comment(
        session, draft, who, name="Галина", position="neutral", text="Лайка", now=world.at(0.5)
    )
    discussion.hide_comment(session, draft, hidden, world.actor(world.secretary), "Лайка", now=world.at(0.6))
    (conclusion, advisory) = drafts.send_to_committees(
        session, draft, world.actor(world.secretary, 1), world.budget, [world.education], now=world.at(1)
    )
    chair = world.actor(world.deputies[0], 1)

    edit_document(
        session, conclusion, chair, fields={"recommendation": "support", "body": "Підтримати."}, now=world.at(1)
    )
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Підтримати",
        ballots={world.deputies[i].id: "for" for i in range(4)},
        now=world.at(1),
    )
    fire(session, conclusion, "discuss", chair, now=world.at(1))
    fire(session, conclusion, "sign", chair, now=world.at(1))
    edu = world.actor(world.deputies[4], 1)
    edit_document(session, advisory, edu, fields={"recommendation": "reject", "body": "Чернетка"}, now=world.at(1))
    return draft, advisory


def voted(world, draft):
    """Cancel the advisory conclusion's wait, put the draft on session № 12 and adopt it."""
    session = world.session
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    secretary = world.actor(world.secretary, 16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    sessions.vote_on_item(
        session, plenary, secretary, item, world.ballots(for_=6, against=2, abstain=1), now=world.at(16)
    )
    return plenary


def test_the_path_of_a_signed_and_published_decision_in_the_order_of_the_log(session, world):
    draft, advisory = adopted(world)
    fire(session, advisory, "cancel", world.actor(world.secretary, 2), comment="Не потрібен", now=world.at(2))
    voted(world, draft)
    fire(session, draft, "sign", world.actor(world.mayor, 17), now=world.at(17))
    fire(session, draft, "publish", world.actor(world.secretary, 18), now=world.at(18))

    path = decision_path(session, draft, now=world.at(20))

    assert [step.kind for step in path.steps] == [
        "initiated",
        "visas",
        "discussion",
        "committees",
        "agenda",
        "adopted",
        "signed",
        "published",
    ]
    assert [s.version for s in path.steps] == sorted(s.version for s in path.steps)
    initiated, visas, talk, committees, agenda, vote, signed, published = path.steps
    assert (initiated.by, initiated.by_id) == (world.staff.full_name, world.staff.id)
    assert sorted(v.department for v in visas.visas) == ["Фінансове управління", "Юридичний відділ"]
    assert talk.tally == discussion.Tally(votes_for=2, against=1, neutral=0, hidden=1)
    assert (talk.period.ends_on.isoformat(), talk.period.days_left) == ("2026-03-16", 0)
    [lead] = committees.conclusions  # the cancelled advisory conclusion is no part of it
    assert (lead.committee, lead.lead, lead.signed, lead.recommendation, lead.text) == (
        "З питань бюджету",
        True,
        True,
        "support",
        "Підтримати.",
    )
    assert agenda.session_number == 12
    assert (vote.vote.result, vote.vote.votes_for, vote.vote.against, vote.vote.abstained) == ("adopted", 6, 2, 1)
    assert len(vote.vote.ballots) == 9
    assert {pid: choice for pid, _name, choice in vote.vote.ballots}[world.mayor.id] == "abstain"
    assert (signed.by, signed.number) == (world.mayor.full_name, "№ 1-12-VIII")
    assert published.kind == "published"


def test_nothing_said_inside_reaches_the_path(session, world):
    draft, _advisory = adopted(world, returned_first=True)

    path = decision_path(session, draft, now=world.at(2))

    kinds = [step.kind for step in path.steps]
    assert kinds == ["initiated", "visas", "discussion", "committees"]  # the return before publication stays inside
    assert len(path.of("visas")[0].visas) == 2  # the round that led to the publication, not the returned one
    conclusions = {c.committee: c for c in path.of("committees")[0].conclusions}
    unsigned = conclusions["З питань освіти"]
    assert (unsigned.signed, unsigned.recommendation, unsigned.text) == (False, None, None)
    everything = repr(path)
    for inside in ("Немає джерела коштів", "Чернетка", "Лайка"):
        assert inside not in everything


def test_a_veto_and_its_override_with_the_second_roll_call(session, world):
    draft, advisory = adopted(world)
    fire(session, advisory, "cancel", world.actor(world.secretary, 2), comment="Не потрібен", now=world.at(2))
    plenary = voted(world, draft)
    fire(session, draft, "veto", world.actor(world.mayor, 16), comment="Суперечить бюджету", now=world.at(16))
    hold_vote(
        session,
        plenary,
        world.actor(world.secretary, 16),
        purpose="veto_override",
        subject=draft,
        question="Про подолання вето",
        ballots=world.ballots(for_=7, against=2),
        threshold="two_thirds",
        now=world.at(16),
    )
    fire(session, draft, "override_veto", world.actor(world.secretary, 16), now=world.at(16))

    path = decision_path(session, draft, now=world.at(17))

    assert [step.kind for step in path.steps][-3:] == ["adopted", "vetoed", "override"]
    vetoed, override = path.steps[-2:]
    assert vetoed.by == world.mayor.full_name
    assert (override.vote.purpose, override.vote.threshold, override.vote.votes_for) == (
        "veto_override",
        "two_thirds",
        7,
    )
    assert override.number == "№ 1-12-VIII"
    assert "Суперечить бюджету" not in repr(path)


def test_a_rejected_draft_ends_its_path_with_the_vote_that_rejected_it(session, world):
    draft, advisory = adopted(world)
    fire(session, advisory, "cancel", world.actor(world.secretary, 2), comment="Не потрібен", now=world.at(2))
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    secretary = world.actor(world.secretary, 16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    sessions.vote_on_item(session, plenary, secretary, item, world.ballots(for_=3, against=6), now=world.at(16))

    last = decision_path(session, draft, now=world.at(17)).steps[-1]

    assert (last.kind, last.vote.result, last.vote.votes_for, last.vote.against) == ("rejected", "rejected", 3, 6)
    assert last.number is None
