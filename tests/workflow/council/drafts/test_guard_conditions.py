"""The guards "my work" asks the database (`GuardSpec.condition`) say in SQL what they say in Python, through a
draft's rounds: a returned visa of an earlier round counts no more in the one than in the other."""

from __future__ import annotations

from sqlalchemy import select

from tests.workflow.council.drafts.test_rounds import returned_and_resubmitted, reviewer_of
from workflow.council.catalog import CATALOG
from workflow.definitions.catalog import GuardContext
from workflow.engine import fire
from workflow.engine.models import Document


def agree(session, world, draft, name):
    """The guard's answer in Python and in SQL for the draft; both must be the same."""
    guard = CATALOG.guards[name]
    in_python = guard.check(GuardContext(session, draft, world.actor(world.secretary), world.at(0), {})) is None
    assert guard.condition is not None
    in_sql = session.scalar(select(guard.condition()).select_from(Document).where(Document.id == draft.id))
    assert bool(in_sql) == in_python
    return in_python


def test_all_visas_given_agrees_in_sql_through_a_returned_round(session, world):
    draft, visas = returned_and_resubmitted(world, 0, 1)
    assert agree(session, world, draft, "all_visas_given") is False  # this round's visas are awaited
    fire(session, visas[0], "give", world.actor(reviewer_of(world, visas[0])), now=world.at(1))
    assert agree(session, world, draft, "all_visas_given") is False  # one of two
    fire(session, visas[1], "give", world.actor(reviewer_of(world, visas[1])), now=world.at(1))
    # the first round's returned visa is not this round's
    assert agree(session, world, draft, "all_visas_given") is True


def test_all_conclusions_signed_and_the_vote_agree_in_sql_on_a_draft_before_its_review(session, world):
    draft = world.published_draft()
    assert agree(session, world, draft, "all_committee_conclusions_signed") is False  # no committee yet
    assert agree(session, world, draft, "draft_vote_adopted") is False  # never voted
    assert agree(session, world, draft, "draft_vote_rejected") is False


def test_all_conclusions_signed_agrees_in_sql_once_the_committee_signed(session, world):
    draft = world.reviewed_draft()
    assert agree(session, world, draft, "all_committee_conclusions_signed") is True
