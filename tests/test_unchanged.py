"""The suite's "refused and changed nothing" check (`unchanged` in tests/conftest.py) sees a change to any row of
any table, not only to documents, the audit log and the outbox: a refusal that quietly renamed a person, granted
a role or marked a notification read would otherwise pass for one that left no trace."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.conftest import snapshot
from workflow.db import Base
from workflow.notifications.models import Notification
from workflow.people import Person, RoleGrant
from workflow.timeutil import utcnow


def test_a_block_that_changes_nothing_passes(session, people, unchanged):
    person = people.person("Оксана Мельник", "staff")

    with unchanged():
        session.scalars(select(Person)).all()
        session.get(Person, person.id)


def test_a_person_renamed_inside_the_block_is_seen_and_named(session, people, unchanged):
    person = people.person("Оксана Мельник", "staff")

    with pytest.raises(AssertionError, match="a refused action left a trace") as caught, unchanged():
        session.execute(update(Person).where(Person.id == person.id).values(full_name="Оксана Мельничук"))

    assert "persons: removed" in str(caught.value)
    assert "persons: added or changed to" in str(caught.value)
    assert "Оксана Мельничук" in str(caught.value)


def test_a_role_granted_inside_the_block_is_seen_even_if_not_yet_flushed(session, people, unchanged):
    person = people.person("Оксана Мельник", "staff")

    with pytest.raises(AssertionError, match="role_grants: added") as caught, unchanged():
        session.add(RoleGrant(person_id=person.id, role="secretary"))

    assert "'secretary'" in str(caught.value)


def test_a_notification_marked_read_inside_the_block_is_seen(session, people, unchanged):
    person = people.person("Оксана Мельник", "staff")
    notification = Notification(
        key="test-unchanged",
        person_id=person.id,
        template="visa_requested",
        subject="Проєкт чекає на вашу візу",
        body="Відкрийте документ.",
    )
    session.add(notification)
    session.flush()

    with pytest.raises(AssertionError, match="notifications: added or changed to"), unchanged():
        session.execute(update(Notification).where(Notification.id == notification.id).values(read_at=utcnow()))


def test_every_table_of_the_schema_is_in_the_snapshot(session):
    assert set(snapshot(session).tables) == set(Base.metadata.tables)
    assert {"persons", "role_grants", "notifications", "votes", "ballots", "attendance", "decisions"} <= set(
        Base.metadata.tables
    )
