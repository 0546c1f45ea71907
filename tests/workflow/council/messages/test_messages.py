"""A citizen writes to a deputy: the message is read, answered publicly or privately, closed; while it waits for
the answer it stays in the deputy's inbox with its age."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.council.messages.messages import answer, close_message, inbox, read_message, write_to_deputy
from workflow.engine import edit_document
from workflow.engine.models import AuditEntry, OutboxRow
from workflow.errors import InvalidInput, NotAllowed, WrongState
from workflow.people import Actor
from workflow.timeutil import as_utc

QUESTION = "Коли відремонтують дах ліцею № 2? Під час дощу протікає спортзал."
REPLY = "Кошти на ремонт передбачено рішенням сесії; роботи почнуться у квітні."


@pytest.fixture
def citizen(people):
    return people.person("Петро Іваненко", "citizen")


@pytest.fixture
def deputy(world):
    return world.deputies[2]


def write(world, citizen, deputy, days=0, subject="Ремонт даху ліцею № 2"):
    return write_to_deputy(world.session, citizen, deputy, subject, QUESTION, now=world.at(days))


def triggers(session, message):
    return session.scalars(
        select(AuditEntry.trigger).where(AuditEntry.document_id == message.id).order_by(AuditEntry.version)
    ).all()


# --- the whole path ---------------------------------------------------------------------------------------------
def test_a_message_is_read_answered_publicly_and_closed(session, world, citizen, deputy):
    message = write(world, citizen, deputy)
    assert (message.kind, message.state, message.author_id, message.title) == (
        "citizen_message",
        "sent",
        citizen.id,
        "Ремонт даху ліцею № 2",
    )
    assert message.fields == {"deputy_id": deputy.id, "text": QUESTION}
    # the deputy is to be told at once: the creation records its effect, keyed by the creation's audit entry
    received = session.scalar(select(OutboxRow).where(OutboxRow.document_id == message.id))
    assert (received.audit_version, received.idempotency_key, received.effect, received.params) == (
        1,
        f"{message.id}:1:0",
        "notify",
        {"roles": ["addressee"], "template": "message_received"},
    )

    read_message(session, message, world.actor(deputy, 1), now=world.at(1))  # Tuesday 3 March
    assert message.state == "delivered"
    assert as_utc(message.due_at) == world.at(15)  # ten working days later: Tuesday 17 March

    fired = answer(session, message, world.actor(deputy, 4), f"  {REPLY}\n", public=True, now=world.at(4))
    assert (fired.to_state, fired.effects) == ("answered_publicly", ("notify",))
    assert message.fields["answer"] == REPLY
    notice = session.scalar(
        select(OutboxRow).where(OutboxRow.document_id == message.id).order_by(OutboxRow.id.desc()).limit(1)
    )
    assert notice.params == {"roles": ["author"], "template": "message_answered"}

    close_message(session, message, citizen, now=world.at(5))
    assert message.state == "closed"
    assert triggers(session, message) == ["create", "read", "edit", "answer_publicly", "close"]


def test_a_private_answer_is_kept_out_of_public_view_and_the_system_may_close_it(session, world, citizen, deputy):
    message = write(world, citizen, deputy)
    read_message(session, message, world.actor(deputy, 1), now=world.at(1))
    answer(session, message, world.actor(deputy, 2), REPLY, public=False, now=world.at(2))
    assert (message.state, message.fields["answer"]) == ("answered_privately", REPLY)
    close_message(session, message, Actor.system(), now=world.at(30))
    assert message.state == "closed"


# --- the inbox --------------------------------------------------------------------------------------------------
def test_the_inbox_holds_the_deputy_s_waiting_messages_oldest_first_with_their_age(session, world, citizen, deputy):
    oldest = write(world, citizen, deputy, days=0, subject="Перше")
    newer = write(world, citizen, deputy, days=3.5, subject="Друге")
    answered = write(world, citizen, deputy, days=1, subject="Третє")
    write(world, citizen, world.deputies[3], days=0, subject="Іншому депутатові")
    read_message(session, oldest, world.actor(deputy, 4), now=world.at(4))
    read_message(session, answered, world.actor(deputy, 4), now=world.at(4))
    answer(session, answered, world.actor(deputy, 4), REPLY, public=True, now=world.at(4))

    entries = inbox(session, deputy.id, world.at(10))
    assert [(e.message.title, e.age_days) for e in entries] == [("Перше", 10), ("Друге", 6)]
    assert [e.message.id for e in entries] == [oldest.id, newer.id]
    assert as_utc(entries[0].due_at) == world.at(18)  # read on Friday 6 March: due ten working days later
    # not read yet, and due all the same: sent on Thursday 5 March evening, due ten working days later
    assert as_utc(entries[1].due_at) == world.at(17.5)
    assert inbox(session, world.deputies[5].id, world.at(10)) == []


# --- refusals ---------------------------------------------------------------------------------------------------
def test_a_deputy_does_not_answer_another_deputy_s_message(session, world, citizen, deputy, unchanged):
    message = write(world, citizen, deputy)
    read_message(session, message, world.actor(deputy, 1), now=world.at(1))
    with unchanged(), pytest.raises(NotAllowed, match="only the deputy the message is addressed to can answer it"):
        answer(session, message, world.actor(world.deputies[3], 2), REPLY, public=True, now=world.at(2))
    assert "answer" not in message.fields


def test_an_empty_answer_is_refused(session, world, citizen, deputy, unchanged):
    message = write(world, citizen, deputy)
    read_message(session, message, world.actor(deputy, 1), now=world.at(1))
    with unchanged(), pytest.raises(InvalidInput, match="the answer is empty: write it first"):
        answer(session, message, world.actor(deputy, 2), " \n ", public=False, now=world.at(2))
    assert message.state == "delivered"


def test_a_message_is_read_before_it_is_answered_and_answered_once(session, world, citizen, deputy, unchanged):
    message = write(world, citizen, deputy)
    with unchanged(), pytest.raises(WrongState, match="mark the message as read before answering it"):
        answer(session, message, world.actor(deputy, 1), REPLY, public=True, now=world.at(1))
    read_message(session, message, world.actor(deputy, 1), now=world.at(1))
    answer(session, message, world.actor(deputy, 2), REPLY, public=True, now=world.at(2))
    with unchanged(), pytest.raises(WrongState, match="the message has already been answered"):
        answer(session, message, world.actor(deputy, 3), "Інша відповідь", public=False, now=world.at(3))


def test_only_the_addressee_reads_the_message_and_nobody_closes_it_unanswered(
    session, world, citizen, deputy, unchanged
):
    message = write(world, citizen, deputy)
    with unchanged(), pytest.raises(NotAllowed, match="'Mark as read' can be done only by: addressee"):
        read_message(session, message, world.actor(world.deputies[3], 1), now=world.at(1))
    with unchanged(), pytest.raises(WrongState, match="'close' is not possible while the document is in the state"):
        close_message(session, message, citizen, now=world.at(1))


def test_a_message_goes_to_a_deputy_from_a_citizen_with_a_subject_and_a_text(session, world, citizen, unchanged):
    deputy = world.deputies[0]
    with unchanged(), pytest.raises(InvalidInput, match="Тарас Коваль is not a deputy of the council"):
        write_to_deputy(session, citizen, world.secretary, "Питання", QUESTION, now=world.at(0))
    with unchanged(), pytest.raises(InvalidInput, match="the message has no text"):
        write_to_deputy(session, citizen, deputy, "Питання", "   ", now=world.at(0))
    with unchanged(), pytest.raises(InvalidInput, match="the message has no subject"):
        write_to_deputy(session, citizen, deputy, "", QUESTION, now=world.at(0))
    with unchanged(), pytest.raises(NotAllowed, match="takes one of the roles: citizen"):
        write_to_deputy(session, world.actor(world.staff), deputy, "Питання", QUESTION, now=world.at(0))


def test_a_citizen_cannot_readdress_a_sent_message(session, world, citizen, deputy, unchanged):
    message = write(world, citizen, deputy, days=0, subject="Про освітлення")
    with unchanged(), pytest.raises(InvalidInput, match=r"only these can be changed: title, text \(not: deputy_id\)"):
        edit_document(session, message, citizen, fields={"deputy_id": world.deputies[5].id}, now=world.at(1))
