"""Delegating a role for a period, with the reason: the delegate acts within the period and only then, and the
delegation's audit log says who gave it, when and why."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.council.catalog import CATALOG
from workflow.council.delegation.delegation import (
    ROLE_TITLES,
    delegable_roles,
    delegate_role,
    grants_of,
    revoke_delegation,
)
from workflow.council.drafts.drafts import submit_draft, write_draft
from workflow.council.organisation.queries import council_members
from workflow.council.sittings import sessions
from workflow.engine import available_actions, fire
from workflow.engine.audit import verify_document
from workflow.engine.firing import holds_any_role
from workflow.engine.models import AuditEntry
from workflow.errors import GuardFailed, InvalidInput, NotAllowed
from workflow.people import Actor, RoleGrant
from workflow.timeutil import as_utc

DAY = 16  # the sitting's day: Wednesday 18 March 2026
MAYOR_AWAY = "Міський голова у службовому відрядженні до Києва"


def entries(session, document):
    return session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
    ).all()


def role_grants(session):
    return session.scalar(select(func.count()).select_from(RoleGrant))


@pytest.fixture
def convened(session, world):
    """Session № 12 on day 16 with a draft on its agenda, convened on day 6."""
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=DAY)
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    fire(session, plenary, "convene", world.actor(world.secretary, 6), now=world.at(6))
    return plenary


@pytest.fixture
def chair_delegation(session, world, convened):
    """The mayor, away, has the first deputy chair session № 12: from the evening before to the evening after."""
    return delegate_role(
        session,
        world.actor(world.mayor, 10),
        world.deputies[0],
        "session_chair",
        scope_id=convened.id,
        starts_at=world.at(DAY - 0.5),
        ends_at=world.at(DAY + 0.5),
        reason=MAYOR_AWAY,
        now=world.at(10),
    )


# --- a deputy chairs a sitting in the mayor's absence ---------------------------------------------------------
def test_the_delegation_is_a_document_with_its_period_and_reason_and_a_grant_pointing_at_it(
    session, world, convened, chair_delegation
):
    assert (chair_delegation.kind, chair_delegation.state, chair_delegation.author_id) == (
        "delegation",
        "active",
        world.mayor.id,
    )
    assert chair_delegation.fields == {
        "role": "session_chair",
        "scope_id": convened.id,
        "person_id": world.deputies[0].id,
        "starts_at": "2026-03-17T21:00:00+00:00",
        "ends_at": "2026-03-18T21:00:00+00:00",
        "reason": MAYOR_AWAY,
    }
    (grant,) = grants_of(session, chair_delegation)
    assert (grant.person_id, grant.role, grant.scope_id, grant.reason, grant.granted_by_id) == (
        world.deputies[0].id,
        "session_chair",
        convened.id,
        MAYOR_AWAY,
        world.mayor.id,
    )
    assert (as_utc(grant.starts_at), as_utc(grant.ends_at)) == (world.at(DAY - 0.5), world.at(DAY + 0.5))


def test_the_delegate_chairs_within_the_period_and_not_before_or_after(
    session, world, convened, chair_delegation, unchanged
):
    deputy = world.deputies[0]
    before = world.actor(deputy, DAY - 1)
    (opening,) = [a for a in available_actions(session, convened, before, now=world.at(DAY - 1)) if a.trigger == "open"]
    assert not opening.allowed
    assert "'Open the sitting' can be done only by: session_chair, secretary" in opening.reasons

    with unchanged(), pytest.raises(NotAllowed):
        fire(session, convened, "open", before, now=world.at(DAY - 1))

    chairing = world.actor(deputy, DAY)
    fire(session, convened, "open", chairing, now=world.at(DAY))
    assert convened.state == "in_progress"
    secretary = world.actor(world.secretary, DAY)
    for member in world.members:
        sessions.register(session, convened, secretary, member, now=world.at(DAY))
    with unchanged(), pytest.raises(NotAllowed, match="the agenda's approval is recorded by the secretary"):
        sessions.approve_agenda(session, convened, chairing, world.ballots(for_=9), now=world.at(DAY))
    sessions.approve_agenda(session, convened, secretary, world.ballots(for_=9), now=world.at(DAY))
    ((_, item),) = sessions.agenda(session, convened)
    vote = sessions.vote_on_item(session, convened, chairing, item, world.ballots(for_=9), now=world.at(DAY))
    assert (vote.result, vote.recorded_by_id, item.state) == ("adopted", deputy.id, "adopted")

    with unchanged(), pytest.raises(NotAllowed, match="'Close the sitting' can be done only by"):
        fire(session, convened, "close", world.actor(deputy, DAY + 1), now=world.at(DAY + 1))


def test_a_delegate_chairs_that_session_only(session, world, convened, chair_delegation):
    other = world.planned_session(number=13, days=DAY)
    chairing = world.actor(world.deputies[0], DAY)
    assert holds_any_role(CATALOG, ["session_chair"], convened, chairing)
    assert not holds_any_role(CATALOG, ["session_chair"], other, chairing)


# --- an acting head of a department ---------------------------------------------------------------------------
def test_an_acting_head_gives_visas_for_the_department_during_the_leave_only(session, world, unchanged):
    acting = world.staff
    delegation = delegate_role(
        session,
        world.actor(world.lawyer, 0),
        acting,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(1),
        ends_at=world.at(4),
        reason="Відпустка начальника юридичного відділу",
        now=world.at(0),
    )
    author = world.actor(world.deputies[2], 0)

    def legal_visa(days):
        draft = write_draft(session, author, f"Про сквер № {days}", "Облаштувати сквер.", now=world.at(days))
        visas = submit_draft(session, draft, author, now=world.at(days))
        return next(v for v in visas if v.fields["department_kind"] == "legal")

    visa = legal_visa(2)
    fire(session, visa, "give", world.actor(acting, 2), now=world.at(2))
    assert visa.state == "given"
    assert entries(session, visa)[-1].actor_id == acting.id

    late = legal_visa(5)
    with unchanged(), pytest.raises(NotAllowed, match="'Give the visa' can be done only by: department_reviewer"):
        fire(session, late, "give", world.actor(acting, 5), now=world.at(5))
    # nor for the other department, even within the period
    finance = next(
        v
        for v in submit_draft(
            session,
            write_draft(session, author, "Про бюджет", "Змінити бюджет.", now=world.at(3)),
            author,
            now=world.at(3),
        )
        if v.fields["department_kind"] == "finance"
    )
    with unchanged(), pytest.raises(NotAllowed):
        fire(session, finance, "give", world.actor(acting, 3), now=world.at(3))
    assert delegation.state == "active"


def test_delegated_authority_is_not_a_mandate_and_gives_no_vote(session, world):
    delegate_role(
        session,
        world.actor(world.mayor, 0),
        world.secretary,
        "mayor",
        starts_at=world.at(1),
        ends_at=world.at(30),
        reason="Лікарняний міського голови",
        now=world.at(0),
    )
    assert world.actor(world.secretary, 2).holds("mayor")
    assert world.secretary.id not in council_members(session, world.at(2))
    assert len(council_members(session, world.at(2))) == 9


# --- the audit: who, when, why ----------------------------------------------------------------------------------
def test_the_audit_log_says_who_delegated_when_and_who_revoked_it_when_and_why(session, world, chair_delegation):
    fired = revoke_delegation(
        session,
        chair_delegation,
        world.actor(world.mayor, 12),
        "Міський голова повернувся з відрядження",
        now=world.at(12),
    )
    assert (fired.from_state, fired.to_state) == ("active", "revoked")
    created, revoked = entries(session, chair_delegation)
    assert (created.trigger, created.actor_id, as_utc(created.at), created.to_state) == (
        "create",
        world.mayor.id,
        world.at(10),
        "active",
    )
    # why it was given: the document's reason and its grant's, written by that same first entry
    assert chair_delegation.fields["reason"] == MAYOR_AWAY
    assert (revoked.trigger, revoked.actor_id, as_utc(revoked.at), revoked.comment) == (
        "revoke",
        world.mayor.id,
        world.at(12),
        "Міський голова повернувся з відрядження",
    )
    assert verify_document(chair_delegation, [created, revoked]) is None


def test_a_revoked_delegation_ends_its_grant_at_once(session, world, convened):
    delegation = delegate_role(
        session,
        world.actor(world.mayor, 10),
        world.deputies[0],
        "session_chair",
        scope_id=convened.id,
        starts_at=world.at(10),
        ends_at=world.at(20),
        reason=MAYOR_AWAY,
        now=world.at(10),
    )
    assert world.actor(world.deputies[0], 12).holds_for("session_chair", convened.id)
    revoke_delegation(session, delegation, world.actor(world.mayor, 13), "Повернувся", now=world.at(13))
    (grant,) = grants_of(session, delegation)
    assert as_utc(grant.ends_at) == world.at(13)
    assert not world.actor(world.deputies[0], 14).holds_for("session_chair", convened.id)
    assert world.actor(world.deputies[0], 12.5).holds_for("session_chair", convened.id)  # the past stays


def test_a_delegation_revoked_before_its_period_never_takes_effect(session, world, chair_delegation):
    revoke_delegation(
        session, chair_delegation, world.actor(world.mayor, 12), "Відрядження скасовано", now=world.at(12)
    )
    assert not world.actor(world.deputies[0], DAY).holds_for("session_chair", chair_delegation.fields["scope_id"])


def test_only_its_author_or_an_admin_revokes_a_delegation_and_always_saying_why(
    session, world, chair_delegation, unchanged
):
    with unchanged(), pytest.raises(NotAllowed, match="'Revoke' can be done only by: author, admin"):
        revoke_delegation(session, chair_delegation, world.actor(world.secretary, 12), "Помилка", now=world.at(12))
    with unchanged(), pytest.raises(InvalidInput, match="'Revoke' needs a comment saying why"):
        revoke_delegation(session, chair_delegation, world.actor(world.mayor, 12), "  ", now=world.at(12))
    (grant,) = grants_of(session, chair_delegation)
    assert as_utc(grant.ends_at) == world.at(DAY + 0.5)


def test_a_delegation_expires_by_the_system_once_its_period_is_over(session, world, chair_delegation, unchanged):
    system = Actor.system()
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, chair_delegation, "expire", system, now=world.at(DAY))
    assert refused.value.reasons == ("the delegation is in effect until 18 March 2026",)
    fire(session, chair_delegation, "expire", system, now=world.at(DAY + 1))
    assert chair_delegation.state == "expired"


# --- refusals ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "scope", "starts", "ends", "reason", "message"),
    [
        (
            "session_chair",
            "session",
            DAY,
            DAY - 1,
            MAYOR_AWAY,
            "the period must end after it starts: from 18 March 2026, 11:00 to 17 March 2026, 11:00",
        ),
        (
            "session_chair",
            "session",
            DAY,
            DAY,
            MAYOR_AWAY,
            "the period must end after it starts: from 18 March 2026, 11:00 to 18 March 2026, 11:00",
        ),
        (
            "session_chair",
            "session",
            1,
            5,
            MAYOR_AWAY,
            "the period ended on 7 March 2026, 11:00, before the delegation is given",
        ),
        ("session_chair", "session", DAY, DAY + 1, "   ", "say why the role is delegated: the reason is empty"),
        (
            "speaker",
            None,
            DAY,
            DAY + 1,
            MAYOR_AWAY,
            "unknown role 'speaker': a delegation gives one of admin, "
            "committee_chair, committee_member, committee_secretary, mayor, reviewer, secretary, session_chair, staff",
        ),
        ("deputy", None, DAY, DAY + 1, MAYOR_AWAY, "the role 'deputy' is personal and cannot be delegated"),
        (
            "session_chair",
            None,
            DAY,
            DAY + 1,
            MAYOR_AWAY,
            "the role 'session_chair' is held for one session: say which (scope_id)",
        ),
        ("session_chair", "committee", DAY, DAY + 1, MAYOR_AWAY, "there is no session"),
        (
            "secretary",
            "session",
            DAY,
            DAY + 1,
            MAYOR_AWAY,
            "the role 'secretary' is held council-wide: its delegation names no scope_id",
        ),
    ],
)
def test_a_delegation_that_cannot_stand_is_refused_and_nothing_is_written(
    session, world, convened, unchanged, role, scope, starts, ends, reason, message
):
    scope_id = {"session": convened.id, "committee": world.budget.id, None: None}[scope]
    grants = role_grants(session)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        delegate_role(
            session,
            world.actor(world.mayor, 10),
            world.deputies[0],
            role,
            scope_id=scope_id,
            starts_at=world.at(starts),
            ends_at=world.at(ends),
            reason=reason,
            now=world.at(10),
        )
    assert refused.value.message.startswith(message)
    assert role_grants(session) == grants


def test_only_the_holder_of_an_authority_or_an_admin_delegates_it_and_never_to_oneself(
    session, world, convened, unchanged
):
    grants = role_grants(session)
    with unchanged(), pytest.raises(NotAllowed, match="only someone who holds the role 'session_chair'"):
        delegate_role(
            session,
            world.actor(world.deputies[1], 10),
            world.deputies[0],
            "session_chair",
            scope_id=convened.id,
            starts_at=world.at(DAY),
            ends_at=world.at(DAY + 1),
            reason=MAYOR_AWAY,
            now=world.at(10),
        )
    with unchanged(), pytest.raises(InvalidInput, match="a role is delegated to someone else, not to oneself"):
        delegate_role(
            session,
            world.actor(world.secretary, 10),
            world.secretary,
            "mayor",
            starts_at=world.at(DAY),
            ends_at=world.at(DAY + 1),
            reason=MAYOR_AWAY,
            now=world.at(10),
        )
    # the secretary cannot hand out the mayor's authority, nor a department's visas
    with unchanged(), pytest.raises(NotAllowed, match="only someone who holds the role 'mayor'"):
        delegate_role(
            session,
            world.actor(world.secretary, 10),
            world.staff,
            "mayor",
            starts_at=world.at(DAY),
            ends_at=world.at(DAY + 1),
            reason=MAYOR_AWAY,
            now=world.at(10),
        )
    with unchanged(), pytest.raises(NotAllowed, match="only someone who holds the role 'reviewer'"):
        delegate_role(
            session,
            world.actor(world.secretary, 10),
            world.staff,
            "reviewer",
            scope_id=world.legal.id,
            starts_at=world.at(DAY),
            ends_at=world.at(DAY + 1),
            reason="Відпустка",
            now=world.at(10),
        )
    assert role_grants(session) == grants


def test_the_creation_of_a_delegation_is_audited_with_its_reason(session, world, chair_delegation):
    (created,) = entries(session, chair_delegation)
    assert (created.trigger, created.actor_id, created.comment) == ("create", world.mayor.id, MAYOR_AWAY)
    assert verify_document(chair_delegation, entries(session, chair_delegation)) is None


def test_every_role_that_can_be_delegated_is_named_in_both_languages_for_the_people_told_of_it():
    assert set(delegable_roles()) <= set(ROLE_TITLES)
    assert all(title["uk"] and title["en"] for title in ROLE_TITLES.values())
