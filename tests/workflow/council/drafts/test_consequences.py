"""Consequences in the council's own data happen in the move's transaction: a reviewer's returned visa sends
the draft back at once, and a signed decision has its number at once, with no outbox row to wait for."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.workflow.council.sittings.test_numbering import adopted_drafts
from workflow.council.catalog import CATALOG
from workflow.council.drafts import drafts
from workflow.council.sittings.models import Decision
from workflow.definitions.catalog import GuardContext
from workflow.engine import fire
from workflow.engine.models import AuditEntry, OutboxRow
from workflow.errors import GuardFailed, WrongState


def submitted(world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(world.session, author, "Про ремонт даху ліцею № 2", "Виділити кошти.", now=world.at(0))
    legal, finance = drafts.submit_draft(world.session, draft, author, now=world.at(0))
    return draft, legal, finance


def test_a_returned_visa_sends_the_draft_back_before_anyone_can_publish_it(session, world, unchanged):
    draft, legal, finance = submitted(world)
    fire(session, finance, "give", world.actor(world.accountant, 1), now=world.at(1))
    fire(session, legal, "return", world.actor(world.lawyer, 1), comment="Немає правової підстави", now=world.at(1))

    # no worker has run: the return already reached the draft, with the lawyer's remarks
    assert (draft.state, legal.state, finance.state) == ("drafting", "returned", "given")
    returned = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == draft.id).order_by(AuditEntry.version.desc()).limit(1)
    ).one()
    assert (returned.trigger, returned.actor_id, returned.comment, returned.data) == (
        "return_for_revision",
        None,
        "Юридичний відділ: Немає правової підстави",
        {"because_of": legal.id},
    )
    assert session.scalars(select(OutboxRow.effect).where(OutboxRow.document_id == legal.id)).all() == []

    # so the secretary, a moment later, cannot publish a draft whose visa was returned
    with unchanged(), pytest.raises(WrongState):
        fire(session, draft, "publish_for_discussion", world.actor(world.secretary, 1), now=world.at(1))


def test_all_visas_given_counts_a_returned_visa_of_the_round_as_not_given(session, world):
    draft, legal, finance = submitted(world)
    fire(session, finance, "give", world.actor(world.accountant, 1), now=world.at(1))
    fire(session, legal, "return", world.actor(world.lawyer, 1), comment="Немає правової підстави", now=world.at(1))

    check = CATALOG.guards["all_visas_given"].check
    reason = check(GuardContext(session, draft, world.actor(world.secretary, 1), world.at(1), {}))

    assert reason == "1 of 2 visas was returned with remarks"


def test_a_visa_returned_for_a_draft_that_cannot_go_back_is_refused_and_changes_nothing(session, world, unchanged):
    draft, legal, _finance = submitted(world)
    fire(session, draft, "withdraw", world.actor(world.staff, 1), comment="Питання вирішено", now=world.at(1))

    # the withdrawal bypassed drafts.withdraw_draft, so the legal visa is still requested: its return cannot
    # move a withdrawn draft, and neither half of it happens
    with unchanged(), pytest.raises(GuardFailed, match="is in the state 'Withdrawn', where it cannot be moved"):
        fire(session, legal, "return", world.actor(world.lawyer, 1), comment="Уточніть площу", now=world.at(1))
    assert (draft.state, legal.state) == ("withdrawn", "requested")


def test_signing_numbers_the_decision_in_the_same_transaction(session, world):
    (draft,) = adopted_drafts(world, 1)
    fired = fire(session, draft, "sign", world.actor(world.mayor, 17), now=world.at(17))

    assert fired.consequences == ("assign_number",)
    assert "assign_number" not in fired.effects
    decision = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    assert decision is not None
    assert decision.official_number == "№ 1-12-VIII"
    assert (
        "assign_number" not in session.scalars(select(OutboxRow.effect).where(OutboxRow.document_id == draft.id)).all()
    )
