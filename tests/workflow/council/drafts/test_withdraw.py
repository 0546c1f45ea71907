"""A draft withdrawn by its author or returned for revision, saying why: what was still asked for that text (visas,
committee conclusions, its place on an agenda) is asked no more, so nobody is reminded of, or kept waiting for,
a text that is gone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.council.drafts import drafts
from workflow.council.drafts.amendments import propose_amendment
from workflow.council.effects import HANDLERS
from workflow.council.sittings import sessions
from workflow.engine import fire
from workflow.engine.models import OutboxRow
from workflow.engine.outbox import carry_out
from workflow.errors import InvalidInput


def test_withdrawing_a_draft_awaiting_visas_cancels_them(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
    visas = drafts.submit_draft(session, draft, author, now=world.at(0))

    drafts.withdraw_draft(
        session, draft, world.actor(world.staff, 1), "Кошти знайдено в іншій програмі", now=world.at(1)
    )

    assert draft.state == "withdrawn"
    assert [(v.state, v.due_at) for v in visas] == [("cancelled", None), ("cancelled", None)]


def test_withdrawing_a_draft_in_committee_review_cancels_the_conclusions_awaited(session, world):
    draft = world.published_draft()
    conclusions = drafts.send_to_committees(
        session, draft, world.actor(world.secretary), world.budget, [world.education], now=world.at(1)
    )

    drafts.withdraw_draft(session, draft, world.actor(world.staff, 2), "Питання вирішено", now=world.at(2))

    assert [c.state for c in conclusions] == ["cancelled", "cancelled"]


def test_a_withdrawal_without_a_reason_is_refused_and_asks_on(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
    visas = drafts.submit_draft(session, draft, author, now=world.at(0))

    with pytest.raises(InvalidInput, match="needs a comment saying why"):
        drafts.withdraw_draft(session, draft, author, "  ", now=world.at(1))

    assert draft.state == "visas"
    assert [v.state for v in visas] == ["requested", "requested"]


def test_withdrawing_a_draft_on_the_agenda_takes_its_item_off(session, world):
    plenary = world.planned_session()
    draft = world.reviewed_draft()
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))

    drafts.withdraw_draft(session, draft, world.actor(world.staff, 6), "Питання вирішено", now=world.at(6))

    assert (draft.state, item.state) == ("withdrawn", "removed")


def test_a_draft_returned_for_revision_is_asked_for_nothing_more_until_it_is_submitted_again(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
    legal, finance = drafts.submit_draft(session, draft, author, now=world.at(0))
    drafts.return_for_revision(
        session, draft, world.actor(world.secretary, 1), "Бракує фінансового обґрунтування", now=world.at(1)
    )

    assert (draft.state, legal.state, finance.state) == ("drafting", "cancelled", "cancelled")
    assert [v.state for v in drafts.submit_draft(session, draft, author, now=world.at(2))] == ["requested"] * 2


def test_a_reviewer_s_returned_visa_sends_the_draft_back_and_the_other_department_is_asked_no_more(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
    legal, finance = drafts.submit_draft(session, draft, author, now=world.at(0))

    fire(session, legal, "return", world.actor(world.lawyer, 1), comment="Уточніть площу", now=world.at(1))
    carry_out(session, HANDLERS, now=world.at(1))

    assert (draft.state, legal.state, finance.state) == ("drafting", "returned", "cancelled")


def test_a_draft_on_the_agenda_returned_for_revision_leaves_the_agenda(session, world):
    plenary = world.planned_session()
    draft = world.reviewed_draft()
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))

    drafts.return_for_revision(
        session, draft, world.actor(world.secretary, 6), "Комісія просить доопрацювати", now=world.at(6)
    )

    assert (draft.state, item.state) == ("drafting", "removed")


def test_the_amendments_to_a_withdrawn_draft_are_cancelled_and_their_authors_told(session, world):
    draft = world.reviewed_draft()
    amendment = propose_amendment(
        session, world.actor(world.deputies[4], 2), draft, "Збільшити суму до 1,5 млн грн", now=world.at(2)
    )

    drafts.withdraw_draft(session, draft, world.actor(world.staff, 3), "Питання вирішено", now=world.at(3))

    assert amendment.state == "cancelled"
    told = session.scalars(
        select(OutboxRow.params)
        .where(OutboxRow.document_id == amendment.id, OutboxRow.effect == "notify")
        .order_by(OutboxRow.id)
    ).all()
    assert told[-1] == {"roles": ["author"], "template": "amendment_cancelled"}
