"""The author withdraws a draft, saying why: what was still asked for it (visas, committee conclusions) is asked
no more, so no reviewer or committee is reminded of a draft that is gone."""

from __future__ import annotations

import pytest

from workflow.council import drafts
from workflow.errors import InvalidInput


def test_withdrawing_a_draft_awaiting_visas_cancels_them(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про ремонт даху ліцею № 2", "Текст.", now=world.at(0))
    visas = drafts.submit_draft(session, draft, author, now=world.at(0))

    drafts.withdraw_draft(session, draft, world.actor(world.staff, 1), "Кошти знайдено в іншій програмі",
                          now=world.at(1))

    assert draft.state == "withdrawn"
    assert [(v.state, v.due_at) for v in visas] == [("cancelled", None), ("cancelled", None)]


def test_withdrawing_a_draft_in_committee_review_cancels_the_conclusions_awaited(session, world):
    draft = world.published_draft()
    conclusions = drafts.send_to_committees(session, draft, world.actor(world.secretary), world.budget,
                                            [world.education], now=world.at(1))

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
