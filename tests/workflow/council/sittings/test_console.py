"""The console's domain: a conflict of interest declared and kept under the session's chain (and the member's
choice refused, however it comes in), any question put to the vote with how it was taken recorded beside it,
and votes cast from the cabinets — every refusal leaving nothing behind."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from tasks.docx import render
from tests.workflow.council.sittings.test_records import as_owner, broken
from tests.workflow.council.sittings.test_votes import DAY, sitting
from workflow.council.sittings import cabinet_votes
from workflow.council.sittings.conflicts import declare_conflict
from workflow.council.sittings.console_models import ConflictDeclaration, VoteSource
from workflow.council.sittings.papers import extract_context, protocol_context
from workflow.council.sittings.questions import Source, put_to_vote, question
from workflow.council.sittings.sessions import close_session
from workflow.engine.audit import RECORD, verify_log
from workflow.engine.models import AuditEntry
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, WrongState

CONFLICTS, SOURCES = ConflictDeclaration.__table__, VoteSource.__table__


@pytest.fixture
def considered(world):
    """A sitting in progress, its agenda approved and its item under consideration: (plenary, item)."""
    return sitting(world)


def secretary(world):
    return world.actor(world.secretary, DAY)


def declared(world, plenary, item, member=None):
    member = member or world.deputies[3]
    return declare_conflict(
        world.session, plenary, secretary(world), item, member, "Син працює в підрядника", now=world.at(DAY)
    )


def decide(world, plenary, item, ballots, source=None):
    asked = question(world.session, plenary, "decision", item.id)
    return put_to_vote(
        world.session, plenary, secretary(world), asked, ballots, source or Source("ticked"), now=world.at(DAY)
    )


def test_a_declaration_and_a_vote_s_source_are_records_under_the_session_s_chain(session, world, considered):
    plenary, item = considered
    declaration = declared(world, plenary, item)
    ballots = {p.id: "for" for p in world.members if p.id != declaration.person_id}
    vote = decide(world, plenary, item, ballots, Source("imported", "hall.xml", "xml", "ab" * 32, 3))

    recorded = session.scalars(
        select(AuditEntry.data)
        .where(AuditEntry.document_id == plenary.id, AuditEntry.trigger == RECORD)
        .order_by(AuditEntry.version)
    ).all()
    assert [r["record"] for r in recorded][-3:] == ["conflict", "vote", "vote_source"]
    assert (vote.votes_for, vote.not_voted, item.state) == (8, 1, "adopted")
    assert session.get(VoteSource, vote.id).file_sha256 == "ab" * 32
    assert verify_log(session)[2] is None


def test_a_declaration_changed_in_the_database_is_found_and_the_session_named(session, world, considered):
    plenary, item = considered
    declaration = declared(world, plenary, item)
    as_owner(
        session,
        "conflict_declarations",
        update(CONFLICTS).where(CONFLICTS.c.id == declaration.id).values(statement="Нічого"),
    )
    assert broken(session).document_id == plenary.id


def test_the_console_s_records_refuse_update(session, world, considered):
    plenary, item = considered
    declaration = declared(world, plenary, item)
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(update(CONFLICTS).where(CONFLICTS.c.id == declaration.id).values(statement="x"))
    vote = decide(world, plenary, item, {p.id: "for" for p in world.members[4:]})
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(update(SOURCES).where(SOURCES.c.vote_id == vote.id).values(method="ticked"))
    session.execute(text("SELECT 1"))


def test_a_member_with_a_conflict_does_not_vote_however_the_ballot_comes(world, considered, unchanged):
    plenary, item = considered
    member = world.deputies[3]
    declared(world, plenary, item, member)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        decide(world, plenary, item, {p.id: "for" for p in world.members})
    assert refused.value.message == (
        f"{member.full_name} declared a conflict of interest on this question and do not vote on it"
    )


@pytest.mark.parametrize(
    ("who", "statement", "refusal", "said"),
    [
        (
            "staff",
            "Родич",
            NotAllowed,
            "a conflict of interest is declared by the member, or recorded by the secretary",
        ),
        ("secretary", "   ", InvalidInput, "say what the conflict of interest is: the protocol records it"),
        ("secretary", "x" * 10_001, InvalidInput, "the statement has 10001 characters; at most 10000 are kept"),
    ],
)
def test_a_declaration_refused_changes_nothing(world, considered, unchanged, who, statement, refusal, said):
    plenary, item = considered
    actor = world.actor(getattr(world, who), DAY)
    with unchanged(), pytest.raises(refusal) as refused:
        declare_conflict(world.session, plenary, actor, item, world.deputies[3], statement, now=world.at(DAY))
    assert refused.value.message == said


def test_a_conflict_is_declared_before_the_vote_not_after(world, considered, unchanged):
    plenary, item = considered
    decide(world, plenary, item, {p.id: "for" for p in world.members})
    with unchanged(), pytest.raises(WrongState):
        declared(world, plenary, item)


def test_cabinet_ballots_one_each_from_registered_members_until_the_close(world, considered, unchanged):
    plenary, item = considered
    asked = question(world.session, plenary, "decision", item.id)
    row = cabinet_votes.open_for_cabinets(world.session, plenary, secretary(world), asked, now=world.at(DAY))
    for person in world.members[:6]:
        cabinet_votes.cast(world.session, plenary, world.actor(person, DAY), row.id, "for", now=world.at(DAY))

    with unchanged(), pytest.raises(InvalidInput):
        cabinet_votes.cast(world.session, plenary, world.actor(world.mayor, DAY), row.id, "maybe")
    with unchanged(), pytest.raises(Conflict):
        cabinet_votes.cast(world.session, plenary, world.actor(world.deputies[0], DAY), row.id, "against")
    with unchanged(), pytest.raises(NotAllowed):
        cabinet_votes.cast(world.session, plenary, world.actor(world.staff, DAY), row.id, "for")

    vote = cabinet_votes.close(world.session, plenary, secretary(world), row.id, asked, now=world.at(DAY))
    assert (vote.votes_for, vote.not_voted, item.state) == (6, 3, "adopted")
    with unchanged(), pytest.raises(WrongState):
        cabinet_votes.cast(world.session, plenary, world.actor(world.mayor, DAY), row.id, "for")


def test_an_unregistered_member_has_no_cabinet_ballot(world, unchanged):
    plenary, item = sitting(world, present=8)
    asked = question(world.session, plenary, "decision", item.id)
    row = cabinet_votes.open_for_cabinets(world.session, plenary, secretary(world), asked, now=world.at(DAY))
    with unchanged(), pytest.raises(GuardFailed) as refused:
        cabinet_votes.cast(world.session, plenary, world.actor(world.mayor, DAY), row.id, "for", now=world.at(DAY))
    assert "you are not registered at the sitting" in refused.value.message


def test_the_protocol_says_who_declared_a_conflict_of_interest_on_an_item(session, world, considered):
    plenary, item = considered
    declaration = declared(world, plenary, item)
    decide(world, plenary, item, {p.id: "for" for p in world.members if p.id != declaration.person_id})
    protocol = close_session(session, plenary, secretary(world), now=world.at(DAY))

    (entry,) = protocol_context(session, protocol)["items"]

    assert entry["conflicts"] == [{"name": world.deputies[3].full_name, "statement": "Син працює в підрядника"}]


def test_the_protocol_and_the_extract_state_the_conflict_of_interest_in_their_words(session, world, considered):
    plenary, item = considered
    declaration = declared(world, plenary, item)
    decide(world, plenary, item, {p.id: "for" for p in world.members if p.id != declaration.person_id})
    protocol = close_session(session, plenary, secretary(world), now=world.at(DAY))
    said = (
        f"Конфлікт інтересів: {world.deputies[3].full_name} заявив(-ла) про конфлікт інтересів: «Син працює в "
        "підрядника» — і в голосуванні з цього питання участі не брав(-ла) (стаття 59-1 Закону України «Про "
        "місцеве самоврядування в Україні»)."
    )

    for template, context in (
        ("protocol", protocol_context(session, protocol)),
        ("protocol_extract", extract_context(session, item)),
    ):
        paper = docx.Document(io.BytesIO(render(template, context)))
        paragraphs = [p.text for p in paper.paragraphs]
        assert said in paragraphs, template
        # said under the item, before its vote, whose roll call has the member not voting
        heard = next(i for i, p in enumerate(paragraphs) if p.startswith("СЛУХАЛИ: "))
        voted = next(i for i, p in enumerate(paragraphs) if i > heard and p.startswith("Голосування: "))
        assert heard < paragraphs.index(said) < voted
        *_procedural, ballots = [t for t in paper.tables if t.rows[0].cells[2].text == "Голосування"]
        assert {r.cells[1].text: r.cells[2].text for r in ballots.rows}[world.deputies[3].full_name] == "не голосував"
