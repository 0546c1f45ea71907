"""Who may read a document: anyone while it is public; otherwise the council's people, its author and the
person it is addressed to; a citizen's message only its citizen, its deputy, the secretary and the admin."""

from __future__ import annotations

from workflow.council.access import may_read
from workflow.council.delegation.delegation import delegate_role
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.people import Actor


def test_an_internal_draft_is_read_by_council_roles_and_its_author_not_by_citizens_or_strangers(session, world):
    draft = world.published_draft()
    author = world.actor(world.staff)
    internal = drafts.write_draft(session, author, "Про інше", "Текст.", now=world.at(0))
    drafts.submit_draft(session, internal, author, now=world.at(0))  # awaiting visas: not public yet
    citizen = setup.add_person(session, "Галина Остапчук", roles=["citizen"])

    assert may_read(session, draft, None)  # open for public discussion
    assert not may_read(session, internal, None)
    assert not may_read(session, internal, world.actor(citizen))
    assert may_read(session, internal, world.actor(world.deputies[5]))
    assert may_read(session, internal, Actor(id=world.staff.id, roles=frozenset()))  # its author, whatever roles


def test_a_citizen_s_message_is_private_to_its_people(session, world):
    citizen = setup.add_person(session, "Галина Остапчук", roles=["citizen"])
    message = messages.write_to_deputy(
        session, world.actor(citizen), world.deputies[0], "Освітлення", "Не світять ліхтарі.", now=world.at(0)
    )
    admin = setup.add_person(session, "Адміністратор", roles=["admin"])

    readers = {
        person.full_name
        for person in (citizen, world.deputies[0], world.deputies[1], world.secretary, world.staff, world.mayor, admin)
        if may_read(session, message, world.actor(person))
    }

    assert readers == {citizen.full_name, world.deputies[0].full_name, world.secretary.full_name, admin.full_name}


def test_a_delegation_is_read_by_the_person_given_the_role_even_holding_no_role(session, world):
    acting = setup.add_person(session, "Світлана Бойко")
    delegation = delegate_role(
        session,
        world.actor(world.lawyer),
        acting,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(1),
        ends_at=world.at(10),
        reason="відпустка",
        now=world.at(0),
    )

    assert may_read(session, delegation, Actor(id=acting.id, roles=frozenset()))
    citizen = setup.add_person(session, "Галина Остапчук", roles=["citizen"])
    assert not may_read(session, delegation, world.actor(citizen))
