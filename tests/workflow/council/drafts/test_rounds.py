"""Rounds and what came first are ordered by the audit log's versions, never by clocks: moves made at the same
moment, or by a clock that went back, still tell a round's visas from an earlier round's, the latest publication
from an earlier one, a committee's vote from a change after it, and an item proposed after the agenda's approval."""

from __future__ import annotations

import pytest

from tests.workflow.council.sittings.test_votes import DAY
from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_committee_vote
from workflow.definitions.catalog import GuardContext
from workflow.engine import edit_document, fire
from workflow.errors import GuardFailed
from workflow.notifications.recipients import recipients


def reviewer_of(world, visa):
    return world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant


def returned_and_resubmitted(world, first_day, second_day):
    """A draft submitted on `first_day`, returned by the lawyer that day, submitted again on `second_day`."""
    author = world.actor(world.staff)
    draft = drafts.write_draft(world.session, author, "Про сквер", "Облаштувати сквер.", now=world.at(first_day))
    legal, _finance = drafts.submit_draft(world.session, draft, author, now=world.at(first_day))
    fire(world.session, legal, "return", world.actor(world.lawyer), comment="Уточніть площу", now=world.at(first_day))
    visas = drafts.submit_draft(world.session, draft, author, now=world.at(second_day))
    return draft, visas


def test_a_round_resubmitted_at_the_same_moment_is_judged_by_its_own_visas(session, world):
    draft, visas = returned_and_resubmitted(world, 0, 0)
    for visa in visas:
        fire(session, visa, "give", world.actor(reviewer_of(world, visa)), now=world.at(0))

    # the returned visa of the first round, made at the same moment, is not one of this round's
    fire(session, draft, "publish_for_discussion", world.actor(world.secretary), now=world.at(0))
    assert draft.state == "public_discussion"


def test_a_round_begun_by_a_clock_that_went_back_still_asks_its_reviewers(session, world):
    draft, _visas = returned_and_resubmitted(world, 1, 0)  # the first round was timed a day ahead

    context = GuardContext(session, draft, world.actor(world.secretary), world.at(0), {})
    assert CATALOG.guards["all_visas_given"].check(context) == "2 of 2 visas are still awaited"
    told = recipients(session, draft, ["reviewer"], now=world.at(0))
    assert {p.id for p in told} == {world.lawyer.id, world.accountant.id}


def test_the_latest_publication_counts_even_if_an_earlier_one_was_timed_later(session, world, unchanged):
    secretary = world.actor(world.secretary)
    # published first by a clock set three weeks ahead, then returned, and published again on day 0
    draft = world.published_draft(days=21)
    drafts.return_for_revision(session, draft, secretary, "Помилка в тексті", now=world.at(21))
    author = world.actor(world.staff)
    for visa in drafts.submit_draft(session, draft, author, now=world.at(0)):
        fire(session, visa, "give", world.actor(reviewer_of(world, visa)), now=world.at(0))
    fire(session, draft, "publish_for_discussion", secretary, now=world.at(0))
    (conclusion,) = drafts.send_to_committees(session, draft, secretary, world.budget, now=world.at(1))
    chair = world.actor(world.deputies[0])
    edit_document(
        session, conclusion, chair, fields={"recommendation": "support", "body": "Підтримати."}, now=world.at(1)
    )
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Підтримати",
        ballots={p.id: "for" for p in world.deputies[:4]},
        now=world.at(1),
    )
    fire(session, conclusion, "discuss", chair, now=world.at(1))
    fire(session, conclusion, "sign", chair, now=world.at(1))
    plenary = world.planned_session(number=12, days=DAY)

    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    assert draft.state == "on_agenda"  # published on day 0: ten working days before day 16


def test_a_conclusion_sent_back_at_the_moment_of_its_vote_needs_a_new_vote(session, world, unchanged):
    draft = world.published_draft()
    (conclusion,) = drafts.send_to_committees(
        session, draft, world.actor(world.secretary), world.budget, now=world.at(1)
    )
    chair = world.actor(world.deputies[0])
    edit_document(
        session, conclusion, chair, fields={"recommendation": "support", "body": "Підтримати."}, now=world.at(1)
    )
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Підтримати",
        ballots={p.id: "for" for p in world.deputies[:4]},
        now=world.at(1),
    )
    fire(session, conclusion, "discuss", chair, now=world.at(1))
    fire(session, conclusion, "send_back", chair, comment="Додати розрахунок", now=world.at(1))  # the same moment

    with unchanged(), pytest.raises(GuardFailed, match="the conclusion changed after the committee voted on it"):
        fire(session, conclusion, "discuss", chair, now=world.at(1))


def test_an_item_proposed_at_the_moment_the_agenda_was_approved_must_be_voted_in(session, world, unchanged):
    first, second = world.reviewed_draft(), world.reviewed_draft("Про облаштування зупинки")
    plenary = world.planned_session(number=12, days=DAY)
    secretary = world.actor(world.secretary, DAY)
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), first, now=world.at(5))
    world.open(plenary, days=DAY)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(DAY))
    late = sessions.add_to_agenda(session, plenary, secretary, second, now=world.at(DAY))  # the same moment

    with unchanged(), pytest.raises(GuardFailed, match="proposed after the agenda was approved"):
        fire(session, late, "include", secretary, now=world.at(DAY))
