"""Who the council is: the council itself, and who holds a mandate in it or in one of its committees at a
moment (role grants held in their own right, never delegated ones)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workflow.council.organisation.models import Council
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.people import RoleGrant

#: the roles that make a person a member of the council, with a vote
MEMBER_ROLES = ("deputy", "mayor")
COMMITTEE_ROLES = ("committee_chair", "committee_secretary", "committee_member")


def council_members(session: Session, at: datetime) -> list[int]:
    """Ids of the persons holding a deputy's or the mayor's mandate at `at`."""
    return holders(session, MEMBER_ROLES, None, at)


def committee_members(session: Session, committee_id: int, at: datetime) -> list[int]:
    return holders(session, COMMITTEE_ROLES, committee_id, at)


def holders(session: Session, roles: tuple[str, ...], scope_id: int | None, at: datetime) -> list[int]:
    """Ids of the persons holding one of `roles` (for `scope_id`) as their own mandate at `at`."""
    query = (
        select(RoleGrant.person_id)
        .where(
            RoleGrant.role.in_(roles),
            RoleGrant.delegation_id.is_(None),  # a delegated authority is not a mandate: it does not vote
            or_(RoleGrant.starts_at.is_(None), RoleGrant.starts_at <= at),
            or_(RoleGrant.ends_at.is_(None), RoleGrant.ends_at > at),
        )
        .distinct()
        .order_by(RoleGrant.person_id)
    )
    if scope_id is not None:
        query = query.where(RoleGrant.scope_id == scope_id)
    return list(session.scalars(query))


def the_council(session: Session) -> Council:
    council = session.scalar(select(Council).order_by(Council.id).limit(1))
    if council is None:
        raise NotFound("votes.no_council_set_up", N_("no council is set up yet"))
    return council
