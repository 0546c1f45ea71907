"""The council's decisive records under the hash chain: a vote's counts, a ballot, a member's name as voted or
registered, a registration and a decision's number changed in the database behind the engine are found by
`radaflow audit verify`, which names the document whose record changed; and the tables refuse UPDATE and DELETE
on both databases, as the audit log does."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.workflow.council.sittings.test_numbering import DAY, signed_drafts
from tests.workflow.council.sittings.test_votes import sitting, vote
from workflow.council.sittings.models import Attendance, Ballot, Decision, Vote
from workflow.council.sittings.papers import protocol_context
from workflow.council.sittings.sessions import close_session
from workflow.engine import fire
from workflow.engine.audit import RECORD, verify_log
from workflow.engine.models import AuditEntry
from workflow.people import SYSTEM, Person

VOTES, BALLOTS, ATTENDANCE, DECISIONS = (t.__table__ for t in (Vote, Ballot, Attendance, Decision))
TABLES = {"votes": VOTES, "ballots": BALLOTS, "attendance": ATTENDANCE, "decisions": DECISIONS}


def switch_off_append_only(session, table: str) -> None:
    """What only a database owner can do (the test's transaction is rolled back, and the change with it)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
    else:
        connection.execute(text(f"DROP TRIGGER {table}_no_update"))
        connection.execute(text(f"DROP TRIGGER {table}_no_delete"))


def as_owner(session, table: str, statement) -> None:
    switch_off_append_only(session, table)
    session.connection().execute(statement)


def ballot_names(context) -> list[str]:
    """Every name on every roll call of a paper's context."""
    if isinstance(context, dict):
        own = [ballot["name"] for ballot in context.get("ballots", [])]
        return own + [name for key, value in context.items() if key != "ballots" for name in ballot_names(value)]
    if isinstance(context, list):
        return [name for value in context for name in ballot_names(value)]
    return []


def broken(session):
    found = verify_log(session)[2]
    assert found is not None, "the rewrite went unnoticed"
    return found


@pytest.fixture
def voted(session, world):
    """A sitting in progress with its item voted on (6 for, 3 against): (plenary, item, vote)."""
    plenary, item = sitting(world)
    cast = vote(world, plenary, item, world.ballots(for_=6, against=3))
    return plenary, item, cast


def test_an_honest_sitting_verifies_with_its_records_under_the_session_s_chain(session, voted):
    plenary, _item, cast = voted
    recorded = session.scalars(
        select(AuditEntry.data)
        .where(AuditEntry.document_id == plenary.id, AuditEntry.trigger == RECORD)
        .order_by(AuditEntry.version)
    ).all()
    # nine registrations, the agenda's vote, the item's vote
    assert [r["record"] for r in recorded] == ["attendance"] * 9 + ["vote", "vote"]
    assert recorded[-1]["id"] == cast.id
    assert cast.audit_version == plenary.version
    assert verify_log(session)[2] is None


def test_a_vote_s_counts_changed_in_the_database_are_found_and_the_session_named(session, voted):
    plenary, _item, cast = voted
    as_owner(session, "votes", update(VOTES).where(VOTES.c.id == cast.id).values(votes_for=3, votes_against=6))

    found = broken(session)
    assert (found.document_id, found.version) == (plenary.id, cast.audit_version)
    assert f"the vote #{cast.id} it records is not what it recorded (changed outside the engine)" in found.message


def test_a_ballot_changed_in_the_database_is_found(session, world, voted):
    plenary, _item, cast = voted
    as_owner(
        session,
        "ballots",
        update(BALLOTS).where(BALLOTS.c.vote_id == cast.id, BALLOTS.c.person_id == world.mayor.id).values(choice="for"),
    )

    found = broken(session)
    assert (found.document_id, found.version) == (plenary.id, cast.audit_version)
    assert f"vote #{cast.id}" in found.message


def test_a_ballot_deleted_in_the_database_is_found(session, world, voted):
    plenary, _item, cast = voted
    as_owner(
        session, "ballots", delete(BALLOTS).where(BALLOTS.c.vote_id == cast.id, BALLOTS.c.person_id == world.mayor.id)
    )

    assert broken(session).document_id == plenary.id


def test_a_member_s_name_as_voted_changed_in_the_database_is_found(session, world, voted):
    plenary, _item, cast = voted
    mayor_s_ballot = (BALLOTS.c.vote_id == cast.id) & (BALLOTS.c.person_id == world.mayor.id)
    as_owner(session, "ballots", update(BALLOTS).where(mayor_s_ballot).values(name="Хтось інший"))

    found = broken(session)
    assert (found.document_id, found.version) == (plenary.id, cast.audit_version)


def test_a_person_renamed_later_keeps_the_name_they_voted_under_in_the_protocol(session, world, voted):
    plenary, item, _cast = voted
    fire(session, item, "adopt", SYSTEM, now=world.at(DAY))
    protocol = close_session(session, plenary, world.actor(world.secretary, DAY), now=world.at(DAY))
    # a person's name is no decisive record: it may change lawfully (or be changed behind the engine's back)
    session.execute(update(Person).where(Person.id == world.mayor.id).values(full_name="Микола Підмінений"))
    session.expire_all()

    roll_calls = ballot_names(protocol_context(session, protocol))
    assert "Микола Бондар" in roll_calls
    assert "Микола Підмінений" not in roll_calls
    assert verify_log(session)[2] is None


def test_a_registration_changed_in_the_database_is_found_and_the_session_named(session, world, voted):
    plenary, _item, _cast = voted
    row = session.scalars(select(Attendance).where(Attendance.person_id == world.mayor.id)).one()
    as_owner(session, "attendance", update(ATTENDANCE).where(ATTENDANCE.c.id == row.id).values(present=False))

    found = broken(session)
    assert (found.document_id, found.version) == (plenary.id, row.audit_version)
    assert f"the attendance #{row.id} it records is not what it recorded" in found.message


def test_a_registered_name_changed_in_the_database_is_found(session, world, voted):
    plenary, _item, _cast = voted
    row = session.scalars(select(Attendance).where(Attendance.person_id == world.mayor.id)).one()
    as_owner(session, "attendance", update(ATTENDANCE).where(ATTENDANCE.c.id == row.id).values(name="Хтось"))

    assert broken(session).document_id == plenary.id


def test_a_vote_inserted_behind_the_engine_is_found(session, world, voted):
    plenary, _item, cast = voted
    columns = {c.name: getattr(cast, c.key) for c in Vote.__table__.columns if c.name != "id"}
    session.execute(insert(VOTES).values(**{**columns, "result": "rejected"}))

    found = broken(session)
    assert found.document_id == plenary.id
    assert "is recorded in none of its audit entries (written outside the engine)" in found.message


def test_a_decision_number_changed_in_the_database_is_found_and_the_decision_named(session, world):
    (draft,) = signed_drafts(world, 1)
    decision = session.scalars(select(Decision).where(Decision.draft_id == draft.id)).one()
    assert decision.audit_version == draft.version  # recorded right after the signing, in the decision's chain
    assert verify_log(session)[2] is None
    as_owner(
        session,
        "decisions",
        update(DECISIONS).where(DECISIONS.c.id == decision.id).values(official_number="№ 7-12-VIII"),
    )

    found = broken(session)
    assert (found.document_id, found.version) == (draft.id, decision.audit_version)
    assert f"the decision #{decision.id} it records" in found.message


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("how", ["update", "delete"])
def test_the_database_refuses_to_rewrite_a_decisive_record(session, world, table, how):
    signed_drafts(world, 1)  # a sitting with its registrations and votes, and a numbered decision
    target = TABLES[table]
    row_id = session.scalar(select(target.c.id).order_by(target.c.id).limit(1))
    statement = (
        update(target).where(target.c.id == row_id).values(id=row_id)
        if how == "update"
        else delete(target).where(target.c.id == row_id)
    )
    before = session.connection().execute(select(target).where(target.c.id == row_id)).one()

    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.connection().execute(statement)

    assert session.connection().execute(select(target).where(target.c.id == row_id)).one() == before
    assert verify_log(session)[2] is None
