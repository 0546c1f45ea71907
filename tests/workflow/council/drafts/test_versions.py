"""A draft's versions: its first text and particulars kept when written, each save that changed something kept as
the next version (append-only), and what a round of visas was asked for."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from workflow.council.drafts import drafts, versions
from workflow.council.drafts.amendments import apply_amendment, propose_amendment
from workflow.council.drafts.models import DraftVersion
from workflow.council.drafts.versions import Particulars
from workflow.errors import InvalidInput, NotAllowed, WrongState


def test_a_draft_is_kept_when_written_and_after_each_save_that_changed_something(session, world):
    staff = world.actor(world.staff)
    proposed = Particulars("Міський голова", "two_thirds", world.budget.id, (world.education.id,))
    draft = drafts.write_draft(session, staff, "Про сквер", "Текст.", particulars=proposed, now=world.at(0))
    drafts.edit_draft(session, draft, staff, title="Про сквер", body="Текст.", now=world.at(1))  # nothing changed
    drafts.edit_draft(session, draft, staff, body="Новий текст.", now=world.at(1))
    drafts.edit_draft(session, draft, staff, particulars=Particulars("Виконком"), now=world.at(2))

    kept = versions.versions(session, draft)
    assert [(v.number, v.body, v.particulars.initiator) for v in kept] == [
        (1, "Текст.", "Міський голова"),
        (2, "Новий текст.", "Міський голова"),
        (3, "Новий текст.", "Виконком"),
    ]
    assert kept[0].particulars == proposed


def test_particulars_that_do_not_hold_are_refused_and_nothing_is_written(session, world, unchanged):
    staff = world.actor(world.staff)
    with unchanged(), pytest.raises(InvalidInput, match="cannot be an advisory committee as well"):
        drafts.write_draft(
            session,
            staff,
            "Про сквер",
            "Т.",
            particulars=Particulars(lead_committee_id=world.budget.id, advisory_committee_ids=(world.budget.id,)),
        )
    with unchanged(), pytest.raises(InvalidInput, match="choose the majority"):
        drafts.write_draft(session, staff, "Про сквер", "Т.", particulars=Particulars(majority="most"))
    with unchanged(), pytest.raises(InvalidInput, match="there is no such committee"):
        drafts.write_draft(session, staff, "Про сквер", "Т.", particulars=Particulars(lead_committee_id=999_999))


def test_particulars_are_changed_only_by_who_may_edit_the_draft(session, world, unchanged):
    draft = drafts.write_draft(session, world.actor(world.staff), "Про сквер", "Т.", now=world.at(0))
    with unchanged(), pytest.raises(NotAllowed, match="can be edited by: author"):
        drafts.edit_draft(session, draft, world.actor(world.secretary), particulars=Particulars("Хтось"))


def test_a_kept_version_cannot_be_rewritten(session, world):
    draft = drafts.write_draft(session, world.actor(world.staff), "Про сквер", "Т.", now=world.at(0))
    with pytest.raises(DBAPIError, match="draft versions are append-only"), session.begin_nested():
        session.execute(update(DraftVersion).where(DraftVersion.document_id == draft.id).values(body="інше"))


def test_an_amendment_not_adopted_or_without_wording_is_not_applied(session, world, unchanged):
    draft = world.reviewed_draft()
    amendment = propose_amendment(
        session,
        world.actor(world.deputies[5], 2),
        draft,
        "Більше коштів.",
        replace="1,2",
        wording="1,5",
        now=world.at(2),
    )
    with unchanged(), pytest.raises(WrongState, match="only an amendment the council adopted"):
        apply_amendment(session, amendment, world.actor(world.secretary, 3), now=world.at(3))
    with unchanged(), pytest.raises(NotAllowed, match="applied to the text by the council secretary"):
        apply_amendment(session, amendment, world.actor(world.deputies[0], 3), now=world.at(3))
    with unchanged(), pytest.raises(InvalidInput, match="exactly once; they are found 0 times"):
        propose_amendment(session, world.actor(world.deputies[5], 2), draft, "Т.", replace="немає", wording="x")
