"""The public discussion of a draft: citizens comment while it is open, under the name they chose; the secretary
hides a comment with a reason, recorded in the draft's chain; every refusal leaves nothing behind."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from workflow.council.discussion import discussion
from workflow.council.discussion.models import DiscussionComment
from workflow.council.organisation import setup
from workflow.engine.audit import RECORD, verify_log
from workflow.engine.models import AuditEntry
from workflow.errors import InvalidInput, NotAllowed, WrongState


def citizen(world, name="Галина Остапчук"):
    person = setup.add_person(world.session, name, email=f"{uuid.uuid4().hex[:10]}@example.org", roles=["citizen"])
    return world.actor(person)


def comment(world, draft, who, position="for", words="Підтримую ремонт даху.", name="Галина", days=0.5):
    return discussion.post_comment(
        world.session, draft, who, name=name, position=position, text=words, now=world.at(days)
    )


def test_citizens_comment_on_a_draft_in_discussion_and_the_comments_are_counted(session, world):
    draft = world.published_draft()
    first, second = citizen(world), citizen(world, "Петро Іваненко")

    comment(world, draft, first, "for", "  Підтримую ремонт даху.  ", name="  Галина  ")
    comment(world, draft, second, "against", "Дорого.", name="Мешканець Садової")
    comment(world, draft, second, "neutral", "А що з вікнами?", name="Мешканець Садової")

    posted = discussion.comments_of(session, draft.id)
    assert [(c.shown_name, c.position, c.text) for c in posted] == [
        ("Галина", "for", "Підтримую ремонт даху."),
        ("Мешканець Садової", "against", "Дорого."),
        ("Мешканець Садової", "neutral", "А що з вікнами?"),
    ]
    assert discussion.tally(session, draft.id) == discussion.Tally(votes_for=1, against=1, neutral=1, hidden=0)
    assert draft.version == posted[0].draft_version  # a comment is no move of the draft


def test_the_legal_period_counts_working_days_from_the_publication(session, world):
    draft = world.published_draft()  # Monday 2 March 2026

    period = discussion.discussion_period(session, draft, now=world.at(4))  # Friday 6 March: 4 working days passed
    assert (period.ends_on.isoformat(), period.days_left) == ("2026-03-16", 6)
    assert discussion.discussion_period(session, draft, now=world.at(30)).days_left == 0
    [open_draft] = discussion.open_for_discussion(session, now=world.at(4))
    assert (open_draft.draft.id, open_draft.period.days_left) == (draft.id, 6)


@pytest.mark.parametrize(
    ("name", "position", "words", "code"),
    [
        ("Галина", "for", "   ", "discussion.no_text"),
        ("Галина", "for", "x" * (discussion.MAX_TEXT + 1), "discussion.text_too_long"),
        ("  ", "for", "Текст", "discussion.no_name"),
        ("Г" * (discussion.MAX_NAME + 1), "for", "Текст", "discussion.name_too_long"),
        ("Галина", "maybe", "Текст", "discussion.no_position"),
    ],
)
def test_a_bad_comment_is_refused_and_changes_nothing(session, world, unchanged, name, position, words, code):
    draft = world.published_draft()
    who = citizen(world)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        comment(world, draft, who, position, words, name=name)
    assert refused.value.code == code


def test_only_a_citizen_comments_and_only_while_the_draft_is_in_discussion(session, world, unchanged):
    draft = world.published_draft()
    who = citizen(world)
    with unchanged(), pytest.raises(NotAllowed, match="only citizens"):
        comment(world, draft, world.actor(world.deputies[0]))
    reviewed = world.reviewed_draft("Про сквер")
    with unchanged(), pytest.raises(WrongState, match="«Про сквер» is not open for public discussion"):
        comment(world, reviewed, who, days=2)


def test_the_secretary_hides_a_comment_with_a_reason_recorded_in_the_draft_s_chain(session, world):
    draft = world.published_draft()
    posted = comment(world, draft, citizen(world), "against", "Образлива лайка")
    before = draft.version

    discussion.hide_comment(
        session, draft, posted, world.actor(world.secretary), "Нецензурна лексика", now=world.at(0.7)
    )

    assert (posted.hidden_reason, posted.hidden_by_id, posted.audit_version) == (
        "Нецензурна лексика",
        world.secretary.id,
        before + 1,
    )
    entry = session.query(AuditEntry).filter_by(document_id=draft.id, version=before + 1).one()
    assert (entry.trigger, entry.data["record"], entry.data["id"]) == (RECORD, "comment_hidden", posted.id)
    assert discussion.tally(session, draft.id) == discussion.Tally(hidden=1)
    assert verify_log(session)[2] is None  # the chain holds, the hiding under it


def test_moderation_refusals_change_nothing(session, world, unchanged):
    draft = world.published_draft()
    posted = comment(world, draft, citizen(world))
    with unchanged(), pytest.raises(NotAllowed, match="moderated by the council's secretary"):
        discussion.hide_comment(session, draft, posted, world.actor(world.deputies[0]), "Спам", now=world.at(1))
    with unchanged(), pytest.raises(InvalidInput, match="say why"):
        discussion.hide_comment(session, draft, posted, world.actor(world.secretary), "  ", now=world.at(1))
    discussion.hide_comment(session, draft, posted, world.actor(world.secretary), "Спам", now=world.at(1))
    with unchanged(), pytest.raises(WrongState, match="hidden already"):
        discussion.hide_comment(session, draft, posted, world.actor(world.secretary), "Ще раз", now=world.at(1))


def test_a_comment_is_never_deleted_or_rewritten_behind_the_domain(session, world):
    draft = world.published_draft()
    posted = comment(world, draft, citizen(world))
    session.flush()
    for statement in (
        update(DiscussionComment).where(DiscussionComment.id == posted.id).values(text="Інший текст"),
        text("DELETE FROM discussion_comments"),
    ):
        with pytest.raises(DBAPIError, match="never"), session.begin_nested():
            session.execute(statement)


def test_a_hiding_undone_behind_the_domain_is_found_by_the_audit_and_names_the_draft(session, world):
    draft = world.published_draft()
    posted = comment(world, draft, citizen(world), "against", "Образлива лайка")
    discussion.hide_comment(session, draft, posted, world.actor(world.secretary), "Лайка", now=world.at(0.7))
    session.flush()
    # someone who owns the database drops the table's guard (rolled back with the test) and shows the text again
    if session.bind.dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER discussion_comments_kept ON discussion_comments"))
    else:
        session.execute(text("DROP TRIGGER discussion_comments_no_rewrite"))
    session.execute(
        update(DiscussionComment).where(DiscussionComment.id == posted.id).values(hidden_at=None, hidden_reason=None)
    )

    found = verify_log(session)[2]

    assert found is not None
    assert found.document_id == draft.id
    assert f"comment_hidden #{posted.id}" in found.message
