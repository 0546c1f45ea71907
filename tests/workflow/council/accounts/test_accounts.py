"""The administrator's rules for people, on both databases: roles granted for periods that do not overlap, one
mayor and one chair a committee at a time, ends recorded and never deleted; links to set a password that work
once; an account history no one can rewrite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from workflow.council.accounts import accounts, mandates, resets
from workflow.council.accounts.models import AccountEvent, PasswordReset
from workflow.council.organisation import setup
from workflow.errors import InvalidInput, NotAllowed
from workflow.people import RoleGrant, check_password, load_actor
from workflow.timeutil import as_utc


@pytest.fixture
def admin(world):
    person = setup.add_person(world.session, "Дмитро Мартинюк", email="admin@rada.example", roles=["admin"])
    return load_actor(world.session, person.id, world.at(0))


def test_a_role_ended_can_be_granted_again_for_a_later_period_and_both_stay_on_record(world, admin, unchanged):
    session, deputy = world.session, world.deputies[7]
    first = mandates.grant_role(
        session, admin, deputy, "committee_member", scope_id=world.budget.id, starts_at=world.at(1), now=world.at(0)
    )
    with unchanged(), pytest.raises(InvalidInput, match="holds «committee_member» already"):
        mandates.grant_role(
            session,
            admin,
            deputy,
            "committee_member",
            scope_id=world.budget.id,
            starts_at=world.at(5),
            now=world.at(0),
        )

    mandates.end_role(session, admin, first, reason="перейшов до іншої комісії", ends_at=world.at(4), now=world.at(2))
    again = mandates.grant_role(
        session, admin, deputy, "committee_member", scope_id=world.budget.id, starts_at=world.at(5), now=world.at(2)
    )

    kept = session.scalars(
        select(RoleGrant).where(RoleGrant.person_id == deputy.id, RoleGrant.role == "committee_member")
    ).all()
    assert [g.id for g in kept] == [first.id, again.id]
    assert (first.ended_by_id, first.end_reason) == (admin.id, "перейшов до іншої комісії")
    assert world.actor(deputy, 3).holds_for("committee_member", world.budget.id)
    assert not world.actor(deputy, 4.5).holds_for("committee_member", world.budget.id)
    assert world.actor(deputy, 6).holds_for("committee_member", world.budget.id)


def test_a_new_chair_follows_the_old_one_once_the_old_chair_s_role_ends(world, admin, unchanged):
    session, old, new = world.session, world.deputies[0], world.deputies[7]
    with unchanged(), pytest.raises(InvalidInput, match="held by one person at a time, and Василь Гончаренко"):
        mandates.grant_role(
            session, admin, new, "committee_chair", scope_id=world.budget.id, starts_at=world.at(1), now=world.at(0)
        )
    (chair,) = session.scalars(
        select(RoleGrant).where(RoleGrant.person_id == old.id, RoleGrant.role == "committee_chair")
    )

    mandates.end_role(
        session, admin, chair, reason="обраний головою іншої комісії", ends_at=world.at(1), now=world.at(0)
    )
    mandates.grant_role(
        session, admin, new, "committee_chair", scope_id=world.budget.id, starts_at=world.at(1), now=world.at(0)
    )

    assert not world.actor(old, 2).holds_for("committee_chair", world.budget.id)
    assert world.actor(new, 2).holds_for("committee_chair", world.budget.id)


def test_a_role_that_has_not_begun_and_is_ended_now_never_begins(world, admin):
    session, staff = world.session, world.staff
    grant = mandates.grant_role(session, admin, staff, "admin", starts_at=world.at(10), now=world.at(0))

    mandates.end_role(session, admin, grant, reason="передумали", now=world.at(1))

    assert as_utc(grant.ends_at) == as_utc(grant.starts_at)
    assert not world.actor(staff, 11).holds("admin")


def test_only_an_administrator_grants_ends_or_sends_links_and_nothing_changes(world, unchanged):
    session, secretary = world.session, world.actor(world.secretary)
    (chair,) = session.scalars(select(RoleGrant).where(RoleGrant.role == "committee_chair").limit(1))

    with unchanged():
        for attempt in (
            lambda: mandates.grant_role(
                session, secretary, world.staff, "admin", starts_at=world.at(1), now=world.at(0)
            ),
            lambda: mandates.end_role(session, secretary, chair, reason="так", now=world.at(0)),
            lambda: resets.send_reset(session, secretary, world.staff, now=world.at(0)),
            lambda: accounts.create_person(session, secretary, "Хтось", None, now=world.at(0)),
        ):
            with pytest.raises(NotAllowed, match="only an administrator manages"):
                attempt()


def test_a_link_sets_the_password_once_and_a_new_password_closes_every_other_link(world, admin, unchanged):
    session, staff = world.session, world.staff
    staff.password_hash = "x"
    first, first_secret = resets.send_reset(session, admin, staff, now=world.at(0))
    second, second_secret = resets.send_reset(session, admin, staff, now=world.at(0))

    resets.set_password_by_link(session, second.id, second_secret, "новий-довгий-пароль", now=world.at(0.5))

    assert check_password(staff, "новий-довгий-пароль")
    assert staff.session_epoch == 1
    with unchanged():
        for reset, secret in ((second, second_secret), (first, first_secret)):
            with pytest.raises(InvalidInput, match="used already"):
                resets.set_password_by_link(session, reset.id, secret, "ще-інший-пароль", now=world.at(0.6))


def test_a_link_expires_after_a_day(world, admin, unchanged):
    session = world.session
    reset, secret = resets.send_reset(session, admin, world.staff, now=world.at(0))

    with unchanged(), pytest.raises(InvalidInput, match="expired"):
        resets.set_password_by_link(
            session, reset.id, secret, "новий-довгий-пароль", now=world.at(1) + timedelta(seconds=1)
        )
    assert session.get(PasswordReset, reset.id).used_at is None


def test_the_account_history_refuses_to_be_rewritten(world, admin):
    session = world.session
    accounts.deactivate(session, admin, world.staff, reason="звільнення", now=world.at(0))
    (event,) = session.scalars(select(AccountEvent).where(AccountEvent.person_id == world.staff.id))
    assert (event.what, event.actor_id, event.data) == ("deactivated", admin.id, {"reason": "звільнення"})

    savepoint = session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(text("UPDATE account_events SET what = 'created' WHERE id = :id"), {"id": event.id})
    savepoint.rollback()


def test_no_role_is_granted_in_a_retired_committee_and_it_is_not_offered(world, admin, unchanged):
    session, deputy = world.session, world.deputies[7]
    world.budget.retired_at = world.at(0)
    session.flush()

    assert world.budget not in mandates.committees(session)
    with unchanged(), pytest.raises(InvalidInput, match="was retired: no one is granted a role in it"):
        mandates.grant_role(
            session, admin, deputy, "committee_member", scope_id=world.budget.id, starts_at=world.at(1), now=world.at(0)
        )
